"""Where a person lands after login when no safe `next=` names a page: their own pages.

Staff work first (their center's queue), then a coordinator's reports, then a leader's page;
administrators without a center go to the admin, everybody else to the public start page.
"""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from centers.permissions import managed_centers
from groups.models import GroupLeader
from reports.permissions import coordinated_organisations


def landing_url(user: User) -> str:
    """The address of this user's own start page."""
    centers = list(managed_centers(user).values_list("slug", flat=True)[:2])
    if len(centers) == 1 and not user.is_superuser:
        return reverse("staff:requests", kwargs={"slug": centers[0]})
    if centers:
        return reverse("staff:index")
    if coordinated_organisations(user).exists():
        return reverse("reports:index")
    if GroupLeader.objects.filter(user=user).exists():
        return reverse("leader:dashboard")
    if user.is_active and user.is_staff:
        return reverse("admin:index")
    return reverse("home")
