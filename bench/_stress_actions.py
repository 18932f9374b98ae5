"""What the workers of `stress_mixed.py` do: pick a target as a page would show it, then call
one service as the leader or staff member on that page would (see `_stress_ops.py`).

A share of the targets comes from a small "hot" set (the lowest ids), so that the workers meet
on the same series and dates, where lost updates and deadlocks would show. A share of the
versioned edits is sent with an older version than the page read: those must be refused.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from _stress_world import WINDOW_START, WINDOW_WEEKS, StressWorld

STALE_SHARE = 0.15
HOT_SHARE = 0.5
HOT_SIZE = 6


class Actions:
    """Targets and operations; each op_* returns (call, edit record or None), or None when
    there is nothing to do it on right now."""

    rng: random.Random
    world: StressWorld
    index: int

    # --- helpers ------------------------------------------------------------------------------

    def _pick(self, ids: list[int]) -> int | None:
        if not ids:
            return None
        if self.rng.random() < HOT_SHARE:
            return self.rng.choice(sorted(ids)[:HOT_SIZE])
        return self.rng.choice(ids)

    def _version(self, current: int) -> tuple[int, bool]:
        """The version the page sends: what it read, or (on purpose) an older one."""
        if current > 1 and self.rng.random() < STALE_SHARE:
            return current - self.rng.randint(1, current - 1), True
        return current, False

    def _staff(self):
        return self.rng.choice(self.staff)

    def _leader(self, group_id: int):
        return self.leaders[group_id]

    def _actor(self, group_id: int):
        return self._staff() if self.rng.random() < 0.5 else self._leader(group_id)

    def _local(self, day: date, minutes: int) -> datetime:
        from bookings.recurrence import localize

        return localize(datetime.combine(day, time(minutes // 60, minutes % 60)), self.center.tz)

    def _day(self) -> date:
        return WINDOW_START + timedelta(days=self.rng.randrange(7 * WINDOW_WEEKS - 7))

    def _room(self):
        hall = self.world.hall_ids
        if self.rng.random() < 0.65:
            return self.rooms[self.rng.choice(hall)]
        return self.rooms[self.rng.choice(self.world.room_ids[3:])]

    def _rule(self):
        from bookings.recurrence import RecurrenceRule

        day = self._day()
        start = self.rng.randrange(8 * 60, 20 * 60, 15)
        if self.rng.random() < 0.05:
            start = self.rng.choice([6 * 60, 21 * 60 + 30])  # outside the opening hours
        length = self.rng.choice([45, 60, 90, 120, 150, 180])
        end = min(start + length, 23 * 60 + 45)
        kind = self.rng.choices(["once", "weekly", "daily", "open"], [45, 42, 8, 5])[0]
        base = {
            "start_date": day,
            "start_time": time(start // 60, start % 60),
            "end_time": time(end // 60, end % 60),
        }
        if kind == "once":
            return RecurrenceRule(**base)
        if kind == "daily":
            return RecurrenceRule(**base, frequency="daily", count=self.rng.randint(2, 5))
        weekdays = tuple(
            sorted({day.weekday(), *self.rng.sample(range(7), self.rng.randint(0, 1))})
        )
        if kind == "open":
            return RecurrenceRule(**base, frequency="weekly", weekdays=weekdays)
        return RecurrenceRule(
            **base,
            frequency="weekly",
            weekdays=weekdays,
            interval=self.rng.choice([1, 1, 2]),
            count=self.rng.randint(2, 8),
        )

    def _occurrence_ids(self, **filters) -> list[int]:
        from django.utils import timezone

        from bookings.models import Occurrence

        return list(
            Occurrence.objects.filter(
                series__group__center_id=self.world.center_id,
                starts_at__gt=timezone.now() + timedelta(hours=1),
                **filters,
            ).values_list("pk", flat=True)
        )

    def _occurrence(self, **filters):
        from bookings.models import Occurrence

        pk = self._pick(self._occurrence_ids(**filters))
        if pk is None:
            return None
        return (
            Occurrence.objects.select_related("series__group__center", "series__room", "room")
            .filter(pk=pk)
            .first()
        )

    def _series(self, **filters):
        from bookings.models import Series

        ids = list(
            Series.objects.filter(group__center_id=self.world.center_id, **filters).values_list(
                "pk", flat=True
            )
        )
        pk = self._pick(ids)
        if pk is None:
            return None
        return Series.objects.select_related("group__center", "room").filter(pk=pk).first()

    # --- operations: each returns (call, edit record or None), or None without a target -----

    def op_request(self):
        from bookings import services

        group = self.groups[self.rng.choice(list(self.groups))]
        room = self._room()
        expected = self.rng.randint(1, room.capacity)
        if self.rng.random() < 0.04:
            expected = room.capacity + 5  # more people than the room holds: refused
        equipment = self.rng.sample(self.equipment, self.rng.choice([0, 0, 0, 1]))

        def call():
            return services.booking_request_create(
                user=self._leader(group.pk),
                group=group,
                room=room,
                rule=self._rule(),
                expected_participants=expected,
                equipment=equipment,
                note="stress",
            )

        return call, None

    def op_series_confirm(self):
        from bookings import services

        series = self._series(status__in=["pending", "partly_confirmed"])
        if series is None:
            return None
        version, stale = self._version(series.version)
        edit = ["series", series.pk, version, stale, "series_confirm"]

        def call():
            return services.series_confirm(
                user=self._staff(),
                series=series,
                skip_clashing=self.rng.random() < 0.6,
                expected_version=version,
            )

        return call, edit

    def op_occurrences_confirm(self):
        from bookings import services
        from bookings.models import Occurrence

        series = self._series(status__in=["pending", "partly_confirmed"])
        if series is None:
            return None
        dates = list(Occurrence.objects.filter(series=series, state="requested"))
        if not dates:
            return None
        chosen = self.rng.sample(dates, self.rng.randint(1, len(dates)))
        version, stale = self._version(series.version)
        edit = ["series", series.pk, version, stale, "occurrences_confirm"]

        def call():
            return services.occurrences_confirm(
                user=self._staff(), occurrences=chosen, expected_version=version
            )

        return call, edit

    def op_occurrence_decline(self):
        from bookings import services

        occurrence = self._occurrence(state="requested")
        if occurrence is None:
            return None
        version, stale = self._version(occurrence.version)
        edit = ["occurrence", occurrence.pk, version, stale, "occurrence_decline"]

        def call():
            return services.occurrence_decline(
                user=self._staff(),
                occurrence=occurrence,
                reason="Raum anderweitig vergeben",
                expected_version=version,
            )

        return call, edit

    def op_occurrences_decline(self):
        from bookings import services
        from bookings.models import Occurrence

        series = self._series(status__in=["pending", "partly_confirmed"])
        if series is None:
            return None
        dates = list(Occurrence.objects.filter(series=series, state="requested"))
        if not dates:
            return None
        chosen = self.rng.sample(dates, self.rng.randint(1, len(dates)))
        version, stale = self._version(series.version)
        edit = ["series", series.pk, version, stale, "occurrences_decline"]

        def call():
            return services.occurrences_decline(
                user=self._staff(),
                occurrences=chosen,
                reason="Sammelabsage",
                expected_version=version,
            )

        return call, edit

    def op_occurrence_move(self):
        from bookings import services

        occurrence = self._occurrence(state__in=["requested", "confirmed"])
        if occurrence is None:
            return None
        shift = timedelta(days=self.rng.randint(-3, 3), minutes=15 * self.rng.randint(-8, 8))
        room = occurrence.room if self.rng.random() < 0.6 else self._room()
        version, stale = self._version(occurrence.version)
        edit = ["occurrence", occurrence.pk, version, stale, "occurrence_move"]
        user = self._actor(occurrence.series.group_id)

        def call():
            return services.occurrence_move(
                user=user,
                occurrence=occurrence,
                room=room,
                starts_at=occurrence.starts_at + shift,
                reason="verlegt",
                expected_version=version,
            )

        return call, edit

    def op_occurrence_cancel(self):
        from bookings import services

        occurrence = self._occurrence(state__in=["requested", "confirmed"])
        if occurrence is None:
            return None
        version, stale = self._version(occurrence.version)
        edit = ["occurrence", occurrence.pk, version, stale, "occurrence_cancel"]
        user = self._actor(occurrence.series.group_id)

        def call():
            return services.occurrence_cancel(
                user=user, occurrence=occurrence, reason="fällt aus", expected_version=version
            )

        return call, edit

    def op_occurrence_reinstate(self):
        from bookings import services

        occurrence = self._occurrence(state="cancelled")
        if occurrence is None:
            return None
        version, stale = self._version(occurrence.version)
        edit = ["occurrence", occurrence.pk, version, stale, "occurrence_reinstate"]
        user = self._actor(occurrence.series.group_id)

        def call():
            return services.occurrence_reinstate(
                user=user, occurrence=occurrence, expected_version=version
            )

        return call, edit

    def _from_date(self, series) -> date:
        from django.utils import timezone

        today = timezone.now().astimezone(self.center.tz).date()
        first = max(today, series.start_date)
        last = series.until or (series.start_date + timedelta(weeks=8))
        if series.frequency == "once":
            last = series.start_date
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def op_series_update(self):
        from bookings import services

        series = self._series(status__in=["pending", "partly_confirmed", "confirmed"])
        if series is None:
            return None
        rule = series.rule
        start = datetime.combine(series.start_date, rule.start_time)
        shift = timedelta(minutes=15 * self.rng.randint(-6, 6))
        length = datetime.combine(series.start_date, rule.end_time) - start
        new_start = (start + shift).time()
        new_end = (start + shift + length).time()
        if new_end <= new_start:
            new_start, new_end = rule.start_time, rule.end_time
        changes = {"start_time": new_start, "end_time": new_end}
        if rule.frequency == "weekly" and self.rng.random() < 0.3:
            changes["weekdays"] = (self.rng.randrange(7),)
        new_rule = rule.with_changes(**changes)
        from_date = self._from_date(series)
        version, stale = self._version(series.version)
        edit = ["series", series.pk, version, stale, "series_update"]

        def call():
            return services.series_update(
                user=self._actor(series.group_id),
                series=series,
                from_date=from_date,
                rule=new_rule,
                expected_version=version,
            )

        return call, edit

    def op_series_end(self):
        from bookings import services

        series = self._series(status__in=["pending", "partly_confirmed", "confirmed"])
        if series is None or series.frequency == "once":
            return None
        last = self._from_date(series)
        version, stale = self._version(series.version)
        edit = ["series", series.pk, version, stale, "series_end"]

        def call():
            result = services.series_end(
                user=self._actor(series.group_id),
                series=series,
                last_date=last,
                expected_version=version,
            )
            if result is series:  # nothing after that date: the service changed nothing
                result._stress_noop = True
            return result

        return call, edit

    def op_series_withdraw(self):
        from bookings import services

        series = self._series(status__in=["pending", "partly_confirmed", "confirmed"])
        if series is None:
            return None
        version, stale = self._version(series.version)
        edit = ["series", series.pk, version, stale, "series_withdraw"]

        def call():
            return services.series_withdraw(
                user=self._leader(series.group_id), series=series, expected_version=version
            )

        return call, edit

    def op_closure_create(self):
        from bookings import services

        day = self._day()
        room = None if self.rng.random() < 0.15 else self._room()
        if self.rng.random() < 0.3:
            starts_at, ends_at = self._local(day, 0), self._local(day + timedelta(days=1), 0)
        else:
            start = self.rng.randrange(8 * 60, 19 * 60, 30)
            starts_at = self._local(day, start)
            ends_at = starts_at + timedelta(hours=self.rng.randint(1, 4))

        def call():
            return services.closure_create(
                user=self._staff(),
                center=self.center,
                room=room,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=f"Stress {self.index}",
            )

        return call, None

    def _closure(self):
        from centers.models import Closure

        ids = list(Closure.objects.filter(center=self.center).values_list("pk", flat=True))
        pk = self._pick(ids)
        return None if pk is None else Closure.objects.filter(pk=pk).first()

    def op_closure_update(self):
        from bookings import services

        closure = self._closure()
        if closure is None:
            return None
        shift = timedelta(minutes=30 * self.rng.randint(-4, 4))
        ends_at = max(closure.ends_at + shift, closure.starts_at + timedelta(minutes=30))
        room = closure.room if self.rng.random() < 0.7 else self._room()

        def call():
            return services.closure_update(
                user=self._staff(),
                closure=closure,
                room=room,
                starts_at=closure.starts_at,
                ends_at=ends_at,
                reason=closure.reason,
            )

        return call, None

    def op_closure_delete(self):
        from bookings import services

        closure = self._closure()
        if closure is None:
            return None

        def call():
            return services.closure_delete(user=self._staff(), closure=closure)

        return call, None
