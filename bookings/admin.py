"""Booking series and their dates in the admin: to look things up, with their history, and to
change a date — through the engine's services, like every other page.

A series' rule is read-only here (the leaders' and staff pages change it, with the preview).
A date can be moved (room, start, end), cancelled, declined, confirmed or taken up again: the
change form turns the edit into one service call (`occurrence_move`, `occurrence_cancel`, …),
so room blocks, history, notifications and the mirror stay consistent. Superusers may delete
a series (`series_delete`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Max, Min, QuerySet
from django.http import HttpRequest
from django.utils.dates import WEEKDAYS_ABBR as WEEKDAY_ABBR
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from centers.admin import CenterScopedMixin, TabularInline, related_only, sees_everything

from . import services
from .errors import BookingConflict
from .models import Occurrence, OccurrenceState, Series
from .rule_text import time_range

# django-scheduler's tables are a mirror the engine writes (bookings.scheduler), not something
# to edit by hand: its own untranslated "Schedules" section leaves the admin.
for _model in [m for m in admin.site._registry if m._meta.app_label == "schedule"]:
    admin.site.unregister(_model)


class OccurrenceInline(CenterScopedMixin, TabularInline):
    model = Occurrence
    fields = ("starts_at", "ends_at", "room", "state", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("starts_at",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Series)
class SeriesAdmin(CenterScopedMixin, SimpleHistoryAdmin):
    list_display = (
        "__str__",
        "group",
        "room",
        "when",
        "first_date",
        "last_date",
        "status",
    )
    list_filter = (
        "status",
        "frequency",
        "meets_on_public_holidays",
        "pauses_in_school_holidays",
        related_only("group__center"),
        related_only("room"),
        related_only("group"),
    )
    list_select_related = ("group", "room__center")
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
            _("Holidays and term"),
            {"fields": ("meets_on_public_holidays", "pauses_in_school_holidays", "term")},
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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Series]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                first_start=Min("occurrences__starts_at"), last_start=Max("occurrences__starts_at")
            )
        )

    @admin.display(description=_("When"))
    def when(self, obj: Series) -> str:
        days = ", ".join(str(WEEKDAY_ABBR[d]) for d in sorted(obj.weekdays or ()))
        if not days:
            days = date_format(obj.start_date, "D")
        return f"{days} {time_range(obj.start_time, obj.end_time)}"

    @admin.display(description=_("First date"), ordering="first_start")
    def first_date(self, obj: Series) -> str:
        return self._day(obj, obj.first_start)  # type: ignore[attr-defined]

    @admin.display(description=_("Last date"), ordering="last_start")
    def last_date(self, obj: Series) -> str:
        return self._day(obj, obj.last_start)  # type: ignore[attr-defined]

    @staticmethod
    def _day(obj: Series, moment: datetime | None) -> str:
        if moment is None:
            return "–"
        return date_format(moment.astimezone(obj.room.center.tz), "SHORT_DATE_FORMAT")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return sees_everything(request.user) and super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Series) -> None:
        services.series_delete(user=request.user, series=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Series]) -> None:
        for series in queryset:
            services.series_delete(user=request.user, series=series)


# --- one date --------------------------------------------------------------------------------


class OccurrenceChangeForm(forms.ModelForm):
    """The edit of one date, carried out by the engine when the form is validated.

    The service runs inside the admin's transaction: if it refuses (a clash, a closure, a date
    in the past), its message is shown on the form and nothing is saved.
    """

    reason = forms.CharField(label=_("reason"), max_length=300, required=False)

    class Meta:
        model = Occurrence
        fields = ("room", "starts_at", "ends_at", "state", "reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = None  # set by the admin before validation
        if "state" in self.fields:
            self.fields["state"].choices = OccurrenceState.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors or self.user is None:
            return data
        # The row as it is in the database (the instance already carries the edit).
        before = Occurrence.objects.select_related("series__group__center", "room").get(
            pk=self.instance.pk
        )
        try:
            apply_edit(user=self.user, before=before, data=data)
        except BookingConflict as conflict:
            raise ValidationError(conflict.message) from conflict
        return data


def apply_edit(*, user: Any, before: Occurrence, data: dict[str, Any]) -> None:
    """Turn an admin edit of a date into the engine's transitions."""
    reason = data.get("reason") or ""
    state = data["state"]
    moved = (data["room"], data["starts_at"], data["ends_at"]) != (
        before.room,
        before.starts_at,
        before.ends_at,
    )
    if state == before.state and not moved:
        return
    if before.state == OccurrenceState.CANCELLED and state != OccurrenceState.CANCELLED:
        before = services.occurrence_reinstate(user=user, occurrence=before, reason=reason)
    if moved:
        before = services.occurrence_move(
            user=user,
            occurrence=before,
            room=data["room"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=reason,
        )
    if state == before.state:
        return
    if state == OccurrenceState.CANCELLED:
        services.occurrence_cancel(user=user, occurrence=before, reason=reason)
    elif state == OccurrenceState.DECLINED:
        services.occurrence_decline(user=user, occurrence=before, reason=reason)
    elif state == OccurrenceState.CONFIRMED and before.state == OccurrenceState.REQUESTED:
        services.occurrences_confirm(user=user, occurrences=[before], note=reason)
    elif state != before.state:
        raise ValidationError(_("This change of state is not possible here."))


@admin.register(Occurrence)
class OccurrenceAdmin(CenterScopedMixin, SimpleHistoryAdmin):
    list_display = ("series", "room", "starts_at", "ends_at", "state", "moved")
    list_filter = ("state", related_only("series__group__center"), related_only("room"))
    list_select_related = ("series__group", "room")
    search_fields = ("series__title", "series__group__name", "room__name", "reason")
    date_hierarchy = "starts_at"
    form = OccurrenceChangeForm
    fields = ("series", "room", "starts_at", "ends_at", "original_start", "state", "reason")
    readonly_fields = ("series", "original_start")
    actions = ("cancel_dates", "reinstate_dates")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a date is cancelled, not deleted: its history and reason stay

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, **kwargs)

        class WithUser(form_class):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **inner: Any) -> None:
                super().__init__(*args, **inner)
                self.user = request.user

        return WithUser

    def save_model(self, request: HttpRequest, obj: Occurrence, form: Any, change: bool) -> None:
        # The engine saved the edit while the form was validated (OccurrenceChangeForm.clean).
        obj.refresh_from_db()

    @admin.display(description=_("moved"), boolean=True)
    def moved(self, obj: Occurrence) -> bool:
        return obj.is_moved

    @admin.action(description=_("Cancel the selected dates"))
    def cancel_dates(self, request: HttpRequest, queryset: QuerySet[Occurrence]) -> None:
        done = 0
        for occurrence in queryset.select_related("series__group__center"):
            try:
                services.occurrence_cancel(
                    user=request.user, occurrence=occurrence, reason=str(_("cancelled by staff"))
                )
                done += 1
            except (ValidationError, BookingConflict) as error:
                messages.error(request, f"{occurrence}: {error}")
        messages.success(request, _("%(count)s dates cancelled.") % {"count": done})

    @admin.action(description=_("Take the selected dates up again"))
    def reinstate_dates(self, request: HttpRequest, queryset: QuerySet[Occurrence]) -> None:
        done = 0
        for occurrence in queryset.select_related("series__group__center"):
            try:
                services.occurrence_reinstate(user=request.user, occurrence=occurrence)
                done += 1
            except (ValidationError, BookingConflict) as error:
                messages.error(request, f"{occurrence}: {error}")
        messages.success(request, _("%(count)s dates take place again.") % {"count": done})
