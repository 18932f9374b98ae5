"""A leader sees and changes only their own groups' bookings; everything else does not exist."""

import pytest
from django.urls import reverse

from bookings.models import OccurrenceState, Series

from .conftest import request_data


@pytest.fixture
def others_series(place, book):
    """A pending request of another group (the hall needs approval)."""
    return book(user=place.other_leader, group=place.other_group, room=place.hall)


@pytest.mark.parametrize("name", ["series"])
def test_leader_cannot_see_another_groups_request(client, place, others_series, name):
    client.force_login(place.leader)
    response = client.get(reverse(f"leader:{name}", args=[others_series.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("series_end", {"end-last_date": "2030-02-05"}),
        ("series_withdraw", {"withdraw-reason": "Oops"}),
        (
            "series_change",
            {
                "change-from_date": "2030-02-05",
                "change-start_time": "10:00",
                "change-end_time": "11:00",
            },
        ),
    ],
)
def test_leader_cannot_change_another_groups_request(client, place, others_series, name, data):
    client.force_login(place.leader)
    response = client.post(reverse(f"leader:{name}", args=[others_series.pk]), data)
    assert response.status_code == 404
    others_series.refresh_from_db()
    assert others_series.status == "pending"


def test_leader_cannot_cancel_a_date_of_another_group(client, place, others_series):
    client.force_login(place.leader)
    occurrence = others_series.occurrences.get()
    response = client.post(
        reverse("leader:occurrence_cancel", args=[occurrence.pk]), {"reason": "Nope"}
    )
    assert response.status_code == 404
    occurrence.refresh_from_db()
    assert occurrence.state == OccurrenceState.REQUESTED


def test_others_requests_are_not_on_my_dashboard(client, place, others_series):
    client.force_login(place.leader)
    response = client.get(reverse("leader:dashboard"))
    assert response.status_code == 200
    assert "Kochgruppe Zukunft" not in response.content.decode()


def test_leader_cannot_book_for_a_group_they_do_not_lead(client, place):
    client.force_login(place.leader)
    response = client.post(
        reverse("leader:request"), request_data(place, group=place.other_group.pk, send="1")
    )
    assert response.status_code == 400
    assert "group" in response.context["form"].errors
    assert not Series.objects.exists()
    # …and it is not even offered.
    form = client.get(reverse("leader:request")).context["form"]
    assert list(form.fields["group"].queryset) == [place.group]


def test_leader_cannot_book_a_room_of_another_center(client, place, make_room):
    foreign_room = make_room(name="Fremder Raum")  # a center where the leader leads nothing
    client.force_login(place.leader)
    response = client.post(
        reverse("leader:request"), request_data(place, room=foreign_room.pk, send="1")
    )
    assert response.status_code == 400
    assert "room" in response.context["form"].errors
    assert not Series.objects.exists()


def test_leader_of_two_centers_cannot_mix_group_and_room(client, place, make_group, make_room):
    """The room is offered (the leader leads a group there), but not for this group."""
    other_center_room = make_room(name="Werkraum")
    make_group(center=other_center_room.center, leaders=[place.leader])
    client.force_login(place.leader)
    response = client.post(
        reverse("leader:request"), request_data(place, room=other_center_room.pk, send="1")
    )
    assert response.status_code == 400
    assert "another center" in str(response.context["form"].errors["room"]) or "anderen" in str(
        response.context["form"].errors["room"]
    )
    assert not Series.objects.exists()


def test_alternative_in_another_center_is_refused(client, place, make_room):
    foreign_room = make_room(name="Fremder Raum")
    client.force_login(place.leader)
    data = request_data(place, send="1")
    data["alt-20300205T170000Z"] = f"{foreign_room.pk}|20300205T170000Z|20300205T190000Z"
    response = client.post(reverse("leader:request"), data)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not Series.objects.exists()


def test_preview_of_another_groups_booking_shows_nothing(client, place):
    client.force_login(place.leader)
    response = client.post(
        reverse("leader:request_preview"), request_data(place, group=place.other_group.pk)
    )
    assert response.status_code == 200
    assert response.context["preview"] is None


def test_room_occupancy_only_for_centers_where_the_user_leads(client, place, make_room):
    foreign_room = make_room(name="Fremder Raum")
    client.force_login(place.leader)
    assert client.get(reverse("leader:room", args=[place.kitchen.pk])).status_code == 200
    assert client.get(reverse("leader:room", args=[foreign_room.pk])).status_code == 404
    rooms = client.get(reverse("leader:rooms")).context["rooms"]
    assert foreign_room not in rooms


def test_staff_see_occupancy_of_their_centers_rooms(client, place, make_user):
    staff = make_user()
    place.center.staff.add(staff)
    client.force_login(staff)
    assert client.get(reverse("leader:room", args=[place.hall.pk])).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/me/", "/me/request/", "/me/rooms/", "/profile/"],
)
def test_pages_need_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
