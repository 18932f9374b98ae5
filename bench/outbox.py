"""What a booking's transaction pays for its e-mails: recording the event vs rendering it.

`enqueue` runs inside the booking's transaction, while the rooms are locked. It now stores the
event; the e-mails are rendered later by the sender. The baseline, measured in the same run, is
the same work plus rendering every recipient's e-mail in the transaction (what the outbox did
before). Runs on a throwaway database (DATABASE_URL or SQLite); each sample is rolled back.
Ends with `BENCH {json}`.

    .venv/bin/python bench/outbox.py [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import median_ms, setup_django, throwaway_database

setup_django()

from django.db import transaction  # noqa: E402

LEADERS = 3
DATES = 12


def build() -> int:
    from accounts.models import User
    from bookings.models import Occurrence, OccurrenceState, Series, SeriesStatus
    from bookings.recurrence import localize
    from centers.models import Center, Room
    from groups.models import Group, GroupLeader

    center = Center.objects.create(name="Zentrum", slug="zentrum", city="Dorsten")
    room = Room.objects.create(center=center, name="Saal", capacity=40)
    group = Group.objects.create(center=center, name="Chor", slug="chor")
    for n in range(LEADERS):
        user = User.objects.create_user(f"leader{n}", f"leader{n}@example.org", "x")
        GroupLeader.objects.create(group=group, user=user)
    first = date.today() + timedelta(days=7)
    series = Series.objects.create(
        group=group,
        room=room,
        status=SeriesStatus.CONFIRMED,
        start_date=first,
        start_time=time(18),
        end_time=time(20),
        frequency="weekly",
        count=DATES,
    )
    for n in range(DATES):
        day = first + timedelta(weeks=n)
        starts = localize(datetime.combine(day, time(18)), center.tz)
        Occurrence.objects.create(
            series=series,
            room=room,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            original_start=starts,
            state=OccurrenceState.CONFIRMED,
        )
    return series.pk


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from notifications.dispatch import rendered
    from notifications.models import OutboxMessage
    from notifications.outbox import enqueue

    with throwaway_database("bench_outbox"):
        series_id = build()

        def record(render: bool) -> None:
            with transaction.atomic():
                enqueue(event="request_confirmed", series_id=series_id, reason="Gern")
                if render:  # the old way: every e-mail rendered while the locks are held
                    for message in OutboxMessage.objects.select_related("recipient"):
                        rendered(message)
                transaction.set_rollback(True)

        ours = median_ms(lambda: record(False), args.runs, warmup=2)
        old = median_ms(lambda: record(True), args.runs, warmup=2)
    print(f"enqueue in the booking's transaction: {ours:.2f} ms (event stored)")
    print(f"  baseline, rendering {LEADERS} e-mails there too: {old:.2f} ms")
    print(f"  the transaction holds its locks {old / ours:.1f}× shorter for the e-mails")
    summary = {
        "enqueue_ms": round(ours, 2),
        "enqueue_and_render_ms": round(old, 2),
        "ratio": round(old / ours, 2),
        "recipients": LEADERS,
        "dates": DATES,
    }
    print("BENCH " + json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
