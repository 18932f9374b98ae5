"""A small but complete world for the bad-input suite: two centers, rooms (one divisible), groups
and their leaders, confirmed and open requests that clash, a closure, a staff note, a private
feed — so that every page shows its forms and links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import FeedToken, User
from accounts.tokens import feed_token_create
from bookings import services
from bookings.models import Series
from bookings.recurrence import RecurrenceRule, localize
from bookings.services.terms import term_create
from centers.models import Center, Closure
from notifications import outbox
from notifications.services import message_send
from planning.services.rounds import Slot as PlanningSlot
from planning.services.rounds import round_create, wish_create

PASSWORD = "correct horse battery staple"


@dataclass
class FuzzWorld:
    center: Center
    other_center: Center
    leader: User
    staff: User
    superuser: User
    request: Series
    confirmed: Series
    feed_token: str
    ids: dict[str, list[str]]  # URL argument name -> values that exist


def _tuesday(weeks_ahead: int) -> date:
    today = date.today()
    return today + timedelta(days=(1 - today.weekday()) % 7 + 7 * weeks_ahead)


def build(make_user, make_center, make_room, make_group, make_equipment) -> FuzzWorld:
    kitchen_gear = make_equipment("kitchen", "Küche")
    center = make_center(name="Haus am Markt", slug="markt")
    staff = make_user(username="anna", password=PASSWORD, is_staff=True)
    center.staff.add(staff)
    superuser = make_user(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    hall = make_room(center=center, name="Saal", capacity=80, requires_approval=True)
    make_room(center=center, name="Saal A", capacity=40, parent=hall, requires_approval=True)
    kitchen = make_room(
        center=center, name="Küche", capacity=14, equipment=[kitchen_gear], cleanup_minutes=30
    )
    leader = make_user(username="lale", password=PASSWORD, preferred_language="de")
    cook = make_user(username="koch", password=PASSWORD)
    language = make_group(center=center, name="Sprachcafé", slug="sprachcafe", leaders=[leader])
    cooking = make_group(center=center, name="Kochgruppe", slug="kochgruppe", leaders=[cook])

    other_center = make_center(name="Haus der Kulturen", slug="kulturen")
    other_room = make_room(center=other_center, name="Werkraum", requires_approval=True)
    other_leader = make_user(username="olga", password=PASSWORD)
    other_group = make_group(center=other_center, name="Nähcafé", leaders=[other_leader])

    def rule(day: date, start: int, end: int, **more: object) -> RecurrenceRule:
        return RecurrenceRule(start_date=day, start_time=time(start), end_time=time(end), **more)

    with outbox.suppressed():
        confirmed = services.booking_request_create(
            user=cook,
            group=cooking,
            room=hall,
            rule=rule(_tuesday(1), 18, 20, frequency="weekly", count=3),
            expected_participants=10,
        )
        services.series_confirm(user=staff, series=confirmed)
        request = services.booking_request_create(
            user=leader,
            group=language,
            room=hall,
            rule=rule(_tuesday(1), 19, 21, frequency="weekly", count=4),
            expected_participants=8,
            note="Bitte Stühle stellen.",
        )
        services.booking_request_create(
            user=leader,
            group=language,
            room=kitchen,
            rule=rule(_tuesday(2), 10, 12),
            expected_participants=6,
        )
        services.booking_request_create(
            user=other_leader,
            group=other_group,
            room=other_room,
            rule=rule(_tuesday(1), 10, 12),
            expected_participants=6,
        )
        tz = center.tz
        services.closure_create(
            user=staff,
            center=center,
            room=kitchen,
            starts_at=localize(datetime.combine(_tuesday(5), time.min), tz),
            ends_at=localize(datetime.combine(_tuesday(5) + timedelta(days=1), time.min), tz),
            reason="Renovierung",
        )
        message_send(user=staff, series=request, body="Bitte Schlüssel abholen.")
        # Planning the next term: a round with a wish of the group, for its pages and forms.
        first = _tuesday(20)
        term = term_create(
            user=staff,
            center=center,
            name="Nächstes Halbjahr",
            first_day=first,
            last_day=first + timedelta(days=120),
        )
        planning_round = round_create(
            user=staff,
            center=center,
            term=term,
            previous_term=None,
            deadline=localize(datetime.combine(first - timedelta(days=7), time(12)), tz),
        )
        wish = wish_create(
            user=leader,
            round=planning_round,
            group=language,
            slot=PlanningSlot(room=kitchen, weekdays=(1,), start_time=time(10), end_time=time(12)),
            expected_participants=6,
        )
        closure = Closure.objects.filter(center=center).first()
    _row, token = feed_token_create(user=leader, kind=FeedToken.Kind.LEADER)
    for series in (request, confirmed):
        series.refresh_from_db()

    occurrences = [str(o.pk) for o in request.occurrences.order_by("pk")[:1]]
    occurrences += [str(o.pk) for o in confirmed.occurrences.order_by("pk")[:1]]
    ids = {
        "slug": [center.slug, other_center.slug, language.slug],
        "pk": [
            str(request.pk),
            str(confirmed.pk),
            *occurrences[:1],
            str(hall.pk),
            str(closure.pk),
            str(planning_round.pk),
        ],
        "wish": [str(wish.pk)],
        "fmt": ["csv", "xlsx"],
        "room_id": [str(hall.pk), str(kitchen.pk)],
        "occurrence_id": occurrences,
        "token": [token, default_token_generator.make_token(leader)],
        "uidb64": [urlsafe_base64_encode(force_bytes(leader.pk))],
    }
    return FuzzWorld(
        center=center,
        other_center=other_center,
        leader=leader,
        staff=staff,
        superuser=superuser,
        request=request,
        confirmed=confirmed,
        feed_token=token,
        ids=ids,
    )
