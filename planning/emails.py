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

from django.conf import settings
from django.db.models import Count, Q
from django.utils import translation

from accounts.models import User
from bookings.models import OccurrenceState, Series
from bookings.rule_text import rule_text
from groups.models import Group
from notifications.models import Kind
from notifications.outbox import event_key, messages_queue, recipient_language

from .models import Round, Wish


def quiet() -> bool:
    """Inside `notifications.outbox.suppressed()` (demo data, bulk work) nothing is recorded.
    `enqueue` checks that itself; `messages_queue`, which these e-mails use, does not."""
    from notifications import outbox

    return outbox._suppressed.get()


def _leaders(group: Group):
    return (
        group.leaders.filter(is_active=True, email_notifications=True)
        .exclude(email="")
        .order_by("pk")
    )


def _round_url(round: Round) -> str:
    return f"{settings.SITE_URL}/me/planning/{round.pk}/"


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


def _in_language(recipient: User, read: Any) -> Any:
    with translation.override(recipient_language(recipient)):
        return read()


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
            context=lambda recipient, g=group, ws=group_wishes: {
                "recipient": recipient,
                "group": g,
                "center": round.center,
                "round": round,
                "term": round.term,
                "proposals": _in_language(recipient, lambda: [_line(w, round) for w in ws]),
                "url": _round_url(round),
            },
            center=round.center,
        )
    return written


def _result_line(wish: Wish, round: Round, counts: dict[int, dict[str, int]]) -> dict[str, Any]:
    line = _line(wish, round)
    line["outcome"] = wish.get_outcome_display()
    line["note"] = wish.outcome_note
    line["counts"] = counts.get(wish.result_id or 0, {})
    line["url"] = f"{settings.SITE_URL}/me/series/{wish.result_id}/" if wish.result_id else ""
    return line


def results(*, round: Round, by_group: dict[int, list[Wish]]) -> int:
    """Tell each group once what it got for the term."""
    if quiet():
        return 0
    series_ids = [w.result_id for ws in by_group.values() for w in ws if w.result_id]
    counts = _counts(series_ids)
    written = 0
    for group_wishes in by_group.values():
        group = group_wishes[0].group
        written += messages_queue(
            kind=Kind.PLANNING_RESULT,
            event_key=event_key(Kind.PLANNING_RESULT, [round.pk, group.pk]),
            recipients=_leaders(group),
            context=lambda recipient, g=group, ws=group_wishes: {
                "recipient": recipient,
                "group": g,
                "center": round.center,
                "round": round,
                "term": round.term,
                "wishes": _in_language(
                    recipient, lambda: [_result_line(w, round, counts) for w in ws]
                ),
                "url": f"{settings.SITE_URL}/me/",
            },
            center=round.center,
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
