"""Forms of the planning pages: they parse and validate input; the services decide."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bookings.recurrence import localize
from centers.models import Center, Room, Term, Weekday
from config.forms import BoundedDateField, DateInput, StrictIntegerField, TimeInput, VersionField
from groups.models import Group

from . import priorities
from .models import Wish
from .services import RESOLVE_ALTERNATIVES, RESOLVE_DECLINE, RESOLVE_FREE_DATES, Slot

MAX_UPLOAD = 1_000_000


class TermForm(forms.Form):
    version = StrictIntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("For example “Sommerhalbjahr 2027”. Leaders see it."),
    )
    first_day = BoundedDateField(label=_("First day"), widget=DateInput())
    last_day = BoundedDateField(label=_("Last day"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("first_day") and data.get("last_day") and data["last_day"] < data["first_day"]:
            self.add_error("last_day", _("The last day must not be before the first day."))
        return data

    @classmethod
    def initial_for(cls, term: Term) -> dict[str, Any]:
        return {
            "name": term.name,
            "first_day": term.first_day,
            "last_day": term.last_day,
            "version": term.version,
        }


class SchoolHolidayUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Calendar file (.ics)"),
        help_text=_(
            "The school holidays as the ministry publishes them, one event per holiday period."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is too large for a holiday calendar."))
        return upload


class HolidayOpeningForm(forms.Form):
    open_on_public_holidays = forms.BooleanField(
        label=_("The center is open on public holidays"),
        required=False,
        help_text=_(
            "Series that meet on public holidays (cafés, by default) then keep those dates; "
            "all others skip them anyway."
        ),
    )


def _priority_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=lambda: [("", _("none")), *priorities.choices()], required=False
    )


class PrioritiesMixin(forms.Form):
    priority_1 = _priority_field(_("First"))
    priority_2 = _priority_field(_("Then"))
    priority_3 = _priority_field(_("Then"))

    def priority_keys(self) -> list[str]:
        data = self.cleaned_data
        return priorities.clean([data.get(f"priority_{n}") or "" for n in (1, 2, 3)])

    @staticmethod
    def initial_priorities(keys: list[str]) -> dict[str, str]:
        return {f"priority_{n}": key for n, key in enumerate(keys[:3], start=1)}


class DeadlineMixin(forms.Form):
    deadline_day = BoundedDateField(label=_("Answers and wishes until (day)"), widget=DateInput())
    deadline_time = forms.TimeField(
        label=_("until (time)"), widget=TimeInput(), initial=time(23, 59), required=False
    )

    def deadline(self, center: Center) -> datetime:
        data = self.cleaned_data
        return localize(
            datetime.combine(data["deadline_day"], data.get("deadline_time") or time(23, 59)),
            center.tz,
        )


class RoundForm(DeadlineMixin, PrioritiesMixin):
    term = forms.ModelChoiceField(label=_("Term to plan"), queryset=Term.objects.none())
    previous_term = forms.ModelChoiceField(
        label=_("Ending term"),
        queryset=Term.objects.none(),
        required=False,
        empty_label=_("None (no continuations)"),
        help_text=_("Its series that end with it are proposed for the term to plan."),
    )

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        terms = Term.objects.filter(center=center).order_by("first_day")
        self.fields["term"].queryset = terms.filter(planning_round__isnull=True)
        self.fields["previous_term"].queryset = terms


class RoundUpdateForm(DeadlineMixin, PrioritiesMixin):
    version = VersionField()


class RoundVersionForm(forms.Form):
    version = VersionField()


class ResolveForm(forms.Form):
    version = VersionField()
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (RESOLVE_ALTERNATIVES, _("Take the alternatives shown for the clashing dates")),
            (RESOLVE_FREE_DATES, _("Only the free dates; decline the clashing ones")),
            (RESOLVE_DECLINE, _("Decline the wish")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (the group will read it)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class SlotMixin(forms.Form):
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(label=_("From"), widget=TimeInput(), required=False)
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput(), required=False)

    def set_rooms(self, center: Center) -> None:
        self.fields["room"].queryset = Room.objects.filter(center=center, bookable=True).order_by(
            "name"
        )

    def slot(self) -> Slot | None:
        data = self.cleaned_data
        if not (data.get("room") and data.get("start_time") and data.get("end_time")):
            return None
        return Slot(
            room=data["room"],
            weekdays=tuple(sorted(set(data.get("weekdays") or ()))),
            start_time=data["start_time"],
            end_time=data["end_time"],
        )


class AnswerForm(SlotMixin):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Wish.Answer.CONTINUE, _("Continue as proposed")),
            (Wish.Answer.CHANGE, _("Continue with these changes")),
            (Wish.Answer.END, _("End with the current term")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_rooms(center)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("answer") == Wish.Answer.CHANGE:
            for name in ("room", "start_time", "end_time", "weekdays"):
                if not data.get(name):
                    self.add_error(name, _("Needed for a change."))
        return data

    @classmethod
    def initial_for(cls, wish: Wish) -> dict[str, Any]:
        return {
            "answer": wish.answer if wish.answer != Wish.Answer.PENDING else "",
            "room": wish.room_id,
            "weekdays": list(wish.weekdays or ()),
            "start_time": wish.start_time,
            "end_time": wish.end_time,
        }


HOLIDAY_CHOICES = [
    ("", _("As usual for the kind of group")),
    ("yes", _("Yes")),
    ("no", _("No")),
]


class WishForm(SlotMixin):
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none())
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    interval = forms.TypedChoiceField(
        label=_("How often"),
        choices=[(1, _("every week")), (2, _("every second week"))],
        coerce=int,
        initial=1,
    )
    expected_participants = StrictIntegerField(
        label=_("Expected participants"), min_value=1, max_value=10000
    )
    pauses = forms.ChoiceField(
        label=_("Pauses in the school holidays"), choices=HOLIDAY_CHOICES, required=False
    )
    meets = forms.ChoiceField(
        label=_("Meets on public holidays (where the center is open)"),
        choices=HOLIDAY_CHOICES,
        required=False,
    )
    note = forms.CharField(
        label=_("Note to staff"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, center: Center, groups: QuerySet[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_rooms(center)
        self.fields["group"].queryset = groups.filter(center=center).order_by("name")
        for name in ("room", "start_time", "end_time", "weekdays"):
            self.fields[name].required = True

    @staticmethod
    def _choice(value: str) -> bool | None:
        return None if not value else value == "yes"

    def wish(self) -> dict[str, Any]:
        """Keyword arguments for services.wish_create()."""
        data = self.cleaned_data
        return {
            "group": data["group"],
            "slot": self.slot(),
            "expected_participants": data["expected_participants"],
            "interval": data["interval"],
            "pauses_in_school_holidays": self._choice(data.get("pauses") or ""),
            "meets_on_public_holidays": self._choice(data.get("meets") or ""),
            "title": data.get("title") or "",
            "note": data.get("note") or "",
        }
