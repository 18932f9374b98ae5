"""Who may see which planning round: staff of its center (every wish), and leaders of groups
of that center (their own groups' wishes). Everything else does not exist for them (404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from bookings.permissions import bookable_groups
from centers.models import Center, Term
from groups.models import Group

from .models import Round, Wish


def access_round(center: Center, pk: int) -> Round:
    """A round of a center the caller manages (the view resolved the center first)."""
    try:
        return Round.objects.select_related("center", "term", "previous_term").get(
            pk=pk, center=center
        )
    except (Round.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing


def access_term(center: Center, pk: int) -> Term:
    try:
        return Term.objects.select_related("center").get(pk=pk, center=center)
    except (Term.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing


def leader_groups(user: User, center: Center | None = None) -> QuerySet[Group]:
    """Groups the user may answer and wish for (leads them, or is staff of their center)."""
    groups = bookable_groups(user)
    return groups.filter(center=center) if center is not None else groups


def access_leader_round(user: User, pk: int) -> Round:
    """A round of a center where the user has a group; otherwise 404."""
    try:
        return Round.objects.select_related("center", "term", "previous_term").get(
            pk=pk, center__in=bookable_groups(user).values("center")
        )
    except (Round.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing


def access_wish(user: User, round: Round, pk: int) -> Wish:
    """A wish of one of the user's groups in this round; otherwise 404."""
    try:
        return Wish.objects.select_related("round__center", "round__term", "group", "room").get(
            pk=pk, round=round, group__in=bookable_groups(user)
        )
    except (Wish.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing


def access_round_wish(round: Round, pk: int) -> Wish:
    """A wish of the round (staff, who manage the round's center)."""
    try:
        return Wish.objects.select_related("round__center", "round__term", "group", "room").get(
            pk=pk, round=round
        )
    except (Wish.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
