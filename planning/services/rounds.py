"""Opening a round, moving its deadline, the leaders' answers and new wishes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from bookings.errors import StaleEdit
from bookings.models import Series
from bookings.permissions import can_book_for_group
from bookings.policy import holiday_policy_for_kind
from centers.models import Center, Equipment, Room, Term
from centers.permissions import can_manage_center
from groups.models import Group

from .. import emails, priorities, selectors
from ..errors import Messages
from ..models import Round, Wish

REASON_WIDTH = 300


def _require_staff(user: User, center: Center) -> None:
    if not can_manage_center(user, center):
        raise PermissionDenied(Messages.NOT_STAFF)


def _check_version(round: Round, expected: int | None) -> None:
    if expected is not None and round.version != expected:
        raise StaleEdit(current=round.version)


def _bump(round: Round) -> None:
    Round.objects.filter(pk=round.pk).update(version=F("version") + 1)
    round.version += 1


def _today(center: Center) -> date:
    return timezone.now().astimezone(center.tz).date()


# --- opening a round -----------------------------------------------------------------------------


def _proposal(round: Round, series: Series) -> Wish:
    """The continuation of a series in the next term: same weekday, time, room, policy."""
    rule = series.rule
    return Wish(
        round=round,
        group=series.group,
        kind=Wish.Kind.CONTINUATION,
        source=series,
        title=series.title,
        room=series.room,
        frequency=series.frequency,
        interval=series.interval,
        weekdays=list(rule.effective_weekdays()) if series.frequency != "daily" else [],
        monthly_mode=series.monthly_mode,
        monthly_position=series.monthly_position,
        monthly_day=series.monthly_day,
        start_time=series.start_time,
        end_time=series.end_time,
        expected_participants=series.expected_participants,
        meets_on_public_holidays=series.meets_on_public_holidays,
        pauses_in_school_holidays=series.pauses_in_school_holidays,
        requested_at=series.created_at,
    )


def round_create(
    *,
    user: User,
    center: Center,
    term: Term,
    previous_term: Term | None,
    deadline: datetime,
    priority_keys: Sequence[str] = priorities.DEFAULT_PRIORITIES,
) -> Round:
    """Open the planning of `term`: a proposal for every series of `previous_term` that ends
    with it, and one e-mail per group asking to confirm, change or end them by `deadline`."""
    _require_staff(user, center)
    errors: dict[str, str] = {}
    if term.center_id != center.pk:
        errors["term"] = str(Messages.TERM_OTHER_CENTER)
    elif term.first_day <= _today(center):
        errors["term"] = str(Messages.TERM_BEGUN)
    elif Round.objects.filter(term=term).exists():
        errors["term"] = str(Messages.ROUND_EXISTS)
    if previous_term is not None and (
        previous_term.center_id != center.pk or previous_term.first_day >= term.first_day
    ):
        errors["previous_term"] = str(Messages.PREVIOUS_TERM)
    if deadline <= timezone.now():
        errors["deadline"] = str(Messages.DEADLINE_PAST)
    elif "term" not in errors and deadline.astimezone(center.tz).date() >= term.first_day:
        errors["deadline"] = str(Messages.DEADLINE_AFTER_START)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        round = Round.objects.create(
            center=center,
            term=term,
            previous_term=previous_term,
            deadline=deadline,
            priorities=priorities.clean(priority_keys),
            created_by=user,
        )
        sources = list(selectors.ending_series(center, previous_term, term))
        proposals = Wish.objects.bulk_create(_proposal(round, s) for s in sources)
        links = [
            Wish.equipment.through(wish_id=wish.pk, equipment_id=item.pk)
            for wish, source in zip(proposals, sources, strict=True)
            for item in source.equipment_needed.all()
        ]
        Wish.equipment.through.objects.bulk_create(links)
        emails.invite(round=round, wishes=proposals)
    return round


def round_update(
    *,
    user: User,
    round: Round,
    deadline: datetime,
    priority_keys: Sequence[str],
    expected_version: int | None = None,
) -> Round:
    """Move the deadline (to now: stop collecting) or change the priorities before allocating."""
    _require_staff(user, round.center)
    if round.status != Round.Status.COLLECTING:
        raise ValidationError({"round": str(Messages.ROUND_DONE)})
    if deadline.astimezone(round.center.tz).date() >= round.term.first_day:
        raise ValidationError({"deadline": str(Messages.DEADLINE_AFTER_START)})
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        _check_version(locked, expected_version)
        locked.deadline = deadline
        locked.priorities = priorities.clean(priority_keys)
        locked.version += 1
        locked.save(update_fields=["deadline", "priorities", "version"])
    return locked


# --- leaders' answers and new wishes -------------------------------------------------------------


def _require_leader(user: User, wish_group: Group, round: Round) -> None:
    if not can_book_for_group(user, wish_group) or wish_group.center_id != round.center_id:
        raise PermissionDenied(Messages.NOT_YOUR_GROUP)
    if not round.is_collecting:
        raise ValidationError({"round": str(Messages.ROUND_CLOSED)})


@dataclass(frozen=True)
class Slot:
    """What a leader may change: the room, the weekdays, the time."""

    room: Room
    weekdays: tuple[int, ...]
    start_time: time
    end_time: time


def _slot_errors(slot: Slot, *, center: Center, expected: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if slot.room.center_id != center.pk or not slot.room.bookable:
        errors["room"] = str(Messages.ROOM_NOT_OFFERED)
    elif slot.room.capacity < expected:
        errors["room"] = str(Messages.ROOM_TOO_SMALL) % {
            "room": slot.room.name,
            "capacity": slot.room.capacity,
        }
    if not slot.weekdays or any(d not in range(7) for d in slot.weekdays):
        errors["weekdays"] = str(Messages.WEEKDAYS)
    if slot.end_time <= slot.start_time:
        errors["end_time"] = str(Messages.ENDS_BEFORE_START)
    return errors


def wish_answer(
    *,
    user: User,
    wish: Wish,
    answer: str,
    slot: Slot | None = None,
    expected_version: int | None = None,
) -> Wish:
    """A leader (or staff for them) confirms, changes or ends a proposed continuation."""
    round = wish.round
    _require_leader(user, wish.group, round)
    if wish.kind != Wish.Kind.CONTINUATION and answer != Wish.Answer.END:
        raise ValidationError({"answer": str(Messages.ONLY_PROPOSALS)})
    if answer not in Wish.Answer.values or answer == Wish.Answer.PENDING:
        raise ValidationError({"answer": str(Messages.CHOOSE_ANSWER)})
    fields = ["answer", "answered_at", "answered_by"]
    if answer == Wish.Answer.CHANGE:
        if slot is None:
            raise ValidationError({"answer": str(Messages.CHOOSE_ANSWER)})
        errors = _slot_errors(slot, center=round.center, expected=wish.expected_participants)
        if errors:
            raise ValidationError(errors)
    with transaction.atomic():
        locked = Wish.objects.select_for_update().select_related("group").get(pk=wish.pk)
        _check_version(Round.objects.select_for_update().get(pk=round.pk), expected_version)
        locked.answer = answer
        locked.answered_at = timezone.now()
        locked.answered_by = user
        if answer == Wish.Answer.CHANGE and slot is not None:
            locked.room = slot.room
            locked.start_time, locked.end_time = slot.start_time, slot.end_time
            if locked.frequency == "weekly":
                locked.weekdays = sorted(set(slot.weekdays))
            elif locked.frequency == "monthly":
                locked.weekdays = [slot.weekdays[0]]
            fields += ["room", "start_time", "end_time", "weekdays"]
        if answer == Wish.Answer.END and wish.kind == Wish.Kind.NEW:
            locked.outcome = Wish.Outcome.ENDED
            fields.append("outcome")
        locked.save(update_fields=fields)
        _bump(round)
    return locked


def wish_create(
    *,
    user: User,
    round: Round,
    group: Group,
    slot: Slot,
    expected_participants: int,
    interval: int = 1,
    meets_on_public_holidays: bool | None = None,
    pauses_in_school_holidays: bool | None = None,
    equipment: Sequence[Equipment] = (),
    title: str = "",
    note: str = "",
) -> Wish:
    """A new weekly slot a group wishes for in the next term (collected until the deadline)."""
    _require_leader(user, group, round)
    errors = _slot_errors(slot, center=round.center, expected=expected_participants)
    if expected_participants < 1:
        errors["expected_participants"] = str(Messages.PARTICIPANTS)
    if not 1 <= interval <= 4:
        errors["interval"] = str(Messages.INTERVAL)
    if errors:
        raise ValidationError(errors)
    default = holiday_policy_for_kind(group.kind)
    with transaction.atomic():
        wish = Wish.objects.create(
            round=round,
            group=group,
            kind=Wish.Kind.NEW,
            title=title.strip()[:200],
            room=slot.room,
            frequency="weekly",
            interval=interval,
            weekdays=sorted(set(slot.weekdays)),
            start_time=slot.start_time,
            end_time=slot.end_time,
            expected_participants=expected_participants,
            meets_on_public_holidays=default.meets_on_public_holidays
            if meets_on_public_holidays is None
            else meets_on_public_holidays,
            pauses_in_school_holidays=default.pauses_in_school_holidays
            if pauses_in_school_holidays is None
            else pauses_in_school_holidays,
            note=note.strip()[:2000],
            answer=Wish.Answer.CONTINUE,
            answered_at=timezone.now(),
            answered_by=user,
        )
        if equipment:
            wish.equipment.set(equipment)
        _bump(round)
    return wish
