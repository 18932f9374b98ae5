"""Series and dates written straight with the ORM (the booking services are built elsewhere)."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from bookings.models import Occurrence, Series
from bookings.recurrence import expand


def make_series(
    *,
    group: Any,
    room: Any,
    start_date: date,
    start_time: time = time(14),
    end_time: time = time(16),
    frequency: str = "weekly",
    weeks: int = 8,
    status: str = "confirmed",
    date_state: str = "confirmed",
    **rule: Any,
) -> tuple[Series, list[Occurrence]]:
    """A series and its dates up to `weeks` weeks after `start_date`, all in `date_state`."""
    series = Series.objects.create(
        group=group,
        room=room,
        status=status,
        frequency=frequency,
        start_date=start_date,
        start_time=start_time,
        end_time=end_time,
        **rule,
    )
    store_dates(series, state=date_state, through=start_date + timedelta(weeks=weeks))
    return series, list(Occurrence.objects.filter(series=series).order_by("starts_at"))


def store_dates(series: Series, *, state: str = "confirmed", through: date | None = None) -> None:
    """The series' dates from its rule, in its room, expanded in its center's zone."""
    Occurrence.objects.bulk_create(
        Occurrence(
            series=series,
            room=series.room,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            original_start=slot.original_start,
            state=state,
        )
        for slot in expand(series.rule, series.room.center.tz, through=through)
    )
