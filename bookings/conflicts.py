"""What clashes with a list of candidate slots — one call, a constant number of queries.

CONTRACT (implemented by the conflicts work; other modules rely on these names):

    check(*, room, slots, expected_participants=1, equipment=(), ignore_series_id=None)
        -> ConflictReport

Hard issues (the date cannot be confirmed as it is): a confirmed booking of the same room unit
overlapping the buffered range (including a divisible room's whole/parts), a closure of the
center or the room, a public holiday of the center's state, the room not bookable.
Soft issues (staff may still confirm): a competing pending request, outside opening hours,
capacity below the expected size, missing equipment.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.db import connection, models
from django.db.models import Q
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from centers.holidays import public_holidays
from centers.models import Center, Closure, Equipment, OpeningHours, Room
from groups.models import Group

from .models import Occurrence, OccurrenceState, RoomBlock, Series
from .recurrence import Slot


class Severity(models.TextChoices):
    HARD = "hard", _("clash")
    SOFT = "soft", _("warning")


class IssueKind(models.TextChoices):
    BOOKED = "booked", _("already booked")
    PENDING = "pending", _("competing request")
    CLOSURE = "closure", _("closed")
    HOLIDAY = "holiday", _("public holiday")
    NOT_BOOKABLE = "not_bookable", _("room not bookable")
    OUTSIDE_HOURS = "outside_hours", _("outside opening hours")
    CAPACITY = "capacity", _("room too small")
    EQUIPMENT = "equipment", _("equipment missing")


@dataclass(frozen=True)
class Issue:
    kind: str  # IssueKind
    severity: str  # Severity
    message: str  # translated, ready to show: "clashes with Kochgruppe Zukunft in Küche"
    occurrence_id: int | None = None  # the clashing/competing occurrence, if any
    series_id: int | None = None
    group_name: str = ""
    room_name: str = ""


@dataclass
class DateReport:
    slot: Slot
    issues: list[Issue] = field(default_factory=list)

    @property
    def hard(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == Severity.HARD]

    @property
    def soft(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == Severity.SOFT]

    @property
    def is_free(self) -> bool:
        return not self.hard


@dataclass
class ConflictReport:
    dates: list[DateReport]

    @property
    def has_hard_issues(self) -> bool:
        return any(d.hard for d in self.dates)

    @property
    def clashing(self) -> list[DateReport]:
        return [d for d in self.dates if d.hard]

    @property
    def free(self) -> list[DateReport]:
        return [d for d in self.dates if d.is_free]


# --- plain data the pure core works on ----------------------------------------------------------

Span = tuple[datetime, datetime]  # half-open [start, end), aware
Hours = dict[int, list[tuple[time, time]]]  # weekday -> opening periods; empty = always open


@dataclass(frozen=True)
class Busy:
    """Someone else's hold on a room unit: a confirmed block or a pending date, buffered."""

    starts_at: datetime
    ends_at: datetime
    occurrence_id: int
    series_id: int
    group_name: str
    room_name: str


@dataclass(frozen=True)
class ClosureSpan:
    starts_at: datetime
    ends_at: datetime
    reason: str


@dataclass(frozen=True)
class RoomFacts:
    """What classification needs to know about the candidate room."""

    name: str
    capacity: int
    bookable: bool = True
    setup_minutes: int = 0
    cleanup_minutes: int = 0


@dataclass
class Context:
    """Everything `classify` needs, fetched once for a whole series."""

    room: RoomFacts
    tz: tzinfo
    blocks: list[Busy] = field(default_factory=list)
    pending: list[Busy] = field(default_factory=list)
    closures: list[ClosureSpan] = field(default_factory=list)
    holidays: dict[date, str] = field(default_factory=dict)
    hours: Hours = field(default_factory=dict)
    missing_equipment: list[str] = field(default_factory=list)
    expected_participants: int = 1


# --- pure core -----------------------------------------------------------------------------------


def buffered(slot: Span, setup_minutes: int, cleanup_minutes: int) -> Span:
    """The range a booking holds its room: widened by the room's setup and cleanup buffers."""
    start, end = slot
    return start - timedelta(minutes=setup_minutes), end + timedelta(minutes=cleanup_minutes)


def overlapping(ranges: Sequence[Span], spans: Sequence[Span]) -> list[list[int]]:
    """For each range, the indexes of the spans that overlap it (half-open: touching is free).

    Sort + sweep with a heap of active spans by end, so 52 ranges against 20,000 spans costs
    O((n + m) log n) plus the matches, not n·m comparisons.
    """
    order = sorted(range(len(spans)), key=lambda j: spans[j][0])
    result: list[list[int]] = [[] for _ in ranges]
    active: list[tuple[datetime, int]] = []
    k = 0
    for i in sorted(range(len(ranges)), key=lambda i: ranges[i][0]):
        start, end = ranges[i]
        while k < len(order) and spans[order[k]][0] < end:
            heapq.heappush(active, (spans[order[k]][1], order[k]))
            k += 1
        # Ranges come by start, so a span ending before this one starts is done for good.
        while active and active[0][0] <= start:
            heapq.heappop(active)
        # A span pushed for an earlier, longer range may start after this one ends.
        result[i] = sorted(j for _end, j in active if spans[j][0] < end)
    return result


def within_hours(slot: Span, tz: tzinfo, hours: Hours) -> bool:
    """Whether the slot lies, in local time, fully inside one opening period of its weekday."""
    if not hours:
        return True  # a center without opening hours is always open
    start, end = slot[0].astimezone(tz), slot[1].astimezone(tz)
    if start.date() != end.date():
        return False
    return any(
        opens <= start.time() and end.time() <= closes
        for opens, closes in hours.get(start.weekday(), ())
    )


def _busy_issue(kind: str, busy: Busy, template: str) -> Issue:
    hard = kind == IssueKind.BOOKED
    return Issue(
        kind=kind,
        severity=Severity.HARD if hard else Severity.SOFT,
        message=template % {"group": busy.group_name, "room": busy.room_name},
        occurrence_id=busy.occurrence_id,
        series_id=busy.series_id,
        group_name=busy.group_name,
        room_name=busy.room_name,
    )


def _busy_issues(
    kind: str,
    busy: Sequence[Busy],
    matches: list[int],
    template: str,
    cache: dict[tuple[str, int], Issue],
) -> list[Issue]:
    """One issue per other occurrence (a whole room holds one block per part), by start."""
    issues: list[Issue] = []
    seen: set[int] = set()
    for j in sorted(matches, key=lambda j: (busy[j].starts_at, busy[j].occurrence_id)):
        other = busy[j]
        if other.occurrence_id in seen:
            continue
        seen.add(other.occurrence_id)
        # Issues are immutable: one per occurrence, shared by every date it clashes with.
        key = (kind, other.occurrence_id)
        if key not in cache:
            cache[key] = _busy_issue(kind, other, template)
        issues.append(cache[key])
    return issues


def classify(slots: Sequence[Slot], ctx: Context) -> ConflictReport:
    """Issues per slot, in the order given; no database access."""
    room = ctx.room
    spans = [(s.starts_at, s.ends_at) for s in slots]
    held = [buffered(span, room.setup_minutes, room.cleanup_minutes) for span in spans]
    booked = overlapping(held, [(b.starts_at, b.ends_at) for b in ctx.blocks])
    competing = overlapping(held, [(p.starts_at, p.ends_at) for p in ctx.pending])
    closed = overlapping(spans, [(c.starts_at, c.ends_at) for c in ctx.closures])
    # Translate each message once per call, not once per date (gettext is not free).
    clashes_with = gettext("clashes with %(group)s in %(room)s")
    competes_with = gettext("competing request by %(group)s for %(room)s")
    closed_for = gettext("closed: %(reason)s")
    holiday_is = gettext("public holiday: %(name)s")
    outside = Issue(IssueKind.OUTSIDE_HOURS, Severity.SOFT, gettext("outside the opening hours"))

    # Issues that do not depend on the date: build them once.
    fixed: list[Issue] = []
    if not room.bookable:
        message = gettext("%(room)s cannot be booked online.") % {"room": room.name}
        fixed.append(Issue(IssueKind.NOT_BOOKABLE, Severity.HARD, message, room_name=room.name))
    if room.capacity < ctx.expected_participants:
        message = gettext("%(room)s holds %(capacity)s people, %(expected)s are expected.") % {
            "room": room.name,
            "capacity": room.capacity,
            "expected": ctx.expected_participants,
        }
        fixed.append(Issue(IssueKind.CAPACITY, Severity.SOFT, message, room_name=room.name))
    if ctx.missing_equipment:
        message = gettext("%(room)s has no %(equipment)s.") % {
            "room": room.name,
            "equipment": ", ".join(ctx.missing_equipment),
        }
        fixed.append(Issue(IssueKind.EQUIPMENT, Severity.SOFT, message, room_name=room.name))

    cache: dict[tuple[str, int], Issue] = {}
    dates: list[DateReport] = []
    for i, slot in enumerate(slots):
        issues = (
            _busy_issues(IssueKind.BOOKED, ctx.blocks, booked[i], clashes_with, cache)
            if booked[i]
            else []
        )
        for j in closed[i]:
            message = closed_for % {"reason": ctx.closures[j].reason}
            issues.append(Issue(IssueKind.CLOSURE, Severity.HARD, message))
        holiday = ctx.holidays.get(slot.starts_at.astimezone(ctx.tz).date())
        if holiday:
            message = holiday_is % {"name": holiday}
            issues.append(Issue(IssueKind.HOLIDAY, Severity.HARD, message))
        issues.extend(fixed)
        if competing[i]:
            issues += _busy_issues(
                IssueKind.PENDING, ctx.pending, competing[i], competes_with, cache
            )
        if not within_hours(spans[i], ctx.tz, ctx.hours):
            issues.append(outside)
        dates.append(DateReport(slot=slot, issues=issues))
    return ConflictReport(dates=dates)


# --- fetching: a constant number of queries for any number of slots ---------------------------

# A confirmed date lies within one local day (a series has start_time < end_time; moves keep a
# date's day), so a block spans at most 25 hours (a DST night) plus its room's buffers. This
# lower bound lets the (room, starts_at, ends_at) index answer "what overlaps [s, e)" with a
# short range scan per date, however long the booking history grows.
MAX_DATE_SPAN = timedelta(days=2)


@dataclass(frozen=True)
class _Query:
    """The question `check` asks the database, in plain values."""

    room: Room
    slots: Sequence[Slot]
    held: Sequence[Span]  # the slots widened by the room's buffers
    equipment: Sequence[int]
    ignore_series_id: int | None

    @property
    def first(self) -> datetime:
        return min(s.starts_at for s in self.slots)

    @property
    def last(self) -> datetime:
        return max(s.ends_at for s in self.slots)


def _equipment_name(name: str, name_en: str) -> str:
    return str(Equipment(name=name, name_en=name_en))


def _fetch_postgresql(q: _Query) -> dict[str, list[tuple]]:
    """Everything in one statement: one round trip, whatever the number of dates.

    Each (unit, date) pair is one short range scan of the (room, starts_at, ends_at) index, run
    from a LATERAL subquery; OFFSET 0 stops the planner from flattening it into a hash join
    over the whole table. The statement is the same for 1 or 1,000 dates (arrays, not OR-ed
    ranges, which took longer to plan than to run).
    """
    room = Room._meta.db_table
    sql = f"""
    WITH rel AS (
        SELECT id, parent_id, setup_minutes, cleanup_minutes FROM {room}
        WHERE id = %(room)s OR parent_id = %(room)s OR id = %(parent)s
    ), units AS (
        SELECT id FROM rel WHERE id = %(room)s OR parent_id = %(room)s
    ), lim AS (
        SELECT %(span)s + make_interval(mins => max(setup_minutes + cleanup_minutes)) AS reach,
               make_interval(mins => max(greatest(setup_minutes, cleanup_minutes))) AS margin
        FROM rel
    ), c AS (
        SELECT * FROM unnest(%(starts)s::timestamptz[], %(ends)s::timestamptz[]) AS c(s, e)
    )
    SELECT 'block', b.starts_at, b.ends_at, b.occurrence_id, o.series_id, g.name, r.name,
           NULL::int, NULL::int
    FROM units u CROSS JOIN c CROSS JOIN lim CROSS JOIN LATERAL (
        SELECT occurrence_id, starts_at, ends_at FROM {RoomBlock._meta.db_table}
        WHERE room_id = u.id AND starts_at < c.e AND starts_at > c.s - lim.reach
          AND ends_at > c.s
        OFFSET 0
    ) b
    JOIN {Occurrence._meta.db_table} o ON o.id = b.occurrence_id
    JOIN {Series._meta.db_table} s ON s.id = o.series_id
    JOIN {Group._meta.db_table} g ON g.id = s.group_id
    JOIN {room} r ON r.id = o.room_id
    WHERE o.series_id <> %(ignore)s
    UNION ALL
    SELECT 'pending', o.starts_at, o.ends_at, o.id, o.series_id, g.name, r.name,
           r.setup_minutes, r.cleanup_minutes
    FROM rel CROSS JOIN c CROSS JOIN lim CROSS JOIN LATERAL (
        SELECT id, series_id, room_id, starts_at, ends_at FROM {Occurrence._meta.db_table}
        WHERE room_id = rel.id AND state = %(requested)s
          AND starts_at < c.e + lim.margin AND starts_at > c.s - lim.margin - lim.reach
          AND ends_at > c.s - lim.margin AND series_id <> %(ignore)s
        OFFSET 0
    ) o
    JOIN {Series._meta.db_table} s ON s.id = o.series_id
    JOIN {Group._meta.db_table} g ON g.id = s.group_id
    JOIN {room} r ON r.id = o.room_id
    UNION ALL
    SELECT 'closure', starts_at, ends_at, NULL, NULL, reason, NULL, NULL, NULL
    FROM {Closure._meta.db_table}
    WHERE center_id = %(center)s AND (room_id IS NULL OR room_id IN (SELECT id FROM rel))
      AND starts_at < %(last)s AND ends_at > %(first)s
    UNION ALL
    SELECT 'hours', NULL, NULL, NULL, NULL, opens::text, closes::text, weekday, NULL
    FROM {OpeningHours._meta.db_table} WHERE center_id = %(center)s
    UNION ALL
    SELECT 'center', NULL, NULL, NULL, NULL, time_zone, federal_state, NULL, NULL
    FROM {Center._meta.db_table} WHERE id = %(center)s
    UNION ALL
    SELECT 'equipment', NULL, NULL, NULL, NULL, name, name_en, NULL, NULL
    FROM {Equipment._meta.db_table} e
    WHERE e.id = ANY(%(equipment)s::bigint[]) AND NOT EXISTS (
        SELECT 1 FROM {Room.equipment.through._meta.db_table} re
        WHERE re.room_id = %(room)s AND re.equipment_id = e.id
    )
    """
    params = {
        "room": q.room.pk,
        "parent": q.room.parent_id or -1,
        "center": q.room.center_id,
        "span": MAX_DATE_SPAN,
        "starts": [h[0] for h in q.held],
        "ends": [h[1] for h in q.held],
        "first": q.first,
        "last": q.last,
        "ignore": -1 if q.ignore_series_id is None else q.ignore_series_id,
        "requested": OccurrenceState.REQUESTED.value,
        "equipment": list(q.equipment),
    }
    rows: dict[str, list[tuple]] = {
        "block": [],
        "pending": [],
        "closure": [],
        "hours": [],
        "center": [],
        "equipment": [],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, *values in cursor.fetchall():
            rows[kind].append(tuple(values))
    return {
        "block": [r[:6] for r in rows["block"]],
        "pending": rows["pending"],
        "closure": [(r[0], r[1], r[4]) for r in rows["closure"]],
        "hours": [
            (r[6], time.fromisoformat(r[4]), time.fromisoformat(r[5])) for r in rows["hours"]
        ],
        "center": [(r[4], r[5]) for r in rows["center"]],
        "equipment": [(r[4], r[5]) for r in rows["equipment"]],
    }


# SQLite refuses expressions nested deeper than 1,000; an OR of ranges nests one level each.
MAX_WINDOWS = 200


def _windows(ranges: Sequence[Span]) -> list[Span]:
    """The ranges sorted, with neighbours merged until there are at most MAX_WINDOWS."""
    ordered = sorted(ranges)
    size = -(-len(ordered) // MAX_WINDOWS)  # ranges per window, rounded up
    return [
        (ordered[i][0], max(r[1] for r in ordered[i : i + size]))
        for i in range(0, len(ordered), size)
    ]


def _fetch_orm(q: _Query) -> dict[str, list[tuple]]:
    """The same rows as `_fetch_postgresql` through the ORM: five or six small queries (SQLite
    runs in process, so a query costs no round trip there)."""
    room = q.room
    related = list(
        Room.objects.filter(Q(pk=room.pk) | Q(parent_id=room.pk) | Q(pk=room.parent_id))
        .order_by()
        .values_list(
            "pk",
            "parent_id",
            "setup_minutes",
            "cleanup_minutes",
            "center__time_zone",
            "center__federal_state",
        )
    )
    units = [r[0] for r in related if r[0] == room.pk or r[1] == room.pk]
    reach = MAX_DATE_SPAN + timedelta(minutes=max(r[2] + r[3] for r in related))
    margin = timedelta(minutes=max(max(r[2], r[3]) for r in related))
    first = min(h[0] for h in q.held)
    last = max(h[1] for h in q.held)
    # One short index range per window of dates; the sweep in `classify` keeps what overlaps.
    # The room goes into every branch so that SQLite answers each from the
    # (room, starts_at, ends_at) index instead of reading all of the room's blocks.
    overlap = Q()
    for start, end in _windows(q.held):
        overlap |= Q(
            room_id__in=units, starts_at__lt=end, starts_at__gt=start - reach, ends_at__gt=start
        )
    blocks = RoomBlock.objects.filter(overlap).exclude(
        occurrence__series_id=q.ignore_series_id or -1
    )
    pending = Occurrence.objects.filter(
        room_id__in=[r[0] for r in related],
        state=OccurrenceState.REQUESTED,
        starts_at__lt=last + margin,
        starts_at__gt=first - margin - reach,
        ends_at__gt=first - margin,
    ).exclude(series_id=q.ignore_series_id or -1)
    closures = Closure.objects.filter(
        Q(room__isnull=True) | Q(room_id__in=[r[0] for r in related]),
        center_id=room.center_id,
        starts_at__lt=q.last,
        ends_at__gt=q.first,
    )
    equipment = (
        Equipment.objects.filter(pk__in=q.equipment).exclude(rooms=room.pk) if q.equipment else []
    )
    return {
        "block": list(
            blocks.order_by().values_list(
                "starts_at",
                "ends_at",
                "occurrence_id",
                "occurrence__series_id",
                "occurrence__series__group__name",
                "occurrence__room__name",
            )
        ),
        "pending": list(
            pending.order_by().values_list(
                "starts_at",
                "ends_at",
                "pk",
                "series_id",
                "series__group__name",
                "room__name",
                "room__setup_minutes",
                "room__cleanup_minutes",
            )
        ),
        "closure": list(closures.order_by().values_list("starts_at", "ends_at", "reason")),
        "hours": list(
            OpeningHours.objects.filter(center_id=room.center_id)
            .order_by()
            .values_list("weekday", "opens", "closes")
        ),
        "center": [r[4:] for r in related if r[0] == room.pk],
        "equipment": [(e.name, e.name_en) for e in equipment],
    }


def _equipment_ids(items: Iterable[Equipment | int]) -> list[int]:
    return [item if isinstance(item, int) else item.pk for item in items]


def load_context(
    *,
    room: Room,
    slots: Sequence[Slot],
    expected_participants: int = 1,
    equipment: Iterable[Equipment | int] = (),
    ignore_series_id: int | None = None,
) -> Context:
    """Fetch what `classify` needs: one query on PostgreSQL, five (six with equipment) else."""
    facts = RoomFacts(
        name=room.name,
        capacity=room.capacity,
        bookable=room.bookable,
        setup_minutes=room.setup_minutes,
        cleanup_minutes=room.cleanup_minutes,
    )
    held = [
        buffered((s.starts_at, s.ends_at), facts.setup_minutes, facts.cleanup_minutes)
        for s in slots
    ]
    if not slots:
        return Context(room=facts, tz=ZoneInfo(room.center.time_zone))
    query = _Query(room, slots, held, _equipment_ids(equipment), ignore_series_id)
    fetch = _fetch_postgresql if connection.vendor == "postgresql" else _fetch_orm
    rows = fetch(query)

    ((time_zone, state),) = rows["center"]
    tz = ZoneInfo(time_zone)
    # A pending date holds its own room's buffers; blocks were stored with them already.
    pending = {
        row[2]: Busy(
            row[0] - timedelta(minutes=row[6]), row[1] + timedelta(minutes=row[7]), *row[2:6]
        )
        for row in rows["pending"]
    }
    blocks = {(row[2], row[0]): Busy(*row) for row in rows["block"]}
    hours: Hours = {}
    for weekday, opens, closes in rows["hours"]:
        hours.setdefault(weekday, []).append((opens, closes))
    return Context(
        room=facts,
        tz=tz,
        blocks=list(blocks.values()),
        pending=list(pending.values()),
        closures=[ClosureSpan(*row) for row in rows["closure"]],
        holidays=public_holidays(
            state,
            query.first.astimezone(tz).date(),
            query.last.astimezone(tz).date(),
            language=get_language() or "de",
        ),
        hours=hours,
        missing_equipment=sorted(_equipment_name(*row) for row in rows["equipment"]),
        expected_participants=expected_participants,
    )


def check(
    *,
    room: Room,
    slots: Sequence[Slot],
    expected_participants: int = 1,
    equipment: Iterable[Equipment | int] = (),
    ignore_series_id: int | None = None,
) -> ConflictReport:
    """What clashes with each of `slots` in `room`, date by date, in the order given."""
    slots = list(slots)
    ctx = load_context(
        room=room,
        slots=slots,
        expected_participants=expected_participants,
        equipment=equipment,
        ignore_series_id=ignore_series_id,
    )
    return classify(slots, ctx)
