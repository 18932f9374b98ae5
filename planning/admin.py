"""The planning rounds in the admin, for reference: they are run on the staff pages."""

from django.contrib import admin

from centers.admin import CenterScopedMixin, ReadOnlyAdmin, related_only

from .models import Round, Wish


@admin.register(Round)
class RoundAdmin(CenterScopedMixin, ReadOnlyAdmin):
    list_display = ("term", "center", "status", "deadline", "finished_at")
    list_filter = ("status", related_only("center"))


@admin.register(Wish)
class WishAdmin(CenterScopedMixin, ReadOnlyAdmin):
    list_display = ("group", "round", "kind", "answer", "outcome", "room", "start_time")
    list_filter = ("kind", "answer", "outcome")
    search_fields = ("group__name", "title")
