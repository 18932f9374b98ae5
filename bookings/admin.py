"""Booking series and their dates in the admin: to look things up, with their history.

Read-only on purpose. Requests, decisions, cancellations and moves go through the services
(bookings/services), which keep room blocks, sequences and notifications consistent; an edit
here would bypass all of that. Superusers may still delete a series (its dates go with it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from centers.admin import CenterScopedMixin, related_only, sees_everything

from .models import Occurrence, Series


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return sees_everything(request.user) and super().has_delete_permission(request, obj)


class OccurrenceInline(CenterScopedMixin, ReadOnlyMixin, admin.TabularInline):
    model = Occurrence
    fields = ("starts_at", "ends_at", "room", "state", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("starts_at",)


@admin.register(Series)
class SeriesAdmin(CenterScopedMixin, ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = (
        "__str__",
        "group",
        "room",
        "status",
        "frequency",
        "start_date",
        "start_time",
        "end_time",
        "materialised_until",
    )
    list_filter = (
        "status",
        "frequency",
        related_only("group__center"),
        related_only("room"),
    )
    list_select_related = ("group", "room")
    search_fields = ("title", "group__name", "room__name", "note", "decision_note")
    date_hierarchy = "start_date"
    inlines = (OccurrenceInline,)
    fieldsets = (
        (None, {"fields": ("group", "room", "title", "status", "expected_participants")}),
        (
            _("Rule"),
            {
                "fields": (
                    "frequency",
                    "interval",
                    "weekdays",
                    "monthly_mode",
                    "monthly_position",
                    "monthly_day",
                    "start_date",
                    "start_time",
                    "end_time",
                    "until",
                    "count",
                    "extra_dates",
                    "materialised_until",
                )
            },
        ),
        (
            _("Request"),
            {
                "fields": (
                    "created_by",
                    "created_at",
                    "equipment_needed",
                    "note",
                    "decision_note",
                    "updated_at",
                )
            },
        ),
    )
    readonly_fields = ("created_at", "updated_at")


@admin.register(Occurrence)
class OccurrenceAdmin(CenterScopedMixin, ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("series", "room", "starts_at", "ends_at", "state", "moved")
    list_filter = ("state", related_only("series__group__center"), related_only("room"))
    list_select_related = ("series__group", "room")
    search_fields = ("series__title", "series__group__name", "room__name", "reason")
    date_hierarchy = "starts_at"
    fields = ("series", "room", "starts_at", "ends_at", "original_start", "state", "reason")

    @admin.display(description=_("moved"), boolean=True)
    def moved(self, obj: Occurrence) -> bool:
        return obj.is_moved
