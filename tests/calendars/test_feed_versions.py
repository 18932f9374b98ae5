"""A feed's data version is kept by the writers (issue 12, item 3): every change of something a
feed shows raises it in the writer's transaction, the served bytes follow, and reading it is one
query whatever the number of series. Also the pruning of the SEQUENCE bookkeeping."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import FeedToken
from accounts.tokens import feed_token_create
from bookings import services
from bookings.models import Occurrence, OccurrenceState, Series, SeriesStatus
from calendars import selectors
from calendars.models import FeedObject
from calendars.services import feed_objects_prune
from calendars.tasks import feed_objects_prune as feed_objects_prune_task
from centers.models import Center, Room
from groups.models import Group, GroupLeader, Language
from tests.eager import run_task
from tests.groups.factories import store_dates

NOW = datetime(2026, 3, 15, 11, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
CENTER_FEED = "/feeds/center/hdk.ics"


@pytest.fixture(autouse=True)
def _frozen_clock_and_cache() -> Any:
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@dataclass
class World:
    center: Center
    hall: Room
    cafe: Room
    group: Group
    other: Group
    weekly: Series
    extra: Series
    leader: Any
    staff: Any
    admin: Any
    leader_feed: str


def _series(group: Group, room: Room, *, day: date, state: str = "confirmed", **fields: Any):
    series = Series.objects.create(
        group=group,
        room=room,
        status=SeriesStatus.CONFIRMED,
        frequency="weekly",
        weekdays=[day.weekday()],
        start_date=day,
        until=date(2026, 6, 30),
        start_time=time(18),
        end_time=time(19, 30),
        **fields,
    )
    store_dates(series, state=state)
    return series


@pytest.fixture
def world(make_center, make_room, make_group, make_user) -> World:
    leader, staff = make_user(first_name="Jana", last_name="Berg"), make_user()
    admin = make_user(is_superuser=True, is_staff=True)
    center = make_center(name="Haus der Kulturen", slug="hdk", time_zone="Europe/Berlin")
    center.staff.add(staff)
    hall = make_room(center=center, name="Saal")
    cafe = make_room(center=center, name="Café")
    group = make_group(center=center, name="Chor", slug="chor", leaders=[leader])
    other = make_group(center=center, name="Schach", slug="schach")
    weekly = _series(group, hall, day=date(2026, 3, 3))
    # Its dates wait for staff: the public feeds do not show them yet.
    requested = _series(group, cafe, day=date(2026, 3, 5), state=OccurrenceState.REQUESTED)
    Series.objects.filter(pk=requested.pk).update(status=SeriesStatus.PARTLY_CONFIRMED)
    Occurrence.objects.filter(
        series=requested, starts_at__lt=datetime(2026, 4, 1, tzinfo=UTC)
    ).update(state=OccurrenceState.CONFIRMED)
    _series(other, cafe, day=date(2026, 3, 4), title="Schachabend")
    _token, plain = feed_token_create(user=leader, kind=FeedToken.Kind.LEADER)
    return World(
        center,
        hall,
        cafe,
        group,
        other,
        weekly,
        requested,
        leader,
        staff,
        admin,
        f"/feeds/private/{plain}.ics",
    )


def _version(url: str, client: Client) -> tuple[str, bytes]:
    """The ETag the feed serves now, and its bytes."""
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"], response.content


def _group_renamed(w: World) -> None:
    w.group.name = "Chor der Nachbarn"
    w.group.save()


def _group_hidden(w: World) -> None:
    w.other.is_public = False
    w.other.save()


def _group_languages(w: World) -> None:
    language = Language.objects.create(code="tr", name_de="Türkisch", name_en="Turkish")
    w.group.languages.add(language)


def _group_deleted(w: World) -> None:
    w.other.delete()


def _room_renamed(w: World) -> None:
    w.hall.name = "Großer Saal"
    w.hall.save()


def _center_renamed(w: World) -> None:
    w.center.name = "Haus der Kulturen Süd"
    w.center.save()


def _center_address(w: World) -> None:
    w.center.street = "Neue Straße 1"
    w.center.save(update_fields=["street", "updated_at"])


def _center_street_alone(w: World) -> None:
    w.center.street = "Neue Straße 1"
    w.center.save(update_fields=["street"])  # the stamp is not named: the hook moves it


def _series_title(w: World) -> None:
    w.weekly.title = "Frühjahrsproben"
    w.weekly.save(update_fields=["title", "updated_at"])


def _series_deleted(w: World) -> None:
    services.series_delete(user=w.admin, series=w.weekly)


def _series_deleted_plainly(w: World) -> None:
    Series.objects.filter(pk=w.weekly.pk).delete()


def _date_confirmed(w: World) -> None:
    row = w.extra.occurrences.filter(state=OccurrenceState.REQUESTED).order_by("starts_at")[0]
    services.occurrences_confirm(user=w.staff, occurrences=[row])


def _date_moved(w: World) -> None:
    row = w.weekly.occurrences.filter(starts_at__gte=NOW).order_by("starts_at")[0]
    services.occurrence_move(user=w.staff, occurrence=row, room=w.cafe, reason="Umbau")


def _date_cancelled(w: World) -> None:
    row = w.weekly.occurrences.filter(starts_at__gte=NOW).order_by("starts_at")[0]
    services.occurrence_cancel(user=w.staff, occurrence=row, reason="Krankheit")


CHANGES: dict[str, Callable[[World], None]] = {
    "group renamed": _group_renamed,
    "group no longer public": _group_hidden,
    "group language added": _group_languages,
    "group deleted": _group_deleted,
    "room renamed": _room_renamed,
    "center renamed": _center_renamed,
    "center address": _center_address,
    "center address saved alone": _center_street_alone,
    "series title": _series_title,
    "series deleted": _series_deleted,
    "series deleted by a queryset": _series_deleted_plainly,
    "date confirmed": _date_confirmed,
    "date moved": _date_moved,
    "date cancelled": _date_cancelled,
}


@pytest.mark.django_db
@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_a_public_feed_shows_changes_its_version_and_bytes(
    client: Client, world: World, change: str
) -> None:
    spec = selectors.center_feed("hdk")
    window = selectors.feed_window(NOW.date(), BERLIN)
    version = selectors.data_version(spec, window)
    etag, body = _version(CENTER_FEED, client)
    assert client.get(CENTER_FEED, headers={"if_none_match": etag}).status_code == 304

    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        CHANGES[change](world)

    assert selectors.data_version(spec, window) != version
    response = client.get(CENTER_FEED, headers={"if_none_match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag and response.content != body


@pytest.mark.django_db
def test_without_a_change_the_version_and_the_etag_stay(client: Client, world: World) -> None:
    spec = selectors.center_feed("hdk")
    window = selectors.feed_window(NOW.date(), BERLIN)
    version = selectors.data_version(spec, window)
    etag, body = _version(CENTER_FEED, client)
    leader_etag, _ = _version(world.leader_feed, client)
    # What does not show: the mirror's link, a login, a fresh render of the same data.
    world.weekly.save(update_fields=["event"])
    world.group.save(update_fields=["calendar"])
    world.leader.save(update_fields=["last_login"])
    cache.clear()
    assert selectors.data_version(spec, window) == version
    assert _version(CENTER_FEED, client) == (etag, body)
    assert client.get(CENTER_FEED, headers={"if_none_match": etag}).status_code == 304
    feed = client.get(world.leader_feed, headers={"if_none_match": leader_etag})
    assert feed.status_code == 304


def _leadership_added(w: World) -> None:
    GroupLeader.objects.create(group=w.other, user=w.leader)


def _leadership_added_through_the_group(w: World) -> None:
    w.other.leaders.add(w.leader)


def _leadership_removed(w: World) -> None:
    GroupLeader.objects.filter(group=w.group, user=w.leader).delete()


def _leadership_removed_through_the_group(w: World) -> None:
    w.group.leaders.remove(w.leader)


def _leaders_cleared(w: World) -> None:
    w.group.leaders.clear()


def _leader_renamed(w: World) -> None:
    w.leader.first_name = "Johanna"
    w.leader.save()


def _led_group_deleted(w: World) -> None:
    w.group.delete()


LEADER_CHANGES: dict[str, Callable[[World], None]] = {
    "leadership added": _leadership_added,
    "leadership added through the group": _leadership_added_through_the_group,
    "leadership removed": _leadership_removed,
    "leadership removed through the group": _leadership_removed_through_the_group,
    "leaders cleared": _leaders_cleared,
    "leader renamed": _leader_renamed,
    "led group deleted": _led_group_deleted,
    "led series title": _series_title,
    "led date cancelled": _date_cancelled,
}


@pytest.mark.django_db
@pytest.mark.parametrize("change", list(LEADER_CHANGES))
def test_leadership_changes_change_the_leader_feed(
    client: Client, world: World, change: str
) -> None:
    etag, body = _version(world.leader_feed, client)
    assert client.get(world.leader_feed, headers={"if_none_match": etag}).status_code == 304

    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        LEADER_CHANGES[change](world)

    response = client.get(world.leader_feed, headers={"if_none_match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag and response.content != body


@pytest.mark.django_db
def test_a_group_moved_to_another_center_changes_both_centers(
    client: Client, world: World, make_center: Any
) -> None:
    elsewhere = make_center(slug="elsewhere", time_zone="Europe/Berlin")
    window = selectors.feed_window(NOW.date(), BERLIN)
    here, there = selectors.center_feed("hdk"), selectors.center_feed("elsewhere")
    before = selectors.data_version(here, window), selectors.data_version(there, window)
    world.other.center = elsewhere
    world.other.save()
    after = selectors.data_version(here, window), selectors.data_version(there, window)
    assert before[0] != after[0] and before[1] != after[1]


@pytest.mark.django_db
def test_hooks_inside_an_engine_transaction_raise_the_version_at_its_end(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A series saved inside a booking transaction only notes its center; the plan version is
    raised when the engine's block ends, after the engine's own locks (bookings.stamps)."""
    from bookings import stamps
    from bookings.locking import in_transaction

    raised: list[tuple[str, set[int]]] = []
    real = stamps.plan_changed

    def spy(center_ids: Any) -> None:
        raised.append(("raised", set(center_ids)))
        real(center_ids)

    monkeypatch.setattr(stamps, "plan_changed", spy)
    before = stamps.plan_version(world.center.pk)

    @in_transaction
    def write() -> None:
        world.weekly.title = "Neu"
        world.weekly.save(update_fields=["title", "updated_at"])
        raised.append(("service done", set()))

    write()
    assert raised == [("service done", set()), ("raised", {world.center.pk})]
    assert stamps.plan_version(world.center.pk) == before + 1
    # Outside of one, a save raises it at once.
    raised.clear()
    world.weekly.save()
    assert raised == [("raised", {world.center.pk})]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["center", "group", "room"])
def test_a_public_feed_reads_its_version_with_itself_and_a_304_costs_one_query(
    client: Client, world: World, kind: str
) -> None:
    url, spec = {
        "center": (CENTER_FEED, lambda: selectors.center_feed("hdk")),
        "group": ("/feeds/group/chor.ics", lambda: selectors.group_feed("chor")),
        "room": (f"/feeds/room/{world.hall.pk}.ics", lambda: selectors.room_feed(world.hall.pk)),
    }[kind]
    window = selectors.feed_window(NOW.date(), BERLIN)
    assert spec().known_version == selectors.data_version(spec(), window)
    etag = client.get(url)["ETag"]

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers={"if_none_match": etag}).status_code == 304
    assert len(captured.captured_queries) == 1

    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        _date_cancelled(world)
    assert spec().known_version == selectors.data_version(spec(), window)
    assert client.get(url, headers={"if_none_match": etag}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["center", "group", "room", "leader", "staff"])
def test_reading_the_version_is_one_query_whatever_the_number_of_series(
    world: World, kind: str, make_user: Any
) -> None:
    window = selectors.feed_window(NOW.date(), BERLIN)

    def spec() -> selectors.FeedSpec:
        if kind == "center":
            return selectors.center_feed("hdk")
        if kind == "group":
            return selectors.group_feed("chor")
        if kind == "room":
            return selectors.room_feed(world.hall.pk)
        user = world.leader if kind == "leader" else world.staff
        token, _plain = feed_token_create(
            user=user, kind=kind, center=world.center if kind == "staff" else None
        )
        return selectors.private_feed(token)

    def queries() -> int:
        built = spec()
        with CaptureQueriesContext(connection) as captured:
            selectors.data_version(built, window)
        return len(captured.captured_queries)

    few = queries()
    for n in range(30):
        _series(world.group, world.hall, day=date(2026, 3, 2 + n % 7), title=f"Reihe {n}")
    assert Series.objects.filter(group=world.group).count() > 30
    assert (few, queries()) == (1, 1)


@pytest.mark.django_db
def test_pruning_forgets_deleted_series_and_gone_feeds_but_keeps_living_series(
    client: Client, world: World
) -> None:
    client.get(CENTER_FEED)
    client.get("/feeds/group/schach.ics")
    client.get(world.leader_feed)
    chess = Series.objects.get(group=world.other).pk
    assert FeedObject.objects.filter(series_id=world.weekly.pk).exists()
    assert not FeedObject.objects.filter(series_id__isnull=True).exists()
    # A row recorded before rows knew their series is kept: its object may still be shown.
    FeedObject.objects.filter(series_id=world.extra.pk).update(series_id=None)
    unowned = FeedObject.objects.filter(series_id__isnull=True).count()
    assert unowned > 0
    kept = dict(
        FeedObject.objects.exclude(series_id__in=[world.weekly.pk, chess])
        .exclude(feed=f"group:{world.other.pk}")
        .values_list("key", "sequence")
    )
    assert run_task(feed_objects_prune_task) == 0  # nothing is gone yet

    Series.objects.filter(pk=world.weekly.pk).delete()
    Group.objects.filter(pk=world.other.pk).delete()  # its feed and its series with it

    assert feed_objects_prune() > 0
    assert dict(FeedObject.objects.values_list("key", "sequence")) == kept
    assert FeedObject.objects.filter(series_id__isnull=True).count() == unowned
    # Rendered again, the older rows learn their series (and keep their SEQUENCE).
    cache.clear()
    client.get(CENTER_FEED)
    assert not FeedObject.objects.filter(
        series_id__isnull=True, feed__startswith="center:"
    ).exists()
    assert dict(FeedObject.objects.filter(key__in=kept).values_list("key", "sequence")) == kept
    assert feed_objects_prune() == 0


@pytest.mark.django_db(transaction=True)
def test_deleting_a_center_or_a_person_leaves_no_counter_behind(
    make_center: Any, make_room: Any, make_group: Any, make_user: Any
) -> None:
    """A cascade's hooks raise only existing counters: none is created for the center or the
    person being deleted (the commit would fail on its foreign key)."""
    from bookings.models import PlanVersion
    from calendars.models import LeaderFeedVersion

    leader = make_user()
    center = make_center()
    make_room(center=center)
    group = make_group(center=center, leaders=[leader], languages=["de"])
    assert PlanVersion.objects.filter(center=center).exists()
    assert LeaderFeedVersion.objects.filter(user=leader).exists()

    leader.delete()
    group.delete()  # a center keeps its groups (PROTECT): they go first
    center.delete()  # with its rooms

    assert not PlanVersion.objects.exists()
    assert not LeaderFeedVersion.objects.exists()
