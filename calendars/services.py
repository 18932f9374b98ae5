"""The writes of the calendar feeds: what each feed last said about its objects, and pruning
what no feed can show again."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Value
from django.db.models.functions import Greatest

from calendars.models import FeedObject

ObjectKey = tuple[str, str]  # (UID, RECURRENCE-ID or "")


def _key(feed: str, uid: str, recurrence_id: str) -> str:
    return hashlib.sha256(f"{feed}\n{uid}\n{recurrence_id}".encode()).hexdigest()


@transaction.atomic
def feed_objects_record(
    *,
    feed: str,
    objects: Mapping[ObjectKey, tuple[str, int]],
    series_of: Mapping[str, int] | None = None,
) -> dict[ObjectKey, int]:
    """Record the feed's objects as rendered now: (fingerprint, the engine's SEQUENCE) each;
    `series_of` maps each UID to its series (what `feed_objects_prune` goes by).

    Returns each object's SEQUENCE: one more than before when its fingerprint changed, never
    below the engine's own counter, never lower than before. Safe under concurrent renders:
    changes are counted by conditional UPDATEs (only where the stored fingerprint differs), so
    two renders of the same data count a change once.
    """
    series_of = series_of or {}
    keys = {_key(feed, uid, rid): (uid, rid) for uid, rid in objects}
    stored = {}
    unowned: dict[int, list[str]] = {}  # rows recorded before they knew their series
    for key, fingerprint, sequence, series_id in FeedObject.objects.filter(
        key__in=list(keys)
    ).values_list("key", "fingerprint", "sequence", "series_id"):
        stored[key] = (fingerprint, sequence)
        owner = series_of.get(keys[key][0])
        if series_id is None and owner is not None:
            unowned.setdefault(owner, []).append(key)
    for owner, owned in unowned.items():
        FeedObject.objects.filter(key__in=owned).update(series_id=owner)
    missing = [key for key in keys if key not in stored]
    if missing:
        FeedObject.objects.bulk_create(
            [
                FeedObject(
                    feed=feed,
                    key=key,
                    fingerprint=objects[keys[key]][0],
                    sequence=objects[keys[key]][1],
                    series_id=series_of.get(keys[key][0]),
                )
                for key in missing
            ],
            ignore_conflicts=True,  # a parallel render created it just now
        )
    touched = set(missing)
    for key, (uid, rid) in keys.items():
        if key not in stored:
            continue
        fingerprint, base = objects[(uid, rid)]
        old_fingerprint, old_sequence = stored[key]
        if old_fingerprint != fingerprint:
            FeedObject.objects.filter(key=key).exclude(fingerprint=fingerprint).update(
                sequence=Greatest(F("sequence") + 1, Value(base)), fingerprint=fingerprint
            )
            touched.add(key)
        elif old_sequence < base:
            FeedObject.objects.filter(key=key, sequence__lt=base).update(sequence=base)
            touched.add(key)
    if touched:
        stored.update(
            (key, (fingerprint, sequence))
            for key, fingerprint, sequence in FeedObject.objects.filter(
                key__in=touched
            ).values_list("key", "fingerprint", "sequence")
        )
    return {keys[key]: stored[key][1] for key in keys if key in stored}


def feed_objects_prune() -> int:
    """Forget what feeds said about objects no feed can show again; returns how many rows.

    Rows of deleted series (their UID is never used again: ids are not reused) and rows of
    feeds that are gone (a deleted group, room or center; a purged token). Rows of series that
    still exist are kept however long ago their dates were: a date moved back into the window,
    or a series shown again, must not get a lower SEQUENCE than a calendar app already saw.
    """
    from accounts.models import FeedToken
    from bookings.models import Series
    from centers.models import Center, Room
    from groups.models import Group

    removed, _ = (
        FeedObject.objects.filter(series_id__isnull=False)
        .exclude(Exists(Series.objects.filter(pk=OuterRef("series_id"))))
        .delete()
    )
    owners = {"group": Group, "room": Room, "center": Center, "staff": FeedToken}
    owners["leader"] = FeedToken
    by_kind: dict[str, dict[int, str]] = {}
    for feed in FeedObject.objects.values_list("feed", flat=True).distinct():
        kind, _, pk = feed.partition(":")
        if kind in owners and pk.isdigit():
            by_kind.setdefault(kind, {})[int(pk)] = feed
    gone = []
    for kind, feeds in by_kind.items():
        existing = set(owners[kind].objects.filter(pk__in=feeds).values_list("pk", flat=True))
        gone += [feed for pk, feed in feeds.items() if pk not in existing]
    if gone:
        removed += FeedObject.objects.filter(feed__in=gone).delete()[0]
    return removed
