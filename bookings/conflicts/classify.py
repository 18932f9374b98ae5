"""Pure: what stands in the way of each candidate slot, given everything fetched beforehand.

No database access here: `classify(slots, context)` is a function of its inputs. This is the only
definition of a clash in Treffpunkt — the preview, the request and confirmation services, the
alternatives, the staff overview, the board and the weekly digest all end up here. What each
issue *means* (refused, staff decides, skipped) is `bookings.policy`'s business.

A confirmed booking holds its room over its time widened by the room's setup and cleanup
buffers (stored so in its room blocks); a candidate needs its own room's buffers too, so two
bookings clash when their buffered ranges overlap. Ranges are half-open: touching is free.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import compress
from operator import attrgetter, le
from typing import NamedTuple

from django.utils.translation import get_language, gettext, ngettext

from ..policy import (
    HolidayPolicy,
    IssueKind,
    Verdict,
    blocks_confirmation,
    confirms_at_once,
    verdict,
)
from ..recurrence import Slot
from .spans import Hours, closed_by, outside_hours, overlapping, wall_clock


class Issue(NamedTuple):
    """One thing in a date's way. A named tuple, not a frozen dataclass: a report makes one per
    clashing occurrence, closure and holiday, and a frozen dataclass costs ~4 times as much to
    make (its __init__ goes through object.__setattr__ field by field)."""

    kind: str  # policy.IssueKind
    message: str  # translated, ready to show: "clashes with Kochgruppe Zukunft in Küche"
    occurrence_id: int | None = None  # the clashing/competing occurrence, if any
    series_id: int | None = None
    group_name: str = ""
    room_name: str = ""
    closure_id: int | None = None  # the closure, for a date skipped because of one
    detail: str = ""  # the bare reason: a closure's reason, a holiday's or holiday period's name

    @property
    def verdict(self) -> str:
        return verdict([self.kind])

    @property
    def blocks(self) -> bool:
        return blocks_confirmation(self.kind)


@dataclass(slots=True)
class DateReport:
    slot: Slot
    issues: list[Issue] = field(default_factory=list)
    needs_approval: bool = False  # the room's requests need a decision by staff

    @property
    def kinds(self) -> list[str]:
        return [i.kind for i in self.issues]

    @property
    def verdict(self) -> str:
        return verdict(self.kinds, needs_approval=self.needs_approval)

    @property
    def hard(self) -> list[Issue]:
        """Issues that keep anyone, staff included, from confirming the date as it is."""
        return [i for i in self.issues if i.blocks]

    @property
    def soft(self) -> list[Issue]:
        """Issues on which staff decide."""
        return [i for i in self.issues if not i.blocks]

    @property
    def skipped(self) -> list[Issue]:
        """Closures, public holidays, school holidays: the date does not take place."""
        return [i for i in self.issues if i.verdict == Verdict.SKIPPED]

    @property
    def is_skipped(self) -> bool:
        return self.verdict == Verdict.SKIPPED

    @property
    def is_free(self) -> bool:
        return not self.hard

    def confirms_at_once(self, *, approved_series: bool = False) -> bool:
        return confirms_at_once(
            self.kinds, needs_approval=self.needs_approval, approved_series=approved_series
        )


@dataclass
class ConflictReport:
    dates: list[DateReport]

    @property
    def has_hard_issues(self) -> bool:
        return any(d.hard for d in self.dates)

    @property
    def clashing(self) -> list[DateReport]:
        """Dates that cannot be confirmed as they are (and do not simply drop out)."""
        return [d for d in self.dates if d.hard and not d.is_skipped]

    @property
    def skipped(self) -> list[DateReport]:
        return [d for d in self.dates if d.is_skipped]

    @property
    def free(self) -> list[DateReport]:
        return [d for d in self.dates if d.is_free]


# --- plain data the classification works on ---------------------------------------------------


class Busy(NamedTuple):
    """Someone else's hold on a room unit: a confirmed block or a pending date, buffered."""

    starts_at: datetime
    ends_at: datetime
    occurrence_id: int
    series_id: int
    group_name: str
    room_name: str


class ClosureSpan(NamedTuple):
    starts_at: datetime
    ends_at: datetime
    reason: str
    closure_id: int | None = None


@dataclass(frozen=True)
class RoomFacts:
    """What classification needs to know about the candidate room."""

    name: str
    capacity: int
    bookable: bool = True
    setup_minutes: int = 0
    cleanup_minutes: int = 0
    requires_approval: bool = False


@dataclass
class Context:
    """Everything `classify` needs, fetched once for a whole series."""

    room: RoomFacts
    tz: tzinfo
    blocks: list[Busy] = field(default_factory=list)
    pending: list[Busy] = field(default_factory=list)
    closures: list[ClosureSpan] = field(default_factory=list)
    holidays: dict[date, str] = field(default_factory=dict)
    # School holidays of the center's state by local date (only loaded for series that pause).
    school_holidays: dict[date, str] = field(default_factory=dict)
    # The series' holiday policy, and whether the center is open on public holidays.
    policy: HolidayPolicy = field(default_factory=HolidayPolicy)
    open_on_holidays: bool = False
    hours: Hours = field(default_factory=dict)
    missing_equipment: list[str] = field(default_factory=list)
    expected_participants: int = 1
    # Dates starting before `now` are in the past; after `horizon`, staff decide. None: no check.
    now: datetime | None = None
    horizon: datetime | None = None
    horizon_months: int = 12
    # The language the messages are in (default: the active one, looked up by `classify`).
    language: str | None = None
    # Which blocks and requests overlap each slot, when the fetch already knows (it asks the
    # database one range per slot): indexes into `blocks` and `pending`, ascending, per slot of
    # the very sequence `hits_for`. Otherwise `classify` sweeps.
    hits_for: Sequence[Slot] | None = None
    block_hits: list[Sequence[int]] | None = None
    pending_hits: list[Sequence[int]] | None = None


def _hold_issues(
    kind: str,
    hits: Sequence[Sequence[int]],
    busy: Sequence[Busy],
    template: str,
    slots: Sequence[Slot],
) -> list[Sequence[Issue]]:
    """Per slot, the issues that the holds it overlaps make (`hits`: indexes into `busy`): one
    per other occurrence (a whole room holds one block per part), by start; a date never
    clashes with itself.

    Issues are immutable: one per hold, shared by every date it overlaps; a weekly series meets
    the same group in the same room again and again, so `messages` keeps the words too."""
    made: list[Issue | None] = [None] * len(busy)
    messages: dict[tuple[str, str], str] = {}
    found: list[Sequence[Issue]] = [()] * len(hits)  # most dates: nothing, one empty tuple
    for i in compress(range(len(hits)), hits):  # the dates some hold overlaps
        here = hits[i]
        if len(here) == 1:  # by far the most common case
            j = here[0]
            issue = made[j]
            if issue is None:
                issue = made[j] = _busy_issue(kind, busy[j], template, messages)
            if issue.occurrence_id != slots[i].occurrence_id:
                found[i] = (issue,)
            continue
        issues: list[Issue] = []
        seen: set[int | None] = {slots[i].occurrence_id}
        for j in sorted(here, key=lambda j: (busy[j].starts_at, busy[j].occurrence_id)):
            issue = made[j]
            if issue is None:
                issue = made[j] = _busy_issue(kind, busy[j], template, messages)
            if issue.occurrence_id not in seen:
                seen.add(issue.occurrence_id)
                issues.append(issue)
        found[i] = issues
    return found


def _busy_issue(
    kind: str, other: Busy, template: str, messages: dict[tuple[str, str], str]
) -> Issue:
    """The issue a hold makes (`messages`: the words, by group and room)."""
    _start, _end, occurrence_id, series_id, group, room = other
    message = messages.get((group, room))
    if message is None:
        message = messages[group, room] = template % {"group": group, "room": room}
    # Made as the tuple it is: Issue's generated __new__ (with its defaults) costs more than
    # twice as much, and a check makes one per clashing hold.
    return _tuple_new(Issue, (kind, message, occurrence_id, series_id, group, room, None, ""))


_tuple_new = tuple.__new__


def _fixed_issues(ctx: Context, language: str) -> tuple[Issue, ...]:
    """Issues that do not depend on the date: the room and the request's size and needs."""
    room = ctx.room
    return _fixed(
        language,
        room.name,
        room.bookable,
        room.capacity,
        ctx.expected_participants,
        tuple(ctx.missing_equipment),
    )


@functools.lru_cache(maxsize=256)
def _fixed(
    language: str,
    room: str,
    bookable: bool,
    capacity: int,
    expected: int,
    missing_equipment: tuple[str, ...],
) -> tuple[Issue, ...]:
    # Kept by their inputs: the preview asks again on every keystroke (gettext is not free).
    fixed: list[Issue] = []
    if not bookable:
        message = gettext("%(room)s cannot be booked online.") % {"room": room}
        fixed.append(Issue(IssueKind.NOT_BOOKABLE, message, room_name=room))
    if capacity < expected:
        message = gettext("%(room)s holds %(capacity)s people, %(expected)s are expected.") % {
            "room": room,
            "capacity": capacity,
            "expected": expected,
        }
        fixed.append(Issue(IssueKind.CAPACITY, message, room_name=room))
    if missing_equipment:
        message = gettext("%(room)s has no %(equipment)s.") % {
            "room": room,
            "equipment": ", ".join(missing_equipment),
        }
        fixed.append(Issue(IssueKind.EQUIPMENT, message, room_name=room))
    return tuple(fixed)


class _Said(NamedTuple):
    templates: tuple[str, str, str, str, str]
    outside: Issue
    past: Issue
    invalid: Issue
    beyond: Issue


@functools.lru_cache(maxsize=64)
def _said(language: str, horizon_months: int) -> _Said:
    """The messages of `classify` in the active language, translated once per language: the
    check runs on every keystroke of the preview, and gettext is not free."""
    return _Said(
        templates=(
            gettext("clashes with %(group)s in %(room)s"),
            gettext("competing request by %(group)s for %(room)s"),
            gettext("closed: %(reason)s"),
            gettext("public holiday: %(name)s"),
            gettext("school holidays: %(name)s"),
        ),
        outside=Issue(IssueKind.OUTSIDE_HOURS, gettext("outside the opening hours")),
        past=Issue(IssueKind.PAST, gettext("This date is in the past.")),
        invalid=Issue(IssueKind.INVALID, gettext("The end must be after the start.")),
        beyond=Issue(
            IssueKind.HORIZON,
            ngettext(
                "more than %(months)s month ahead: staff decide",
                "more than %(months)s months ahead: staff decide",
                horizon_months,
            )
            % {"months": horizon_months},
        ),
    )


def classify(slots: Sequence[Slot], ctx: Context) -> ConflictReport:
    """Issues per slot, in the order given; no database access."""
    room = ctx.room
    starts = list(map(_STARTS_AT, slots))
    ends = list(map(_ENDS_AT, slots))
    booked_hits: Sequence[Sequence[int]]
    competing_hits: Sequence[Sequence[int]]
    if ctx.hits_for is slots and ctx.block_hits is not None and ctx.pending_hits is not None:
        booked_hits, competing_hits = ctx.block_hits, ctx.pending_hits
    else:
        spans = list(zip(starts, ends, strict=True))
        if room.setup_minutes or room.cleanup_minutes:
            setup = timedelta(minutes=room.setup_minutes)
            cleanup = timedelta(minutes=room.cleanup_minutes)
            held = [(start - setup, end + cleanup) for start, end in spans]
        else:
            held = spans
        # Busy and ClosureSpan tuples begin with (starts_at, ends_at): spans as they are.
        booked_hits = overlapping(held, ctx.blocks)
        competing_hits = overlapping(held, ctx.pending)
    language = ctx.language or get_language() or ""
    said = _said(language, ctx.horizon_months)
    clashes_with, competes_with, closed_for, holiday_is, school_is = said.templates
    outside, past, invalid, beyond = said.outside, said.past, said.invalid, said.beyond
    # The series' holiday policy decides which holidays stand in a date's way at all.
    public_skips = ctx.policy.skips_public_holiday(center_open=ctx.open_on_holidays)
    school_skips = ctx.policy.pauses_in_school_holidays
    fixed = _fixed_issues(ctx, language)

    booked = _hold_issues(IssueKind.BOOKED, booked_hits, ctx.blocks, clashes_with, slots)
    competing = _hold_issues(IssueKind.PENDING, competing_hits, ctx.pending, competes_with, slots)
    closed = closed_by(slots, ctx.closures)
    tz, now, horizon = ctx.tz, ctx.now, ctx.horizon
    # What one comparison settles for every date is decided for all at once (C-level maps, no
    # bytecode per date): most series lie wholly ahead, within the horizon and the opening
    # hours, on no holiday, and the loop below then looks only where something stands.
    any_invalid = any(map(le, ends, starts))
    any_past = now is not None and bool(starts) and min(starts) < now
    if horizon is not None:
        # Compared with every date's UTC start: in the same zone, no offset is looked up.
        horizon = horizon.astimezone(UTC)
    any_beyond = horizon is not None and bool(starts) and max(starts) >= horizon
    holidays = ctx.holidays if public_skips else None
    school_holidays = ctx.school_holidays if school_skips else None
    nothing: list[None] = [None] * len(slots)
    holiday_at: Sequence[str | None] = nothing
    school_at: Sequence[str | None] = nothing
    outside_at: Sequence[bool | None] = nothing
    if holidays or school_holidays or ctx.hours:
        local_starts = wall_clock(slots, tz, "local_start", starts)
        if holidays or school_holidays:
            days = list(map(datetime.date, local_starts))
            if holidays:
                holiday_at = list(map(holidays.get, days))
            if school_holidays:
                school_at = list(map(school_holidays.get, days))
        if ctx.hours:
            local_ends = wall_clock(slots, tz, "local_end", ends)
            outside_at = outside_hours(local_starts, local_ends, ctx.hours) or nothing
    needs_approval = room.requires_approval
    closures = ctx.closures
    closure_issues: dict[int, Issue] = {}  # a closure over many dates: one issue, shared
    dates: list[DateReport] = []
    for slot, starts_at, booked_here, closed_here, holiday, school, competing_here, out in zip(
        slots, starts, booked, closed, holiday_at, school_at, competing, outside_at, strict=True
    ):
        issues: list[Issue] = []
        if any_invalid and slot.ends_at <= starts_at:
            issues.append(invalid)
        if any_past and starts_at < now:
            issues.append(past)
        if booked_here:
            issues += booked_here
        if closed_here:
            for j in closed_here:
                issue = closure_issues.get(j)
                if issue is None:
                    closure = closures[j]
                    issue = closure_issues[j] = Issue(
                        IssueKind.CLOSURE,
                        closed_for % {"reason": closure.reason},
                        closure_id=closure.closure_id,
                        detail=closure.reason,
                    )
                issues.append(issue)
        if holiday:
            issues.append(Issue(IssueKind.HOLIDAY, holiday_is % {"name": holiday}, detail=holiday))
        if school:
            issues.append(
                Issue(IssueKind.SCHOOL_HOLIDAY, school_is % {"name": school}, detail=school)
            )
        if fixed:
            issues += fixed
        if competing_here:
            issues += competing_here
        if out:
            issues.append(outside)
        if any_beyond and starts_at >= horizon:
            issues.append(beyond)
        dates.append(DateReport(slot, issues, needs_approval))
    return ConflictReport(dates=dates)


_STARTS_AT = attrgetter("starts_at")
_ENDS_AT = attrgetter("ends_at")


def closure_of(slot: Slot, ctx: Context) -> ClosureSpan | None:
    """The first closure the slot lies in (for recording which closure cancelled a date)."""
    for closure in sorted(ctx.closures, key=lambda c: c.starts_at):
        if closure.starts_at < slot.ends_at and closure.ends_at > slot.starts_at:
            return closure
    return None
