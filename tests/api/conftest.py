"""Fixtures for the API: a center with a leader's group, a rival group, staff of this and of
another center, personal tokens for each, and a JSON client.

Dates are in February 2030 (Tuesdays 5, 12, 19, 26), as in tests/portal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from api.models import ApiToken
from api.services import api_token_create
from bookings import services
from bookings.models import Occurrence, Series
from bookings.recurrence import RecurrenceRule
from centers.models import Center, Room
from groups.models import Group

TUESDAYS = [date(2030, 2, 5), date(2030, 2, 12), date(2030, 2, 19), date(2030, 2, 26)]


@dataclass
class World:
    center: Center
    kitchen: Room
    cafe: Room
    hall: Room
    leader: User
    group: Group
    other_leader: User
    other_group: Group
    staff: User
    other_center: Center
    other_staff: User
    series: Series  # the leader's group, weekly in the kitchen, confirmed
    rival: Series  # the other group, requested in the hall
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def dates(self) -> list[Occurrence]:
        return list(self.series.occurrences.order_by("starts_at"))


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()


def _book(user: User, group: Group, room: Room, **rule: Any) -> Series:
    return services.booking_request_create(
        user=user,
        group=group,
        room=room,
        rule=RecurrenceRule(start_date=TUESDAYS[0], start_time=time(18), end_time=time(20), **rule),
        expected_participants=8,
    )


@pytest.fixture
def world(make_user, make_center, make_room, make_group) -> World:
    center = make_center(name="Haus am Markt", slug="markt")
    other_center = make_center(name="Haus am Hafen", slug="hafen")
    leader = make_user(username="leila", first_name="Leila")
    other_leader = make_user(username="otto")
    staff = make_user(username="stefanie")
    center.staff.add(staff)
    other_staff = make_user(username="hafenstaff")
    other_center.staff.add(other_staff)
    kitchen = make_room(center=center, name="Küche", capacity=12)
    cafe = make_room(center=center, name="Café", capacity=30)
    hall = make_room(center=center, name="Saal", capacity=80, requires_approval=True)
    make_room(center=other_center, name="Hafenraum")
    group = make_group(center=center, name="Frauenfrühstück", slug="fruehstueck", leaders=[leader])
    other_group = make_group(
        center=center, name="Kochgruppe Zukunft", slug="kochgruppe", leaders=[other_leader]
    )
    series = _book(leader, group, kitchen, frequency="weekly", count=4)
    rival = _book(other_leader, other_group, hall, frequency="weekly", count=4)
    world = World(
        center=center,
        kitchen=kitchen,
        cafe=cafe,
        hall=hall,
        leader=leader,
        group=group,
        other_leader=other_leader,
        other_group=other_group,
        staff=staff,
        other_center=other_center,
        other_staff=other_staff,
        series=series,
        rival=rival,
    )
    for name, user in (
        ("leader", leader),
        ("other_leader", other_leader),
        ("staff", staff),
        ("other_staff", other_staff),
    ):
        world.tokens[name] = api_token_create(user=user, name=name, scope=ApiToken.Scope.WRITE)[1]
        world.tokens[f"{name}_read"] = api_token_create(
            user=user, name=f"{name} read", scope=ApiToken.Scope.READ
        )[1]
    return world


class Api:
    """JSON requests with an optional token; `.json()` of the answer via response.json()."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def _headers(self, token: str | None, headers: dict[str, str]) -> dict[str, str]:
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return extra

    def get(self, path: str, token: str | None = None, **headers: str) -> Any:
        return self.client.get(path, **self._headers(token, headers))

    def send(
        self,
        method: str,
        path: str,
        data: Any = None,
        token: str | None = None,
        **headers: str,
    ) -> Any:
        call: Callable[..., Any] = getattr(self.client, method.lower())
        body = json.dumps(data if data is not None else {})
        return call(path, body, content_type="application/json", **self._headers(token, headers))

    def post(self, path: str, data: Any = None, token: str | None = None, **headers: str) -> Any:
        return self.send("POST", path, data, token, **headers)


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)
