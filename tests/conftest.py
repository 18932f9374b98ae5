"""Shared fixtures (factories) and the rules for tests that need outside services.

Markers: `postgres`, `redis`, `browser`, `shared` name what a test needs. Where it is missing the
test is skipped with the reason — except under CI=true, where a skip is a failure: CI proves
everything. In CI the two runs split the work: tests marked `postgres` run in the PostgreSQL
run and `sqlite` in the SQLite run; the other run deselects them instead of skipping.
"""

import itertools
import os
from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
from django.db import connection

from accounts.models import User
from centers.models import Center, Equipment, OpeningHours, Room
from groups.models import Group, GroupLeader, Language, Organisation

IN_CI = os.environ.get("CI", "").lower() == "true"
_counter = itertools.count(1)


def _vendor() -> str:
    return connection.vendor


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    vendor = _vendor()
    keep, drop = [], []
    for item in items:
        if IN_CI and (
            (item.get_closest_marker("postgres") and vendor != "postgresql")
            or (item.get_closest_marker("sqlite") and vendor != "sqlite")
            or (item.get_closest_marker("redis") and not os.environ.get("REDIS_URL"))
        ):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_runtest_setup(item: pytest.Item) -> None:
    vendor = _vendor()
    if item.get_closest_marker("postgres") and vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if item.get_closest_marker("sqlite") and vendor != "sqlite":
        pytest.skip("SQLite-specific: runs when DATABASE_URL is unset")
    if item.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: set REDIS_URL=redis://…")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must prove everything: {reason}"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Every test starts with an empty cache: rate-limit counters and cached pages of one
    test must not decide another's outcome."""
    from django.core.cache import cache

    from calendars.cache import forget_heads

    cache.clear()
    forget_heads()


# --- factories --------------------------------------------------------------------------------


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(**overrides: Any) -> User:
        n = next(_counter)
        fields = {"username": f"user{n}", "email": f"user{n}@example.org"}
        fields.update(overrides)
        password = fields.pop("password", "correct horse battery staple")
        user = User.objects.create_user(**fields)
        user.set_password(password)
        user.save(update_fields=["password"])
        return user

    return make


@pytest.fixture
def make_center(db: None) -> Callable[..., Center]:
    def make(*, opening_hours: bool = True, **overrides: Any) -> Center:
        n = next(_counter)
        fields = {
            "name": f"Begegnungszentrum {n}",
            "slug": f"center-{n}",
            "street": "Burgsdorffstraße 76",
            "postal_code": "46284",
            "city": "Dorsten",
            "federal_state": "NW",
            # Tests book years ahead so that their dates never slide into the past; the
            # horizon rule (12 months by default) has tests of its own that set it.
            "booking_horizon_months": 120,
        }
        fields.update(overrides)
        center = Center.objects.create(**fields)
        if opening_hours:
            OpeningHours.objects.bulk_create(
                OpeningHours(center=center, weekday=day, opens=time(8), closes=time(22))
                for day in range(7)
            )
        return center

    return make


@pytest.fixture
def make_equipment(db: None) -> Callable[..., Equipment]:
    def make(code: str = "kitchen", name: str | None = None) -> Equipment:
        equipment, _ = Equipment.objects.get_or_create(
            code=code, defaults={"name": name or code.title(), "name_en": name or code.title()}
        )
        return equipment

    return make


@pytest.fixture
def make_room(db: None, make_center: Callable[..., Center]) -> Callable[..., Room]:
    def make(*, equipment: list[Equipment] = (), **overrides: Any) -> Room:
        n = next(_counter)
        if "center" not in overrides:
            overrides["center"] = make_center()
        fields = {"name": f"Raum {n}", "capacity": 20, "requires_approval": False}
        fields.update(overrides)
        room = Room.objects.create(**fields)
        if equipment:
            room.equipment.set(equipment)
        return room

    return make


@pytest.fixture
def make_group(db: None, make_center: Callable[..., Center]) -> Callable[..., Group]:
    def make(*, leaders: list[User] = (), languages: list[str] = (), **overrides: Any) -> Group:
        n = next(_counter)
        if "center" not in overrides:
            overrides["center"] = make_center()
        fields = {"name": f"Gruppe {n}", "slug": f"gruppe-{n}"}
        fields.update(overrides)
        group = Group.objects.create(**fields)
        for user in leaders:
            GroupLeader.objects.create(group=group, user=user)
        for code in languages:
            language, _ = Language.objects.get_or_create(
                code=code, defaults={"name_de": code, "name_en": code}
            )
            group.languages.add(language)
        return group

    return make


@pytest.fixture
def make_organisation(db: None) -> Callable[..., Organisation]:
    def make(**overrides: Any) -> Organisation:
        fields = {"name": f"Verein {next(_counter)} e.V."}
        fields.update(overrides)
        return Organisation.objects.create(**fields)

    return make
