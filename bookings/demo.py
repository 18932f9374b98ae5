"""Demo bookings for `manage.py load_demo`: the groups' regular meetings, and a few clashes.

Reads each demo group's `meetings` from centers/demo_data.py and books them through the
services (so holidays, closures, blocks and the mirror are exactly as in real use). Idempotent:
a meeting or a clash that already has its series is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.models import User
from centers import demo_data as demo
from centers.models import Center, Room
from groups.models import Group

from . import services
from .models import Series, SeriesStatus
from .recurrence import RecurrenceRule

# The regular meetings are booked this far ahead; the horizon job takes it from there.
MONTHS_AHEAD = 4
# How many pending requests that clash with a confirmed meeting the demo leaves for staff.
CLASHES = 4
# A leader's own words, in the language of the (German) demo centers: notes are not translated.
DEMO_CLASH_NOTE = "Demo: überschneidet sich mit einem regelmäßigen Treffen – bitte im Team klären."
# The note of demo data loaded before; a second run must still find that request.
_OLD_DEMO_CLASH_NOTE = "Demo: overlaps with a regular meeting, for staff to resolve."


def _meeting_rule(meeting: demo.Meeting, *, first: date, until: date) -> RecurrenceRule:
    return RecurrenceRule(
        start_date=first,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        frequency=meeting.frequency,
        interval=meeting.interval,
        weekdays=tuple(meeting.weekdays),
        monthly_mode=meeting.monthly_mode,
        monthly_position=meeting.monthly_position,
        until=until,
    )


def create_demo_bookings(*, today: date | None = None) -> dict:
    """Book the demo groups' regular meetings (confirmed) and a handful of clashing requests."""
    today = today or timezone.localdate()
    first, until = today + timedelta(days=1), today + relativedelta(months=MONTHS_AHEAD)
    counts = {"series": 0, "confirmed": 0, "clashing requests": 0, "unchanged": 0}
    groups = {g.slug: g for g in Group.objects.select_related("center")}
    rooms = {(r.center.slug, r.name): r for r in Room.objects.select_related("center")}
    centers = {c.slug: c for c in Center.objects.all()}
    users = {u.username: u for u in User.objects.all()}
    meetings: list[tuple[Group, Room, demo.Meeting]] = []
    for center_data in demo.CENTERS:
        center = centers.get(center_data.slug)
        staff = users.get(center_data.staff_username)
        if center is None or staff is None:
            continue
        for group_data in center_data.groups:
            group = groups.get(group_data.slug)
            for meeting in group_data.meetings:
                room = rooms.get((center.slug, meeting.room))
                if group is None or room is None:
                    continue
                meetings.append((group, room, meeting))
                if Series.objects.filter(
                    group=group, room=room, start_time=meeting.start_time, note=""
                ).exists():
                    counts["unchanged"] += 1
                    continue
                series = services.booking_request_create(
                    user=staff,
                    group=group,
                    room=room,
                    rule=_meeting_rule(meeting, first=first, until=until),
                    expected_participants=meeting.expected_participants,
                    title=meeting.title,
                )
                if series.status != SeriesStatus.CONFIRMED:
                    services.series_confirm(user=staff, series=series, skip_clashing=True)
                counts["series"] += 1
                counts["confirmed"] += series.occurrences.filter(state="confirmed").count()
    counts["clashing requests"] = _clashing_requests(meetings, first=first, users=users)
    return counts


def _clashing_requests(
    meetings: list[tuple[Group, Room, demo.Meeting]], *, first: date, users: dict[str, User]
) -> int:
    """Another group of the same center asks for a regular meeting's room and time, once."""
    created = 0
    weekly = [m for m in meetings if m[2].frequency == "weekly"][:CLASHES]
    for group, room, meeting in weekly:
        rival = (
            Group.objects.filter(center=group.center).exclude(pk=group.pk).order_by("name").first()
        )
        if (
            rival is None
            or Series.objects.filter(
                group=rival, note__in=(DEMO_CLASH_NOTE, _OLD_DEMO_CLASH_NOTE), room=room
            ).exists()
        ):
            continue
        leader = users.get(f"leader-{rival.slug}") or rival.leaders.first()
        if leader is None:
            continue
        # Two weeks on, on the meeting's weekday, half an hour into it.
        day = first + timedelta(days=14)
        day += timedelta(days=(meeting.weekdays[0] - day.weekday()) % 7)
        start = (datetime.combine(day, meeting.start_time) + timedelta(minutes=30)).time()
        services.booking_request_create(
            user=leader,
            group=rival,
            room=room,
            rule=RecurrenceRule(start_date=day, start_time=start, end_time=meeting.end_time),
            expected_participants=min(room.capacity, rival.usual_size),
            note=DEMO_CLASH_NOTE,
        )
        created += 1
    return created
