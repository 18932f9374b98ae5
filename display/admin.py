from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from centers.admin import CenterScopedMixin

from .models import DisplaySettings, NoShow


@admin.register(DisplaySettings)
class DisplaySettingsAdmin(CenterScopedMixin, SimpleHistoryAdmin):
    """Staff normally use /staff/<center>/display/; this is for superusers."""

    list_display = ("center", "language", "check_in", "release_no_shows", "notice")
    readonly_fields = ("version", "check_in_since", "updated_at")

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # The screens render anew only when the version moves.
        obj.version = (obj.version or 0) + 1
        if obj.check_in and obj.check_in_since is None:
            obj.check_in_since = timezone.now()  # dates that started before are no no-shows
        super().save_model(request, obj, form, change)


@admin.register(NoShow)
class NoShowAdmin(CenterScopedMixin, SimpleHistoryAdmin):
    list_display = ("occurrence", "noted_at", "released_at", "arrived_at")
    list_select_related = ("occurrence__series__group",)
    raw_id_fields = ("occurrence",)
    date_hierarchy = "noted_at"
