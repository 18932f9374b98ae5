"""Staff of one center see nothing of another: every page and action answers 404, GET or POST."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import OccurrenceState

pytestmark = pytest.mark.django_db

CENTER_PAGES = ["overview", "requests", "board", "closures", "week", "week_pdf"]
SERIES_PAGES = [
    "request",
    "request_confirm",
    "request_decline",
    "request_message",
    "request_dates",
    "request_use_room",
]
DATE_PAGES = ["date_move", "date_decline"]
CLOSURE_PAGES = ["closure_edit", "closure_delete"]


def _urls(center, series, occurrence):
    urls = [reverse(f"staff:{name}", kwargs={"slug": center.slug}) for name in CENTER_PAGES]
    urls += [
        reverse(f"staff:{name}", kwargs={"slug": center.slug, "pk": series.pk})
        for name in SERIES_PAGES
    ]
    urls += [
        reverse(f"staff:{name}", kwargs={"slug": center.slug, "pk": occurrence.pk})
        for name in DATE_PAGES
    ]
    return urls


ALL_NAMES = CENTER_PAGES + SERIES_PAGES + DATE_PAGES


def test_every_staff_url_is_covered():
    from console import urls as staff_urls

    names = {p.name for p in staff_urls.urlpatterns} - {"index"}
    assert names == set(ALL_NAMES + CLOSURE_PAGES)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", CLOSURE_PAGES)
def test_closures_of_another_center_are_404(client, world, method, name):
    from centers.models import Closure

    closure = Closure.objects.create(
        center=world.other_center,
        starts_at=timezone.now() + timedelta(days=400),
        ends_at=timezone.now() + timedelta(days=401),
        reason="Fremd",
    )
    client.force_login(world.staff)
    for slug in (world.other_center.slug, world.center.slug):
        url = reverse(f"staff:{name}", kwargs={"slug": slug, "pk": closure.pk})
        response = getattr(client, method)(url)
        assert response.status_code == 404
    assert Closure.objects.filter(pk=closure.pk, reason="Fremd").exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("index", range(len(ALL_NAMES)), ids=ALL_NAMES)
def test_staff_of_another_center_get_404(client, world, method, index):
    other = world.other_request
    url = _urls(world.other_center, other, other.occurrences.first())[index]
    client.force_login(world.staff)
    data = {"reason": "x", "body": "x", "mode": "all", "action": "confirm"}
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.occurrences.filter(state=OccurrenceState.REQUESTED).count() == 1


@pytest.mark.parametrize("index", range(len(SERIES_PAGES + DATE_PAGES)))
def test_objects_of_another_center_are_404_even_under_ones_own_center(client, world, index):
    """The center in the address is one's own, the request is not: still 404."""
    other = world.other_request
    names = SERIES_PAGES + DATE_PAGES
    name = names[index]
    pk = other.pk if name in SERIES_PAGES else other.occurrences.first().pk
    client.force_login(world.staff)
    url = reverse(f"staff:{name}", kwargs={"slug": world.center.slug, "pk": pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x", "mode": "all"}).status_code == 404


@pytest.mark.parametrize("name", CENTER_PAGES)
def test_own_center_pages_open(client, world, name):
    client.force_login(world.staff)
    response = client.get(reverse(f"staff:{name}", kwargs={"slug": world.center.slug}))
    assert response.status_code == 200


def test_superusers_see_every_center(client, world, make_user):
    admin = make_user(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    for center in (world.center, world.other_center):
        assert (
            client.get(reverse("staff:overview", kwargs={"slug": center.slug})).status_code == 200
        )


def test_leaders_and_strangers_get_404_and_anonymous_users_log_in(client, world):
    client.force_login(world.lale)
    assert client.get("/staff/").status_code == 404
    assert client.get(f"/staff/{world.center.slug}/board/").status_code == 404
    client.logout()
    response = client.get(f"/staff/{world.center.slug}/board/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_action_urls_refuse_get_for_ones_own_center(client, world):
    client.force_login(world.staff)
    url = reverse(
        "staff:request_confirm", kwargs={"slug": world.center.slug, "pk": world.request.pk}
    )
    assert client.get(url).status_code == 405
