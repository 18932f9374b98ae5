"""No input makes a server error: every URL pattern, query parameter and form field of every
page, with wrong values, as anonymous, leader, staff and superuser.

The crawler (tests/config/crawl.py) finds the pages and forms; Hypothesis draws the inputs
(tests/config/bad_values.py): for URL arguments, ids beyond 64 bits and strings that exist
nowhere; for query parameters and form fields, values that a person could mean mixed with values
that are wrong for sure. Every answer must be below 500. When a value is wrong for sure:
  - the database is unchanged (each request runs in a savepoint that is rolled back afterwards,
    so every example starts from the same world);
  - our own pages say what is wrong: a form error or an alert on the page, an error message
    after a redirect, or a 4xx page (404: "not found" is what is wrong with an id).
Django's own views (admin, set language) must only not fail and not write.

CI (CI=true) runs a fixed seed; locally every run draws new examples. FUZZ_SCALE multiplies the
number of examples (e.g. FUZZ_SCALE=5 for a long local hunt).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.messages import constants as message_levels
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from .bad_values import bad_param_values, definitely_bad, good
from .crawl import Form, Pattern, Site, crawl, fill_patterns, url_patterns, with_query
from .fuzz_world import FuzzWorld, build

IN_CI = os.environ.get("CI", "").lower() == "true"
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))
PROFILE = os.environ.get("FUZZ_PROFILE") == "1"
ROLES = ("anonymous", "leader", "staff", "superuser")
OUR_APPS = ("accounts", "bookings", "calendars", "centers", "config", "console", "groups")
OUR_APPS += ("notifications", "portal", "attendance", "display", "reports", "planning", "api")
# The REST API answers tokens, not sessions: Schemathesis covers it from its schema
# (tests/api/test_schemathesis.py), so the crawler need not reach it.
CRAWL_EXEMPT = ("api/v1/",)
# Tables a refused request may write: the session, and the brake that counts failed logins.
BOOKKEEPING = re.compile(r"\b(django_session|axes_\w+)\b")
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
ERROR_MARKERS = ('role="alert"', 'class="errorlist', "form-errors", "errornote", "message-error")


def examples(n: int) -> int:
    return max(1, int(n * SCALE))


def hypothesis_settings(n: int) -> settings:
    return settings(
        max_examples=examples(n),
        deadline=None,
        derandomize=IN_CI,
        database=None if IN_CI else settings.default.database,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


# --- requests, one savepoint each -------------------------------------------------------------


@dataclass
class Outcome:
    response: HttpResponse
    wrote: bool  # the database differs after the request


class Requester:
    """Sends requests as a role, each in a savepoint rolled back afterwards; counts them."""

    def __init__(self, sessions: dict[str, str]) -> None:
        self.sessions = sessions
        self.count = 0
        self.baseline = snapshot()
        self.seconds = PROFILED  # per URL pattern, for FUZZ_PROFILE=1

    def client(self, role: str) -> Client:
        client = Client()
        if role in self.sessions:
            client.cookies[django_settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def send(self, role: str, method: str, url: str, data: Any = None) -> Outcome:
        writes: list[str] = []

        def watch(execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
            if WRITE.match(sql) and not BOOKKEEPING.search(sql):
                writes.append(sql)
            return execute(sql, params, many, context)

        savepoint = transaction.atomic()
        # Like Django's TestCase atomics: services that want a durable transaction of their
        # own accept being nested in this one.
        savepoint._from_testcase = True
        savepoint.__enter__()
        try:
            started = time.monotonic()
            with connection.execute_wrapper(watch):
                client = self.client(role)
                if method == "post":
                    response = client.post(url, data or {})
                else:
                    response = client.get(url, data or {})
            self.count += 1
            wrote = bool(writes) and snapshot() != self.baseline
            if PROFILE:
                route = getattr(response.wsgi_request.resolver_match, "route", None) or "404"
                key = f"{method} {route}"
                self.seconds.setdefault(key, []).append(time.monotonic() - started)
        finally:
            transaction.set_rollback(True)
            savepoint.__exit__(None, None, None)
        return Outcome(response, wrote)


def snapshot() -> list[tuple]:
    """Every row of every model the people of Treffpunkt can change (not sessions or brakes)."""
    rows = []
    for model in apps.get_models():
        label = model._meta.label
        if label.split(".")[0] in ("sessions", "axes", "admin", "contenttypes", "auth"):
            continue
        rows.append(tuple(model._default_manager.order_by("pk").values_list()))
    return rows


def is_ours(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return True  # our 404 page
    module = getattr(match.func, "__module__", "") or ""
    return module.split(".")[0] in OUR_APPS


def says_what_is_wrong(outcome: Outcome) -> bool:
    response = outcome.response
    if response.status_code in (403, 404, 405, 429):
        return True
    if response.status_code in (301, 302, 303):
        if "/accounts/login/" in response.get("Location", ""):
            return True  # not allowed at all: the login page says so
        stored = getattr(response.wsgi_request, "_messages", None)
        queued = getattr(stored, "_queued_messages", [])
        return any(m.level >= message_levels.ERROR for m in queued)
    body = response.content.decode(errors="replace")
    if not response.get("Content-Type", "").startswith("text/html"):
        return response.status_code == 400 and bool(body.strip())
    return any(marker in body for marker in ERROR_MARKERS)


def check(outcome: Outcome, *, method: str, url: str, data: Any, bad: bool, what: str) -> None:
    status = outcome.response.status_code
    assert status < 500, f"{status} for {method.upper()} {url} {data!r} ({what})"
    if not bad:
        return
    assert not outcome.wrote, f"a wrong value changed the database: {method} {url} {data!r}"
    if is_ours(urlsplit(url).path):
        assert says_what_is_wrong(outcome), (
            f"{status} without saying what is wrong: {method.upper()} {url} {data!r} ({what})"
        )


# --- the world and what the crawler finds in it ------------------------------------------------


@pytest.fixture
def world(make_user, make_center, make_room, make_group, make_equipment) -> FuzzWorld:
    return build(make_user, make_center, make_room, make_group, make_equipment)


def sessions_for(world: FuzzWorld) -> dict[str, str]:
    sessions = {}
    for role, user in (("leader", world.leader), ("staff", world.staff)):
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    client = Client()
    client.force_login(world.superuser)
    sessions["superuser"] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return sessions


def discover(world: FuzzWorld, requester: Requester, patterns: list[Pattern]) -> dict[str, Site]:
    ours = [p for p in patterns if not p.route.startswith("admin/")]
    seeds = ["/", "/me/", "/staff/", "/profile/", "/admin/"]
    seeds += list(fill_patterns(ours, world.ids))
    sites = {}
    for role in ROLES:
        sites[role] = crawl(
            lambda url, role=role: requester.send(role, "get", url).response,
            role,
            seeds,
            patterns,
        )
    return sites


def uncovered(sites: dict[str, Site], patterns: list[Pattern]) -> list[str]:
    """Patterns of our apps that no role reached as a page or as a form's target."""
    reached = set()
    for site in sites.values():
        for url, status in site.pages.items():
            reached.add(urlsplit(url).path) if status < 400 else None
        for form in site.forms:
            reached.add(urlsplit(form.action).path)
    missing = []
    for pattern in patterns:
        if pattern.route.startswith(("admin/", *CRAWL_EXEMPT)):
            continue
        if not is_ours("/" + pattern.route.split("<")[0]):
            continue
        if not any(pattern.matches(path) for path in reached):
            missing.append(pattern.route)
    return missing


# --- the suite ---------------------------------------------------------------------------------

ID_VALUES = st.one_of(
    st.integers(2**63 - 1, 10**40).map(str),
    st.integers(0, 10**6).map(str),
    st.sampled_from(["0", "00000000000000000000000001", "9" * 19, "18446744073709551616"]),
)
TEXT_VALUES = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40
).map(lambda s: quote(s, safe=""))


def test_no_wrong_input_gives_a_server_error(world):
    try:
        run_suite(world)
    finally:
        if PROFILE:
            for key, seconds in sorted(PROFILED.items(), key=lambda kv: -sum(kv[1]))[:30]:
                print(f"{sum(seconds):7.1f} s {len(seconds):5d} × {key}")


PROFILED: dict[str, list[float]] = {}


def run_suite(world: FuzzWorld) -> None:
    clock = time.monotonic()
    patterns = url_patterns()
    requester = Requester(sessions_for(world))
    sites = discover(world, requester, patterns)
    timings = {"crawl": time.monotonic() - clock}

    missing = uncovered(sites, patterns)
    assert not missing, f"the crawler reached no page or form of: {missing}"
    crawled = requester.count

    # 1. URL arguments: ids beyond 64 bits, ids and slugs that do not exist.
    with_params = [p for p in patterns if p.params]

    @hypothesis_settings(400)
    @given(data=st.data())
    def url_arguments(data: st.DataObject) -> None:
        pattern = data.draw(st.sampled_from(with_params), label="pattern")
        values = {}
        for converter, name in pattern.params:
            strategy = ID_VALUES if converter in ("id", "int") else TEXT_VALUES
            values[name] = data.draw(strategy, label=name)
        url = pattern.fill(values)
        role = data.draw(st.sampled_from(ROLES), label="role")
        method = data.draw(st.sampled_from(["get", "post"]), label="method")
        outcome = requester.send(role, method, url)
        check(outcome, method=method, url=url, data=None, bad=False, what=role)
        if any(
            c == "id" and int(v) > 2**63 - 1
            for c, v in zip((c for c, _n in pattern.params), values.values(), strict=True)
        ):
            assert outcome.response.status_code == 404, url

    clock = time.monotonic()
    url_arguments()
    timings["url arguments"] = time.monotonic() - clock

    # 2. Query parameters of every page: the page's own (links, GET forms) and everyone else's.
    pages = [
        (role, url)
        for role, site in sites.items()
        for url, status in site.pages.items()
        if status == 200
    ]
    known = sorted(
        {name for site in sites.values() for names in site.params.values() for name in names}
        | {
            name
            for site in sites.values()
            for form in site.forms
            if form.method == "get"
            for name in form.fields
        }
    )
    get_fields = {
        (role, urlsplit(form.action).path): form
        for role, site in sites.items()
        for form in site.forms
        if form.method == "get"
    }

    @hypothesis_settings(550)
    @given(data=st.data())
    def query_parameters(data: st.DataObject) -> None:
        role, url = data.draw(st.sampled_from(pages), label="page")
        path = urlsplit(url).path
        form = get_fields.get((role, path))
        own = sorted(sites[role].params.get(path, set()) | set(form.fields if form else ()))
        names = data.draw(
            st.lists(
                st.sampled_from(own or known) | st.sampled_from(known),
                min_size=1,
                max_size=3,
                unique=True,
            ),
            label="names",
        )
        params: dict[str, Any] = {}
        bad = False
        for name in names:
            field = form.fields.get(name) if form else None
            wrong = definitely_bad(field, ours=is_ours(path)) if field is not None else None
            if wrong is not None:
                params[name] = data.draw(wrong, label=name)
                bad = True
            else:
                params[name] = data.draw(bad_param_values(), label=name)
        target = with_query(path, {})
        outcome = requester.send(role, "get", target, params)
        check(outcome, method="get", url=target, data=params, bad=bad, what=role)

    clock = time.monotonic()
    query_parameters()
    timings["query parameters"] = time.monotonic() - clock

    # 3. Forms: submitted as rendered, with some fields changed to possible or wrong values.
    forms: list[tuple[str, Form]] = [
        (role, form) for role, site in sites.items() for form in site.forms
    ]

    @hypothesis_settings(900)
    @given(data=st.data())
    def form_fields(data: st.DataObject) -> None:
        role, form = forms[data.draw(st.integers(0, len(forms) - 1), label="form")]
        note(f"{role}: {form!r}")
        payload = form.baseline()
        ours = is_ours(urlsplit(form.action).path)
        fields = [f for f in form.fields.values() if f.type not in ("file", "button", "reset")]
        # An admin formset's "__prefix__" row is the template for rows added by script: the
        # server ignores it beyond TOTAL_FORMS, so a wrong value there is no wrong input.
        breakable = [
            f
            for f in fields
            if "__prefix__" not in f.name and definitely_bad(f, ours=ours) is not None
        ]
        broken = None
        if breakable and data.draw(st.integers(0, 9), label="break?") < 8:
            broken = data.draw(st.sampled_from(breakable), label="broken field")
        for f in fields:
            if f is broken:
                value = data.draw(definitely_bad(f, ours=ours), label=f.name)
            else:
                choice = data.draw(st.integers(0, 5), label=f"{f.name}?")
                if choice <= 2:
                    continue  # as rendered
                if choice == 5 and f.type != "hidden":
                    payload.pop(f.name, None)
                    continue
                value = data.draw(good(f), label=f.name)
            payload[f.name] = value if isinstance(value, list) else [value]
        outcome = requester.send(role, form.method, form.action, payload)
        check(
            outcome,
            method=form.method,
            url=form.action,
            data=payload,
            bad=broken is not None,
            what=f"{role}, field {broken.name if broken else '-'} of the form on {form.page}",
        )

    clock = time.monotonic()
    form_fields()
    timings["form fields"] = time.monotonic() - clock

    total = requester.count
    spent = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items())
    print(f"bad-input suite: {crawled} pages crawled, {total} requests in all; {spent}")
    if IN_CI:
        assert total >= 2000
