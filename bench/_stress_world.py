"""The center `stress_mixed.py` works on, and what every worker records while it works.

One center with a hall divisible into two halves (with setup and cleanup buffers), a kitchen
whose requests need approval, a seminar room and a small room; opening hours 8–22; a projector
in the hall. Twelve groups with two leaders each: an *acting* leader (books, moves, cancels;
no e-mail address) and a *reading* leader (receives e-mails, never acts). Staff act as
superusers who are not listed as the center's staff; a reading staff member is listed and
receives the staff e-mails. So nobody who acts is ever a recipient, and the expected
recipients of every event are known without the outbox's rules for leaving out the actor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from accounts.models import User
from centers.models import Center, Equipment, OpeningHours, Room
from groups.models import Group, GroupLeader

WINDOW_START = date(2027, 1, 11)  # a Monday; Good Friday and Easter Monday fall inside
WINDOW_WEEKS = 10
GROUPS = 12


@dataclass
class StressWorld:
    center_id: int
    room_ids: list[int]
    hall_ids: list[int]  # the hall and its halves
    staff_ids: list[int]  # acting staff (superusers, not the center's staff)
    leader_of: dict[int, int]  # group id -> acting leader id
    equipment_ids: list[int]
    reader_staff_id: int
    extra: dict = field(default_factory=dict)


def build() -> StressWorld:
    center = Center.objects.create(
        name="Stresszentrum",
        slug="stress",
        street="Hauptstraße 1",
        postal_code="44135",
        city="Dortmund",
        federal_state="NW",
        booking_horizon_months=12,
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(center=center, weekday=d, opens=time(8), closes=time(22)) for d in range(7)
    )
    projector = Equipment.objects.create(code="projector", name="Beamer", name_en="Projector")
    piano = Equipment.objects.create(code="piano", name="Klavier", name_en="Piano")
    hall = Room.objects.create(
        center=center,
        name="Saal",
        capacity=120,
        setup_minutes=15,
        cleanup_minutes=15,
        requires_approval=False,
    )
    hall.equipment.add(projector)
    half_a = Room.objects.create(
        center=center, name="Saal A", capacity=60, parent=hall, cleanup_minutes=10
    )
    half_b = Room.objects.create(
        center=center, name="Saal B", capacity=60, parent=hall, setup_minutes=10
    )
    kitchen = Room.objects.create(center=center, name="Küche", capacity=14, requires_approval=True)
    seminar = Room.objects.create(
        center=center, name="Seminarraum", capacity=25, requires_approval=False
    )
    small = Room.objects.create(
        center=center, name="Beratung", capacity=6, requires_approval=False, cleanup_minutes=5
    )
    reader_staff = User.objects.create_user(
        username="reading-staff", email="staff@example.org", preferred_language="de"
    )
    center.staff.add(reader_staff)
    staff = [
        User.objects.create_user(username=f"acting-staff-{n}", email="", is_superuser=True)
        for n in range(2)
    ]
    leader_of: dict[int, int] = {}
    for n in range(GROUPS):
        group = Group.objects.create(center=center, name=f"Gruppe {n}", slug=f"gruppe-{n}")
        acting = User.objects.create_user(
            username=f"acting-leader-{n}", email="", email_notifications=False
        )
        reading = User.objects.create_user(
            username=f"reading-leader-{n}",
            email=f"leader{n}@example.org",
            preferred_language="en" if n % 3 == 0 else "de",
        )
        GroupLeader.objects.create(group=group, user=acting)
        GroupLeader.objects.create(group=group, user=reading, role=GroupLeader.Role.DEPUTY)
        leader_of[group.pk] = acting.pk
    return StressWorld(
        center_id=center.pk,
        room_ids=[hall.pk, half_a.pk, half_b.pk, kitchen.pk, seminar.pk, small.pk],
        hall_ids=[hall.pk, half_a.pk, half_b.pk],
        staff_ids=[u.pk for u in staff],
        leader_of=leader_of,
        equipment_ids=[projector.pk, piano.pk],
        reader_staff_id=reader_staff.pk,
    )


def window_bounds(tz) -> tuple[datetime, datetime]:
    """From the first day of the window to a year later (open-ended series reach that far)."""
    start = datetime.combine(WINDOW_START - timedelta(days=7), time.min, tzinfo=tz)
    return start, start + timedelta(days=400)
