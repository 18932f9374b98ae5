"""After login everybody lands on their own pages; a safe `next=` wins."""

import pytest
from django.urls import reverse

from reports.models import Coordinator

PASSWORD = "richtig-und-lang-genug"


def _login(client, username: str, **params: str):
    url = reverse("login")
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(url, {"username": username, "password": PASSWORD, **params})


def test_a_leader_lands_on_their_own_page(client, make_user, make_group):
    leader = make_user(username="lena", password=PASSWORD)
    make_group(leaders=[leader])

    response = _login(client, "lena")

    assert response.status_code == 302
    assert response.url == reverse("leader:dashboard")


def test_staff_of_one_center_land_on_its_queue(client, make_user, make_center):
    staff = make_user(username="sam", password=PASSWORD)
    center = make_center()
    center.staff.add(staff)

    response = _login(client, "sam")

    assert response.url == reverse("staff:requests", kwargs={"slug": center.slug})


def test_staff_of_several_centers_land_on_the_shared_queue(client, make_user, make_center):
    staff = make_user(username="sam", password=PASSWORD)
    for _ in range(2):
        make_center().staff.add(staff)

    response = _login(client, "sam")

    assert response.url == reverse("staff:index")


def test_staff_who_also_lead_a_group_land_on_the_queue(client, make_user, make_center, make_group):
    staff = make_user(username="sam", password=PASSWORD)
    center = make_center()
    center.staff.add(staff)
    make_group(leaders=[staff], center=center)

    response = _login(client, "sam")

    assert response.url == reverse("staff:requests", kwargs={"slug": center.slug})


def test_a_coordinator_lands_on_the_reports(client, make_user, make_organisation):
    coordinator = make_user(username="cora", password=PASSWORD)
    Coordinator.objects.create(user=coordinator, organisation=make_organisation())

    response = _login(client, "cora")

    assert response.url == reverse("reports:index")


def test_an_administrator_lands_on_the_staff_pages(client, make_user, make_center):
    make_center()
    make_user(username="ada", password=PASSWORD, is_superuser=True, is_staff=True)

    response = _login(client, "ada")

    assert response.url == reverse("staff:index")


def test_an_administrator_without_centers_lands_in_the_admin(client, make_user):
    make_user(username="ada", password=PASSWORD, is_superuser=True, is_staff=True)

    response = _login(client, "ada")

    assert response.url == reverse("admin:index")


def test_anybody_else_lands_on_the_start_page(client, make_user):
    make_user(username="otto", password=PASSWORD)

    response = _login(client, "otto")

    assert response.url == reverse("home")


def test_a_safe_next_wins(client, make_user, make_group):
    leader = make_user(username="lena", password=PASSWORD)
    make_group(leaders=[leader])

    response = _login(client, "lena", next="/me/rooms/")

    assert response.url == "/me/rooms/"


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/x"])
def test_an_unsafe_next_is_ignored(client, make_user, make_group, unsafe):
    leader = make_user(username="lena", password=PASSWORD)
    make_group(leaders=[leader])

    response = _login(client, "lena", next=unsafe)

    assert response.url == reverse("leader:dashboard")


def test_the_login_form_keeps_next(client, db):
    response = client.get(reverse("login") + "?next=/me/rooms/")

    assert 'name="next" value="/me/rooms/"' in response.content.decode()
