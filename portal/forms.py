"""Forms of the group leaders' pages: the booking request and the changes to a series.

Forms parse and validate input; they never write. The request form turns its fields into a
`RecurrenceRule` and the alternatives the leader picked in the preview, ready for
`services.booking_request_create`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bookings.policy import HolidayPolicy, holiday_policy_for_kind
from bookings.recurrence import MAX_DATES, RecurrenceRule, validate
from centers.models import Equipment, Room, Term, Weekday
from config.forms import (
    BoundedDateField,
    DateInput,
    StrictIntegerField,
    TimeInput,
    UncutCharField,
)
from groups.models import Group

# The note to staff: room for directions, short enough to read at the front desk.
NOTE_MAX = 2000

ALTERNATIVE_PREFIX = "alt-"
KEEP_AS_REQUESTED = ""


def slot_key(moment: datetime) -> str:
    """A stable, attribute-safe name for one date of a rule: its original start in UTC."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def parse_slot_key(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def alternative_value(room_id: int, starts_at: datetime, ends_at: datetime) -> str:
    """The value of one alternative's radio button: room and UTC times."""
    return f"{room_id}|{slot_key(starts_at)}|{slot_key(ends_at)}"


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Room) -> str:
        return _("%(room)s (%(center)s, up to %(capacity)s people)") % {
            "room": obj.name,
            "center": obj.center.name,
            "capacity": obj.capacity,
        }


FREQUENCY_CHOICES = [
    ("once", _("One date")),
    ("weekly", _("Weekly, or every few weeks")),
    ("monthly", _("Monthly, on a weekday")),
]
ENDS_CHOICES = [
    ("until", _("Until a date")),
    ("count", _("After a number of dates")),
    ("term", _("With the term")),
    ("never", _("Open-ended")),
]
AS_USUAL = ""
SCHOOL_HOLIDAY_CHOICES = [
    (AS_USUAL, _("As usual for the kind of group (courses pause)")),
    ("pause", _("The group pauses in the school holidays")),
    ("meet", _("The group meets in the school holidays too")),
]
PUBLIC_HOLIDAY_CHOICES = [
    (AS_USUAL, _("As usual for the kind of group (cafés meet where the center is open)")),
    ("meet", _("The group meets on public holidays where the center is open")),
    ("skip", _("The group does not meet on public holidays")),
]


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Term) -> str:
        return _("%(term)s (%(center)s, until %(last)s)") % {
            "term": obj.name,
            "center": obj.center.name,
            "last": date_format(obj.last_day, "SHORT_DATE_FORMAT"),
        }


def terms_for(groups: QuerySet[Group]) -> QuerySet[Term]:
    """Terms the request form offers: current and coming terms of the groups' centers."""
    return (
        Term.objects.filter(center__in=groups.values("center"), last_day__gte=timezone.localdate())
        .select_related("center")
        .order_by("center__name", "first_day")
    )


POSITION_CHOICES = [
    ("1", _("first")),
    ("2", _("second")),
    ("3", _("third")),
    ("4", _("fourth")),
    ("-1", _("last")),
]


def rooms_for(user: User, groups: QuerySet[Group]) -> QuerySet[Room]:
    """Rooms the request form offers: bookable rooms of the centers of the user's groups."""
    return (
        Room.objects.filter(bookable=True, center__in=groups.values("center"))
        .select_related("center")
        .order_by("center__name", "name")
    )


class BookingRequestForm(forms.Form):
    group = forms.ModelChoiceField(queryset=Group.objects.none(), label=_("Group"))
    room = RoomChoiceField(
        queryset=Room.objects.none(),
        required=False,
        label=_("Room"),
        empty_label=_("Any suitable room"),
        help_text=_("With “any suitable room”, the check below lists the rooms that are free."),
    )
    # Picked in the preview when the leader asked for any suitable room.
    suggested_room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False)
    start_date = BoundedDateField(label=_("Date (first date)"), widget=DateInput())
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput())
    frequency = forms.ChoiceField(
        label=_("Repeats"), choices=FREQUENCY_CHOICES, initial="once", widget=forms.RadioSelect
    )
    interval = StrictIntegerField(
        label=_("Every how many weeks"),
        min_value=1,
        max_value=52,
        initial=1,
        required=False,
        help_text=_("1 = every week, 2 = every second week."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these weekdays"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the weekday of the first date."),
    )
    monthly_position = forms.TypedChoiceField(
        label=_("Which one in the month"),
        choices=POSITION_CHOICES,
        coerce=int,
        required=False,
        initial="1",
    )
    monthly_weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        empty_value=None,
    )
    ends = forms.ChoiceField(
        label=_("Ends"), choices=ENDS_CHOICES, initial="until", widget=forms.RadioSelect
    )
    until = BoundedDateField(label=_("Last date"), required=False, widget=DateInput())
    count = StrictIntegerField(
        label=_("Number of dates"), min_value=1, max_value=MAX_DATES, required=False
    )
    term = TermChoiceField(
        label=_("Term"),
        queryset=Term.objects.none(),
        required=False,
        help_text=_("The series ends with the term, also when staff move its last day."),
    )
    school_holidays = forms.ChoiceField(
        label=_("In the school holidays"),
        choices=SCHOOL_HOLIDAY_CHOICES,
        required=False,
        initial=AS_USUAL,
        widget=forms.RadioSelect,
    )
    public_holidays = forms.ChoiceField(
        label=_("On public holidays"),
        choices=PUBLIC_HOLIDAY_CHOICES,
        required=False,
        initial=AS_USUAL,
        widget=forms.RadioSelect,
    )
    expected_participants = StrictIntegerField(
        label=_("Expected participants"), min_value=1, max_value=10000
    )
    equipment = forms.ModelMultipleChoiceField(
        label=_("Equipment needed"),
        queryset=Equipment.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = UncutCharField(
        label=_("Note to staff"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to 2000 characters."),
        error_messages={
            "max_length": _(
                "The note can be at most %(limit_value)d characters long; it has "
                "%(show_value)d. Please shorten it."
            )
        },
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        groups: QuerySet[Group],
        submitting: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Checking the dates works without a room ("any suitable room"); submitting does not.
        self.submitting = submitting
        self.fields["group"].queryset = groups.select_related("center")
        rooms = rooms_for(user, groups)
        self.fields["room"].queryset = rooms
        self.fields["suggested_room"].queryset = rooms
        self.fields["term"].queryset = terms_for(groups)
        if len(self.fields["group"].queryset) == 1 and not self.is_bound:
            self.initial.setdefault("group", self.fields["group"].queryset[0].pk)

    # --- alternatives picked in the preview ---------------------------------------------------

    def picked_values(self) -> dict[str, str]:
        """Raw picks by slot key, as submitted (kept so a re-rendered preview shows them)."""
        if not self.is_bound:
            return {}
        return {
            name.removeprefix(ALTERNATIVE_PREFIX): value
            for name, value in self.data.items()
            if name.startswith(ALTERNATIVE_PREFIX) and value != KEEP_AS_REQUESTED
        }

    def use_room(self) -> int | None:
        """The room picked for every clashing date at once (a button of the preview)."""
        raw = self.data.get("use_room", "") if self.is_bound else ""
        return int(raw) if raw.isdigit() and len(raw) < 19 else None

    def use_time(self) -> bool:
        """Whether "same room, another free time for all clashing dates" was pressed."""
        return self.is_bound and "use_time" in self.data

    def _clean_alternatives(self, group: Group) -> dict[datetime, tuple[Room, datetime, datetime]]:
        rooms = {room.pk: room for room in Room.objects.filter(center=group.center, bookable=True)}
        picked: dict[datetime, tuple[Room, datetime, datetime]] = {}
        for key, value in self.picked_values().items():
            try:
                original = parse_slot_key(key)
                room_id, start, end = value.split("|")
                room = rooms[int(room_id)]
                starts_at, ends_at = parse_slot_key(start), parse_slot_key(end)
            except (ValueError, KeyError):
                # A room of another center, or a tampered value: refuse, never guess.
                raise forms.ValidationError(
                    _("One of the picked alternatives is not valid. Please check the dates again.")
                ) from None
            if ends_at <= starts_at:
                raise forms.ValidationError(_("One of the picked alternatives is not valid."))
            picked[original] = (room, starts_at, ends_at)
        return picked

    # --- the rule -----------------------------------------------------------------------------

    def _rule(self, data: dict[str, Any]) -> RecurrenceRule:
        frequency = data.get("frequency") or "once"
        ends = data.get("ends") or "until"
        fields: dict[str, Any] = {
            "start_date": data["start_date"],
            "start_time": data["start_time"],
            "end_time": data["end_time"],
            "frequency": frequency,
        }
        if frequency == "weekly":
            fields["interval"] = data.get("interval") or 1
            fields["weekdays"] = tuple(sorted(set(data.get("weekdays") or ())))
        elif frequency == "monthly":
            weekday = data.get("monthly_weekday")
            if weekday is None:
                weekday = data["start_date"].weekday()
            fields["monthly_mode"] = "nth_weekday"
            fields["monthly_position"] = data.get("monthly_position")
            fields["weekdays"] = (weekday,)
        if frequency != "once":
            if ends == "until":
                fields["until"] = data.get("until")
            elif ends == "count":
                fields["count"] = data.get("count")
            elif ends == "term" and data.get("term") is not None:
                fields["until"] = data["term"].last_day
        return RecurrenceRule(**fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if any(field in self.errors for field in ("start_date", "start_time", "end_time")):
            return data
        if not all(data.get(f) for f in ("start_date", "start_time", "end_time")):
            return data
        frequency = data.get("frequency") or "once"
        ends = data.get("ends")
        if frequency != "once":
            if ends == "until" and not data.get("until"):
                self.add_error("until", _("Give the last date, or choose another ending."))
            if ends == "count" and not data.get("count"):
                self.add_error("count", _("Give the number of dates, or choose another ending."))
            if ends == "term" and not data.get("term"):
                self.add_error("term", _("Choose the term, or choose another ending."))
        if frequency == "monthly" and data.get("monthly_position") in (None, ""):
            self.add_error("monthly_position", _("Choose the first to fourth or the last weekday."))
        if self.errors:
            return data
        rule = self._rule(data)
        rule_errors = validate(rule)
        for field, message in rule_errors.items():
            self.add_error(field if field in self.fields else None, message)
        if rule_errors:
            return data
        data["rule"] = rule

        group: Group | None = data.get("group")
        room: Room | None = data.get("room") or data.get("suggested_room")
        if group is not None and room is not None and room.center_id != group.center_id:
            self.add_error(
                "room",
                _("This room is in another center than your group. Choose one of its rooms."),
            )
        data["chosen_room"] = room
        if room is None and self.submitting:
            self.add_error(
                "room", _("Choose a room, or pick one of the free rooms listed under “Dates”.")
            )
        if group is not None:
            try:
                data["alternatives"] = self._clean_alternatives(group)
            except forms.ValidationError as error:
                self.add_error(None, error)
        return data

    @property
    def rule(self) -> RecurrenceRule | None:
        return getattr(self, "cleaned_data", {}).get("rule")

    @property
    def chosen_term(self) -> Term | None:
        data = getattr(self, "cleaned_data", {})
        if data.get("ends") == "term" and (data.get("frequency") or "once") != "once":
            return data.get("term")
        return None

    def holiday_choice(self) -> dict[str, bool | None]:
        """Keyword arguments for the service: None keeps the group kind's default."""
        data = getattr(self, "cleaned_data", {})
        school = data.get("school_holidays") or AS_USUAL
        public = data.get("public_holidays") or AS_USUAL
        return {
            "pauses_in_school_holidays": None if school == AS_USUAL else school == "pause",
            "meets_on_public_holidays": None if public == AS_USUAL else public == "meet",
        }

    def holiday_policy(self, group: Group) -> HolidayPolicy:
        """The policy the request asks for: the choices, or the group kind's default."""
        default = holiday_policy_for_kind(group.kind)
        choice = self.holiday_choice()
        return HolidayPolicy(
            meets_on_public_holidays=default.meets_on_public_holidays
            if choice["meets_on_public_holidays"] is None
            else choice["meets_on_public_holidays"],
            pauses_in_school_holidays=default.pauses_in_school_holidays
            if choice["pauses_in_school_holidays"] is None
            else choice["pauses_in_school_holidays"],
        )


def initial_from_series(series: Any) -> dict[str, Any]:
    """Prefill a new request from an existing series (asking for another room from a date on)."""
    monthly = series.frequency == "monthly"
    frequency = series.frequency if series.frequency in ("once", "weekly", "monthly") else "weekly"
    return {
        "group": series.group_id,
        "start_time": series.start_time,
        "end_time": series.end_time,
        "frequency": frequency,
        "interval": series.interval,
        "weekdays": list(series.weekdays or ()) if not monthly else [],
        "monthly_position": series.monthly_position if monthly else 1,
        "monthly_weekday": (series.weekdays or [None])[0] if monthly else None,
        "ends": "term"
        if series.term_id
        else ("until" if series.until else ("count" if series.count else "never")),
        "until": series.until,
        "term": series.term_id,
        "school_holidays": "pause" if series.pauses_in_school_holidays else "meet",
        "public_holidays": "meet" if series.meets_on_public_holidays else "skip",
        "count": series.count,
        "expected_participants": series.expected_participants,
        "equipment": list(series.equipment_needed.values_list("pk", flat=True)),
    }


# The series page's forms live in portal.series_forms; the views import them from here.
from .series_forms import (  # noqa: E402, F401
    OccupancyForm,
    OccurrenceCancelForm,
    OccurrenceMoveForm,
    OccurrenceReinstateForm,
    SeriesChangeForm,
    SeriesEndForm,
    SeriesHolidaysForm,
    SeriesWithdrawForm,
)
