"""Forms of the staff pages: they parse and validate input; the services decide."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models import Occurrence, OccurrenceState, Series
from bookings.recurrence import localize
from centers.models import Center, Equipment, Room
from config.forms import (
    BoundedDateField,
    DateInput,
    SeenField,
    StrictIntegerField,
    TimeInput,
    VersionField,
)
from console.board import week_day_to_show

BOARD_VIEW_CHOICES = [("day", _("Day")), ("week", _("Week"))]


def _today(center: Center) -> date:
    return timezone.now().astimezone(center.tz).date()


class BoardFilterForm(forms.Form):
    """GET parameters of the occupancy board; bad values fall back to sensible defaults."""

    date = BoundedDateField(label=_("Date"), required=False, widget=DateInput())
    view = forms.ChoiceField(label=_("View"), choices=BOARD_VIEW_CHOICES, required=False)
    equipment = forms.ModelMultipleChoiceField(
        label=_("Equipment"),
        queryset=Equipment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_capacity = StrictIntegerField(
        label=_("At least this many people"), min_value=1, max_value=10_000, required=False
    )

    def __init__(self, *args: object, center: Center, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.center = center
        self.fields["equipment"].queryset = Equipment.objects.filter(
            rooms__center=center
        ).distinct()

    def filters(self) -> dict[str, object]:
        """Keyword arguments for staff_selectors.board(); defaults where the input is bad."""
        data = self.cleaned_data if self.is_valid() else {}
        view = data.get("view") or "day"
        today = _today(self.center)
        return {
            "day": data.get("date") or (week_day_to_show(today) if view == "week" else today),
            "view": view,
            "equipment": list(data.get("equipment") or []),
            "min_capacity": data.get("min_capacity"),
        }


class WeekForm(forms.Form):
    date = BoundedDateField(label=_("Week of"), required=False, widget=DateInput())

    def __init__(self, *args: object, center: Center, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.center = center

    def day(self) -> date:
        if self.is_valid() and self.cleaned_data.get("date"):
            return self.cleaned_data["date"]
        return week_day_to_show(_today(self.center))


class ConfirmForm(forms.Form):
    """Confirm a whole request, or every date but those that clash."""

    MODE_ALL = "all"
    MODE_FREE = "free"

    mode = forms.ChoiceField(
        choices=[
            (MODE_ALL, _("Confirm all dates")),
            (MODE_FREE, _("Confirm all dates except the clashing ones")),
        ],
        initial=MODE_ALL,
        widget=forms.HiddenInput,
    )
    version = VersionField()
    seen = SeenField()
    note = forms.CharField(
        label=_("Note to the group (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @property
    def skip_clashing(self) -> bool:
        return self.cleaned_data["mode"] == self.MODE_FREE


class ReasonForm(forms.Form):
    """Decline a request or a date, or cancel a date: the group is told why."""

    version = VersionField()
    seen = SeenField()
    reason = forms.CharField(
        label=_("Reason (the group will see it)"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Please give a reason."))
        return reason


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the group's leaders"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveForm(forms.Form):
    """Move one date to another room and/or time (a suggestion fills these in)."""

    version = VersionField()
    seen = SeenField()
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none())
    day = BoundedDateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=TimeInput())
    end = forms.TimeField(label=_("Until"), widget=TimeInput())
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)

    def __init__(self, *args: object, center: Center, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.center = center
        self.fields["room"].queryset = Room.objects.filter(center=center)

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise forms.ValidationError(_("The end must be after the start."))
        return data

    def changes(self) -> dict[str, object]:
        """Keyword arguments for services.occurrence_move()."""
        data = self.cleaned_data
        tz = self.center.tz
        return {
            "room": data["room"],
            "starts_at": localize(datetime.combine(data["day"], data["start"]), tz),
            "ends_at": localize(datetime.combine(data["day"], data["end"]), tz),
            "reason": data.get("reason", ""),
        }

    @classmethod
    def initial_for(
        cls, room: Room, starts_at: datetime, ends_at: datetime, tz: tzinfo
    ) -> dict[str, object]:
        start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
        return {"room": room.pk, "day": start.date(), "start": start.time(), "end": end.time()}


class BulkDatesForm(forms.Form):
    """One action for many dates of a request at once."""

    CONFIRM = "confirm"
    DECLINE = "decline"

    version = VersionField()
    seen = SeenField()
    dates = forms.ModelMultipleChoiceField(
        label=_("Dates"), queryset=Occurrence.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(
        label=_("Action for the selected dates"),
        choices=[(CONFIRM, _("Confirm")), (DECLINE, _("Decline"))],
    )
    reason = forms.CharField(label=_("Reason (needed to decline)"), max_length=300, required=False)

    def __init__(self, *args: object, series: Series, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dates"].queryset = series.occurrences.filter(
            state=OccurrenceState.REQUESTED
        ).select_related("series__group__center", "room")

    def clean(self) -> dict[str, object]:
        data = super().clean()
        data["reason"] = (data.get("reason") or "").strip()
        if data.get("action") == self.DECLINE and not data["reason"]:
            self.add_error("reason", _("Please give a reason."))
        return data


class UseRoomForm(forms.Form):
    """One room for every clashing date of a request the engine offers it for (same time), or
    (kind "time") each date's own room at the engine's nearest free time."""

    version = VersionField()
    seen = SeenField()
    room = StrictIntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1, required=False
    )
    kind = forms.ChoiceField(choices=[("room", "room"), ("time", "time")], required=False)
    dates = forms.CharField(widget=forms.HiddenInput, max_length=2000)  # the pks on the page

    def clean(self) -> dict[str, object]:
        data = super().clean()
        data["kind"] = data.get("kind") or "room"
        if data["kind"] == "room" and not data.get("room"):
            self.add_error("room", _("This form is out of date. Please reload the page."))
        return data

    def clean_dates(self) -> frozenset[int]:
        raw = self.cleaned_data["dates"].split(",")
        if not all(part.isdigit() and len(part) < 12 for part in raw):
            raise forms.ValidationError(_("This form is out of date. Please reload the page."))
        return frozenset(int(part) for part in raw)


class ClosureForm(forms.Form):
    """A closure of the whole center or one room, over whole days or a time on those days."""

    version = StrictIntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    room = forms.ModelChoiceField(
        label=_("Room"),
        queryset=Room.objects.none(),
        required=False,
        empty_label=_("The whole center"),
    )
    first_day = BoundedDateField(label=_("First day"), widget=DateInput())
    last_day = BoundedDateField(label=_("Last day"), widget=DateInput())
    start = forms.TimeField(
        label=_("From (optional)"),
        required=False,
        widget=TimeInput(),
        help_text=_("Leave empty to close from the start of the first day."),
    )
    end = forms.TimeField(
        label=_("Until (optional)"),
        required=False,
        widget=TimeInput(),
        help_text=_("Leave empty to close until the end of the last day."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("For example “Summer break” or “Renovation”. The groups will see it."),
    )

    def __init__(self, *args: object, center: Center, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.center = center
        self.fields["room"].queryset = Room.objects.filter(center=center)

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if self.errors:
            return data
        data["reason"] = data["reason"].strip()
        if not data["reason"]:
            self.add_error("reason", _("Please give a reason."))
            return data
        tz = self.center.tz
        starts_at = localize(datetime.combine(data["first_day"], data.get("start") or time.min), tz)
        if data.get("end"):
            ends_at = localize(datetime.combine(data["last_day"], data["end"]), tz)
        else:
            ends_at = localize(datetime.combine(data["last_day"] + timedelta(days=1), time.min), tz)
        if ends_at <= starts_at:
            raise forms.ValidationError(_("The closure must end after it starts."))
        if (data["last_day"] - data["first_day"]).days > 366:
            raise forms.ValidationError(_("A closure can last one year at most."))
        data["starts_at"], data["ends_at"] = starts_at, ends_at
        return data

    @classmethod
    def initial_for(cls, closure: object, tz: tzinfo) -> dict[str, object]:
        """The form filled in from a saved closure (whole days where it covers whole days)."""
        start = closure.starts_at.astimezone(tz)
        end = closure.ends_at.astimezone(tz)
        whole_end = end.time() == time.min
        last_day = (end - timedelta(days=1)).date() if whole_end else end.date()
        return {
            "room": closure.room_id,
            "first_day": start.date(),
            "last_day": last_day,
            "start": None if start.time() == time.min else start.time(),
            "end": None if whole_end else end.time(),
            "reason": closure.reason,
            "version": closure.version,
        }

    def closure(self) -> dict[str, object]:
        """Keyword arguments for services.closure_create() and the preview selector."""
        data = self.cleaned_data
        return {
            "room": data["room"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "reason": data["reason"],
        }
