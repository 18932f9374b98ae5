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
    ExtractHour,
    ExtractIsoWeekDay,
    ExtractMinute,
    TruncMonth,
)
from django.utils import timezone

from attendance.models import BreakdownCategory
from bookings.models import Cause, Occurrence, OccurrenceState, SeriesStatus
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


def compute(scope: Scope, period: Period, *, now: datetime | None = None) -> Figures:
    now = now or timezone.now()
    tz = scope.tz
    start, end = period.bounds(tz)
    figures = Figures(scope=scope, period=period, now=now)
    dates = _in(scope.dates(), start, end)
    held = Q(state=CONFIRMED, starts_at__lte=now)

    _outcomes(figures, dates, now)
    _attendance(figures, dates.filter(held))
    figures.groups = _groups(dates, held)
    _rooms(figures, dates, held, start, end)
    _heatmap(figures, dates.filter(state=CONFIRMED))
    _unmet(figures, dates)
    _trend(figures, scope, held)
    return figures


def _outcomes(figures: Figures, dates: QuerySet, now: datetime) -> None:
    rows = (
        dates.annotate(
            why=effective_cause(),
            started=Case(
                When(starts_at__lte=now, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .values("state", "why", "started")
        .annotate(n=Count("pk"), duration=Sum(DURATION))
        .order_by()
    )
    for row in rows:
        state, n, duration = row["state"], row["n"], row["duration"]
        if state == CONFIRMED:
            (figures.held if row["started"] else figures.upcoming).add(n, duration)
        elif state == OccurrenceState.CANCELLED:
            figures.cancelled[row["why"]].add(n, duration)
        elif state == OccurrenceState.DECLINED:
            figures.declined[row["why"]].add(n, duration)
        else:
            (figures.undecided if row["started"] else figures.waiting).add(n, duration)


def _attendance(figures: Figures, held: QuerySet) -> None:
    figures.categories = list(
        BreakdownCategory.objects.filter(center__in=figures.scope.centers()).order_by(
            "center", "position", "pk"
        )
    )
    per_category = {
        c.key: Sum(Cast(KeyTextTransform(c.key, "attendance__breakdown"), IntegerField()))
        for c in figures.categories
    }
    totals = held.aggregate(
        participants=Sum("attendance__participants"),
        counted=Count("attendance__participants"),
        volunteer=Sum("attendance__volunteer_hours"),
        **per_category,
    )
    figures.participants = totals["participants"] or 0
    figures.counted = totals["counted"]
    figures.volunteer_hours = totals["volunteer"] or Decimal(0)
    figures.breakdown = {key: totals[key] or 0 for key in per_category}


def _groups(dates: QuerySet, held: Q) -> list[GroupRow]:
    rows = (
        dates.values(
            "series__group",
            "series__group__name",
            "series__group__organisation__name",
            "series__group__center__name",
        )
        .annotate(
            held=Count("pk", filter=held),
            hours_held=Sum(DURATION, filter=held),
            cancelled=Count("pk", filter=Q(state=OccurrenceState.CANCELLED)),
            declined=Count("pk", filter=Q(state=OccurrenceState.DECLINED)),
            participants=Sum("attendance__participants", filter=held),
            counted=Count("attendance__participants", filter=held),
            volunteer=Sum("attendance__volunteer_hours", filter=held),
        )
        .order_by("series__group__name", "series__group")
    )
    return [
        GroupRow(
            name=r["series__group__name"],
            organisation=r["series__group__organisation__name"] or "",
            center=r["series__group__center__name"],
            held=r["held"],
            hours_held=hours(r["hours_held"]),
            cancelled=r["cancelled"],
            declined=r["declined"],
            participants=r["participants"] or 0,
            counted=r["counted"],
            volunteer_hours=r["volunteer"] or Decimal(0),
        )
        for r in rows
    ]


def _rooms(figures: Figures, dates: QuerySet, held: Q, start: datetime, end: datetime) -> None:
    scope = figures.scope
    if scope.center is not None or scope.filters.room is not None:
        rooms = list(scope.rooms().order_by("center__name", "name"))
    else:
        rooms = list(
            Room.objects.filter(pk__in=dates.values("room"))
            .select_related("center")
            .order_by("center__name", "name")
        )
    use = {
        r["room"]: r
        for r in dates.filter(state=CONFIRMED)
        .values("room")
        .annotate(booked=Sum(DURATION), held=Sum(DURATION, filter=held))
        .order_by()
    }
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
    opening = [pair for ps in periods.values() for pair in ((p.opens, p.closes) for p in ps)]
    if opening:
        figures.opening_range = (
            min(o.hour for o, _c in opening),
            max(c.hour + (1 if c.minute else 0) for _o, c in opening),
        )
    for room in rooms:
        row = use.get(room.pk, {})
        figures.rooms.append(
            RoomRow(
                room=room,
                open_hours=occupancy.available_hours(
                    spans[room.center_id],
                    closures[room.center_id],
                    room_id=room.pk,
                    parent_id=room.parent_id,
                ),
                booked_hours=hours(row.get("booked")),
                held_hours=hours(row.get("held")),
            )
        )


def _local_parts(tz: object) -> dict[str, object]:
    return {
        "weekday": ExtractIsoWeekDay("starts_at", tzinfo=tz),
        "start_hour": ExtractHour("starts_at", tzinfo=tz),
        "start_minute": ExtractMinute("starts_at", tzinfo=tz),
    }


def _heatmap(figures: Figures, confirmed: QuerySet) -> None:
    tz = figures.scope.tz
    rows = (
        confirmed.annotate(
            **_local_parts(tz),
            end_hour=ExtractHour("ends_at", tzinfo=tz),
            end_minute=ExtractMinute("ends_at", tzinfo=tz),
        )
        .values("weekday", "start_hour", "start_minute", "end_hour", "end_minute")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        start = row["start_hour"] * 60 + row["start_minute"]
        end = row["end_hour"] * 60 + row["end_minute"]
        for hour, share in occupancy.hour_shares(start, end).items():
            figures.heatmap[(row["weekday"] - 1, hour)] += share * row["n"]


def _unmet(figures: Figures, dates: QuerySet) -> None:
    tz = figures.scope.tz
    rows = (
        dates.filter(state=OccurrenceState.DECLINED)
        .annotate(why=effective_cause(), **_local_parts(tz))
        .values("room", "room__name", "weekday", "start_hour")
        .annotate(n=Count("pk"), duration=Sum(DURATION))
        .order_by("room__name", "room")
    )
    by_room: dict[int, UnmetRoom] = {}
    for row in rows:
        room = by_room.setdefault(row["room"], UnmetRoom(name=row["room__name"]))
        room.dates += row["n"]
        room.hours += hours(row["duration"])
        part = part_of_day(row["start_hour"])
        room.by_part[part] += row["n"]
        figures.unmet_times[(row["weekday"] - 1, part)] += row["n"]
    figures.unmet_rooms = list(by_room.values())
    withdrawn = Q(state=OccurrenceState.CANCELLED) & (
        Q(cause=Cause.WITHDRAWN) | Q(cause="", series__status=SeriesStatus.WITHDRAWN)
    )
    moved_room = ~Q(room=F("series__room"))
    moved_time = Q(room=F("series__room")) & ~Q(starts_at=F("original_start"))
    totals = dates.aggregate(
        withdrawn=Count("series", filter=withdrawn, distinct=True),
        other_room=Count("pk", filter=Q(state=CONFIRMED) & moved_room),
        other_time=Count("pk", filter=Q(state=CONFIRMED) & moved_time),
    )
    figures.withdrawn_requests = totals["withdrawn"]
    figures.other_room = totals["other_room"]
    figures.other_time = totals["other_time"]


def _trend(figures: Figures, scope: Scope, held: Q) -> None:
    tz = scope.tz
    start, end = figures.period.bounds(tz)
    before_start, before_end = figures.period.previous_year().bounds(tz)
    rows = (
        scope.dates()
        .filter(held)
        .filter(
            Q(starts_at__gte=start, starts_at__lt=end)
            | Q(starts_at__gte=before_start, starts_at__lt=before_end)
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"), people=Sum("attendance__participants"))
        .order_by()
    )
    found = {}
    for row in rows:
        month = row["month"]
        month = month.astimezone(tz).date() if isinstance(month, datetime) else month
        found[month.replace(day=1)] = (row["n"], row["people"] or 0)
    for month in figures.period.months():
        before = month.replace(year=month.year - 1)
        now_n, now_p = found.get(month, (0, 0))
        before_n, before_p = found.get(before, (0, 0))
        figures.trend.append(TrendRow(month, now_n, before_n, now_p, before_p))
