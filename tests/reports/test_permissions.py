"""Who sees which figures: a coordinator of organisation A none of B's, staff of one center none
of another's, leaders and strangers no reports at all; bad input is a 400, never a 500."""

from __future__ import annotations

import pytest

from reports.models import Coordinator

MAY = "period=month&year=2025&month=5"


def center_urls(slug: str) -> list[str]:
    base = f"/staff/{slug}/reports/"
    return [
        base + f"?{MAY}",
        base + f"export.csv?{MAY}&table=groups",
        base + f"export.zip?{MAY}",
        base + f"export.xlsx?{MAY}",
        base + f"export.pdf?{MAY}",
        base + "missing/",
        base + "categories/",
    ]


def org_urls(pk: int) -> list[str]:
    base = f"/reports/organisations/{pk}/"
    return [base + f"?{MAY}", base + f"export.xlsx?{MAY}", base + f"export.csv?{MAY}&table=key"]


@pytest.fixture
def coordinator(world, make_user):
    user = make_user(username="carla", preferred_language="en")
    Coordinator.objects.create(user=user, organisation=world.awo)
    return user


def test_a_coordinator_sees_the_organisation_s_groups_in_every_center(client, world, coordinator):
    client.force_login(coordinator)
    response = client.get(f"/reports/organisations/{world.awo.pk}/?{MAY}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Strickcafé" in html and "Deutschkurs" in html
    # Nothing of Caritas: not its group here, nor the one in the other center.
    assert "Jugendtreff" not in html and "Chor Süd" not in html
    assert "<dt>Participants</dt><dd>44</dd>" in html  # 8 + 10 + 12 + 14
    landing = client.get("/reports/").content.decode()
    assert "AWO Ortsverein" in landing and "Caritas" not in landing


def test_a_coordinator_of_a_sees_none_of_b_s_figures(client, world, coordinator):
    client.force_login(coordinator)
    for url in org_urls(world.caritas.pk):
        assert client.get(url).status_code == 404, url
    for url in center_urls(world.center.slug):
        assert client.get(url).status_code == 404, url
    # Filtering the own report by another organisation's group is not possible either.
    response = client.get(f"/reports/organisations/{world.awo.pk}/?{MAY}&group={world.jugend.pk}")
    assert response.status_code == 400
    assert "Jugendtreff" not in response.content.decode().split("</form>")[-1]


def test_staff_of_one_center_see_none_of_another(client, world):
    client.force_login(world.other_staff)
    for url in center_urls(world.center.slug):
        assert client.get(url).status_code == 404, url
    response = client.get(f"/staff/{world.other_center.slug}/reports/?{MAY}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chor Süd" in html and "Strickcafé" not in html
    # Nor can they narrow their own report to a room or group of the other center.
    response = client.get(f"/staff/{world.other_center.slug}/reports/?{MAY}&room={world.saal.pk}")
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["leader", "stranger"])
def test_leaders_and_others_get_no_reports(client, world, make_user, who):
    user = world.leader if who == "leader" else make_user()
    client.force_login(user)
    for url in [*center_urls(world.center.slug), *org_urls(world.awo.pk), "/reports/"]:
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in [*center_urls(world.center.slug), *org_urls(world.awo.pk), "/reports/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_only_administrators_assign_coordinators(client, world, make_user):
    client.force_login(world.staff)
    assert client.get("/admin/reports/coordinator/").status_code in (302, 403)
    admin = make_user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/reports/coordinator/").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "period=month&year=2025&month=13",
        "period=custom&first=2025-05-10&last=2025-05-01",
        "period=custom&first=2025-05-10",
        "period=custom&first=2020-01-01&last=2025-01-01",
        "period=year&year=99999999999999999999",
        "period=year&year=1",
        "period=month&year=2025&month=5&kind=nonsense",
        "period=month&year=2025&month=5&language=xx",
        "period=month&year=2025&month=5&room=abc",
    ],
)
def test_bad_input_is_a_clear_400(client, world, query):
    client.force_login(world.staff)
    response = client.get(f"/staff/{world.center.slug}/reports/?{query}")
    assert response.status_code == 400
    assert 'class="form-errors"' in response.content.decode()
    export = client.get(f"/staff/{world.center.slug}/reports/export.xlsx?{query}")
    assert export.status_code == 400


def test_unknown_export_format_and_table(client, world):
    client.force_login(world.staff)
    base = f"/staff/{world.center.slug}/reports/"
    assert client.get(base + f"export.exe?{MAY}").status_code == 404
    assert client.get(base + f"export.csv?{MAY}").status_code == 400
    assert client.get(base + f"export.csv?{MAY}&table=nope").status_code == 400


def test_staff_edit_their_breakdown_categories(client, world):
    client.force_login(world.staff)
    url = f"/staff/{world.center.slug}/reports/categories/"
    page = client.get(url)
    assert page.status_code == 200
    formset = page.context["formset"]
    data = {
        "form-TOTAL_FORMS": str(len(formset.forms)),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for n, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if name == "id":
                value = form.instance.pk or ""
            if isinstance(value, bool):
                if value:
                    data[f"form-{n}-{name}"] = "on"
                continue
            data[f"form-{n}-{name}"] = "" if value is None else value
    new = formset.initial_form_count()
    data |= {
        f"form-{new}-dimension": "Alter",
        f"form-{new}-name": "unter 18",  # already there: refused, nothing saved
        f"form-{new}-position": "9",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    data[f"form-{new}-name"] = "Kinder unter 6"
    response = client.post(url, data)
    assert response.status_code == 302
    assert world.center.breakdown_categories.filter(name="Kinder unter 6").exists()
    # Staff of another center cannot post here.
    client.force_login(world.other_staff)
    assert client.post(url, data).status_code == 404
