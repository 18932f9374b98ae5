"""Staff set the notice, language and check-in rules of their center's screens."""

from __future__ import annotations

import pytest

from display.models import DisplaySettings

pytestmark = pytest.mark.django_db
URL = "/staff/brunnenplatz/display/"


def test_only_staff_of_the_center(client, house, make_user):
    assert client.get(URL)["Location"].startswith("/accounts/login/")
    client.force_login(house.cook)
    assert client.get(URL).status_code == 404
    other = make_user()
    house.other_center.staff.add(other)
    client.force_login(other)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"notice": "x", "language": "de"}).status_code == 404
    assert not DisplaySettings.objects.exists()


def test_staff_save_the_notice_and_the_version_moves(client, house):
    client.force_login(house.staff)
    page = client.get(URL).content.decode()
    assert "Bildschirme und Türschilder" in page
    assert f"/display/brunnenplatz/room/{house.kitchen.pk}/week.pdf" in page
    response = client.post(
        URL, {"notice": "  Heute Kuchenbasar!  ", "language": "de", "check_in": "on"}
    )
    assert response.status_code == 302
    saved = DisplaySettings.objects.get(center=house.center)
    assert (saved.notice, saved.language, saved.check_in, saved.release_no_shows) == (
        "Heute Kuchenbasar!",
        "de",
        True,
        False,
    )
    assert saved.check_in_since is not None
    version = saved.version
    client.post(URL, {"notice": "", "language": "de+en", "check_in": "on"})
    saved.refresh_from_db()
    assert saved.version == version + 1 and saved.notice == ""
    assert saved.history.latest().history_user == house.staff


@pytest.mark.parametrize(
    "data",
    [
        {"notice": "x", "language": "tlh"},
        {"notice": "x" * 201, "language": "de"},
        {"notice": "", "language": "de", "release_no_shows": "on"},  # release needs check-in
    ],
)
def test_bad_input_is_a_400_with_a_clear_error_and_nothing_changes(client, house, data):
    client.force_login(house.staff)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not DisplaySettings.objects.exists()
