"""Demo attendance for `manage.py load_demo`: the demo groups' meetings of the past months with
plausible counts, so the reports are full right after `make run`.

How past dates come about: the booking services refuse a first date in the past, as they
should. So the demo travels back in time (time-machine, a development dependency that
`make run` installs) to the day before the first past date, books each regular meeting from
there until today through `bookings.services` (holidays and closures cancel their dates as in
real use; staff confirm), and cancels a few dates as the group would, on the day before. A
few rival requests are declined, one is withdrawn, one is never decided: unmet demand. Then
counts are written for the dates that took place, sized by the meeting, the season and a
seeded random number (the same numbers on every machine), except the last days' dates, which
the leaders' dashboards ask for. Idempotent: series carry DEMO_NOTE and are not booked twice.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from bookings import services
from bookings.models import Occurrence, OccurrenceState, Series, SeriesStatus
from bookings.recurrence import RecurrenceRule
from centers import demo_data as demo
from centers.models import Center, Room
from groups.models import Group

from .models import Attendance, BreakdownCategory

MONTHS_BACK = 14
DEMO_NOTE = "Demo: earlier months, for the reports."
RIVAL_NOTE = "Demo: an earlier request that clashed."
# The dates of the last days stay without a count: the dashboards ask for them.
UNCOUNTED_DAYS = 3
# (dimension, dimension_en, name, name_en) counted by every demo center.
CATEGORIES = (
    ("Alter", "Age", "unter 18", "under 18"),
    ("Alter", "Age", "18–64", "18–64"),
    ("Alter", "Age", "65 und älter", "65 and older"),
    ("Geschlecht", "Gender", "weiblich", "female"),
    ("Geschlecht", "Gender", "männlich", "male"),
    ("Geschlecht", "Gender", "divers", "diverse"),
    ("Erstbesuch", "First visit", "zum ersten Mal hier", "first time here"),
)
# Fewer people in the summer holidays and around Christmas, more in spring and autumn.
SEASON = {1: 0.95, 2: 1.0, 3: 1.05, 4: 1.0, 5: 1.0, 6: 0.9, 7: 0.7, 8: 0.7, 9: 1.05,
          10: 1.05, 11: 1.0, 12: 0.85}  # fmt: skip


@contextmanager
def _at(moment: datetime) -> Iterator[None]:
    import time_machine  # development dependency; only the demo travels in time

    with time_machine.travel(moment, tick=True):
        yield


def create_demo_attendance(*, today: date | None = None) -> dict:
    try:
        import time_machine  # noqa: F401
    except ImportError:
        return {"skipped": "time-machine is not installed (pip install -e '.[dev]')"}
    from notifications.outbox import suppressed

    today = today or timezone.localdate()
    counts = {"series": 0, "cancelled by groups": 0, "rival requests": 0, "counts": 0}
    with suppressed():
        for center in Center.objects.filter(slug__in=[c.slug for c in demo.CENTERS]):
            _categories(center)
        _coordinator()
        booked = _book_past_meetings(today, counts)
        _rival_requests(today, booked, counts)
        counts["counts"] = _counts(today)
    return counts


def _categories(center: Center) -> None:
    for position, (dimension, dimension_en, name, name_en) in enumerate(CATEGORIES):
        BreakdownCategory.objects.get_or_create(
            center=center,
            dimension=dimension,
            name=name,
            defaults={"dimension_en": dimension_en, "name_en": name_en, "position": position},
        )


COORDINATOR_USERNAME = "coordinator-diakonie"
COORDINATED = "Diakonisches Werk im Kirchenkreis Recklinghausen gGmbH"


def _coordinator() -> None:
    """A coordinator login: the Diakonie's figures, across centers, and nothing else."""
    from groups.models import Organisation
    from reports.models import Coordinator

    organisation = Organisation.objects.filter(name=COORDINATED).first()
    if organisation is None:
        return
    user, created = User.objects.get_or_create(
        username=COORDINATOR_USERNAME,
        defaults={"first_name": "Dana", "last_name": "Koordination", "email": ""},
    )
    if created:
        user.set_password(demo.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Coordinator.objects.get_or_create(user=user, organisation=organisation)


def _book_past_meetings(today: date, counts: dict) -> list[Series]:
    first = today - relativedelta(months=MONTHS_BACK)
    groups = {g.slug: g for g in Group.objects.select_related("center")}
    rooms = {(r.center.slug, r.name): r for r in Room.objects.select_related("center")}
    users = {u.username: u for u in User.objects.all()}
    booked = []
    for center_data, group_data, meeting in demo.iter_meetings():
        group = groups.get(group_data.slug)
        room = rooms.get((center_data.slug, meeting.room))
        staff = users.get(center_data.staff_username)
        leader = users.get(group_data.leader_username)
        if None in (group, room, staff, leader):
            continue
        existing = Series.objects.filter(
            group=group, room=room, start_time=meeting.start_time, note=DEMO_NOTE
        ).first()
        if existing is not None:
            booked.append(existing)
            continue
        rule = RecurrenceRule(
            start_date=first,
            start_time=meeting.start_time,
            end_time=meeting.end_time,
            frequency=meeting.frequency,
            interval=meeting.interval,
            weekdays=tuple(meeting.weekdays),
            monthly_mode=meeting.monthly_mode,
            monthly_position=meeting.monthly_position,
            until=today,
        )
        tz = group.center.tz
        with _at(datetime.combine(first - timedelta(days=1), time(9), tzinfo=tz)):
            series = services.booking_request_create(
                user=staff,
                group=group,
                room=room,
                rule=rule,
                expected_participants=meeting.expected_participants,
                title=meeting.title,
                note=DEMO_NOTE,
            )
            if series.status != SeriesStatus.CONFIRMED:
                services.series_confirm(user=staff, series=series, skip_clashing=True)
        counts["series"] += 1
        booked.append(series)
        counts["cancelled by groups"] += _cancel_some(series, leader, tz)
    return booked


def _cancel_some(series: Series, leader: User, tz: object) -> int:
    """About one date in 25 is called off by the group, the day before."""
    rng = random.Random(f"cancel-{series.group.slug}-{series.start_time}")
    dates = list(
        series.occurrences.filter(state=OccurrenceState.CONFIRMED).order_by("starts_at")[1:]
    )
    chosen = [d for d in dates if rng.random() < 0.04]
    reasons = ["Krankheit der Leitung", "Ausflug der Gruppe", "Zu wenige Anmeldungen"]
    for occurrence in chosen:
        day_before = occurrence.starts_at.astimezone(tz).date() - timedelta(days=1)
        with _at(datetime.combine(day_before, time(12), tzinfo=tz)):
            services.occurrence_cancel(
                user=leader, occurrence=occurrence, reason=rng.choice(reasons)
            )
    return len(chosen)


def _rival_requests(today: date, booked: list[Series], counts: dict) -> None:
    """Other groups asked for a regular meeting's room and time: declined by staff (four),
    withdrawn by the group (one), never decided (one)."""
    weekly = [s for s in booked if s.frequency == "weekly"][:6]
    users = {u.username: u for u in User.objects.all()}
    for n, series in enumerate(weekly):
        others = list(
            Group.objects.filter(center=series.group.center).exclude(pk=series.group_id)[:3]
        )
        rival = others[n % len(others)] if others else None
        if (
            rival is None
            or Series.objects.filter(
                note=RIVAL_NOTE, room=series.room, start_time=series.start_time
            ).exists()
        ):
            continue
        leader = users.get(f"leader-{rival.slug}") or rival.leaders.first()
        staff = series.group.center.staff.order_by("pk").first()
        target = (
            series.occurrences.filter(
                state=OccurrenceState.CONFIRMED,
                starts_at__lt=timezone.now() - timedelta(days=30 * (n + 1)),
            )
            .order_by("-starts_at")
            .first()
        )
        if leader is None or staff is None or target is None:
            continue
        tz = series.group.center.tz
        local = target.starts_at.astimezone(tz)
        with _at(local - timedelta(days=10)):
            request = services.booking_request_create(
                user=leader,
                group=rival,
                room=series.room,
                rule=RecurrenceRule(
                    start_date=local.date(),
                    start_time=series.start_time,
                    end_time=series.end_time,
                ),
                expected_participants=min(series.room.capacity, rival.usual_size),
                note=RIVAL_NOTE,
            )
            if n < 4:
                services.series_decline(
                    user=staff, series=request, reason="Der Raum ist zu dieser Zeit belegt."
                )
            elif n == 4:
                services.series_withdraw(user=leader, series=request, reason="Anders gelöst")
        counts["rival requests"] += 1


def _people(occurrence: Occurrence, expected: int, rng: random.Random) -> int:
    month = occurrence.starts_at.month
    mean = max(2.0, expected * SEASON[month] * 0.85)
    return max(0, round(rng.gauss(mean, max(1.0, mean * 0.18))))


def _split(total: int, shares: list[float], rng: random.Random) -> list[int]:
    """`total` people split roughly by `shares`; the parts add up to exactly `total`."""
    parts, remaining = [0] * len(shares), total
    for i in range(1, len(shares)):
        parts[i] = min(remaining, int(total * shares[i] * rng.uniform(0.85, 1.15)))
        remaining -= parts[i]
    parts[0] = remaining
    return parts


AGE_SHARES = {
    "children": [0.85, 0.15, 0.0],
    "youth": [0.9, 0.1, 0.0],
    "seniors": [0.0, 0.15, 0.85],
    "families": [0.5, 0.45, 0.05],
}


def _counts(today: date) -> int:
    categories = {
        center_id: {c.name: c.key for c in BreakdownCategory.objects.filter(center_id=center_id)}
        for center_id in Center.objects.values_list("pk", flat=True)
    }
    cutoff = timezone.now() - timedelta(days=UNCOUNTED_DAYS)
    dates = (
        Occurrence.objects.filter(
            series__note=DEMO_NOTE,
            state=OccurrenceState.CONFIRMED,
            starts_at__lt=cutoff,
        )
        .filter(Q(attendance__isnull=True))
        .select_related("series__group__center")
    )
    rows = []
    leaders: dict[int, User | None] = {}
    for occurrence in dates:
        group = occurrence.series.group
        rng = random.Random(f"{group.slug}-{occurrence.starts_at.isoformat()}")
        if rng.random() < 0.04:
            continue  # forgotten: the staff list of missing counts has something to show
        people = _people(occurrence, occurrence.series.expected_participants, rng)
        keys = categories[group.center_id]
        ages = _split(people, AGE_SHARES.get(group.audience, [0.1, 0.6, 0.3]), rng)
        women = 0.95 if group.audience == "women" else 0.6
        genders = _split(people, [women, 1 - women - 0.02, 0.02], rng)
        newcomers = min(people, max(0, round(rng.gauss(people * 0.08, 1))))
        breakdown = {
            keys["unter 18"]: ages[0],
            keys["18–64"]: ages[1],
            keys["65 und älter"]: ages[2],
            keys["weiblich"]: genders[0],
            keys["männlich"]: genders[1],
            keys["divers"]: genders[2],
            keys["zum ersten Mal hier"]: newcomers,
        }
        hours = (occurrence.ends_at - occurrence.starts_at).total_seconds() / 3600
        if group.pk not in leaders:
            leaders[group.pk] = group.leaders.order_by("pk").first()
        rows.append(
            Attendance(
                occurrence=occurrence,
                participants=people,
                breakdown={k: v for k, v in breakdown.items() if v},
                volunteer_hours=Decimal(str(round(hours * rng.choice([1, 1, 1.5, 2]), 2))),
                recorded_by=leaders[group.pk],
            )
        )
    bulk_create_with_history(
        rows, Attendance, batch_size=500, default_change_reason="count recorded (demo)"
    )
    return len(rows)
