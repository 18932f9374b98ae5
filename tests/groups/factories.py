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
    through = start_date + timedelta(weeks=weeks)
    slots = expand(series.rule, room.center.tz, through=through)
    Occurrence.objects.bulk_create(
        Occurrence(
            series=series,
            room=room,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            original_start=slot.original_start,
            state=date_state,
        )
        for slot in slots
    )
    return series, list(Occurrence.objects.filter(series=series).order_by("starts_at"))
