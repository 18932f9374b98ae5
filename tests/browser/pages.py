"""Every HTML page of every role, for the responsive browser test, and the list of URL patterns
that are no page of their own, each with the reason. tests/config/test_page_coverage.py checks
that every URL pattern is in one of the two lists, so a new page cannot slip past the test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from bookings import services as bookings
from bookings.recurrence import RecurrenceRule, localize
from centers.models import Closure, Term
from groups.models import Group, Organisation
from planning import services as planning
from planning.models import Round
from planning.services import Slot
from reports.models import Coordinator

DEMO_PASSWORD = "treffpunkt-demo"
LONG_NAME = "Frauengesprächskreis Lebensbegleitungsangebote Öztürk"


@dataclass
class Scene:
    """The console test world (tests/console/conftest.py) and what the other pages need."""

    world: Any
    organisation: Organisation
    closure: Closure
    summer: Term
    round: Round
    reset: str  # a password reset link of the leader

    def __getattr__(self, name: str) -> Any:
        return getattr(self.world, name)


@dataclass(frozen=True)
class Page:
    # The URL pattern's name; after '#', which view of it ("staff:board#week").
    name: str
    user: str | None  # None: nobody signed in
    path: Callable[[Scene], str]
    # Screens and the embedded program take their language from ?lang=, not from the cookie.
    lang_query: bool = False
    # Set where the page has one language whatever the visitor's (Swagger UI is English only).
    only_in: str | None = None
    # A page drawn by script after it loads: what to wait for before it is checked.
    ready: str | None = None


def _c(scene: Scene) -> str:
    return scene.center.slug


# In the order they are visited: one sign-in per person.
PAGES: list[Page] = [
    # --- residents, nobody signed in ----------------------------------------------------------
    Page("home", None, lambda s: "/"),
    Page("centers:detail", None, lambda s: f"/centers/{_c(s)}/"),
    Page("centers:program", None, lambda s: f"/centers/{_c(s)}/program/"),
    Page("centers:room", None, lambda s: f"/centers/{_c(s)}/rooms/{s.kitchen.pk}/"),
    Page("groups:detail", None, lambda s: f"/groups/{s.breakfast.slug}/"),
    Page("display:foyer", None, lambda s: f"/display/{_c(s)}/", lang_query=True),
    Page("display:door", None, lambda s: f"/display/{_c(s)}/room/{s.kitchen.pk}/", lang_query=True),
    Page("embed:frame", None, lambda s: f"/embed/{_c(s)}/", lang_query=True),
    Page("api:docs", None, lambda s: "/api/v1/docs/", only_in="en", ready=".opblock"),
    Page("login", None, lambda s: "/accounts/login/"),
    Page("password_reset", None, lambda s: "/accounts/password_reset/"),
    Page("password_reset_done", None, lambda s: "/accounts/password_reset/done/"),
    Page("password_reset_confirm", None, lambda s: s.reset),
    Page("password_reset_complete", None, lambda s: "/accounts/reset/done/"),
    Page("!not-found", None, lambda s: "/centers/no-such-center/"),
    # --- a group leader ----------------------------------------------------------------------
    Page("leader:dashboard", "lale", lambda s: "/me/"),
    Page("home#signed-in", "lale", lambda s: "/"),
    Page("leader:series", "lale", lambda s: f"/me/series/{s.request.pk}/"),
    Page("leader:series#confirmed", "lale", lambda s: f"/me/series/{s.breakfast_series.pk}/"),
    Page("leader:request", "lale", lambda s: "/me/request/"),
    Page("leader:rooms", "lale", lambda s: "/me/rooms/"),
    Page("leader:room", "lale", lambda s: f"/me/rooms/{s.kitchen.pk}/?date=2030-02-05"),
    Page("planning:rounds", "lale", lambda s: "/me/planning/"),
    Page("planning:round", "lale", lambda s: f"/me/planning/{s.round.pk}/"),
    Page(
        "attendance:record",
        "lale",
        lambda s: f"/attendance/{s.breakfast_series.occurrences.first().pk}/",
    ),
    Page("accounts:profile", "lale", lambda s: "/profile/"),
    Page("password_change", "lale", lambda s: "/accounts/password_change/"),
    Page("password_change_done", "lale", lambda s: "/accounts/password_change/done/"),
    # --- staff of a center -------------------------------------------------------------------
    Page("staff:index", "anna", lambda s: "/staff/"),
    Page("staff:overview", "anna", lambda s: f"/staff/{_c(s)}/"),
    Page("staff:requests", "anna", lambda s: f"/staff/{_c(s)}/requests/"),
    Page("staff:request", "anna", lambda s: f"/staff/{_c(s)}/requests/{s.request.pk}/"),
    Page(
        "staff:request#confirmed",
        "anna",
        lambda s: f"/staff/{_c(s)}/requests/{s.confirmed.pk}/",
    ),
    Page(
        "attendance:record#staff",
        "anna",
        lambda s: f"/attendance/{s.breakfast_series.occurrences.first().pk}/",
    ),
    Page("accounts:profile#staff", "anna", lambda s: "/profile/"),
    Page("staff:board", "anna", lambda s: f"/staff/{_c(s)}/board/?date=2030-02-05"),
    Page(
        "staff:board#week",
        "anna",
        lambda s: f"/staff/{_c(s)}/board/?date=2030-02-05&view=week",
    ),
    Page("staff:week", "anna", lambda s: f"/staff/{_c(s)}/week/?date=2030-02-05"),
    Page("staff:closures", "anna", lambda s: f"/staff/{_c(s)}/closures/"),
    Page("staff:closure_edit", "anna", lambda s: f"/staff/{_c(s)}/closures/{s.closure.pk}/"),
    Page(
        "staff:closure_delete",
        "anna",
        lambda s: f"/staff/{_c(s)}/closures/{s.closure.pk}/delete/",
    ),
    Page("reports:center", "anna", lambda s: f"/staff/{_c(s)}/reports/"),
    Page("reports:missing", "anna", lambda s: f"/staff/{_c(s)}/reports/missing/"),
    Page("reports:categories", "anna", lambda s: f"/staff/{_c(s)}/reports/categories/"),
    Page("display_staff:settings", "anna", lambda s: f"/staff/{_c(s)}/display/"),
    Page("planning_staff:index", "anna", lambda s: f"/staff/{_c(s)}/planning/"),
    Page("planning_staff:terms", "anna", lambda s: f"/staff/{_c(s)}/planning/terms/"),
    Page(
        "planning_staff:term_edit",
        "anna",
        lambda s: f"/staff/{_c(s)}/planning/terms/{s.summer.pk}/",
    ),
    Page(
        "planning_staff:school_holidays",
        "anna",
        lambda s: f"/staff/{_c(s)}/planning/school-holidays/",
    ),
    Page("planning_staff:round", "anna", lambda s: f"/staff/{_c(s)}/planning/{s.round.pk}/"),
    Page(
        "planning_staff:allocate",
        "anna",
        lambda s: f"/staff/{_c(s)}/planning/{s.round.pk}/allocate/",
    ),
    # --- a coordinator of an organisation ----------------------------------------------------
    Page("reports:index", "carla", lambda s: "/reports/"),
    Page("reports:organisation", "carla", lambda s: f"/reports/organisations/{s.organisation.pk}/"),
    # --- an administrator (Django's admin: the index, one list and one form as samples) ------
    Page("admin:index", "root", lambda s: "/admin/"),
    Page("admin:bookings_series_changelist", "root", lambda s: "/admin/bookings/series/"),
    Page(
        "admin:centers_center_change",
        "root",
        lambda s: f"/admin/centers/center/{s.center.pk}/change/",
    ),
]

POST_ONLY = "POST only: an action whose result is a redirect to a page in PAGES"
# URL patterns that are no HTML page of their own, each with the reason.
EXCLUDED: dict[str, str] = {
    "healthz": "plain-text liveness probe",
    "set_language": "POST only: the language switch in the header",
    "javascript-catalog": "returns JavaScript",
    "logout": "POST only; redirects to the home page (LOGOUT_REDIRECT_URL)",
    "feeds:group": "returns ics",
    "feeds:room": "returns ics",
    "feeds:center": "returns ics",
    "feeds:private": "returns ics",
    "feeds:occurrence": "returns ics",
    "planning:answer": POST_ONLY,
    "planning:wish_new": POST_ONLY,
    "leader:request_preview": "POST only: the htmx fragment under the request form",
    "leader:series_end": POST_ONLY,
    "leader:series_withdraw": POST_ONLY,
    "leader:series_change": POST_ONLY,
    "leader:series_holidays": POST_ONLY,
    "leader:occurrence_cancel": POST_ONLY,
    "leader:occurrence_move": POST_ONLY,
    "leader:occurrence_reinstate": POST_ONLY,
    "display:door_pdf": "returns pdf",
    "display:check_in": POST_ONLY,
    "planning_staff:holiday_opening": POST_ONLY,
    "planning_staff:round_stop": POST_ONLY,
    "planning_staff:allocate_status": "htmx fragment polled by the running allocation's page",
    "planning_staff:resolve": POST_ONLY,
    "planning_staff:finish": POST_ONLY,
    "staff:request_confirm": POST_ONLY,
    "staff:request_decline": POST_ONLY,
    "staff:request_message": POST_ONLY,
    "staff:request_dates": POST_ONLY,
    "staff:request_use_room": POST_ONLY,
    "staff:date_move": POST_ONLY,
    "staff:date_decline": POST_ONLY,
    "staff:week_pdf": "returns pdf",
    "attendance:quick": POST_ONLY,
    "reports:center_export": "returns xlsx or csv",
    "reports:organisation_export": "returns xlsx or csv",
    "api_tokens:create": "POST only: shows the new token once (tests/browser/test_api_tokens.py)",
    "api_tokens:revoke": POST_ONLY,
    "accounts:feed_rotate": POST_ONLY,
    "accounts:feed_revoke": POST_ONLY,
    "api:schema": "returns the OpenAPI schema (yaml or json)",
    "embed:script": "returns JavaScript",
    "embed:theme": "returns CSS",
    "embed:fragment": "the embed.js fragment, shown inside the host's page; embed:frame has it",
    "opendata:jsonld": "returns JSON-LD",
    "opendata:csv": "returns csv",
    "opendata:licence": POST_ONLY,
}
# Every address of the JSON API (api/v1/) but its docs page, and Django's admin (its own
# templates; PAGES visits three of them as samples).
EXCLUDED_PREFIXES = {
    "api/v1/": "the JSON API",
    "admin/": "Django's admin",
}


def _at(center: Any, day: date, hour: int) -> datetime:
    return localize(datetime.combine(day, time(hour)), center.tz)


def build_scene(
    world: Any, make_user: Callable[..., Any], make_organisation: Callable[..., Any]
) -> Scene:
    """Everything PAGES opens: a second request in the queue, a coordinator and an
    administrator, long names, a closure, two terms and an open planning round with a wish."""
    center, staff = world.center, world.staff
    # A second request for the same kitchen and time: the queue shows the two side by side.
    bookings.booking_request_create(
        user=world.lale,
        group=world.breakfast,
        room=world.kitchen,
        rule=RecurrenceRule(
            start_date=date(2030, 2, 19),
            start_time=time(18),
            end_time=time(20),
            frequency="weekly",
            count=2,
        ),
        expected_participants=8,
    )
    organisation = make_organisation(name="Internationaler Kulturverein Lebensbegleitung e.V.")
    Group.objects.filter(pk=world.language.pk).update(organisation=organisation)
    Coordinator.objects.create(
        user=make_user(username="carla", password=DEMO_PASSWORD), organisation=organisation
    )
    make_user(username="root", password=DEMO_PASSWORD, is_superuser=True, is_staff=True)
    Group.objects.filter(pk=world.breakfast.pk).update(name=LONG_NAME, is_public=True)
    Group.objects.filter(pk=world.language.pk).update(name=LONG_NAME + " II")
    for group in (world.breakfast, world.language):
        group.refresh_from_db()
    closure, _ = bookings.closure_create(
        user=staff,
        center=center,
        starts_at=_at(center, date(2030, 3, 4), 0),
        ends_at=_at(center, date(2030, 3, 5), 0),
        reason="Wasserschaden im Keller, Trocknung durch die Fachfirma",
    )
    today = timezone.localdate()
    winter = bookings.term_create(
        user=staff,
        center=center,
        name="Winterhalbjahr",
        first_day=today - timedelta(days=30),
        last_day=today + timedelta(days=60),
    )
    summer = bookings.term_create(
        user=staff,
        center=center,
        name="Sommerhalbjahr",
        first_day=today + timedelta(days=61),
        last_day=today + timedelta(days=240),
    )
    round = planning.round_create(
        user=staff,
        center=center,
        term=summer,
        previous_term=winter,
        deadline=timezone.now() + timedelta(days=14),
    )
    planning.wish_create(
        user=world.lale,
        round=round,
        group=world.language,
        slot=Slot(room=world.kitchen, weekdays=(1,), start_time=time(18), end_time=time(20)),
        expected_participants=12,
        note="Gern wieder dienstags, wie bisher",
    )
    uid = urlsafe_base64_encode(force_bytes(world.lale.pk))
    token = default_token_generator.make_token(world.lale)
    return Scene(
        world=world,
        organisation=organisation,
        closure=closure,
        summer=summer,
        round=round,
        reset=f"/accounts/reset/{uid}/{token}/",
    )
