"""The numbers of a report, straight from the database. Every figure is one aggregate query
grouped by what the table needs (state and cause, group, room, local weekday and hour, month),
so the number of queries does not grow with the number of groups, rooms or dates.

Definitions (the README repeats them for staff):
- held: a confirmed date that has started; still to come: confirmed, not started yet.
- booked hours: held + still to come + cancelled (every date that was in the plan).
- cancelled and declined dates count by `Occurrence.cause`; where a row has none (older rows),
  a cancelled date of a withdrawn request counts as withdrawn, anything else as "not recorded".
- participants: the sum of recorded counts of held dates; the average is per date with a count.
- occupancy: confirmed hours of a room / its opening hours (holidays and closures off).
- unmet demand: declined dates (by cause, room, time of week), requests withdrawn, requested
  dates nobody decided before they passed; alternatives taken are dates placed in another room
  or at another time than asked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import (
    Cast,
    ExtractIsoWeekDay,
    TruncMonth,
    TruncTime,
)
from django.utils import timezone

from attendance.models import BreakdownCategory
from bookings.models import Cause, Occurrence, OccurrenceState, Series, SeriesStatus
from centers.holidays import public_holidays
from centers.models import Closure, OpeningHours, Room

from . import occupancy
from .period import Period
from .scope import Scope

NOT_RECORDED = ""
DURATION = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
CONFIRMED = OccurrenceState.CONFIRMED
# Parts of the day for the time of week of unmet demand: (name, first hour, last hour + 1).
PARTS_OF_DAY = (("morning", 0, 12), ("afternoon", 12, 17), ("evening", 17, 24))


def hours(value: timedelta | None) -> float:
    return value.total_seconds() / 3600 if value else 0.0


def part_of_day(hour: int) -> str:
    return next(name for name, lo, hi in PARTS_OF_DAY if lo <= hour < hi)


@dataclass
class Outcome:
    dates: int = 0
    hours: float = 0.0

    def add(self, dates: int, duration: timedelta | None) -> None:
        self.dates += dates
        self.hours += hours(duration)


@dataclass
class GroupRow:
    name: str
    organisation: str
    center: str
    held: int
    hours_held: float
    cancelled: int
    declined: int
    participants: int
    counted: int
    volunteer_hours: Decimal


@dataclass
class RoomRow:
    room: Room
    open_hours: float
    booked_hours: float
    held_hours: float

    @property
    def share(self) -> float | None:
        return self.booked_hours / self.open_hours if self.open_hours else None


@dataclass
class UnmetRoom:
    name: str
    dates: int = 0
    hours: float = 0.0
    by_part: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class TrendRow:
    month: date
    held: int = 0
    held_before: int = 0
    participants: int = 0
    participants_before: int = 0


@dataclass
class Figures:
    scope: Scope
    period: Period
    now: datetime
    held: Outcome = field(default_factory=Outcome)
    upcoming: Outcome = field(default_factory=Outcome)
    cancelled: dict[str, Outcome] = field(default_factory=lambda: defaultdict(Outcome))
    declined: dict[str, Outcome] = field(default_factory=lambda: defaultdict(Outcome))
    undecided: Outcome = field(default_factory=Outcome)  # requested dates that have passed
    waiting: Outcome = field(default_factory=Outcome)  # requested dates still to come
    participants: int = 0
    counted: int = 0
    volunteer_hours: Decimal = Decimal(0)
    categories: list[BreakdownCategory] = field(default_factory=list)
    breakdown: dict[str, int] = field(default_factory=dict)  # by category key
    groups: list[GroupRow] = field(default_factory=list)
    rooms: list[RoomRow] = field(default_factory=list)
    heatmap: dict[tuple[int, int], float] = field(default_factory=lambda: defaultdict(float))
    opening_range: tuple[int, int] = (8, 22)
    unmet_rooms: list[UnmetRoom] = field(default_factory=list)
    unmet_times: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))
    withdrawn_requests: int = 0
    other_room: int = 0
    other_time: int = 0
    trend: list[TrendRow] = field(default_factory=list)
    room_names: dict[int, str] = field(default_factory=dict)

    @property
    def cancelled_total(self) -> Outcome:
        return _total(self.cancelled.values())

    @property
    def declined_total(self) -> Outcome:
        return _total(self.declined.values())

    @property
    def booked_hours(self) -> float:
        return self.held.hours + self.upcoming.hours + self.cancelled_total.hours

    @property
    def average(self) -> float | None:
        return self.participants / self.counted if self.counted else None


def _total(outcomes: object) -> Outcome:
    total = Outcome()
    for outcome in outcomes:  # type: ignore[attr-defined]
        total.dates += outcome.dates
        total.hours += outcome.hours
    return total


def effective_cause() -> Case:
    """The cause, or for older rows without one what their state and series still tell."""
    return Case(
        When(~Q(cause=""), then=F("cause")),
        When(
            state=OccurrenceState.CANCELLED,
            series__status=SeriesStatus.WITHDRAWN,
            then=Value(Cause.WITHDRAWN.value),
        ),
        default=Value(NOT_RECORDED),
        output_field=CharField(),
    )


def _in(period_dates: QuerySet[Occurrence], start: datetime, end: datetime) -> QuerySet:
    return period_dates.filter(starts_at__gte=start, starts_at__lt=end)


# The keys the one big query groups by: enough to derive every table of the period.
CUBE_KEYS = (
    "state",
    "why",
    "started",
    "room",
    "series",
    "weekday",
    "start",
    "end",
    "other_room",
    "other_time",
)


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def compute(scope: Scope, period: Period, *, now: datetime | None = None) -> Figures:
    """All figures of a period: one grouped query over the period's dates (a "cube" by state,
    cause, room, series, month and local time of week), one for the year before, and a few
    small ones (categories, names, rooms, opening hours, closures). Python adds up the rest."""
    now = now or timezone.now()
    tz = scope.tz
    start, end = period.bounds(tz)
    figures = Figures(scope=scope, period=period, now=now)
    figures.categories = list(
        BreakdownCategory.objects.filter(center__in=scope.centers()).order_by(
            "center", "position", "pk"
        )
    )
    dates = _in(scope.dates(), start, end)
    cube = list(
        dates.annotate(
            why=effective_cause(),
            started=_flag(Q(starts_at__lte=now)),
            weekday=ExtractIsoWeekDay("starts_at", tzinfo=tz),
            start=TruncTime("starts_at", tzinfo=tz),
            end=TruncTime("ends_at", tzinfo=tz),
            other_room=_flag(~Q(room=F("series__room"))),
            other_time=_flag(~Q(starts_at=F("original_start"))),
        )
        .values(*CUBE_KEYS)
        .annotate(
            n=Count("pk"),
            duration=Sum(DURATION),
            people=Sum("attendance__participants"),
            counted=Count("attendance__participants"),
            volunteer=Sum("attendance__volunteer_hours"),
        )
        .order_by()
    )
    _outcomes(figures, cube)
    _attendance(figures, cube, dates.filter(state=CONFIRMED, starts_at__lte=now))
    figures.groups = _groups(cube)
    _rooms(figures, cube, start, end)
    _heatmap(figures, cube)
    _unmet(figures, cube)
    _trend(figures, cube)
    return figures


def _held(row: dict) -> bool:
    return row["state"] == CONFIRMED and row["started"]


def _outcomes(figures: Figures, cube: list[dict]) -> None:
    for row in cube:
        state, n, duration = row["state"], row["n"], row["duration"]
        if state == CONFIRMED:
            (figures.held if row["started"] else figures.upcoming).add(n, duration)
        elif state == OccurrenceState.CANCELLED:
            figures.cancelled[row["why"]].add(n, duration)
        elif state == OccurrenceState.DECLINED:
            figures.declined[row["why"]].add(n, duration)
        else:
            (figures.undecided if row["started"] else figures.waiting).add(n, duration)


def _attendance(figures: Figures, cube: list[dict], held: QuerySet) -> None:
    volunteer = Decimal(0)
    for row in cube:
        if _held(row):
            figures.participants += row["people"] or 0
            figures.counted += row["counted"]
            volunteer += row["volunteer"] or 0
    figures.volunteer_hours = volunteer
    if not figures.categories:
        return
    # One sum per category over the held dates' breakdowns (apart from the cube: the JSON
    # lookups would otherwise be carried through its grouping).
    totals = held.aggregate(
        **{
            c.key: Sum(Cast(KeyTextTransform(c.key, "attendance__breakdown"), IntegerField()))
            for c in figures.categories
        }
    )
    figures.breakdown = {key: value or 0 for key, value in totals.items()}


def _groups(cube: list[dict]) -> list[GroupRow]:
    series_ids = {row["series"] for row in cube}
    names = {
        r["pk"]: r
        for r in Series.objects.filter(pk__in=series_ids).values(
            "pk",
            "group",
            "group__name",
            "group__organisation__name",
            "group__center__name",
        )
    }
    rows: dict[int, GroupRow] = {}
    for row in cube:
        info = names[row["series"]]
        group = rows.get(info["group"])
        if group is None:
            group = rows[info["group"]] = GroupRow(
                name=info["group__name"],
                organisation=info["group__organisation__name"] or "",
                center=info["group__center__name"],
                held=0,
                hours_held=0.0,
                cancelled=0,
                declined=0,
                participants=0,
                counted=0,
                volunteer_hours=Decimal(0),
            )
        if _held(row):
            group.held += row["n"]
            group.hours_held += hours(row["duration"])
            group.participants += row["people"] or 0
            group.counted += row["counted"]
            group.volunteer_hours += row["volunteer"] or 0
        elif row["state"] == OccurrenceState.CANCELLED:
            group.cancelled += row["n"]
        elif row["state"] == OccurrenceState.DECLINED:
            group.declined += row["n"]
    return sorted(rows.values(), key=lambda g: (g.name, g.center))


def _rooms(figures: Figures, cube: list[dict], start: datetime, end: datetime) -> None:
    scope = figures.scope
    booked: dict[int, float] = defaultdict(float)
    held: dict[int, float] = defaultdict(float)
    for row in cube:
        if row["state"] == CONFIRMED:
            booked[row["room"]] += hours(row["duration"])
            if row["started"]:
                held[row["room"]] += hours(row["duration"])
    if scope.center is not None or scope.filters.room is not None:
        rooms = list(scope.rooms().order_by("center__name", "name"))
    else:
        used = {row["room"] for row in cube}
        rooms = list(
            Room.objects.filter(pk__in=used)
            .select_related("center")
            .order_by("center__name", "name")
        )
    figures.room_names = {room.pk: room.name for room in rooms}
    centers = {room.center_id: room.center for room in rooms}
    periods: dict[int, list[occupancy.OpeningPeriod]] = defaultdict(list)
    for oh in OpeningHours.objects.filter(center__in=list(centers)):
        periods[oh.center_id].append(occupancy.OpeningPeriod(oh.weekday, oh.opens, oh.closes))
    closures: dict[int, list[occupancy.ClosureSpan]] = defaultdict(list)
    for closure in Closure.objects.filter(
        center__in=list(centers), starts_at__lt=end, ends_at__gt=start
    ):
        closures[closure.center_id].append(
            occupancy.ClosureSpan(closure.starts_at, closure.ends_at, closure.room_id)
        )
    days = figures.period.each_day()
    spans = {}
    for center_id, center in centers.items():
        holidays = public_holidays(center.federal_state, days[0], days[-1])
        spans[center_id] = occupancy.open_spans(days, periods[center_id], holidays, center.tz)
    opening = [(p.opens, p.closes) for ps in periods.values() for p in ps]
    if opening:
        figures.opening_range = (
            min(o.hour for o, _c in opening),
            max(c.hour + (1 if c.minute else 0) for _o, c in opening),
        )
    for room in rooms:
        figures.rooms.append(
            RoomRow(
                room=room,
                open_hours=occupancy.available_hours(
                    spans[room.center_id],
                    closures[room.center_id],
                    room_id=room.pk,
                    parent_id=room.parent_id,
                ),
                booked_hours=booked[room.pk],
                held_hours=held[room.pk],
            )
        )


def _heatmap(figures: Figures, cube: list[dict]) -> None:
    for row in cube:
        if row["state"] != CONFIRMED:
            continue
        start = row["start"].hour * 60 + row["start"].minute
        end = row["end"].hour * 60 + row["end"].minute
        for hour, share in occupancy.hour_shares(start, end).items():
            figures.heatmap[(row["weekday"] - 1, hour)] += share * row["n"]


def _unmet(figures: Figures, cube: list[dict]) -> None:
    declined = [row for row in cube if row["state"] == OccurrenceState.DECLINED]
    missing = {row["room"] for row in declined} - set(figures.room_names)
    if missing:  # a coordinator's report lists only rooms in use; declines may name others
        figures.room_names.update(Room.objects.filter(pk__in=missing).values_list("pk", "name"))
    by_room: dict[int, UnmetRoom] = {}
    for row in declined:
        room = by_room.setdefault(row["room"], UnmetRoom(name=figures.room_names[row["room"]]))
        room.dates += row["n"]
        room.hours += hours(row["duration"])
        part = part_of_day(row["start"].hour)
        room.by_part[part] += row["n"]
        figures.unmet_times[(row["weekday"] - 1, part)] += row["n"]
    figures.unmet_rooms = sorted(by_room.values(), key=lambda r: r.name)
    withdrawn = set()
    for row in cube:
        if row["state"] == OccurrenceState.CANCELLED and row["why"] == Cause.WITHDRAWN:
            withdrawn.add(row["series"])
        if row["state"] == CONFIRMED and row["other_room"]:
            figures.other_room += row["n"]
        elif row["state"] == CONFIRMED and row["other_time"]:
            figures.other_time += row["n"]
    figures.withdrawn_requests = len(withdrawn)


def _month_of(value: date | datetime, tz: object) -> date:
    if isinstance(value, datetime):
        value = value.astimezone(tz).date()  # type: ignore[arg-type]
    return value.replace(day=1)


def _trend(figures: Figures, cube: list[dict]) -> None:
    """Held dates and people by month, against the same months a year before (one query)."""
    scope, tz = figures.scope, figures.scope.tz
    start, end = figures.period.bounds(tz)
    before_start, before_end = figures.period.previous_year().bounds(tz)
    rows = (
        scope.dates()
        .filter(state=CONFIRMED, starts_at__lte=figures.now)
        .filter(
            Q(starts_at__gte=start, starts_at__lt=end)
            | Q(starts_at__gte=before_start, starts_at__lt=before_end)
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=tz, output_field=DateField()))
        .values("month")
        .annotate(n=Count("pk"), people=Sum("attendance__participants"))
        .order_by()
    )
    found = {_month_of(r["month"], tz): (r["n"], r["people"] or 0) for r in rows}
    for month in figures.period.months():
        held_now, people_now = found.get(month, (0, 0))
        held_before, people_before = found.get(month.replace(year=month.year - 1), (0, 0))
        figures.trend.append(TrendRow(month, held_now, held_before, people_now, people_before))
