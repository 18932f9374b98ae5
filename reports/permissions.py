"""Who sees which figures: staff the centers they manage, coordinators their organisations'
groups in every center, superusers everything. Leaders and everybody else see no reports:
for them the addresses below do not exist (404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from centers.models import Center
from centers.permissions import access_center, managed_centers
from groups.models import Organisation


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def coordinated_organisations(user: User) -> QuerySet[Organisation]:
    """Organisations whose figures this user sees across centers."""
    if not _active(user):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(coordinators__user=user)


def may_see_reports(user: User) -> bool:
    return managed_centers(user).exists() or coordinated_organisations(user).exists()


def access_center_report(user: User, slug: str) -> Center:
    """A center whose reports the user may see (its staff); otherwise 404."""
    return access_center(user, slug)


def access_organisation_report(user: User, pk: object) -> Organisation:
    """An organisation the user coordinates; otherwise 404, as if it did not exist."""
    try:
        return coordinated_organisations(user).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
