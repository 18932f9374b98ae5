"""Forms of the series page (cancel, take up, move a date; end, change, withdraw a series; its
holiday policy) and of the room occupancy view."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.recurrence import RecurrenceRule, localize, validate
from centers.models import Room, Weekday
from config.forms import (
    BoundedDateField,
    DateInput,
    SeenField,
    TimeInput,
    VersionField,
)

from . import occupancy

# The note to staff: room for directions, short enough to read at the front desk.
NOTE_MAX = 2000

ALTERNATIVE_PREFIX = "alt-"
KEEP_AS_REQUESTED = ""


class OccurrenceCancelForm(forms.Form):
    version = VersionField()
    seen = SeenField()
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Shown to staff and in the calendar, e.g. “summer break”."),
    )


class OccurrenceReinstateForm(forms.Form):
    version = VersionField()
    seen = SeenField()


class OccurrenceMoveForm(forms.Form):
    """Another time and/or room for one date; the engine checks it like a request."""

    version = VersionField()
    seen = SeenField()
    date = BoundedDateField(label=_("Date"))
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput())
    room = forms.ModelChoiceField(queryset=Room.objects.none(), label=_("Room"))

    def __init__(self, *args: Any, center: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.center = center
        self.fields["room"].queryset = Room.objects.filter(center=center, bookable=True).order_by(
            "name"
        )

    def changes(self) -> dict[str, Any]:
        """Keyword arguments for services.occurrence_move, in the center's wall-clock time."""
        data = self.cleaned_data
        tz = self.center.tz
        starts_at = localize(datetime.combine(data["date"], data["start_time"]), tz)
        ends_at = localize(datetime.combine(data["date"], data["end_time"]), tz)
        return {"room": data["room"], "starts_at": starts_at, "ends_at": ends_at}


class SeriesEndForm(forms.Form):
    version = VersionField()
    seen = SeenField()
    last_date = BoundedDateField(
        label=_("Last date that still takes place"),
        widget=DateInput(),
    )
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class SeriesHolidaysForm(forms.Form):
    """What the series does on holidays; its coming dates follow at once."""

    version = VersionField()
    seen = SeenField()
    pauses_in_school_holidays = forms.BooleanField(
        label=_("The group pauses in the school holidays"), required=False
    )
    meets_on_public_holidays = forms.BooleanField(
        label=_("The group meets on public holidays (where the center is open)"), required=False
    )


class SeriesWithdrawForm(forms.Form):
    version = VersionField()
    seen = SeenField()
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class SeriesChangeForm(forms.Form):
    """Another time (and weekdays) from a date on; the room stays (see the page's note)."""

    version = VersionField()
    seen = SeenField()
    from_date = BoundedDateField(label=_("From this date on"), widget=DateInput())
    start_time = forms.TimeField(label=_("New start"), widget=TimeInput())
    end_time = forms.TimeField(label=_("New end"), widget=TimeInput())
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these weekdays"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for weekly series. None chosen: the weekdays stay."),
    )

    def __init__(self, *args: Any, rule: RecurrenceRule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_rule = rule
        if rule.frequency != "weekly":
            del self.fields["weekdays"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        changes: dict[str, Any] = {
            "start_time": data["start_time"],
            "end_time": data["end_time"],
        }
        if data.get("weekdays"):
            changes["weekdays"] = tuple(sorted(set(data["weekdays"])))
        rule = self.base_rule.with_changes(**changes)
        for field, message in validate(rule).items():
            self.add_error(field if field in self.fields else None, message)
        data["rule"] = rule
        return data


class OccupancyForm(forms.Form):
    """The period the occupancy page shows (GET): the week or month around a date."""

    view = forms.ChoiceField(
        label=_("View"),
        choices=[(occupancy.WEEK, _("Week")), (occupancy.MONTH, _("Month"))],
        required=False,
    )
    date = BoundedDateField(label=_("Go to date"), required=False)
