"""Staff plan the next term for the Dorsten demo center (more than 20 groups) and allocate it
in one sitting: every series of the ending term is proposed with its conflict report, leaders
answer and add wishes, one click books what fits in the center's order, the clashing wishes
stand beside what is in their way with the engine's alternatives, and each group gets one
e-mail. Screenshots at 1280 px; every page passes axe-core."""

from __future__ import annotations

import re
from datetime import time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from centers.models import Center, Room, Term
from groups.models import Group
from notifications.dispatch import rendered
from notifications.models import Kind, OutboxMessage
from planning import services
from planning.models import Round, Wish
from planning.services import Slot

pytestmark = pytest.mark.django_db(transaction=True)
WED, FRI = 2, 4


def _deadline_day(center: Center, next_term: Term) -> str:
    """Tomorrow, or today when the term begins tomorrow (the deadline lies before it)."""
    today = timezone.now().astimezone(center.tz).date()
    return min(today + timedelta(days=1), next_term.first_day - timedelta(days=1)).isoformat()


def test_staff_plan_and_allocate_the_next_term_of_the_dorsten_demo(
    page, live_server, login, screenshot, assert_accessible, settings
):
    settings.SITE_URL = live_server.url
    call_command("load_demo", stdout=StringIO())
    center = Center.objects.get(slug="dorsten-brunnenplatz")
    assert Group.objects.filter(center=center).count() >= 20
    ending, coming = list(Term.objects.filter(center=center).order_by("first_day"))
    OutboxMessage.objects.all().delete()

    # --- staff open the planning of the next term ---------------------------------------------
    login(page, "staff-dorsten")
    page.goto(f"/staff/{center.slug}/planning/")
    page.select_option("#id_term", str(coming.pk))
    page.select_option("#id_previous_term", str(ending.pk))
    page.fill("#id_deadline_day", _deadline_day(center, coming))
    page.fill("#id_deadline_time", "23:59")
    page.select_option("#id_priority_1", "free")
    assert_accessible(page, "planning index")
    page.get_by_role("button", name=re.compile("Planung eröffnen")).click()
    expect(page.locator(".messages")).to_contain_text(coming.name)
    round = Round.objects.get(term=coming)
    proposals = round.wishes.count()
    assert proposals >= 20
    invited = set(
        OutboxMessage.objects.filter(kind=Kind.PLANNING_INVITATION).values_list(
            "recipient__username", flat=True
        )
    )
    assert len(invited) == round.wishes.values("group").distinct().count()  # once per group

    # Every proposal is listed with its report; the baking class pauses in the holidays.
    table = page.locator(".planning-table")
    expect(table.locator("tbody tr")).to_have_count(proposals)
    baking = table.locator("tr", has_text="Kochen und Backen mit Kindern")
    expect(baking).to_contain_text("pausiert in den Schulferien")
    expect(page.locator("main")).to_contain_text("passt")
    screenshot(page, "planning-round", widths=(1280,))
    assert_accessible(page, "planning round")

    # --- leaders answer and wish -------------------------------------------------------------
    kreativ = Room.objects.get(center=center, name="Kreativraum")
    seminar = Room.objects.get(center=center, name="Seminarraum 2")
    groups = {g.slug: g for g in Group.objects.filter(center=center)}
    leaders = {slug: g.leaders.first() for slug, g in groups.items()}
    # The photo club wants the Wollmäuse' Wednesday morning: the continuation comes first.
    photo = services.wish_create(
        user=leaders["fototreff"],
        round=round,
        group=groups["fototreff"],
        slot=Slot(kreativ, (WED,), time(9, 30), time(11, 30)),
        expected_participants=8,
    )
    # A paid course asks first, a free offer later, for the same Friday morning.
    course = services.wish_create(
        user=leaders["sofia-ev"],
        round=round,
        group=groups["sofia-ev"],
        slot=Slot(seminar, (FRI,), time(10), time(12)),
        expected_participants=10,
    )
    free = services.wish_create(
        user=leaders["dif"],
        round=round,
        group=groups["dif"],
        slot=Slot(seminar, (FRI,), time(10, 30), time(12, 30)),
        expected_participants=10,
    )
    # The café's leader confirms on their page.
    cafe = round.wishes.get(group__slug="begegnungscafe")
    page.context.clear_cookies()
    login(page, "leader-begegnungscafe")
    page.goto("/me/")
    page.get_by_role("link", name=coming.name).first.click()
    form = page.locator(f"#wish-{cafe.pk} form")
    form.get_by_label("Wie vorgeschlagen weitermachen").check()
    form.get_by_role("button", name="Antwort speichern").click()
    expect(page.locator(".messages")).to_contain_text("Antwort wurde gespeichert")
    assert_accessible(page, "leader's planning page")
    cafe.refresh_from_db()
    assert cafe.answer == Wish.Answer.CONTINUE

    # --- staff allocate in one sitting --------------------------------------------------------
    page.context.clear_cookies()
    login(page, "staff-dorsten")
    page.goto(f"/staff/{center.slug}/planning/{round.pk}/")
    page.get_by_role("button", name="Sammeln jetzt beenden und vergeben").click()
    expect(page).to_have_url(re.compile(r"/allocate/$"))
    fit = page.locator(".fit-list > li")
    expect(fit).to_have_count(proposals + 1)  # every continuation and the free offer
    expect(page.locator(f"#fit-{free.pk}")).to_be_visible()
    expect(page.locator(f"#fit-{course.pk}")).to_have_count(0)
    screenshot(page, "planning-allocate", widths=(1280,))
    assert_accessible(page, "allocation")
    # Without a broker the allocation runs within the request: give it time on a busy machine.
    page.get_by_role("button", name=re.compile("passenden Wünsche bestätigen")).click(
        timeout=300_000
    )
    expect(page.locator(".messages")).to_contain_text("gebucht", timeout=300_000)

    # The clashing wishes stand beside what is in their way, with the engine's alternatives.
    photo_card = page.locator(f"#clash-{photo.pk}")
    expect(photo_card).to_contain_text("Wollmäuse")
    photo_card.locator("summary").click()
    expect(photo_card.locator("table")).to_contain_text("Seminarraum 2, gleiche Uhrzeit")
    course_card = page.locator(f"#clash-{course.pk}")
    expect(course_card).to_contain_text(groups["dif"].name)
    screenshot(page, "planning-clashes", widths=(1280,))
    assert_accessible(page, "clashing wishes")

    photo_card.get_by_label("Für die Termine mit Überschneidung").check()
    photo_card.get_by_role("button", name="Entscheiden").click()
    expect(page.locator(".messages")).to_contain_text("Entschieden")
    course_card = page.locator(f"#clash-{course.pk}")
    course_card.get_by_label("Den Wunsch ablehnen").check()
    course_card.get_by_label(re.compile("^Grund")).fill("Freitags ist der Seminarraum vergeben.")
    course_card.get_by_role("button", name="Entscheiden").click()
    expect(page.locator(".messages")).to_contain_text("Entschieden")

    page.get_by_role("button", name="Die Ergebnisse an die Gruppen schicken").click()
    expect(page.locator(".messages")).to_contain_text("Ergebnisse sind verschickt")
    screenshot(page, "planning-done", widths=(1280,))

    photo.refresh_from_db()
    course.refresh_from_db()
    assert photo.outcome == Wish.Outcome.ALTERNATIVES
    assert photo.result.occurrences.filter(state="confirmed").exclude(room=kreativ).exists()
    assert (course.outcome, course.outcome_note) == (
        Wish.Outcome.DECLINED,
        "Freitags ist der Seminarraum vergeben.",
    )
    # Each group one e-mail with all its outcomes; nothing else went to the leaders.
    results = OutboxMessage.objects.filter(kind=Kind.PLANNING_RESULT)
    per_group = round.wishes.values("group").distinct().count()
    assert results.count() == per_group
    assert results.values("recipient").distinct().count() == per_group
    assert not OutboxMessage.objects.exclude(
        kind__in=[Kind.PLANNING_INVITATION, Kind.PLANNING_RESULT]
    ).exists()
    sofia = results.get(recipient=leaders["sofia-ev"])
    assert "Freitags ist der Seminarraum vergeben." in rendered(sofia).text
