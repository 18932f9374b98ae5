"""Who may see and change which booking: leaders of the group, staff of its center, superusers."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from centers.permissions import can_manage_center, managed_centers
from groups.models import Group

from .models import Occurrence, Series


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def bookable_groups(user: User) -> QuerySet[Group]:
    """Groups this user may book for: the ones they lead, and every group of centers they run."""
    if not _active(user):
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    led = Group.objects.filter(leaderships__user=user).values("pk")
    staffed = Group.objects.filter(center__in=managed_centers(user)).values("pk")
    # Subqueries instead of an OR over two joins: no duplicates, no DISTINCT needed.
    return Group.objects.filter(Q(pk__in=led) | Q(pk__in=staffed))


def can_book_for_group(user: User, group: Group) -> bool:
    """Leader or deputy of the group, staff of its center, or superuser."""
    return bookable_groups(user).filter(pk=group.pk).exists()


def can_decide(user: User, series: Series) -> bool:
    """Confirm, decline and move confirmed dates: staff of the group's center or superusers."""
    return _active(user) and can_manage_center(user, series.group.center)


def visible_series(user: User) -> QuerySet[Series]:
    """Series the user may see; everything else does not exist for them."""
    return Series.objects.filter(group__in=bookable_groups(user))


def visible_occurrences(user: User) -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(series__group__in=bookable_groups(user))


def access_series(user: User, pk: int) -> Series:
    """The series if the user may see it; otherwise 404, as if it did not exist."""
    try:
        return visible_series(user).select_related("group__center", "room").get(pk=pk)
    except (Series.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing


def access_occurrence(user: User, pk: int) -> Occurrence:
    """The date if the user may see it; otherwise 404, as if it did not exist."""
    try:
        return (
            visible_occurrences(user)
            .select_related("series__group__center", "series__room", "room")
            .get(pk=pk)
        )
    except (Occurrence.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
