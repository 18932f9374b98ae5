"""The one write of the calendar feeds: what each feed last said about its objects."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from calendars.models import FeedObject

ObjectKey = tuple[str, str]  # (UID, RECURRENCE-ID or "")


def _key(feed: str, uid: str, recurrence_id: str) -> str:
    return hashlib.sha256(f"{feed}\n{uid}\n{recurrence_id}".encode()).hexdigest()


@transaction.atomic
def feed_objects_record(
    *, feed: str, objects: Mapping[ObjectKey, tuple[str, int]]
) -> dict[ObjectKey, int]:
    """Record the feed's objects as rendered now: (fingerprint, the engine's SEQUENCE) each.

    Returns each object's SEQUENCE: one more than before when its fingerprint changed, never
    below the engine's own counter, never lower than before. Safe under concurrent renders:
    changes are counted by conditional UPDATEs (only where the stored fingerprint differs), so
    two renders of the same data count a change once.
    """
    keys = {_key(feed, uid, rid): (uid, rid) for uid, rid in objects}
    stored = {
        key: (fingerprint, sequence)
        for key, fingerprint, sequence in FeedObject.objects.filter(key__in=list(keys)).values_list(
            "key", "fingerprint", "sequence"
        )
    }
    missing = [key for key in keys if key not in stored]
    if missing:
        FeedObject.objects.bulk_create(
            [
                FeedObject(
                    feed=feed,
                    key=key,
                    fingerprint=objects[keys[key]][0],
                    sequence=objects[keys[key]][1],
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
