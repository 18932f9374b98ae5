"""Shared machinery of the booking services: locking, placing confirmed dates, room blocks.

Not a public API: services call these inside their own `transaction.atomic()`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from centers.holidays import public_holidays
from centers.models import Center, Closure, Room

from .. import conflicts
from ..errors import BookingConflict
from ..models import Occurrence, OccurrenceState, RoomBlock, Series, SeriesStatus
from ..recurrence import Slot

# simple-history stores at most this many characters of a change reason.
REASON_MAX = 100
ACTIVE_STATES = (OccurrenceState.REQUESTED, OccurrenceState.CONFIRMED)


@dataclass
class ConfirmResult:
    """What a confirmation did: confirmed dates, dates left requested, competitors declined."""

    confirmed: list[Occurrence] = field(default_factory=list)
    left_requested: list[Occurrence] = field(default_factory=list)
    declined_competitors: list[Occurrence] = field(default_factory=list)


def short_reason(text: str) -> str:
    return (text or "")[:REASON_MAX]


def mark(obj: object, *, user: User | None, reason: str) -> None:
    """Tell simple-history who made the next change of `obj`, and why."""
    obj._history_user = user  # type: ignore[attr-defined]
    obj._change_reason = short_reason(reason)  # type: ignore[attr-defined]


def center_today(center: Center) -> date:
    return timezone.now().astimezone(center.tz).date()


def horizon_for(today: date) -> date:
    """Last date that is materialised as rows for open-ended series."""
    return today + relativedelta(months=getattr(settings, "BOOKING_HORIZON_MONTHS", 12))


def slot_of(occurrence: Occurrence) -> Slot:
    return Slot(occurrence.starts_at, occurrence.ends_at, occurrence.original_start)


# --- locking ------------------------------------------------------------------------------------


def lock_rooms(room_ids: Iterable[int]) -> None:
    """Lock the rooms about to be used, with their parents and parts, in a stable order.

    Every confirming service takes these row locks first, so two confirmations that could
    touch the same room unit queue up here and the second one re-checks after the first
    committed. SQLite ignores FOR UPDATE; there BEGIN IMMEDIATE already serializes writers.
    """
    ids = {pk for pk in room_ids if pk is not None}
    if not ids:
        return
    parents = set(
        Room.objects.filter(pk__in=ids, parent__isnull=False).values_list("parent_id", flat=True)
    )
    ids |= parents
    list(
        Room.objects.select_for_update()
        .filter(Q(pk__in=ids) | Q(parent_id__in=ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def units_of(room_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each room: the room units it occupies (itself and, if divisible, its parts)."""
    ids = set(room_ids)
    units: dict[int, list[int]] = {pk: [pk] for pk in ids}
    for pk, parent_id in Room.objects.filter(parent_id__in=ids).values_list("pk", "parent_id"):
        units[parent_id].append(pk)
    return units


def buffered(occurrence: Occurrence) -> tuple[datetime, datetime]:
    room = occurrence.room
    return (
        occurrence.starts_at - timedelta(minutes=room.setup_minutes),
        occurrence.ends_at + timedelta(minutes=room.cleanup_minutes),
    )


def _claims(occurrences: Sequence[Occurrence]) -> dict[int, list[tuple[int, datetime, datetime]]]:
    units = units_of({o.room_id for o in occurrences})
    claims = {}
    for occ in occurrences:
        start, end = buffered(occ)
        claims[occ.pk] = [(unit, start, end) for unit in units[occ.room_id]]
    return claims


def blocked_elsewhere(occurrences: Sequence[Occurrence]) -> set[int]:
    """Ids of the given dates whose room units are already held by another confirmed date.

    One query over RoomBlock: the guarantee does not depend on any other module being right.
    """
    if not occurrences:
        return set()
    claims = _claims(occurrences)
    all_units = {unit for c in claims.values() for unit, _s, _e in c}
    lo = min(s for c in claims.values() for _u, s, _e in c)
    hi = max(e for c in claims.values() for _u, _s, e in c)
    held = defaultdict(list)
    for unit, start, end, owner in RoomBlock.objects.filter(
        room_id__in=all_units, starts_at__lt=hi, ends_at__gt=lo
    ).values_list("room_id", "starts_at", "ends_at", "occurrence_id"):
        held[unit].append((start, end, owner))
    clashing = set()
    for occ_id, claim in claims.items():
        for unit, start, end in claim:
            if any(s < end and e > start and owner != occ_id for s, e, owner in held[unit]):
                clashing.add(occ_id)
    return clashing


def write_blocks(occurrences: Sequence[Occurrence], *, tz) -> None:
    """Replace the room blocks of these (now confirmed) dates; a refused write is a conflict."""
    claims = _claims(occurrences)
    blocks = [
        RoomBlock(occurrence_id=occ_id, room_id=unit, starts_at=start, ends_at=end)
        for occ_id, claim in claims.items()
        for unit, start, end in claim
    ]
    RoomBlock.objects.filter(occurrence__in=[o.pk for o in occurrences]).delete()
    try:
        with transaction.atomic():
            RoomBlock.objects.bulk_create(blocks)
    except IntegrityError as refused:
        # The exclusion constraint saw a booking our checks did not: name what clashes now.
        clashing = blocked_elsewhere(occurrences)
        dates = [o.starts_at for o in occurrences if o.pk in clashing] or [
            o.starts_at for o in occurrences
        ]
        raise BookingConflict(dates, tz=tz) from refused


def remove_blocks(occurrences: Iterable[Occurrence]) -> None:
    RoomBlock.objects.filter(occurrence__in=[o.pk for o in occurrences]).delete()


# --- placing confirmed dates --------------------------------------------------------------------


def _reports(occurrences: Sequence[Occurrence]) -> dict[int, conflicts.DateReport]:
    """Conflict reports by occurrence id: one check per (room, series), not one per date."""
    grouped: dict[tuple[int, int], list[Occurrence]] = defaultdict(list)
    for occ in occurrences:
        grouped[(occ.room_id, occ.series_id)].append(occ)
    reports: dict[int, conflicts.DateReport] = {}
    for (_room_id, series_id), group in grouped.items():
        series = group[0].series
        slots = [slot_of(o) for o in group]
        report = conflicts.check(
            room=group[0].room,
            slots=slots,
            expected_participants=series.expected_participants,
            equipment=list(series.equipment_needed.all()),
            ignore_series_id=series_id,
        )
        by_range = {(d.slot.starts_at, d.slot.ends_at): d for d in report.dates}
        for occ in group:
            found = by_range.get((occ.starts_at, occ.ends_at))
            if found is not None:
                reports[occ.pk] = found
    return reports


def place(
    *,
    user: User | None,
    occurrences: Sequence[Occurrence],
    skip_clashing: bool,
    reason: str,
    tz,
    extra_fields: Sequence[str] = (),
) -> ConfirmResult:
    """Confirm these dates (rows already locked, rooms locked) and hold their rooms.

    Hard clashes — from the conflict report, from room blocks, or between two dates of this
    very batch — either raise BookingConflict or, with skip_clashing, stay requested.
    Competing pending dates of other series are declined with a reason naming the winner.
    """
    result = ConfirmResult()
    if not occurrences:
        return result
    reports = _reports(occurrences)
    clashing = blocked_elsewhere(occurrences)
    clashing |= {pk for pk, report in reports.items() if report.hard}
    # Two dates of this batch may want the same unit (e.g. two requests confirmed together).
    claims = _claims(occurrences)
    taken: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for occ in sorted(occurrences, key=lambda o: (o.starts_at, o.pk)):
        if occ.pk in clashing:
            continue
        mine = claims[occ.pk]
        if any(s < e2 and e > s2 for unit, s, e in mine for s2, e2 in taken[unit]):
            clashing.add(occ.pk)
            continue
        for unit, s, e in mine:
            taken[unit].append((s, e))
    losers = [o for o in occurrences if o.pk in clashing]
    winners = [o for o in occurrences if o.pk not in clashing]
    if losers and not skip_clashing:
        raise BookingConflict([o.starts_at for o in losers], tz=tz)
    for occ in winners:
        occ.state = OccurrenceState.CONFIRMED
        occ.reason = ""
        occ.sequence += 1
        mark(occ, user=user, reason=reason or _("confirmed"))
    if winners:
        fields = ["state", "reason", "sequence", "updated_at", *extra_fields]
        for occ in winners:
            occ.updated_at = timezone.now()
        bulk_update_with_history(winners, Occurrence, sorted(set(fields)))
        write_blocks(winners, tz=tz)
    result.confirmed = winners
    result.left_requested = losers
    result.declined_competitors = _decline_competitors(user=user, winners=winners, reports=reports)
    return result


def _decline_competitors(
    *, user: User | None, winners: Sequence[Occurrence], reports: dict[int, conflicts.DateReport]
) -> list[Occurrence]:
    """Decline other series' pending dates that collide with the winners, naming the winner."""
    winner_ids = {o.pk for o in winners}
    by_loser: dict[int, Occurrence] = {}
    for occ in winners:
        report = reports.get(occ.pk)
        for issue in report.issues if report else ():
            pending = issue.kind == conflicts.IssueKind.PENDING and issue.occurrence_id
            if pending and issue.occurrence_id not in winner_ids:
                by_loser.setdefault(issue.occurrence_id, occ)
    if not by_loser:
        return []
    losers = list(
        Occurrence.objects.select_for_update(of=("self",))
        .filter(pk__in=by_loser, state=OccurrenceState.REQUESTED)
        .select_related("series__group", "room")
    )
    now = timezone.now()
    for loser in losers:
        winner = by_loser[loser.pk]
        loser.state = OccurrenceState.DECLINED
        loser.reason = _("overlaps with %(group)s, confirmed for %(room)s") % {
            "group": winner.series.display_title,
            "room": winner.room.name,
        }
        loser.sequence += 1
        loser.updated_at = now
        mark(loser, user=user, reason=loser.reason)
    bulk_update_with_history(losers, Occurrence, ["state", "reason", "sequence", "updated_at"])
    return losers


def locked_occurrences(
    ids: Iterable[int], *, states: Sequence[str] = ACTIVE_STATES
) -> list[Occurrence]:
    """The rows, locked for this transaction, with what placing needs already joined."""
    return list(
        Occurrence.objects.select_for_update(of=("self",))
        .filter(pk__in=list(ids), state__in=states)
        .select_related("series__group__center", "series__room", "room")
        .order_by("starts_at", "pk")
    )


# --- series status ------------------------------------------------------------------------------


def refresh_status(series_ids: Iterable[int], *, user: User | None, reason: str = "") -> None:
    """Recompute the status of these series from their dates (one query for all of them)."""
    ids = set(series_ids)
    if not ids:
        return
    counts = {
        row["pk"]: row
        for row in Series.objects.filter(pk__in=ids)
        .values("pk")
        .annotate(
            requested=Count("occurrences", filter=Q(occurrences__state=OccurrenceState.REQUESTED)),
            confirmed=Count("occurrences", filter=Q(occurrences__state=OccurrenceState.CONFIRMED)),
            declined=Count("occurrences", filter=Q(occurrences__state=OccurrenceState.DECLINED)),
        )
    }
    for series in Series.objects.filter(pk__in=ids):
        row = counts[series.pk]
        status = _status(series.status, row["requested"], row["confirmed"], row["declined"])
        if status != series.status:
            series.status = status
            mark(series, user=user, reason=reason or status)
            series.save(update_fields=["status", "updated_at"])


def _status(current: str, requested: int, confirmed: int, declined: int) -> str:
    if current == SeriesStatus.WITHDRAWN:
        return current
    if confirmed and (requested or declined):
        return SeriesStatus.PARTLY_CONFIRMED
    if confirmed:
        return SeriesStatus.CONFIRMED
    if requested:
        return SeriesStatus.PENDING
    if declined:
        return SeriesStatus.DECLINED
    return current  # every date cancelled: the last decision still describes the series


# --- what a date collides with when it is created ----------------------------------------------


def closed_reasons(
    *, center: Center, room: Room, slots: Sequence[Slot], language: str
) -> dict[datetime, str]:
    """Reason by slot start for slots on a public holiday or in a closure of center or room."""
    if not slots:
        return {}
    tz = center.tz
    first = min(s.starts_at for s in slots)
    last = max(s.ends_at for s in slots)
    holidays = public_holidays(
        center.federal_state, first.astimezone(tz).date(), last.astimezone(tz).date(), language
    )
    rooms = {room.pk, *([room.parent_id] if room.parent_id else [])}
    rooms |= set(Room.objects.filter(parent_id=room.pk).values_list("pk", flat=True))
    closures = list(
        Closure.objects.filter(center=center, starts_at__lt=last, ends_at__gt=first)
        .filter(Q(room__isnull=True) | Q(room_id__in=rooms))
        .order_by("starts_at")
    )
    reasons: dict[datetime, str] = {}
    for slot in slots:
        day = slot.starts_at.astimezone(tz).date()
        if day in holidays:
            reasons[slot.starts_at] = holidays[day]
            continue
        for closure in closures:
            if closure.starts_at < slot.ends_at and closure.ends_at > slot.starts_at:
                reasons[slot.starts_at] = closure.reason
                break
    return reasons
