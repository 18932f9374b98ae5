"""The sitting: allocate what fits, resolve the clashing wishes, send the results."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from bookings import alternatives, conflicts, services
from bookings.errors import BookingConflict
from bookings.models import Occurrence, OccurrenceState, Series
from bookings.policy import HolidayPolicy, Verdict
from bookings.recurrence import expand
from notifications.outbox import enqueue, suppressed

from .. import emails, selectors
from ..errors import Messages
from ..models import Round, Wish
from .rounds import REASON_WIDTH, _bump, _check_version, _require_staff

# --- allocation ----------------------------------------------------------------------------------


@dataclass
class Allocation:
    """What one click did: wishes allocated, and those left for a decision (with why)."""

    allocated: list[Wish] = field(default_factory=list)
    clashing: list[Wish] = field(default_factory=list)
    ended: list[Series] = field(default_factory=list)
    competitors_declined: dict[int, list[Occurrence]] = field(default_factory=dict)


def _policy(wish: Wish) -> HolidayPolicy:
    return HolidayPolicy(
        meets_on_public_holidays=wish.meets_on_public_holidays,
        pauses_in_school_holidays=wish.pauses_in_school_holidays,
    )


def wish_check(wish: Wish, first: date, last: date) -> conflicts.ConflictReport:
    """The wish against what is booked now (the engine's own check)."""
    return conflicts.check(
        room=wish.room,
        slots=expand(wish.rule(first, last), wish.round.center.tz),
        expected_participants=wish.expected_participants,
        equipment=[e.pk for e in wish.equipment.all()],
        now=timezone.now(),
        policy=_policy(wish),
    )


def _book(
    *, user: User, wish: Wish, first: date, last: date, picked: dict | None = None
) -> tuple[Series, services.ConfirmResult | None]:
    """The wish as a booking series for the term, confirmed where free (staff decide here)."""
    series = services.booking_request_create(
        user=user,
        group=wish.group,
        room=wish.room,
        rule=wish.rule(first, last),
        expected_participants=wish.expected_participants,
        equipment=list(wish.equipment.all()),
        note=wish.note,
        title=wish.title,
        alternatives=picked or None,
        meets_on_public_holidays=wish.meets_on_public_holidays,
        pauses_in_school_holidays=wish.pauses_in_school_holidays,
        term=wish.round.term,
    )
    result = None
    if series.occurrences.filter(state=OccurrenceState.REQUESTED).exists():
        result = services.series_confirm(user=user, series=series, skip_clashing=True)
    return series, result


def _end_sources(*, user: User, round: Round, wishes: Sequence[Wish]) -> list[Series]:
    """The series the wishes continue (or that their groups end) stop with the ending term, so
    that the next term is allocated afresh in the round's order."""
    ended = []
    last_day = round.previous_term.last_day if round.previous_term else None
    if last_day is None:
        return ended
    for wish in wishes:
        source = wish.source
        if source is None or (source.until is not None and source.until <= last_day):
            continue
        services.series_end(
            user=user,
            series=source,
            last_date=last_day,
            reason=_("continues in the term “%(term)s”") % {"term": round.term.name},
        )
        ended.append(source)
    return ended


# An allocation that ran longer than this died with its worker: staff may start it again.
STALE_ALLOCATION = timedelta(minutes=30)


def round_allocation_start(
    *, user: User, round: Round, expected_version: int | None = None
) -> Round:
    """Start booking everything that fits (a background job: a big center's term takes
    minutes). Without a broker the job runs at once, inside this call."""
    from ..tasks import allocate_round

    _require_staff(user, round.center)
    with transaction.atomic():
        locked = Round.objects.select_for_update().select_related("center", "term").get(pk=round.pk)
        _check_version(locked, expected_version)
        if not locked.can_allocate:
            raise ValidationError({"round": str(Messages.NOT_YET)})
        running = locked.allocating_since
        if running is not None and timezone.now() - running < STALE_ALLOCATION:
            raise ValidationError({"round": str(Messages.ALLOCATING)})
        locked.allocating_since = timezone.now()
        locked.version += 1
        locked.save(update_fields=["allocating_since", "version"])
        transaction.on_commit(lambda: allocate_round.delay(locked.pk, user.pk))
    return locked


def round_allocate(*, user: User, round: Round) -> Allocation:
    """After the deadline: book every wish that fits, in the allocation order; the others stay
    open for `wish_resolve`. The groups hear of it once, from `round_finish`. Each wish is
    booked in its own transaction (claimed first, so two runs never book one wish twice);
    the page shows the progress."""
    _require_staff(user, round.center)
    round.refresh_from_db()
    if not round.can_allocate:
        raise ValidationError({"round": str(Messages.NOT_YET)})
    try:
        return _allocate(user=user, round=round)
    finally:
        Round.objects.filter(pk=round.pk).update(allocating_since=None, version=F("version") + 1)


def _allocate(*, user: User, round: Round) -> Allocation:
    first, last = selectors.term_window(round)
    wishes = selectors.round_wishes(round)
    allocation = Allocation()
    # The services' own e-mails are held back: each group gets one, with all its outcomes.
    with suppressed():
        allocation.ended = _end_sources(
            user=user, round=round, wishes=[w for w in wishes if w.outcome == Wish.Outcome.OPEN]
        )
        Wish.objects.filter(
            pk__in=[w.pk for w in wishes if w.outcome == Wish.Outcome.OPEN and not w.is_active]
        ).update(outcome=Wish.Outcome.ENDED)
        for wish in selectors.ordered(round, [w for w in wishes if w.outcome == Wish.Outcome.OPEN]):
            if not wish.is_active:
                continue
            report = wish_check(wish, first, last)
            takes_place = [d for d in report.dates if not d.is_skipped]
            if not takes_place or any(d.verdict == Verdict.REFUSED for d in takes_place):
                allocation.clashing.append(wish)
                continue
            try:
                with transaction.atomic():
                    claimed = Wish.objects.select_for_update().filter(
                        pk=wish.pk, outcome=Wish.Outcome.OPEN
                    )
                    if not claimed.exists():
                        continue  # decided meanwhile (by staff, or another run)
                    series, result = _book(user=user, wish=wish, first=first, last=last)
                    wish.result = series
                    wish.outcome = Wish.Outcome.ALLOCATED
                    wish.save(update_fields=["result", "outcome"])
            except (ValidationError, BookingConflict):
                allocation.clashing.append(wish)  # taken meanwhile: staff decide
                continue
            allocation.allocated.append(wish)
            for occurrence in result.declined_competitors if result else []:
                allocation.competitors_declined.setdefault(occurrence.series_id, []).append(
                    occurrence
                )
    _tell_competitors(user=user, allocation=allocation)
    return allocation


def _tell_competitors(*, user: User, allocation: Allocation) -> None:
    """Requests outside the round that lost their dates hear of it as always."""
    for series_id, rows in allocation.competitors_declined.items():
        enqueue(
            event="date_declined",
            series_id=series_id,
            occurrence_ids=[r.pk for r in rows],
            actor_id=user.pk,
            reason=rows[0].reason,
        )


RESOLVE_ALTERNATIVES = "alternatives"
RESOLVE_FREE_DATES = "free"
RESOLVE_DECLINE = "decline"
RESOLUTIONS = (RESOLVE_ALTERNATIVES, RESOLVE_FREE_DATES, RESOLVE_DECLINE)


def engine_alternatives(
    wish: Wish, report: conflicts.ConflictReport
) -> dict[datetime, list[alternatives.Alternative]]:
    """What the engine offers for each clashing date of the wish (best first)."""
    return alternatives.alternatives_for_report(
        room=wish.room,
        report=report,
        expected_participants=wish.expected_participants,
        equipment=[e.pk for e in wish.equipment.all()],
        limit=3,
        policy=_policy(wish),
    )


def wish_resolve(
    *, user: User, wish: Wish, action: str, reason: str = "", expected_version: int | None = None
) -> Wish:
    """Decide a wish the allocation could not book as it is.

    - alternatives: book it, each clashing date at the engine's first alternative (dates with
      none are declined with `reason`);
    - free: book the dates that are free, decline the others with `reason`;
    - decline: nothing is booked; the group reads `reason`.
    """
    round = wish.round
    _require_staff(user, round.center)
    _check_version(round, expected_version)
    if round.status != Round.Status.COLLECTING or not round.can_allocate:
        raise ValidationError({"round": str(Messages.NOT_YET)})
    if round.is_allocating:
        raise ValidationError({"round": str(Messages.ALLOCATING)})
    if wish.outcome != Wish.Outcome.OPEN or not wish.is_active:
        raise ValidationError({"wish": str(Messages.DECIDED)})
    if action not in RESOLUTIONS:
        raise ValidationError({"action": str(Messages.CHOOSE_RESOLUTION)})
    reason = (reason or "").strip()[:REASON_WIDTH]
    if action == RESOLVE_DECLINE:
        if not reason:
            raise ValidationError({"reason": str(Messages.REASON_REQUIRED)})
        wish.outcome, wish.outcome_note = Wish.Outcome.DECLINED, reason
        wish.save(update_fields=["outcome", "outcome_note"])
        _bump(round)
        return wish
    first, last = selectors.term_window(round)
    report = wish_check(wish, first, last)
    clashing = [d for d in report.dates if not d.is_skipped and d.verdict == Verdict.REFUSED]
    picked: dict = {}
    if action == RESOLVE_ALTERNATIVES:
        offered = engine_alternatives(wish, conflicts.ConflictReport(dates=clashing))
        for d in clashing:
            found = offered.get(d.slot.original_start) or []
            if found:
                best = found[0]
                picked[d.slot.original_start] = (best.room, best.starts_at, best.ends_at)
    left = [d for d in clashing if d.slot.original_start not in picked]
    if left and not reason:
        raise ValidationError({"reason": str(Messages.REASON_FOR_DATES)})
    with suppressed(), transaction.atomic():
        series, _result = _book(user=user, wish=wish, first=first, last=last, picked=picked)
        waiting = list(series.occurrences.filter(state=OccurrenceState.REQUESTED))
        if waiting:
            services.occurrences_decline(user=user, occurrences=waiting, reason=reason)
        wish.result = series
        if picked:
            wish.outcome = Wish.Outcome.ALTERNATIVES
        elif waiting:
            wish.outcome = Wish.Outcome.PARTLY
        else:
            wish.outcome = Wish.Outcome.ALLOCATED
        wish.outcome_note = reason if waiting else ""
        wish.save(update_fields=["result", "outcome", "outcome_note"])
    _bump(round)
    return wish


def round_finish(*, user: User, round: Round, expected_version: int | None = None) -> int:
    """Every wish decided: each group gets one e-mail with all its outcomes. Returns how many
    e-mails were written."""
    _require_staff(user, round.center)
    round.refresh_from_db()
    _check_version(round, expected_version)
    if round.status == Round.Status.DONE:
        raise ValidationError({"round": str(Messages.ROUND_DONE)})
    wishes = selectors.round_wishes(round)
    undecided = [w for w in wishes if w.outcome == Wish.Outcome.OPEN and w.is_active]
    if round.is_allocating:
        raise ValidationError({"round": str(Messages.ALLOCATING)})
    if undecided or not round.can_allocate:
        raise ValidationError(
            {"round": str(Messages.UNDECIDED) % {"count": len(undecided) or len(wishes)}}
        )
    with transaction.atomic():
        by_group: dict[int, list[Wish]] = defaultdict(list)
        for wish in wishes:
            by_group[wish.group_id].append(wish)
        written = emails.results(round=round, by_group=by_group)
        round.status = Round.Status.DONE
        round.finished_at = timezone.now()
        round.version += 1
        round.save(update_fields=["status", "finished_at", "version"])
    return written
