"""Staff cannot press "Confirm all" while dates clash (the page says why), and after a decision
the message is where the page opens, not above an anchor further down."""

import re
from datetime import datetime

from django.urls import reverse

from bookings import services
from centers.models import Closure

from .conftest import TUESDAYS  # noqa: F401 — the dates the world uses


def _queue(world) -> str:
    return reverse("staff:requests", kwargs={"slug": world.center.slug})


def _button(body: str, series_pk: int) -> str:
    form = body.split(f'id="request-{series_pk}"', 1)[1]
    return re.search(r'<button type="submit" name="mode" value="all"[^>]*>', form).group(0)


def test_confirm_all_is_disabled_with_the_reason_while_dates_clash(staff_client, world):
    staff_client.cookies["django_language"] = "en"

    body = staff_client.get(_queue(world)).content.decode()

    button = _button(body, world.request.pk)
    assert " disabled" in button
    hint_id = re.search(r'aria-describedby="([^"]+)"', button).group(1)
    hint = re.search(rf'id="{hint_id}">([^<]+)<', body).group(1)
    assert "clash" in hint


def test_confirm_all_is_enabled_when_nothing_clashes(staff_client, world):
    for occurrence in world.dates(world.request)[:2]:
        services.occurrence_move(user=world.staff, occurrence=occurrence, room=world.hall)

    body = staff_client.get(_queue(world)).content.decode()

    assert " disabled" not in _button(body, world.request.pk)


def test_after_a_decision_the_page_opens_at_the_message(staff_client, world):
    staff_client.cookies["django_language"] = "en"
    world.request.refresh_from_db()

    response = staff_client.post(
        reverse(
            "staff:request_confirm", kwargs={"slug": world.center.slug, "pk": world.request.pk}
        ),
        {
            "mode": "free",
            "version": world.request.version,
            "next": f"{_queue(world)}#request-{world.request.pk}",
        },
    )

    assert response.status_code == 302
    assert "#" not in response.url
    assert response.url == _queue(world)
    page = staff_client.get(response.url).content.decode()
    assert 'class="messages"' in page
    assert "Confirmed" in page


def test_a_waiting_date_on_a_closed_day_is_closed_not_a_clash(staff_client, world):
    tz = world.center.tz
    Closure.objects.create(
        center=world.center,
        starts_at=datetime(2030, 2, 19, tzinfo=tz),
        ends_at=datetime(2030, 2, 20, tzinfo=tz),
        reason="Betriebsausflug",
    )
    staff_client.cookies["django_language"] = "en"

    body = staff_client.get(
        reverse("staff:request", kwargs={"slug": world.center.slug, "pk": world.request.pk})
    ).content.decode()

    third = world.dates(world.request)[2]
    row = body.split(f'id="date-{third.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Betriebsausflug" in row
    assert "tag-closure" in row and "tag-clash" not in row
    assert "2 clashes" in body  # the two bookings, not the closure
    assert "1 date on a closed day" in body


def _hint(body: str, series_pk: int) -> str:
    hint_id = re.search(r'aria-describedby="([^"]+)"', _button(body, series_pk)).group(1)
    return re.search(rf'id="{hint_id}">([^<]+)<', body).group(1)


def test_the_confirm_all_hint_says_closed_days_not_clash_when_only_closures_block(
    staff_client, world
):
    tz = world.center.tz
    for occurrence in world.dates(world.request)[:2]:  # the two clashes resolved
        services.occurrence_move(user=world.staff, occurrence=occurrence, room=world.hall)
    Closure.objects.create(
        center=world.center,
        starts_at=datetime(2030, 2, 19, tzinfo=tz),
        ends_at=datetime(2030, 2, 20, tzinfo=tz),
        reason="Betriebsausflug",
    )
    staff_client.cookies["django_language"] = "en"

    hint = _hint(staff_client.get(_queue(world)).content.decode(), world.request.pk)

    assert "closed day" in hint
    assert "clash" not in hint


def test_the_confirm_all_hint_counts_clashes_and_closed_days_apart(staff_client, world):
    tz = world.center.tz
    Closure.objects.create(
        center=world.center,
        starts_at=datetime(2030, 2, 19, tzinfo=tz),
        ends_at=datetime(2030, 2, 20, tzinfo=tz),
        reason="Betriebsausflug",
    )
    staff_client.cookies["django_language"] = "en"

    hint = _hint(staff_client.get(_queue(world)).content.decode(), world.request.pk)

    assert "decline the 2 clashing dates" in hint
    assert "decline the date on a closed day" in hint
