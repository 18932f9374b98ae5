"""Reads of the API, the embed and the open-data files. Public reads see what the public
program shows (`groups.selectors.public_occurrences`): public groups, confirmed series, their
confirmed and cancelled dates. Every function issues a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.models import Occurrence, Series
from bookings.stamps import plan_version
from centers.models import Center, Closure, Room
from groups.models import Group
from groups.selectors import public_groups, public_occurrences

from .models import OpenData

DEFAULT_WINDOW_DAYS = 31
MAX_WINDOW_DAYS = 366


@dataclass(frozen=True)
class Window:
    """Whole days [first, last] in a center's time zone, as an aware half-open range."""

    first: date
    last: date
    tz: tzinfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=self.tz)


def window(
    first: date | None, last: date | None, *, tz: tzinfo, days: int = DEFAULT_WINDOW_DAYS
) -> Window:
    """The window asked for: from today and a month on unless given; at most a year long.
    Raises ValueError with a translated message for a window people cannot mean."""
    first = first or timezone.localdate(timezone=tz)
    last = last or first + timedelta(days=days - 1)
    if last < first:
        raise ValueError(_("“to” must not be before “from”."))
    if (last - first).days >= MAX_WINDOW_DAYS:
        raise ValueError(
            _("A window can be at most %(days)s days long.") % {"days": MAX_WINDOW_DAYS}
        )
    return Window(first=first, last=last, tz=tz)


# --- centers, rooms, groups --------------------------------------------------------------------


def centers() -> QuerySet[Center]:
    return Center.objects.select_related("open_data").order_by("name", "pk")


def center(slug: str) -> Center:
    """Every center is public; an unknown slug is 404."""
    try:
        return centers().get(slug=slug)
    except Center.DoesNotExist as missing:
        raise Http404 from missing


def rooms(center: Center) -> QuerySet[Room]:
    return Room.objects.filter(center=center).prefetch_related("equipment").order_by("name", "pk")


def public_group(slug: str) -> Group:
    try:
        return public_groups().select_related("center").get(slug=slug)
    except Group.DoesNotExist as missing:
        raise Http404 from missing


def open_data(center: Center) -> OpenData | None:
    try:
        return center.open_data
    except OpenData.DoesNotExist:
        return None


# --- dates and closures --------------------------------------------------------------------------


def public_dates(center: Center) -> QuerySet[Occurrence]:
    """The center's public dates (the window is the filter's), with group, series and room."""
    return (
        public_occurrences()
        .filter(series__group__center=center)
        .select_related("series__group", "room")
        .order_by("starts_at", "pk")
    )


def group_dates(group: Group) -> QuerySet[Occurrence]:
    return public_dates(group.center).filter(series__group=group)


def closures(center: Center) -> QuerySet[Closure]:
    return Closure.objects.filter(center=center).select_related("room").order_by("starts_at", "pk")


def open_data_dates(*, center: Center, span: Window) -> list[Occurrence]:
    """Public dates in the window with everything the JSON-LD and CSV files show."""
    return list(
        public_occurrences()
        .filter(series__group__center=center, starts_at__lt=span.end, ends_at__gt=span.start)
        .select_related("series__group__center", "series__group__organisation", "room")
        .prefetch_related("series__group__languages")
        .order_by("starts_at", "pk")
    )


def plan_stamp(center: Center) -> tuple:
    """What a center's public dates and closures depend on, in one indexed read: the plan
    version, raised in their own transaction by every writer of the plan and by every change
    of the center, its groups (languages too) and rooms (`calendars.versions`), and the
    center's day. Same stamp, same response (with the same query)."""
    return (plan_version(center.pk), timezone.localdate(timezone=center.tz).isoformat())


# --- personal ------------------------------------------------------------------------------------


def queue(centers_qs: QuerySet[Center]) -> QuerySet[Series]:
    """Series with dates waiting for a decision in these centers, oldest first."""
    from bookings.selectors import pending_series

    return pending_series(centers_qs)


def personal_dates(base: QuerySet[Occurrence]) -> QuerySet[Occurrence]:
    return base.select_related("series__group__center", "room").order_by("starts_at", "pk")
