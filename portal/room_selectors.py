"""Reads for a leader's look at rooms: which rooms they may see, and who uses one in a week or
month, with the days it cannot be booked at all (weekdays without opening hours, closures)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from bookings.models import Occurrence, OccurrenceState, SeriesStatus
from bookings.recurrence import localize
from centers.models import Closure, OpeningHours, Room
from centers.permissions import managed_centers
from groups.models import Group

from . import occupancy


def visible_rooms(user: User) -> QuerySet[Room]:
    """Rooms of centers where the user leads a group or is staff."""
    if not user.is_authenticated or not user.is_active:
        return Room.objects.none()
    if user.is_superuser:
        return Room.objects.all()
    led_centers = Group.objects.filter(leaderships__user=user).values("center")
    return Room.objects.filter(
        Q(center__in=led_centers) | Q(center__in=managed_centers(user).values("pk"))
    )


def access_room(user: User, pk: int) -> Room:
    """The room if the user may see its occupancy; otherwise 404."""
    try:
        return visible_rooms(user).select_related("center", "parent").get(pk=pk)
    except (Room.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing


def room_occupancy(room: Room, *, view: str, day: date) -> occupancy.Calendar:
    """Who uses the room (and the whole/parts of a divisible room) in the week or month of `day`."""
    tz = room.center.tz
    first, last = occupancy.bounds(view, day)
    start = datetime.combine(first, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    units = [room.pk, *room.parts.values_list("pk", flat=True)]
    if room.parent_id:
        units.append(room.parent_id)
    occurrences = (
        Occurrence.objects.filter(
            room__in=units,
            starts_at__lt=end,
            ends_at__gt=start,
            state__in=(OccurrenceState.CONFIRMED, OccurrenceState.REQUESTED),
        )
        .exclude(series__status=SeriesStatus.WITHDRAWN)
        .select_related("series__group", "room")
        .order_by("starts_at")
    )
    entries = [
        occupancy.Entry(
            starts_at=o.starts_at.astimezone(tz),
            ends_at=o.ends_at.astimezone(tz),
            title=o.series.display_title,
            group=o.series.group.name,
            room=o.room.name,
            state=o.state,
            other_unit=o.room_id != room.pk,
        )
        for o in occurrences
    ]
    facts = _hours_and_closures(room, first, last)  # read once for both
    return occupancy.calendar(
        entries,
        view=view,
        day=day,
        today=timezone.localdate(timezone=tz),
        closed=closed_days(room, first, last, facts),
        **free_time(room, first, last, facts),
    )


# The center's opening periods by weekday, and the closures that touch the days shown.
Facts = tuple[dict[int, list[tuple[time, time]]], list[Closure]]


def _hours_and_closures(room: Room, first: date, last: date) -> Facts:
    """The center's opening periods by weekday, and the closures of the center or the room (or
    the hall it is part of) that touch the local days `first` to `last`."""
    center = room.center
    tz = center.tz
    hours: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, opens, closes in OpeningHours.objects.filter(center=center).values_list(
        "weekday", "opens", "closes"
    ):
        hours[weekday].append((opens, closes))
    units = [room.pk] + ([room.parent_id] if room.parent_id else [])
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    closures = list(
        Closure.objects.filter(center=center, starts_at__lt=end, ends_at__gt=start)
        .filter(Q(room__isnull=True) | Q(room__in=units))
        .only("starts_at", "ends_at", "reason")
    )
    return hours, closures


def closed_days(room: Room, first: date, last: date, facts: Facts) -> dict[date, str]:
    """Days from `first` to `last` the room cannot be booked at all, with the reason: weekdays
    without opening hours, and closures of the center or the room that cover the whole day."""
    tz = room.center.tz
    hours, closures = facts
    closed: dict[date, str] = {}
    day = first
    while day <= last:
        if hours and day.weekday() not in hours:
            closed[day] = _("closed all day")
        else:
            spans = hours.get(day.weekday()) or [(time.min, time.max)]
            opens = localize(datetime.combine(day, min(s for s, _e in spans)), tz)
            closes = localize(datetime.combine(day, max(e for _s, e in spans)), tz)
            for closure in closures:
                if closure.starts_at <= opens and closure.ends_at >= closes:
                    closed[day] = _("closed: %(reason)s") % {"reason": closure.reason}
                    break
        day += timedelta(days=1)
    return closed


def free_time(room: Room, first: date, last: date, facts: Facts) -> dict[str, dict]:
    """The opening hours of each open day from `first` to `last` and the local spans closures
    of the center or the room take away from them (the calendar's `opening` and `blocked`)."""
    tz = room.center.tz
    hours, closures = facts
    opening: dict[date, list[tuple[time, time]]] = {}
    blocked: dict[date, list[tuple[time, time]]] = defaultdict(list)
    day = first
    while day <= last:
        if hours.get(day.weekday()):
            opening[day] = hours[day.weekday()]
        day += timedelta(days=1)
    for closure in closures:
        local_start, local_end = closure.starts_at.astimezone(tz), closure.ends_at.astimezone(tz)
        day = max(first, local_start.date())
        while day <= min(last, local_end.date()):
            from_ = local_start.time() if local_start.date() == day else time.min
            to = local_end.time() if local_end.date() == day else time.max
            if from_ < to:
                blocked[day].append((from_, to))
            day += timedelta(days=1)
    # Today, what has passed is gone: slots start at the next half hour.
    now = timezone.localtime(timezone=tz)
    if first <= now.date() <= last:
        minutes = now.hour * 60 + now.minute
        rounded = -(-minutes // 30) * 30
        passed = time.max if rounded >= 24 * 60 else time(rounded // 60, rounded % 60)
        if passed > time.min:
            blocked[now.date()].append((time.min, passed))
    return {"opening": opening, "blocked": dict(blocked)}


def rooms_for_occupancy(user: User) -> QuerySet[Room]:
    return visible_rooms(user).select_related("center").order_by("center__name", "name")
