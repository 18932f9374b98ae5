"""Reads of the planning pages: the series of the ending term, and every wish of a round with its
conflict report against the next term's holidays, closures, bookings and the other wishes.

The reports come from the one conflict core (`bookings.conflicts`): the center's facts for the
whole term are fetched once (`load_center_facts`, a fixed number of queries however many
series), and each wish is classified under its own holiday policy with the other wishes as
competing requests. So the page says what the allocation will find.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from bookings import conflicts
from bookings.conflicts import Busy, ConflictReport, DateReport, Issue, IssueKind, Verdict
from bookings.conflicts.window import context_for, load_center_facts
from bookings.models import Frequency, Occurrence, OccurrenceState, Series, SeriesStatus
from bookings.policy import HolidayPolicy
from bookings.recurrence import expand, localize
from bookings.rule_text import rule_text
from centers.models import Center, Equipment, Room, Term

from .. import priorities
from ..models import Round, Wish

RUNNING = (SeriesStatus.CONFIRMED, SeriesStatus.PARTLY_CONFIRMED)
ACTIVE_DATES = (OccurrenceState.REQUESTED, OccurrenceState.CONFIRMED)


# --- the ending term -------------------------------------------------------------------------


def day_bounds(center: Center, first: date, last: date) -> tuple[datetime, datetime]:
    """Aware bounds of the local days first..last (inclusive)."""
    tz = center.tz
    return (
        localize(datetime.combine(first, time.min), tz),
        localize(datetime.combine(last + timedelta(days=1), time.min), tz),
    )


def ending_series(center: Center, previous_term: Term | None, term: Term) -> QuerySet[Series]:
    """Running series with dates in the ending term that do not already cover the next term:
    the ones a planning round proposes to continue. Open-ended series simply run on."""
    if previous_term is None:
        return Series.objects.none()
    start, end = day_bounds(center, previous_term.first_day, previous_term.last_day)
    dates_in_term = Occurrence.objects.filter(
        series=OuterRef("pk"), state__in=ACTIVE_DATES, starts_at__gte=start, starts_at__lt=end
    )
    # The same meeting already carried on by a later series of the group (an edit "from a date
    # on", or a new series for the same slot): only the later one is the group's to continue.
    carried_on = Series.objects.filter(
        group=OuterRef("group"),
        room=OuterRef("room"),
        frequency=OuterRef("frequency"),
        interval=OuterRef("interval"),
        weekdays=OuterRef("weekdays"),
        start_time=OuterRef("start_time"),
        end_time=OuterRef("end_time"),
        status__in=RUNNING,
        start_date__gt=OuterRef("until"),
    )
    return (
        Series.objects.filter(group__center=center, status__in=RUNNING)
        .exclude(frequency=Frequency.ONCE)
        .exclude(until__isnull=True, count__isnull=True)
        .exclude(until__gte=term.last_day)
        .exclude(term=term)
        .filter(Exists(dates_in_term))
        .exclude(Exists(carried_on))
        .select_related("group", "room")
        .prefetch_related("equipment_needed")
        .order_by("group__name", "start_time", "pk")
    )


def term_window(round: Round) -> tuple[date, date]:
    """The days a wish asks for: the term, from tomorrow on if it has begun."""
    today = timezone.now().astimezone(round.center.tz).date()
    return max(round.term.first_day, today + timedelta(days=1)), round.term.last_day


# --- reports ---------------------------------------------------------------------------------


@dataclass
class WishReport:
    """A wish with what stands in the way of each of its dates in the term."""

    wish: Wish
    report: ConflictReport
    when: str  # the rule in words
    order: int = 0  # its place in the allocation order (1 = first)
    competitors: list[int] = field(default_factory=list)  # ids of wishes it competes with

    @cached_property
    def dates(self) -> list[DateReport]:
        return self.report.dates

    @cached_property
    def skipped(self) -> list[DateReport]:
        return self.report.skipped

    @cached_property
    def skipped_reasons(self) -> list[tuple[str, int]]:
        """("Osterferien NRW 2027", 2), … — why dates drop out, with how many."""
        counted = Counter(
            issue.detail or issue.message for d in self.report.skipped for issue in d.skipped
        )
        return sorted(counted.items())

    @cached_property
    def clashing(self) -> list[DateReport]:
        """Dates that cannot take place as wished (a booking, the room's size, the past)."""
        return [d for d in self.report.dates if d.verdict == Verdict.REFUSED]

    @cached_property
    def competing(self) -> list[DateReport]:
        """Dates another wish of the round wants too (allocation order decides)."""
        return [d for d in self.report.dates if not d.is_skipped and _competing(d.issues)]

    @cached_property
    def for_staff(self) -> list[DateReport]:
        """Other things staff decide on (outside the opening hours, equipment, requests)."""
        return [
            d
            for d in self.report.dates
            if d.verdict == Verdict.STAFF and d.soft and not _competing(d.issues)
        ]

    @cached_property
    def staff_notes(self) -> list[str]:
        """What staff decide on, each message once (outside the hours, equipment, …)."""
        return sorted({i.message for d in self.for_staff for i in d.soft})

    @cached_property
    def takes_place(self) -> list[DateReport]:
        return [d for d in self.report.dates if not d.is_skipped]

    @cached_property
    def clashes_with(self) -> list[str]:
        """Who the clashing and competing dates clash with, by name."""
        names = {
            issue.group_name
            for d in self.report.dates
            if not d.is_skipped
            for issue in d.issues
            if issue.kind in (IssueKind.BOOKED, IssueKind.PENDING) and issue.group_name
        }
        return sorted(names)

    @cached_property
    def fits(self) -> bool:
        return not self.clashing and not self.competing and bool(self.takes_place)


def _competing(issues: Sequence[Issue]) -> bool:
    return any(i.kind == IssueKind.PENDING and (i.series_id or 0) < 0 for i in issues)


def round_wishes(round: Round) -> list[Wish]:
    """Every wish of the round with what the pages show (three queries)."""
    return list(
        round.wishes.select_related("group", "room", "source__room", "result", "answered_by")
        .prefetch_related(Prefetch("equipment", queryset=Equipment.objects.order_by("pk")))
        .order_by("group__name", "start_time", "pk")
    )


def ordered(round: Round, wishes: Sequence[Wish]) -> list[Wish]:
    """The allocation order: continuing groups first, then the center's priorities, then the
    time of the request."""
    return sorted(
        wishes,
        key=lambda w: priorities.order_key(
            continuing=w.kind == Wish.Kind.CONTINUATION,
            group=w.group,
            priorities=round.priorities,
            requested_at=w.requested_at,
            pk=w.pk,
        ),
    )


def _possible_rivals(wishes: Sequence[Wish], rooms: dict[int, Room]) -> dict[int, list[int]]:
    """For each wish, the other wishes that could want the same room at the same time: in the
    room, its whole or its parts, on a shared weekday, at overlapping hours (buffers included).
    A cheap filter before the exact check: the conflict core decides."""
    parts: dict[int, set[int]] = defaultdict(set)
    for room in rooms.values():
        if room.parent_id:
            parts[room.parent_id].add(room.pk)

    def units(room_id: int) -> set[int]:
        room = rooms[room_id]
        return {room_id, *parts[room_id], *([room.parent_id] if room.parent_id else [])}

    def buffers(room_id: int) -> int:
        return rooms[room_id].setup_minutes + rooms[room_id].cleanup_minutes

    def minutes(value: time) -> int:
        return value.hour * 60 + value.minute

    by_unit: dict[int, list[Wish]] = defaultdict(list)
    for w in wishes:
        by_unit[w.room_id].append(w)
    found: dict[int, list[int]] = {}
    widest = max((buffers(pk) for pk in rooms), default=0)
    for w in wishes:
        # Both sides' buffers: a date holds its room widened by setup and cleanup.
        margin = buffers(w.room_id) + widest
        days = set(w.weekdays or range(7))
        start, end = minutes(w.start_time) - margin, minutes(w.end_time) + margin
        found[w.pk] = sorted(
            other.pk
            for unit in units(w.room_id)
            for other in by_unit.get(unit, ())
            if other.pk != w.pk
            and (not other.weekdays or days & set(other.weekdays))
            and minutes(other.start_time) < end
            and minutes(other.end_time) > start
        )
    return found


def _rooms(center: Center) -> dict[int, Room]:
    return {
        room.pk: room
        for room in Room.objects.filter(center=center).prefetch_related("equipment").order_by("pk")
    }


def wish_reports(
    round: Round, wishes: Sequence[Wish] | None = None, *, now: datetime | None = None
) -> dict[int, WishReport]:
    """The report of every open wish of the round, against the term's holidays, closures and
    bookings and the other open wishes; a fixed number of queries for any number of wishes.

    The series the wishes continue end with the ending term when the round is allocated, so
    what they still hold in the next term is not in anyone's way.
    """
    wishes = list(round_wishes(round) if wishes is None else wishes)
    open_wishes = [w for w in wishes if w.outcome == Wish.Outcome.OPEN and w.is_active]
    if not open_wishes:
        return {}
    center = round.center
    tz = center.tz
    first, last = term_window(round)
    if last < first:
        return {}
    rooms = _rooms(center)
    lo, hi = day_bounds(center, first - timedelta(days=2), last + timedelta(days=2))
    facts = load_center_facts(
        center=center,
        lo=lo,
        hi=hi,
        now=now or timezone.now(),
        equipment={e.pk for w in open_wishes for e in w.equipment.all()},
        rooms=rooms,
    )
    # What the series being continued hold in the next term is gone once they end: drop it once.
    ending = {w.source_id for w in wishes if w.source_id}
    facts = replace(
        facts,
        blocks=defaultdict(
            list,
            {u: [b for b in bs if b.series_id not in ending] for u, bs in facts.blocks.items()},
        ),
        pending=defaultdict(
            list,
            {r: [p for p in ps if p.series_id not in ending] for r, ps in facts.pending.items()},
        ),
    )
    slots = {w.pk: expand(w.rule(first, last), tz) for w in open_wishes}
    equipment = {w.pk: [e.pk for e in w.equipment.all()] for w in open_wishes}

    def context(w: Wish, extra: Sequence[Busy] = ()) -> conflicts.Context:
        return context_for(
            facts,
            room_id=w.room_id,
            series_id=-w.pk,
            expected_participants=w.expected_participants,
            equipment=equipment[w.pk],
            policy=HolidayPolicy(
                meets_on_public_holidays=w.meets_on_public_holidays,
                pauses_in_school_holidays=w.pauses_in_school_holidays,
            ),
            extra_pending=extra,
        )

    # Each wish alone first: what stands in its way besides the other wishes. Only wishes that
    # may meet (related rooms, a shared weekday, overlapping hours) are weighed against each
    # other, with the dates that take place (a skipped date competes with nobody).
    alone = {w.pk: conflicts.classify(slots[w.pk], context(w)) for w in open_wishes}
    rivals = _possible_rivals(open_wishes, rooms)
    wanted = {pk for found in rivals.values() for pk in found}
    held: dict[int, list[Busy]] = {}
    for w in open_wishes:
        if w.pk not in wanted:
            continue
        room = rooms[w.room_id]
        held[w.pk] = [
            Busy(
                d.slot.starts_at - timedelta(minutes=room.setup_minutes),
                d.slot.ends_at + timedelta(minutes=room.cleanup_minutes),
                -(w.pk * 100_000 + n),  # not stored yet: negative ids, never a real date's
                -w.pk,
                w.group.name,
                room.name,
            )
            for n, d in enumerate(alone[w.pk].dates)
            if not d.is_skipped
        ]

    order = {w.pk: n for n, w in enumerate(ordered(round, open_wishes), start=1)}
    today = timezone.now().astimezone(tz).date()
    result: dict[int, WishReport] = {}
    for w in open_wishes:
        extra = [b for pk in rivals[w.pk] for b in held[pk]]
        report = conflicts.classify(slots[w.pk], context(w, extra)) if extra else alone[w.pk]
        result[w.pk] = WishReport(
            wish=w,
            report=report,
            when=rule_text(w.rule(first, last), room=rooms[w.room_id].name, today=today),
            order=order[w.pk],
            competitors=sorted(
                {
                    -(issue.series_id or 0)
                    for d in report.dates
                    for issue in d.issues
                    if issue.kind == IssueKind.PENDING and (issue.series_id or 0) < 0
                }
            ),
        )
    return result
