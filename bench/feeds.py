"""Benchmark: Treffpunkt's .ics feeds against django-scheduler's own iCal feed on the same data.

    .venv/bin/python bench/feeds.py          # DATABASE_URL picks SQLite (default) or PostgreSQL
    .venv/bin/python bench/feeds.py --series 4000   # the growth check (same figures)

Creates a throwaway test database (as Django's test runner does), a center with 400 weekly
series (public holidays cancelled, some dates moved) and mirrors every series into
django-scheduler Calendar/Event/Rule rows. Measures, for a group feed and the center feed:
cold render, cached 200 and 304 (ours) against django-scheduler's `CalendarICalendar` view,
which has no cache and no conditional requests, so each of its requests is a full render.
Also counts the dates django-scheduler's feed loses: it writes one VEVENT per event and no
RRULE, so every date after the first of a series is missing.

Then the figures of issue 12, each the median of several samples after a warm-up: the center
feed cold (empty cache), after one date of one series was cancelled through the booking
engine (`one_change`: only that series is rendered again), cached 200 and 304, against the
same bytes served as a static file by WhiteNoise through the same Django stack in the same
run (`static`). Ends with `BENCH {json}` ("name": "feeds").
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402

SERIES = 400
GROUPS = 40
ROOMS = 8
# The project's URLs plus django-scheduler's (which the project does not mount).
urlpatterns = [
    path("schedule/", include("schedule.urls")),
    path("", include("config.urls")),
]


def build() -> dict:
    """The center, its 400 series with rows, and the django-scheduler mirror."""
    from schedule.models import Calendar, Event, Rule

    from bookings.models import Occurrence, OccurrenceState, Series, SeriesStatus
    from bookings.recurrence import expand
    from calendars.selectors import feed_window
    from centers.holidays import public_holidays
    from centers.models import Center, Room
    from groups.models import Group

    center = Center.objects.create(
        name="Kultur- und Begegnungszentrum am Brunnenplatz",
        slug="brunnenplatz",
        street="Burgsdorffstraße 76",
        postal_code="46284",
        city="Dorsten",
    )
    tz = center.tz
    today = datetime.now(UTC).astimezone(tz).date()
    rooms = [
        Room.objects.create(center=center, name=f"Raum {n}", capacity=20) for n in range(ROOMS)
    ]
    description = (
        "Offener Treff für alle, die gern zusammen kochen, singen, reden; Neue sind willkommen. "
    ) * 5
    groups = [
        Group.objects.create(
            center=center,
            name=f"Gruppe {n}, Treff „Brunnen“",
            slug=f"gruppe-{n}",
            description=description,
            contact_name="Frau Müller",
            contact_email="treff@example.org",
        )
        for n in range(GROUPS)
    ]
    start = today - timedelta(days=200)
    until = today + timedelta(days=500)
    all_series = []
    rows = []
    for n in range(SERIES):
        first = start + timedelta(days=n % 7)
        series = Series.objects.create(
            group=groups[n % GROUPS],
            room=rooms[n % ROOMS],
            status=SeriesStatus.CONFIRMED,
            frequency="weekly",
            weekdays=[first.weekday()],
            start_date=first,
            start_time=clock(8 + n % 12),
            end_time=clock(9 + n % 12, 30),
            until=until,
        )
        all_series.append(series)
        for slot in expand(series.rule, tz):
            rows.append(
                Occurrence(
                    series=series,
                    room=series.room,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    original_start=slot.original_start,
                    state=OccurrenceState.CONFIRMED,
                )
            )
    Occurrence.objects.bulk_create(rows, batch_size=2000)
    holidays = public_holidays("NW", start, until)
    occurrences = Occurrence.objects.filter(series__group__center=center)
    for pk, original in occurrences.values_list("pk", "original_start"):
        day = original.astimezone(tz).date()
        if day in holidays:
            occurrences.filter(pk=pk).update(state=OccurrenceState.CANCELLED, reason=holidays[day])
    for series in all_series[::10]:
        row = series.occurrences.filter(starts_at__gte=datetime.now(UTC)).first()
        occurrences.filter(pk=row.pk).update(
            starts_at=row.starts_at + timedelta(hours=1), ends_at=row.ends_at + timedelta(hours=1)
        )

    # django-scheduler mirror: one Event + weekly Rule per series; one calendar for the center
    # and one for the benchmarked group (an Event belongs to exactly one calendar).
    weekly = Rule.objects.create(name="weekly", description="weekly", frequency="WEEKLY")
    center_cal = Calendar.objects.create(name=center.name, slug="bench-center")
    group_cal = Calendar.objects.create(name=groups[0].name, slug="bench-group")
    events = []
    for series in all_series:
        calendars = [center_cal] + ([group_cal] if series.group_id == groups[0].pk else [])
        first = series.occurrences.order_by("original_start").first()
        for calendar in calendars:
            events.append(
                Event(
                    calendar=calendar,
                    title=series.display_title,
                    description=series.group.description,
                    start=first.starts_at,
                    end=first.ends_at,
                    rule=weekly,
                    end_recurring_period=datetime.combine(until, clock(23), tzinfo=tz),
                )
            )
    Event.objects.bulk_create(events)

    window = feed_window(today, tz)
    real = Occurrence.objects.filter(
        series__group__center=center,
        state=OccurrenceState.CONFIRMED,
        original_start__gte=window[0],
        original_start__lt=window[1],
    )
    return {
        "series_ids": [series.pk for series in all_series],
        "group": groups[0],
        "center": center,
        "center_cal": center_cal,
        "group_cal": group_cal,
        "real_center": real.count(),
        "real_group": real.filter(series__group=groups[0]).count(),
        "window": window,
    }


def timed(fn, repeat: int) -> float:
    """Median seconds of `repeat` calls (after one warm-up call)."""
    fn()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def vevents_in_window(body: bytes, window: tuple[datetime, datetime]) -> int:
    import icalendar

    cal = icalendar.Calendar.from_ical(body)
    start, end = window
    count = 0
    for event in cal.walk("VEVENT"):
        moment = event["DTSTART"].dt
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        count += start <= moment < end
    return count


def measure(client: Client, ours: str, theirs: str, repeat: int) -> dict:
    def get(url: str, **headers: str):
        response = client.get(url, headers=headers)
        assert response.status_code in (200, 304), (url, response.status_code)
        return response

    def cold() -> None:
        cache.clear()
        get(ours)

    etag = get(ours)["ETag"]
    result = {
        "ours_cold_ms": timed(cold, repeat) * 1000,
        "ours_cached_200_ms": timed(lambda: get(ours), repeat) * 1000,
        "ours_304_ms": timed(lambda: get(ours, if_none_match=etag), repeat) * 1000,
        "scheduler_ms": timed(lambda: get(theirs), repeat) * 1000,
        "ours_bytes": len(get(ours).content),
        "scheduler_bytes": len(get(theirs).content),
    }
    assert get(ours, if_none_match=etag).status_code == 304
    for key in ("cold", "cached_200", "304"):
        result[f"ratio_{key}"] = result["scheduler_ms"] / result[f"ours_{key}_ms"]
    return result


def cold_peak_mb(cold) -> float:
    """Extra memory at the peak of one cold render, in MB (Python allocations, traced: the
    render runs slower under tracemalloc, so its time is taken without it)."""
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        cold()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return (peak - before) / 1e6


def issue_figures(client: Client, data: dict, repeat: int = 7) -> dict:
    """cold, one change, cached, 304 and the static file, for the center feed (milliseconds)."""
    import tempfile

    from accounts.models import User
    from bookings import services
    from bookings.models import Occurrence, OccurrenceState

    url = f"/feeds/center/{data['center'].slug}.ics"

    def cold() -> None:
        cache.clear()
        assert client.get(url).status_code == 200

    cold_ms = timed(cold, repeat) * 1000
    peak_mb = cold_peak_mb(cold)
    staff = User.objects.create_superuser("bench-staff", "staff@example.org", "x")
    # One future date of a different series per sample (and one for the warm-up).
    rows = []
    for series_id in data["series_ids"][: repeat + 1]:
        rows.append(
            Occurrence.objects.filter(
                series_id=series_id,
                state=OccurrenceState.CONFIRMED,
                starts_at__gte=datetime.now(UTC) + timedelta(days=7),
            ).first()
        )
    samples = []
    client.get(url)
    for row in rows:
        services.occurrence_cancel(user=staff, occurrence=row, reason="Bench")
        began = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - began)
        assert response.status_code == 200 and b"Bench" in response.content
    one_change_ms = statistics.median(samples[1:]) * 1000
    body = client.get(url).content
    etag = client.get(url)["ETag"]
    # About a millisecond each: 60 samples (the median of 7 moved by a third between runs).
    quick = 60
    cached_ms = timed(lambda: client.get(url), quick) * 1000
    not_modified_ms = timed(lambda: client.get(url, headers={"if-none-match": etag}), quick)
    static_root = tempfile.mkdtemp(prefix="bench-feeds-")
    Path(static_root, "center.ics").write_bytes(body)
    with override_settings(STATIC_ROOT=static_root):
        static_client = Client()  # WhiteNoise reads STATIC_ROOT when the stack is built
        static = static_client.get("/static/center.ics")
        assert static.status_code == 200
        assert b"".join(static.streaming_content) == body
        static_ms = timed(lambda: list(static_client.get("/static/center.ics")), quick) * 1000
    return {
        "name": "feeds",
        "cold_center_ms": round(cold_ms, 1),
        "cold_center_peak_mb": round(peak_mb, 1),
        "one_change_ms": round(one_change_ms, 1),
        "cached_ms": round(cached_ms, 2),
        "not_modified_ms": round(not_modified_ms * 1000, 2),
        "static_ms": round(static_ms, 2),
        "ratio_cached_vs_static": round(cached_ms / static_ms, 2),
        "ratio_not_modified_vs_static": round(not_modified_ms * 1000 / static_ms, 2),
        "center_bytes": len(body),
    }


def main() -> int:
    global SERIES
    # --series N: the growth check (issue 12: 4,000 series must stay linear or better).
    if "--series" in sys.argv:
        SERIES = int(sys.argv[sys.argv.index("--series") + 1])
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"]):
            began = time.perf_counter()
            data = build()
            print(
                f"data: {SERIES} series built in {time.perf_counter() - began:.1f} s "
                f"on {connection.vendor}"
            )
            client = Client()
            results = {}
            for name, ours, theirs, repeat, real in (
                (
                    "group",
                    f"/feeds/group/{data['group'].slug}.ics",
                    f"/schedule/ical/calendar/{data['group_cal'].pk}/",
                    15,
                    data["real_group"],
                ),
                (
                    "center",
                    f"/feeds/center/{data['center'].slug}.ics",
                    f"/schedule/ical/calendar/{data['center_cal'].pk}/",
                    5,
                    data["real_center"],
                ),
            ):
                result = measure(client, ours, theirs, repeat)
                shown = vevents_in_window(client.get(theirs).content, data["window"])
                result["real_dates_in_window"] = real
                result["scheduler_vevents_in_window"] = shown
                result["scheduler_lost_dates"] = real - shown
                results[name] = result
                print(
                    f"{name:6} ours: cold {result['ours_cold_ms']:8.1f} ms, "
                    f"cached {result['ours_cached_200_ms']:6.2f} ms, "
                    f"304 {result['ours_304_ms']:6.2f} ms, {result['ours_bytes']} bytes | "
                    f"django-scheduler {result['scheduler_ms']:8.1f} ms, "
                    f"{result['scheduler_bytes']} bytes"
                )
                print(
                    f"{name:6} speed-up vs django-scheduler: cold x{result['ratio_cold']:.2f}, "
                    f"cached 200 x{result['ratio_cached_200']:.1f}, "
                    f"304 x{result['ratio_304']:.1f}; "
                    f"django-scheduler shows {shown} of {real} real dates "
                    f"(loses {real - shown})"
                )
            figures = issue_figures(client, data)
            print(
                "center issue 12: cold {cold_center_ms} ms (peak +{cold_center_peak_mb} MB), "
                "one change {one_change_ms} ms, "
                "cached {cached_ms} ms, 304 {not_modified_ms} ms, static file {static_ms} ms "
                "(cached/static x{ratio_cached_vs_static})".format(**figures)
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    summary = {
        **figures,
        "db": connection.vendor,
        "series": SERIES,
        **{
            f"{feed}_{key}": round(value, 3) if isinstance(value, float) else value
            for feed, result in results.items()
            for key, value in result.items()
        },
    }
    print("BENCH " + json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
