"""Who may manage which center. Staff manage the centers they are listed for; superusers all."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User

from .models import Center


def managed_centers(user: User) -> QuerySet[Center]:
    """Centers this user may manage (empty for anonymous users and plain leaders)."""
    if not user.is_authenticated or not user.is_active:
        return Center.objects.none()
    if user.is_superuser:
        return Center.objects.all()
    return Center.objects.filter(staff=user)


def can_manage_center(user: User, center: Center) -> bool:
    return managed_centers(user).filter(pk=center.pk).exists()


def is_staff_somewhere(user: User) -> bool:
    return managed_centers(user).exists()


def access_center(user: User, slug: str) -> Center:
    """The center if the user manages it; otherwise it does not exist for them (404)."""
    try:
        return managed_centers(user).get(slug=slug)
    except Center.DoesNotExist as missing:
        raise Http404 from missing
