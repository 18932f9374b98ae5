"""The admin: every page loads for staff, and staff see only their own centers."""

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bookings.models import Occurrence, Series
from centers.management.commands.load_demo import Loader
from centers.models import Center, Closure, Room
from groups.models import Group, GroupLeader


@dataclass
class Side:
    """One center with one of everything, so that each admin page has an object to show."""

    center: Center
    room: Room
    closure: Closure
    group: Group
    leader: User
    leadership: GroupLeader
    series: Series
    occurrence: Occurrence
    staff: User


@pytest.fixture
def staff_group(db):
    return Loader(today=date.today()).staff_group()


@pytest.fixture
def make_side(make_center, make_room, make_group, make_user, make_equipment, staff_group):
    def make(city: str) -> Side:
        center = make_center(name=f"Zentrum {city}", city=city)
        room = make_room(center=center, name=f"Saal {city}", equipment=[make_equipment()])
        start = timezone.now().replace(microsecond=0) + timedelta(days=3)
        closure = Closure.objects.create(
            center=center,
            room=room,
            starts_at=start,
            ends_at=start + timedelta(days=1),
            reason=f"Renovierung {city}",
        )
        leader = make_user(username=f"leader-{city.lower()}", first_name=f"Leiterin {city}")
        group = make_group(center=center, name=f"Gruppe {city}", leaders=[leader], languages=["de"])
        series = Series.objects.create(
            group=group,
            room=room,
            title=f"Treffen {city}",
            start_date=start.date(),
            start_time=time(18),
            end_time=time(20),
            created_by=leader,
        )
        occurrence = Occurrence.objects.create(
            series=series,
            room=room,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            original_start=start,
        )
        staff = make_user(username=f"staff-{city.lower()}", is_staff=True)
        staff.groups.add(staff_group)
        center.staff.add(staff)
        return Side(
            center=center,
            room=room,
            closure=closure,
            group=group,
            leader=leader,
            leadership=GroupLeader.objects.get(group=group),
            series=series,
            occurrence=occurrence,
            staff=staff,
        )

    return make


@pytest.fixture
def dorsten(make_side):
    return make_side("Dorsten")


@pytest.fixture
def herten(make_side):
    return make_side("Herten")


def admin_url(obj, view: str = "change") -> str:
    opts = obj._meta
    args = [obj.pk] if view in {"change", "history", "delete"} else []
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


OBJECTS = ("center", "room", "closure", "group", "leadership", "series", "occurrence", "leader")


@pytest.mark.parametrize("attribute", OBJECTS)
def test_changelist_and_change_form_load_for_staff(client, dorsten, herten, attribute):
    client.force_login(dorsten.staff)
    obj = getattr(dorsten, attribute)

    changelist = client.get(admin_url(obj, "changelist"))
    change = client.get(admin_url(obj))

    assert changelist.status_code == 200
    assert change.status_code == 200
    # A date is listed under its series' title (its own str is in UTC, the list in local time).
    listed = obj.series if attribute == "occurrence" else obj
    assert str(listed) in changelist.content.decode()


@pytest.mark.parametrize("name", ["centers_equipment", "groups_organisation", "groups_language"])
def test_shared_vocabularies_load_for_staff(client, dorsten, name):
    client.force_login(dorsten.staff)
    assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200


@pytest.mark.parametrize(
    "name", ["centers_room", "centers_closure", "groups_group", "accounts_user"]
)
def test_add_forms_load_for_staff(client, dorsten, name):
    client.force_login(dorsten.staff)
    assert client.get(reverse(f"admin:{name}_add")).status_code == 200


def test_series_history_loads_for_staff(client, dorsten):
    client.force_login(dorsten.staff)
    assert client.get(admin_url(dorsten.series, "history")).status_code == 200


def test_admin_is_in_german(client, dorsten):
    client.force_login(dorsten.staff)
    body = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'lang="de"' in body
    assert "Abmelden" in body


def test_staff_of_dorsten_do_not_see_hertens_rooms(client, dorsten, herten):
    client.force_login(dorsten.staff)

    body = client.get(reverse("admin:centers_room_changelist")).content.decode()

    assert "Saal Dorsten" in body
    assert "Saal Herten" not in body
    # Nor in the list filters, which would otherwise offer every center.
    assert "Zentrum Herten" not in body


@pytest.mark.parametrize("attribute", OBJECTS)
def test_staff_cannot_open_another_centers_objects_by_url(client, dorsten, herten, attribute):
    client.force_login(dorsten.staff)
    obj = getattr(herten, attribute)

    response = client.get(admin_url(obj), follow=True)

    # The admin treats it as missing and sends staff to its index with a message.
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    assert str(obj) not in response.content.decode()


@pytest.mark.parametrize("attribute", ["series", "occurrence"])
def test_staff_cannot_read_another_centers_history(client, dorsten, herten, attribute):
    client.force_login(dorsten.staff)
    assert client.get(admin_url(getattr(herten, attribute), "history")).status_code == 403


def test_staff_cannot_file_a_closure_for_another_center(client, dorsten, herten):
    client.force_login(dorsten.staff)
    before = Closure.objects.count()
    start = timezone.localtime() + timedelta(days=10)

    response = client.post(
        reverse("admin:centers_closure_add"),
        {
            "reason": "Fremde Schließung",
            "center": herten.center.pk,
            "room": "",
            "starts_at_0": start.date().isoformat(),
            "starts_at_1": "08:00",
            "ends_at_0": start.date().isoformat(),
            "ends_at_1": "18:00",
        },
    )

    assert response.status_code == 200  # the form again, with an error
    assert response.context["adminform"].form.errors["center"]
    assert Closure.objects.count() == before


def test_staff_can_file_a_closure_for_their_own_center(client, dorsten):
    client.force_login(dorsten.staff)
    day = (timezone.localtime() + timedelta(days=10)).date().isoformat()

    response = client.post(
        reverse("admin:centers_closure_add"),
        {
            "reason": "Betriebsausflug",
            "center": dorsten.center.pk,
            "room": "",
            "starts_at_0": day,
            "starts_at_1": "08:00",
            "ends_at_0": day,
            "ends_at_1": "18:00",
        },
    )

    assert response.status_code == 302
    closure = Closure.objects.get(reason="Betriebsausflug")
    assert closure.center == dorsten.center
    assert closure.ends_at - closure.starts_at == timedelta(hours=10)


def test_staff_cannot_change_series_or_dates_in_the_admin(client, dorsten):
    client.force_login(dorsten.staff)
    body = client.get(admin_url(dorsten.series)).content.decode()
    assert 'name="_save"' not in body
    assert client.get(reverse("admin:bookings_series_add")).status_code == 403


def test_staff_see_only_leaders_of_their_centers_and_no_admins(client, dorsten, herten, make_user):
    make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(dorsten.staff)

    body = client.get(reverse("admin:accounts_user_changelist")).content.decode()

    assert "leader-dorsten" in body
    assert "leader-herten" not in body
    assert "staff-herten" not in body
    assert "root" not in body


def test_staff_cannot_grant_staff_or_superuser_status(client, dorsten):
    client.force_login(dorsten.staff)
    body = client.get(admin_url(dorsten.leader)).content.decode()
    assert 'name="is_active"' in body
    assert 'name="is_superuser"' not in body
    assert 'name="is_staff"' not in body


def test_leader_autocomplete_offers_only_own_centers_people(client, dorsten, herten):
    client.force_login(dorsten.staff)

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "groups", "model_name": "groupleader", "field_name": "user", "term": "lead"},
    )

    names = [result["text"] for result in response.json()["results"]]
    assert "Leiterin Dorsten" in names
    assert "Leiterin Herten" not in names


def test_a_leader_is_sent_to_the_admin_login(client, dorsten):
    client.force_login(dorsten.leader)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.get(admin_url(dorsten.room)).status_code == 302


def test_superuser_sees_every_center(client, dorsten, herten, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))

    body = client.get(reverse("admin:centers_room_changelist")).content.decode()

    assert "Saal Dorsten" in body
    assert "Saal Herten" in body
    assert client.get(admin_url(herten.series)).status_code == 200
    assert client.get(reverse("admin:accounts_feedtoken_changelist")).status_code == 200


@pytest.mark.parametrize("attribute", ["center", "room", "group", "leader"])
def test_change_forms_load_for_superuser(client, dorsten, make_user, attribute):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    assert client.get(admin_url(getattr(dorsten, attribute))).status_code == 200


def test_staff_can_only_view_their_center_not_add_one(client, dorsten):
    client.force_login(dorsten.staff)
    assert client.get(reverse("admin:centers_center_add")).status_code == 403
    body = client.get(admin_url(dorsten.center)).content.decode()
    # Who is staff of a center is for administrators to decide.
    assert 'name="staff"' not in body
