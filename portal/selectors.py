"""Reads for the group leaders' pages: dashboard, request preview, series page, room occupancy."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from bookings import conflicts
from bookings.alternatives import alternatives_for_report
from bookings.conflicts import ConflictReport, DateReport, IssueKind
from bookings.models import Cause, Occurrence, OccurrenceState, Series, SeriesStatus
from bookings.policy import HolidayPolicy, Verdict
from bookings.recurrence import RecurrenceRule, expand
from bookings.rule_text import long_date, rule_text, time_range
from bookings.services.requests import horizon_for
from centers.models import Center, Equipment, Room
from groups.models import Group
from notifications.models import Message

from .forms import alternative_value, slot_key

# The room reads live in their own module; the views find them here with the rest.
from .room_selectors import (  # noqa: F401
    access_room,
    closed_days,
    room_occupancy,
    rooms_for_occupancy,
    visible_rooms,
)

UPCOMING_PER_GROUP = 8
RECENT_REQUESTS = 20
STAFF_MESSAGES = 10

# --- dashboard ------------------------------------------------------------------------------------


@dataclass
class GroupOverview:
    group: Group
    upcoming: list[Occurrence]


@dataclass
class Dashboard:
    groups: list[GroupOverview]
    requests: list[Series]
    staff_messages: list[Message]


def led_groups(user: User) -> QuerySet[Group]:
    """Groups the user leads or deputises for (the dashboard's "my groups")."""
    return Group.objects.filter(leaderships__user=user).select_related("center").order_by("name")


def upcoming_dates(group: Group, *, limit: int = UPCOMING_PER_GROUP) -> list[Occurrence]:
    """The group's next dates, cancelled and declined ones included so changes show."""
    now = timezone.now()
    return list(
        Occurrence.objects.filter(series__group=group, ends_at__gte=now)
        .exclude(series__status=SeriesStatus.WITHDRAWN)
        .select_related("room", "series__room")
        .order_by("starts_at")[:limit]
    )


def requests_for_leader(user: User, *, limit: int = RECENT_REQUESTS) -> list[Series]:
    """The latest requests of the user's groups, with a count of dates per state and the
    rule in words (`.when`)."""
    requests = list(
        Series.objects.filter(group__in=led_groups(user).values("pk"))
        .select_related("group", "room__center")
        .annotate(
            n_requested=Count("occurrences", filter=Q(occurrences__state="requested")),
            n_confirmed=Count("occurrences", filter=Q(occurrences__state="confirmed")),
            n_cancelled=Count("occurrences", filter=Q(occurrences__state="cancelled")),
            n_declined=Count("occurrences", filter=Q(occurrences__state="declined")),
        )
        .order_by("-created_at")[:limit]
    )
    today = timezone.localdate()
    for series in requests:
        series.when = rule_text(series.rule, room=series.room.name, today=today)
    return requests


def staff_messages_for(user: User) -> list[Message]:
    """The latest notes from staff about series of the user's groups."""
    return list(
        Message.objects.filter(series__group__in=led_groups(user).values("pk"))
        .select_related("series__group", "sender")
        .order_by("-created_at", "-pk")[:STAFF_MESSAGES]
    )


def dashboard(user: User) -> Dashboard:
    groups = list(led_groups(user))
    requests = requests_for_leader(user)
    return Dashboard(
        groups=[GroupOverview(group=g, upcoming=upcoming_dates(g)) for g in groups],
        requests=requests,
        staff_messages=staff_messages_for(user),
    )


# --- series page ----------------------------------------------------------------------------------


@dataclass
class SeriesPage:
    series: Series
    rule: RecurrenceRule
    rule_text: str
    dates: list[Occurrence]
    can_withdraw: bool
    is_repeating: bool
    next_active: Occurrence | None
    rooms: list[Room] = field(default_factory=list)  # where a date may be moved to
    # After a change "from a date on": what the dates before it keep ("until 12 February 2030:
    # 18:00–20:00"); the rule text then starts with "from …".
    earlier_text: str = ""


def _earlier_text(series: Series, rule: RecurrenceRule, dates: list[Occurrence]) -> str:
    """The times of the dates the stored rule no longer describes (those before its start)."""
    tz = series.group.center.tz
    earlier = [
        d
        for d in dates
        if d.original_start.astimezone(tz).date() < rule.start_date
        and d.state in (OccurrenceState.REQUESTED, OccurrenceState.CONFIRMED)
    ]
    if not earlier:
        return ""
    times = dict.fromkeys(
        time_range(d.original_start.astimezone(tz).time(), _original_end(d).astimezone(tz).time())
        for d in earlier
    )
    last = max(d.original_start.astimezone(tz).date() for d in earlier)
    return _("until %(date)s: %(times)s") % {"date": long_date(last), "times": ", ".join(times)}


def _original_end(occurrence: Occurrence) -> datetime:
    return occurrence.original_start + (occurrence.ends_at - occurrence.starts_at)


def series_page(series: Series) -> SeriesPage:
    dates = list(series.occurrences.select_related("room").order_by("original_start"))
    rule = series.rule
    today = timezone.localdate()
    now = timezone.now()
    active = (OccurrenceState.REQUESTED, OccurrenceState.CONFIRMED)
    open_series = series.status not in (SeriesStatus.WITHDRAWN, SeriesStatus.DECLINED)
    for date_row in dates:
        future = date_row.starts_at > now
        # What the group may do with this date (the services check it again).
        date_row.can_change = open_series and future and date_row.state in active
        date_row.can_reinstate = (
            open_series
            and future
            and date_row.state == OccurrenceState.CANCELLED
            and date_row.cause == Cause.GROUP
        )
    text = rule_text(rule, room=series.room.name, today=today)
    earlier = _earlier_text(series, rule, dates)
    if earlier:
        text = _("from %(date)s: %(rule)s") % {"date": long_date(rule.start_date), "rule": text}
    return SeriesPage(
        series=series,
        rule=rule,
        rule_text=text,
        earlier_text=earlier,
        dates=dates,
        can_withdraw=series.status == SeriesStatus.PENDING,
        is_repeating=series.frequency != "once",
        next_active=next((d for d in dates if d.state in active and d.starts_at >= now), None),
        rooms=list(
            Room.objects.filter(center_id=series.group.center_id, bookable=True).order_by("name")
        ),
    )


# --- request preview ------------------------------------------------------------------------------


@dataclass
class AlternativeChoice:
    value: str
    label: str
    kind: str
    room: Room
    starts_at: datetime
    ends_at: datetime
    checked: bool = False
    needs_approval: bool = False


@dataclass
class PreviewDate:
    key: str
    report: DateReport
    alternatives: list[AlternativeChoice] = field(default_factory=list)

    @property
    def starts_at(self) -> datetime:
        return self.report.slot.starts_at

    @property
    def ends_at(self) -> datetime:
        return self.report.slot.ends_at

    @property
    def keep_checked(self) -> bool:
        return not any(a.checked for a in self.alternatives)

    @property
    def verdict(self) -> str:
        """skipped | refused | staff | fine — the policy's word for this date."""
        return self.report.verdict


@dataclass
class Preview:
    room: Room | None
    dates: list[PreviewDate]
    suitable_rooms: list[Room] = field(default_factory=list)
    unsuitable_rooms: int = 0
    any_room: bool = False
    horizon: date | None = None

    def _with(self, verdict: str) -> list[PreviewDate]:
        return [d for d in self.dates if d.verdict == verdict]

    @property
    def clashing(self) -> list[PreviewDate]:
        """Dates that cannot take place as asked (a booking, the room's size, the past)."""
        return self._with(Verdict.REFUSED)

    @property
    def skipped(self) -> list[PreviewDate]:
        """Dates that drop out: closures and public holidays."""
        return self._with(Verdict.SKIPPED)

    @property
    def skipped_closed(self) -> list[PreviewDate]:
        """Skipped dates the center or room is closed on (the rest fall on holidays)."""
        return [d for d in self.skipped if any(i.kind == IssueKind.CLOSURE for i in d.report.hard)]

    @property
    def skipped_holiday(self) -> list[PreviewDate]:
        closed = set(map(id, self.skipped_closed))
        return [d for d in self.skipped if id(d) not in closed]

    @property
    def for_staff(self) -> list[PreviewDate]:
        """Dates staff decide on (approval, opening hours, equipment, horizon, competition)."""
        return self._with(Verdict.STAFF)

    @property
    def warnings(self) -> list[PreviewDate]:
        return [d for d in self.for_staff if d.report.soft]

    @property
    def confirmed_at_once(self) -> list[PreviewDate]:
        return self._with(Verdict.FINE)

    @property
    def bulk_rooms(self) -> list[tuple[Room, int]]:
        """Rooms offered at the same time for two or more clashing dates, with how many: one
        choice for all of them ("use this room for all clashing dates")."""
        counts: dict[int, int] = defaultdict(int)
        rooms: dict[int, Room] = {}
        for item in self.clashing:
            for room_id in {a.room.pk for a in item.alternatives if a.kind == "room"}:
                counts[room_id] += 1
                rooms[room_id] = next(a.room for a in item.alternatives if a.room.pk == room_id)
        return [(rooms[pk], n) for pk, n in counts.items() if n >= 2]

    @property
    def bulk_time(self) -> int:
        """Clashing dates the engine offers the same room at another time for, when two or
        more: one choice for all of them ("same room, another free time")."""
        count = sum(1 for d in self.clashing if any(a.kind == "time" for a in d.alternatives))
        return count if count >= 2 else 0

    @property
    def free_count(self) -> int:
        """Dates whose room is free: confirmed at once, or waiting for staff."""
        return len(self.confirmed_at_once) + len(self.for_staff)


def preview_horizon(rule: RecurrenceRule, center: Center) -> date:
    """Series are checked as far ahead as the service creates their dates: the center's
    booking horizon from today, or from the first date when that lies further ahead."""
    today = timezone.now().astimezone(center.tz).date()
    return horizon_for(center, max(today, rule.start_date))


def _report(
    room: Room,
    rule: RecurrenceRule,
    expected: int,
    equipment: Sequence[Equipment],
    policy: HolidayPolicy | None = None,
) -> ConflictReport:
    slots = expand(rule, room.center.tz, through=preview_horizon(rule, room.center))
    return conflicts.check(
        room=room,
        slots=slots,
        expected_participants=expected,
        equipment=equipment,
        now=timezone.now(),
        policy=policy,
    )


def _alternatives(
    room: Room,
    report: ConflictReport,
    expected: int,
    equipment: Sequence[Equipment],
    picked: dict[str, str],
    policy: HolidayPolicy | None = None,
    use_room: int | None = None,
    use_time: bool = False,
) -> dict[datetime, list[AlternativeChoice]]:
    if not report.clashing:
        return {}
    found = alternatives_for_report(
        room=room,
        report=report,
        expected_participants=expected,
        equipment=equipment,
        limit=3,
        policy=policy,
    )
    choices: dict[datetime, list[AlternativeChoice]] = {}
    for original, alternatives in found.items():
        key = slot_key(original)
        if use_room is not None and key not in picked:
            # "Use this room for all clashing dates": the same time in that room, where offered.
            for alt in alternatives:
                if alt.kind == "room" and alt.room.pk == use_room:
                    picked = {
                        **picked,
                        key: alternative_value(alt.room.pk, alt.starts_at, alt.ends_at),
                    }
                    break
        if use_time and key not in picked:
            # "Same room, another free time": the engine's first (nearest) time in this room.
            alt = next((a for a in alternatives if a.kind == "time"), None)
            if alt is not None:
                picked = {**picked, key: alternative_value(alt.room.pk, alt.starts_at, alt.ends_at)}
        choices[original] = [
            AlternativeChoice(
                value=(value := alternative_value(alt.room.pk, alt.starts_at, alt.ends_at)),
                label=str(alt.label),
                kind=str(alt.kind),
                room=alt.room,
                starts_at=alt.starts_at,
                ends_at=alt.ends_at,
                checked=picked.get(key) == value,
                needs_approval=alt.needs_approval,
            )
            for alt in alternatives
        ]
    return choices


def request_preview(
    *,
    group: Group,
    room: Room | None,
    rule: RecurrenceRule,
    expected_participants: int,
    equipment: Iterable[Equipment] = (),
    picked: dict[str, str] | None = None,
    policy: HolidayPolicy | None = None,
    use_room: int | None = None,
    use_time: bool = False,
) -> Preview:
    """Every date of the rule with what stands in its way, and alternatives for clashes.

    Without a room, the bookable rooms of the group's center that fit and are free on every
    date are listed instead, for the leader to pick one. `policy` is the holiday policy the
    request asks for (the service uses the same).
    """
    equipment = list(equipment)
    picked = picked or {}
    if room is None:
        return _any_room_preview(group, rule, expected_participants, equipment, policy)
    report = _report(room, rule, expected_participants, equipment, policy)
    alternatives = _alternatives(
        room,
        report,
        expected_participants,
        equipment,
        picked,
        policy,
        use_room=use_room,
        use_time=use_time,
    )
    dates = [
        PreviewDate(
            key=slot_key(d.slot.original_start),
            report=d,
            alternatives=alternatives.get(d.slot.original_start, []),
        )
        for d in report.dates
    ]
    return Preview(
        room=room,
        dates=dates,
        horizon=preview_horizon(rule, room.center) if rule.is_open_ended else None,
    )


def _any_room_preview(
    group: Group,
    rule: RecurrenceRule,
    expected: int,
    equipment: list[Equipment],
    policy: HolidayPolicy | None = None,
) -> Preview:
    candidates = Room.objects.filter(
        center=group.center, bookable=True, capacity__gte=expected
    ).select_related("center")
    for item in equipment:
        candidates = candidates.filter(equipment=item)
    suitable, unsuitable = [], 0
    for candidate in candidates.distinct().order_by("capacity", "name"):
        report = _report(candidate, rule, expected, equipment, policy)
        if report.clashing or not any(not d.is_skipped for d in report.dates):
            unsuitable += 1
        else:
            suitable.append(candidate)
    return Preview(
        room=None, dates=[], suitable_rooms=suitable, unsuitable_rooms=unsuitable, any_room=True
    )
