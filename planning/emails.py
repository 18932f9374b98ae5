"""The planning round's e-mails to group leaders, one per group each time: the invitation to
confirm, change or end the proposed continuations, and the results of the allocation.

They use the notifications outbox like every other e-mail (`messages_queue`: rendered in the
recipient's language, written in the caller's transaction, sent after the commit; the event key
makes a second call add nothing). Templates: templates/notifications/email/planning_*.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q

from accounts.models import User
from bookings.models import OccurrenceState, Series
from bookings.rule_text import rule_text
from centers.models import Center
from config.site import site_url
from groups.models import Group
from notifications import events, outbox
from notifications.models import Kind
from notifications.outbox import event_key, messages_queue

from .models import Round, Wish


def quiet() -> bool:
    """Inside `notifications.outbox.suppressed()` (demo data, bulk work) nothing is recorded.
    `enqueue` checks that itself; `messages_queue`, which these e-mails use, does not."""
    return outbox.is_suppressed()


def _leaders(group: Group):
    return (
        group.leaders.filter(is_active=True, email_notifications=True)
        .exclude(email="")
        .order_by("pk")
    )


def _round_url(round: Round) -> str:
    return f"{site_url()}/me/planning/{round.pk}/"


def _line(wish: Wish, round: Round) -> dict[str, Any]:
    """One wish as the e-mail shows it (read in the recipient's language)."""
    term = round.term
    return {
        "wish": wish,
        "title": wish.display_title,
        "when": rule_text(wish.rule(term.first_day, term.last_day), room=wish.room.name),
        "pauses": wish.pauses_in_school_holidays,
        "meets": wish.meets_on_public_holidays,
    }


def invite(*, round: Round, wishes: Sequence[Wish]) -> int:
    """Ask each group once to confirm, change or end its proposed continuations."""
    if quiet():
        return 0
    by_group: dict[int, list[Wish]] = defaultdict(list)
    for wish in wishes:
        by_group[wish.group_id].append(wish)
    written = 0
    for group_wishes in by_group.values():
        group = group_wishes[0].group
        written += messages_queue(
            kind=Kind.PLANNING_INVITATION,
            event_key=event_key(Kind.PLANNING_INVITATION, [round.pk, group.pk]),
            recipients=_leaders(group),
            payload=_payload(round, group, group_wishes),
            center_id=round.center_id,
        )
    return written


def _result_line(wish: Wish, round: Round, counts: dict[int, dict[str, int]]) -> dict[str, Any]:
    line = _line(wish, round)
    line["outcome"] = wish.get_outcome_display()
    line["note"] = wish.outcome_note
    line["counts"] = counts.get(wish.result_id or 0, {})
    line["url"] = f"{site_url()}/me/series/{wish.result_id}/" if wish.result_id else ""
    return line


def results(*, round: Round, by_group: dict[int, list[Wish]]) -> int:
    """Tell each group once what it got for the term."""
    if quiet():
        return 0
    written = 0
    for group_wishes in by_group.values():
        group = group_wishes[0].group
        written += messages_queue(
            kind=Kind.PLANNING_RESULT,
            event_key=event_key(Kind.PLANNING_RESULT, [round.pk, group.pk]),
            recipients=_leaders(group),
            payload=_payload(round, group, group_wishes),
            center_id=round.center_id,
        )
    return written


def _counts(series_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Dates per state of each allocated series (one query)."""
    return {
        row["pk"]: row
        for row in Series.objects.filter(pk__in=list(series_ids))
        .values("pk")
        .annotate(
            confirmed=Count("occurrences", filter=Q(occurrences__state=OccurrenceState.CONFIRMED)),
            declined=Count("occurrences", filter=Q(occurrences__state=OccurrenceState.DECLINED)),
            skipped=Count("occurrences", filter=Q(occurrences__state=OccurrenceState.CANCELLED)),
        )
    }


# --- the e-mails, built when they are sent (notifications.dispatch) ----------------------------


def _payload(round: Round, group: Group, wishes: Sequence[Wish]) -> dict[str, Any]:
    return {"v": 1, "round": round.pk, "group": group.pk, "wishes": [w.pk for w in wishes]}


def _load(payload: dict[str, Any]) -> tuple[Round, Group, list[Wish]]:
    round = Round.objects.select_related("center", "term").filter(pk=payload["round"]).first()
    group = Group.objects.filter(pk=payload["group"]).first()
    if round is None or group is None:
        raise events.Gone("the planning round or the group no longer exists")
    wishes = list(
        Wish.objects.filter(pk__in=payload["wishes"]).select_related("room", "group").order_by("pk")
    )
    return round, group, wishes


@events.builds(Kind.PLANNING_INVITATION)
def _invitation_email(payload: dict[str, Any], recipient: User) -> tuple[dict, Center]:
    round, group, wishes = _load(payload)
    return {
        "recipient": recipient,
        "group": group,
        "center": round.center,
        "round": round,
        "term": round.term,
        "proposals": [_line(w, round) for w in wishes],
        "url": _round_url(round),
    }, round.center


@events.builds(Kind.PLANNING_RESULT)
def _result_email(payload: dict[str, Any], recipient: User) -> tuple[dict, Center]:
    round, group, wishes = _load(payload)
    counts = _counts([w.result_id for w in wishes if w.result_id])
    return {
        "recipient": recipient,
        "group": group,
        "center": round.center,
        "round": round,
        "term": round.term,
        "wishes": [_result_line(w, round, counts) for w in wishes],
        "url": f"{site_url()}/me/",
    }, round.center
