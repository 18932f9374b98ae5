"""Reads behind the calendar feeds: which series and dates a feed shows, and its data version.

Visibility is decided here, once: public feeds (group, room, center) show public groups'
confirmed series with their confirmed and cancelled dates; private feeds (a leader's bookings,
a center's staff calendar) also show requested dates. Everything a feed shows is turned into the
plain dataclasses of `calendars.ical`, so that building the calendar runs no queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from functools import cached_property
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, connections
from django.db.models import BigIntegerField, Func, Q, QuerySet
from django.http import Http404
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from accounts.models import FeedToken
from bookings.models import (
    EarlierRule,
    Occurrence,
    OccurrenceState,
    PlanVersion,
    Series,
    SeriesStatus,
)
from bookings.recurrence import rule_from_json
from calendars.ical import DateRow, EarlierPart, FeedMeta, SeriesData
from calendars.models import LeaderFeedVersion
from centers.models import Center, Room
from config.site import site_url
from groups.models import Group

WINDOW_BACK = relativedelta(months=3)
WINDOW_AHEAD = relativedelta(months=12)

DESCRIPTION_LIMIT = 500
PUBLIC_STATES = (OccurrenceState.CONFIRMED, OccurrenceState.CANCELLED)
PRIVATE_STATES = (*PUBLIC_STATES, OccurrenceState.REQUESTED)
# A series that staff never confirmed has no public dates, even if some were cancelled later.
PUBLIC_SERIES = (SeriesStatus.CONFIRMED, SeriesStatus.PARTLY_CONFIRMED)


@dataclass(frozen=True)
class FeedSpec:
    """What one feed shows: its identity (cache key), name, series and which of their rows."""

    identity: str
    name: str
    tz: ZoneInfo
    # Made when first asked for: a conditional request (most of a feed's traffic) never needs
    # it, and building the filtered queryset cost a sixth of answering one.
    select_series: Callable[[], QuerySet[Series]]
    rows: Q  # filter on Occurrence
    public: bool
    # The centers whose plan version (bookings.stamps) tells whether the feed's data changed.
    center_ids: tuple[int, ...] = ()
    # A leader's feed: the person whose version tells whether their leaderships changed.
    user_id: int | None = None
    # `data_version` as read with the feed itself (public feeds: one query for both, so that
    # a conditional request costs one query); None: not read yet.
    known_version: str | None = None

    @cached_property
    def series(self) -> QuerySet[Series]:
        return self.select_series()

    def with_version(self, version: str) -> FeedSpec:
        return replace(self, known_version=version)


def _translated_later(message: str, **values: str) -> str:
    """A feed name in the language the feed is rendered in, not the one of the request that
    happened to build the spec (the cache and the warming job render every language)."""
    return lazy(lambda: gettext(message) % values, str)()


def feed_window(today: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """From the 1st of the month 3 months back to the 1st of the month 13 months ahead (local
    midnights): at least 3 months back and 12 ahead, and the same for a whole month, so that
    an unchanged feed is not rendered again (nor its DTSTARTs moved) every day."""
    first = today.replace(day=1)
    start = datetime.combine(first - WINDOW_BACK, time(0), tzinfo=tz)
    end = datetime.combine(first + WINDOW_AHEAD + relativedelta(months=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def uid_host() -> str:
    return urlsplit(site_url()).hostname or "treffpunkt.invalid"


# --- which feed -------------------------------------------------------------------------------


def _public_series() -> QuerySet[Series]:
    return Series.objects.filter(group__is_public=True, status__in=PUBLIC_SERIES)


# A public feed is looked up with its center's plan version in one written-out query: a
# conditional request (most of a feed's traffic) needs nothing else from the database, and the
# ORM's compiling of the same select_related query cost three times its running.
_LOOKUP = """
    SELECT {what}, c.id, c.name, c.time_zone, pv.version
    FROM {table} x JOIN {center} c ON c.id = x.{center_column}
    LEFT JOIN {plan} pv ON pv.center_id = c.id
    WHERE {where}
"""


def _look_up(table: str, what: str, center_column: str, where: str, value: object) -> tuple:
    sql = _LOOKUP.format(
        what=what,
        table=table,
        center=Center._meta.db_table,
        center_column=center_column,
        plan=PlanVersion._meta.db_table,
        where=where,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return tuple(row)


def _plan(center_id: int, version: int | None) -> str:
    """The text `data_version` gives for a one-center feed."""
    return f"plan={[(center_id, version)] if version is not None else []}"


def group_feed(slug: str) -> FeedSpec:
    group_id, name, center_id, center_name, zone, version = _look_up(
        Group._meta.db_table, "x.id, x.name", "center_id", "x.slug = %s AND x.is_public", slug
    )
    return _group_spec_of(group_id, name, center_id, center_name, ZoneInfo(zone)).with_version(
        _plan(center_id, version)
    )


def _group_spec(group: Group) -> FeedSpec:
    center = group.center
    return _group_spec_of(group.pk, group.name, center.pk, center.name, center.tz)


def _group_spec_of(
    group_id: int, name: str, center_id: int, center_name: str, tz: ZoneInfo
) -> FeedSpec:
    return FeedSpec(
        identity=f"group:{group_id}",
        name=f"{name} – {center_name}",
        tz=tz,
        select_series=lambda: _public_series().filter(group_id=group_id),
        rows=Q(state__in=PUBLIC_STATES),
        public=True,
        center_ids=(center_id,),
    )


def room_feed(room_id: int) -> FeedSpec:
    room_id, name, center_id, center_name, zone, version = _look_up(
        Room._meta.db_table, "x.id, x.name", "center_id", "x.id = %s", room_id
    )
    return _room_spec_of(room_id, name, center_id, center_name, ZoneInfo(zone)).with_version(
        _plan(center_id, version)
    )


def _room_spec(room: Room) -> FeedSpec:
    center = room.center
    return _room_spec_of(room.pk, room.name, center.pk, center.name, center.tz)


def _room_spec_of(
    room_id: int, name: str, center_id: int, center_name: str, tz: ZoneInfo
) -> FeedSpec:
    # A date moved into this room belongs to a series booked elsewhere: include that series,
    # showing only the dates that take place here.
    def series() -> QuerySet[Series]:
        moved_in = Occurrence.objects.filter(room_id=room_id).values("series_id")
        return _public_series().filter(Q(room_id=room_id) | Q(pk__in=moved_in))

    return FeedSpec(
        identity=f"room:{room_id}",
        name=f"{name} – {center_name}",
        tz=tz,
        select_series=series,
        rows=Q(state__in=PUBLIC_STATES, room_id=room_id),
        public=True,
        center_ids=(center_id,),
    )


def center_feed(slug: str) -> FeedSpec:
    _id, center_id, center_name, zone, version = _look_up(
        Center._meta.db_table, "x.id", "id", "x.slug = %s", slug
    )
    return _center_spec_of(center_id, center_name, ZoneInfo(zone)).with_version(
        _plan(center_id, version)
    )


def _center_spec(center: Center) -> FeedSpec:
    return _center_spec_of(center.pk, center.name, center.tz)


def _center_spec_of(center_id: int, name: str, tz: ZoneInfo) -> FeedSpec:
    return FeedSpec(
        identity=f"center:{center_id}",
        name=_translated_later(gettext_noop("Program of %(center)s"), center=name),
        tz=tz,
        select_series=lambda: _public_series().filter(group__center_id=center_id),
        rows=Q(state__in=PUBLIC_STATES),
        public=True,
        center_ids=(center_id,),
    )


def public_feed_specs() -> list[FeedSpec]:
    """Every public feed: each center's program, each public group, each room (a few queries)."""
    centers = Center.objects.order_by("pk")
    groups = Group.objects.filter(is_public=True).select_related("center").order_by("pk")
    rooms = Room.objects.select_related("center").order_by("pk")
    return (
        [_center_spec(center) for center in centers]
        + [_group_spec(group) for group in groups]
        + [_room_spec(room) for room in rooms]
    )


def private_feed(feed_token: FeedToken) -> FeedSpec:
    """The feed a live token opens; access is checked now, not when the token was made."""
    user = feed_token.user
    live = Series.objects.exclude(status__in=(SeriesStatus.DECLINED, SeriesStatus.WITHDRAWN))
    if feed_token.kind == FeedToken.Kind.STAFF:
        center = feed_token.center
        if center is None or not (user.is_superuser or center.staff.filter(pk=user.pk).exists()):
            raise Http404
        return FeedSpec(
            identity=f"staff:{feed_token.pk}",
            name=_translated_later(
                gettext_noop("Staff calendar of %(center)s"), center=center.name
            ),
            tz=center.tz,
            select_series=lambda: live.filter(group__center=center),
            rows=Q(state__in=PRIVATE_STATES),
            public=False,
            center_ids=(center.pk,),
        )
    centers = list(Center.objects.filter(groups__leaderships__user=user).distinct().order_by("pk"))
    first_center = centers[0] if centers else None
    return FeedSpec(
        identity=f"leader:{feed_token.pk}",
        name=_translated_later(gettext_noop("My bookings – %(name)s"), name=str(user)),
        tz=first_center.tz if first_center else ZoneInfo(settings.TIME_ZONE),
        select_series=lambda: live.filter(group__leaderships__user=user),
        rows=Q(state__in=PRIVATE_STATES),
        public=False,
        center_ids=tuple(center.pk for center in centers),
        user_id=user.pk,
    )


# --- version and data -------------------------------------------------------------------------


def data_version(spec: FeedSpec, window: tuple[datetime, datetime]) -> str:
    """Whether anything the feed shows changed: one indexed read, whatever the feed's size.

    The counters are kept by the writers in the same transaction as their change: the plan
    version of the feed's centers for dates, series, groups, rooms and the centers themselves
    (bookings.stamps, calendars.versions), and for a leader's feed also the person's own
    version (leaderships added or removed). Counters only grow, and a deleted center takes its
    row along, so a deletion changes the version too. The window is part of the cache key
    already (`cache.current`).
    """
    # Written out: the ORM's compiling of this two-line query cost more than running it, and
    # this runs on every request of every feed (most of them conditional).
    marks = ", ".join(["%s"] * len(spec.center_ids)) or "NULL"
    sql = (
        f"SELECT center_id, version FROM {PlanVersion._meta.db_table} WHERE center_id IN ({marks})"
    )
    params: list[int] = list(spec.center_ids)
    if spec.user_id is not None:
        # The person's version in the same query, as center 0 (no center has that key).
        sql += f" UNION ALL SELECT 0, version FROM {LeaderFeedVersion._meta.db_table}"
        sql += " WHERE user_id = %s"
        params.append(spec.user_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = [tuple(row) for row in cursor.fetchall()]
    return f"plan={sorted(found)}"


class EpochSeconds(Func):
    """A timestamp as whole seconds since the epoch (an integer): a big feed reads ~100k of
    them, and the driver's and Django's conversion of each to an aware datetime cost more
    than the rest of the query (iCalendar has whole seconds only)."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        return self.as_sql(
            compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)"
        )

    def as_postgresql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        return self.as_sql(
            compiler,
            connection,
            template="FLOOR(EXTRACT(EPOCH FROM %(expressions)s))::bigint",
        )


def _moments() -> Callable[[int], datetime]:
    """Seconds since the epoch -> aware UTC datetime, each distinct value converted once."""
    seen: dict[int, datetime] = {}

    def moment(seconds: int) -> datetime:
        found = seen.get(seconds)
        if found is None:
            found = seen[seconds] = datetime.fromtimestamp(seconds, UTC)
        return found

    return moment


def _in_window(window: tuple[datetime, datetime]) -> Q:
    start, end = window
    return Q(original_start__gte=start, original_start__lt=end)


def feed_meta(spec: FeedSpec, window: tuple[datetime, datetime]) -> FeedMeta:
    return FeedMeta(name=str(spec.name), window=window)


def feed_series_heads(spec: FeedSpec, pks: Iterable[int] | None = None) -> list[Series]:
    """The feed's series (or these of them) with group, center and room, in a stable order."""
    series = spec.series if pks is None else spec.series.filter(pk__in=list(pks))
    found = list(
        series.select_related("group__center", "room")
        .prefetch_related("group__languages")
        .order_by("pk")
        .distinct()
    )
    # A room is in its group's center (nearly always): one Center object per center, not a
    # second copy of it per series (a big feed's heads cost a tenth of its render).
    centers = {item.group.center_id: item.group.center for item in found}
    missing = {item.room.center_id for item in found} - set(centers)
    centers.update(Center.objects.in_bulk(missing) if missing else {})
    for item in found:
        item.room.center = centers[item.room.center_id]
    return found


def feed_series_stamps(spec: FeedSpec) -> list[tuple]:
    """What each of the feed's series' VEVENTs depend on, as one row of plain values each
    (pk, version, SEQUENCE and the stamps of the series, its group, center and room), in
    the feeds' order: the keys of the per-series blocks, without building a model."""
    return list(
        spec.series.order_by("pk")
        .distinct()
        .values_list(
            "pk",
            "version",
            "sequence",
            "updated_at",
            "group__updated_at",
            "group__center__updated_at",
            "room__updated_at",
        )
    )


def feed_series(
    spec: FeedSpec, window: tuple[datetime, datetime], series: list[Series] | None = None
) -> list[SeriesData]:
    """The feed's series (or these of them) with their shown rows, in the order given (by pk
    when not given)."""
    if series is None:
        series = feed_series_heads(spec)
    by_pk = sorted(series, key=lambda item: item.pk)
    found = dict(
        zip((item.pk for item in by_pk), iter_feed_series(spec, window, by_pk), strict=True)
    )
    return [found[item.pk] for item in series]


def iter_feed_series(
    spec: FeedSpec, window: tuple[datetime, datetime], series: list[Series]
) -> Iterator[SeriesData]:
    """These series with their shown rows, one at a time by pk (5 queries in all).

    Rows are read as tuples, not model instances (a center feed has tens of thousands), in
    series order, and each series is handed on as soon as its rows are read: a cold center
    feed never holds more than one series' rows (the whole feed's rows were +10 MB).
    """
    series = sorted(series, key=lambda item: item.pk)
    earlier: dict[int, list[EarlierPart]] = {}
    for series_id, ends_before, rule in (
        EarlierRule.objects.filter(series__in=series)
        .order_by("series_id", "ends_before")
        .values_list("series_id", "ends_before", "rule")
    ):
        earlier.setdefault(series_id, []).append(EarlierPart(rule_from_json(rule), ends_before))
    host = uid_host()
    rows = _date_rows(spec, window, series)
    upcoming = next(rows, None)
    group_texts: dict[int, tuple[str, str]] = {}
    for item in series:
        pk, own = item.pk, []
        while upcoming is not None and upcoming[0] == pk:
            own.append(upcoming[1])
            upcoming = next(rows, None)
        yield series_data(
            item, own, host=host, earlier=earlier.get(pk, ()), group_texts=group_texts
        )


def _date_rows(
    spec: FeedSpec, window: tuple[datetime, datetime], series: list[Series]
) -> Iterator[tuple[int, DateRow]]:
    """(series id, row) of the shown dates of these series, by series, start and pk."""
    found = (
        Occurrence.objects.filter(spec.rows & _in_window(window), series__in=series)
        .order_by("series_id", "original_start", "pk")
        .values_list(
            "pk",
            "series_id",
            EpochSeconds("original_start"),
            EpochSeconds("starts_at"),
            EpochSeconds("ends_at"),
            "state",
            "room_id",
            "reason",
            "sequence",
            EpochSeconds("updated_at"),
        )
    )
    # The ORM's own SQL, run on a plain cursor: Django's per-value converters (four epoch
    # integers and a state per row) cost more than the query on a big center's feed.
    sql, params = found.query.get_compiler(using=found.db).as_sql()
    # The rooms of the feed's centers (a date moves within its center; another room is read
    # when met).
    locations = {
        room.pk: location_text(room)
        for room in Room.objects.select_related("center").filter(center_id__in=spec.center_ids)
    }
    # When a date was last changed is shared by many rows (one decision, many dates): each
    # value becomes a datetime once. Starts and ends are nearly all distinct: made directly.
    changed_at, at = _moments(), datetime.fromtimestamp
    with connections[found.db].cursor() as cursor:
        cursor.execute(sql, params)
        # In batches: the driver loads a batch in one call (row by row costs it ~3 µs each).
        while batch := cursor.fetchmany(2000):
            for row in batch:
                pk, series_id, original, starts, ends, state, room_id, reason, seq, changed = row
                location = locations.get(room_id)
                if location is None:
                    location = locations[room_id] = _location_of(room_id)
                start = at(original, UTC)
                yield (
                    series_id,
                    DateRow(
                        pk,
                        start,
                        start if starts == original else at(starts, UTC),
                        at(ends, UTC),
                        state,
                        room_id,
                        location,
                        reason,
                        seq,
                        changed_at(changed),
                    ),
                )


def _location_of(room_id: int) -> str:
    return location_text(Room.objects.select_related("center").get(pk=room_id))


# --- ORM -> dataclasses -----------------------------------------------------------------------


def location_text(room: Room) -> str:
    center = room.center
    return ", ".join(part for part in (room.name, center.name, center.address) if part)


def description_text(group: Group) -> str:
    """Description, languages, cost and contact: what a resident needs before coming."""
    text = group.description.strip()
    if len(text) > DESCRIPTION_LIMIT:
        # The full text is one click away (URL); 400 series must stay under 1 MB.
        text = text[:DESCRIPTION_LIMIT].rsplit(" ", 1)[0].rstrip(" ,;.") + " …"
    lines = [text] if text else []
    facts = []
    languages = [str(language) for language in group.languages.all()]
    if languages:
        facts.append(_("Languages: %(languages)s") % {"languages": ", ".join(languages)})
    facts.append(_("Cost: %(cost)s") % {"cost": group.cost_display})
    contact = ", ".join(
        part for part in (group.contact_name, group.contact_phone, group.contact_email) if part
    )
    if contact:
        facts.append(_("Contact: %(contact)s") % {"contact": contact})
    if facts:
        lines.append("\n".join(facts))
    return "\n\n".join(lines)


def date_row(occurrence: Occurrence) -> DateRow:
    return DateRow(
        id=occurrence.pk,
        original_start=occurrence.original_start,
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        state=occurrence.state,
        room_id=occurrence.room_id,
        location=location_text(occurrence.room),
        reason=occurrence.reason,
        sequence=occurrence.sequence,
        updated_at=occurrence.updated_at,
    )


def _through(series: Series, rows: list[DateRow], tz: ZoneInfo) -> date | None:
    """Last date that exists as rows: the materialised horizon of an open-ended series."""
    if not series.is_open_ended:
        return None
    if series.materialised_until is not None:
        return series.materialised_until
    starts = [row.original_start for row in rows]
    return max(starts).astimezone(tz).date() if starts else series.start_date


def series_data(
    series: Series,
    rows: Iterable[DateRow],
    *,
    host: str,
    earlier: Iterable[EarlierPart] = (),
    group_texts: dict[int, tuple[str, str]] | None = None,
) -> SeriesData:
    """A series as its VEVENTs need it; `group_texts` keeps each group's description and
    link for the next series of the same group (a center's feed has ten series a group)."""
    group, room = series.group, series.room
    tz = group.center.tz
    rows = list(rows)
    texts = group_texts.get(group.pk) if group_texts is not None else None
    if texts is None:
        texts = (description_text(group), f"{site_url()}{group.get_absolute_url()}")
        if group_texts is not None:
            group_texts[group.pk] = texts
    return SeriesData(
        uid=f"series-{series.pk}@{host}",
        summary=series.display_title,
        description=texts[0],
        location=location_text(room),
        url=texts[1],
        tz=tz,
        rule=series.rule,
        room_id=room.pk,
        through=_through(series, rows, tz),
        sequence=series.sequence,
        updated_at=max(
            series.updated_at, group.updated_at, group.center.updated_at, room.updated_at
        ),
        rows=tuple(rows),
        earlier=tuple(earlier),
    )


# --- one date ---------------------------------------------------------------------------------


def public_occurrence(occurrence_id: int) -> Occurrence:
    """A confirmed date of a public group's confirmed series, or 404."""
    occurrence = (
        Occurrence.objects.select_related("series__group__center", "series__room__center")
        .select_related("room__center")
        .prefetch_related("series__group__languages")
        .filter(
            pk=occurrence_id,
            state=OccurrenceState.CONFIRMED,
            series__group__is_public=True,
            series__status__in=PUBLIC_SERIES,
        )
        .first()
    )
    if occurrence is None:
        raise Http404
    return occurrence
