"""A leader's calendar invitation for one series (iTIP over e-mail), built when the e-mail is.

The dispatcher (notifications.dispatch) calls `series_invitation` when it renders an e-mail,
outside any booking transaction. The VEVENTs are those of the group feed for that series
(`calendars.selectors.feed_series` + `calendars.ical.series_events`, confirmed and cancelled
dates): same UIDs, rules, exceptions and overrides, read as the series is *now*, so a late or
retried e-mail never sends an outdated series.

SEQUENCE. A calendar client applies an update only if its SEQUENCE is above what it holds for
that UID (Outlook and Gmail compare the master's; a cancelled date's override is compared with
the master it replaces). The feeds' per-object rule (one more when that object's properties
change) does not give that: a moved date becomes a *new* override whose SEQUENCE starts at the
engine's counter, which can be below the master's after earlier changes, and an unchanged master
would keep its SEQUENCE in an update. So an invitation has one counter per leader and series,
kept with the feeds' own mechanism (`feed_objects_record`) under the dedicated feed key
`itip:<leader>:<series>`: one object whose fingerprint is the whole message (method and the
feed fingerprints of every VEVENT in it). Each message that differs from the last one raises
it by one, never below the engine's SEQUENCE of any of its objects, never down; every VEVENT of
the message carries it. The first invitation thus starts where the feed stands, and each update
is above everything the leader's calendar has seen for the series.

Updates go only to leaders who were invited (a counter exists): a CANCEL of something the
calendar never had would only confuse it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from bookings.models import Series, SeriesStatus
from calendars import itip, selectors
from calendars.ical import fingerprints, series_events
from calendars.models import FeedObject
from calendars.services import feed_objects_record

GONE = (SeriesStatus.DECLINED, SeriesStatus.WITHDRAWN, SeriesStatus.CANCELLED)


def feed_key(recipient_id: int, series_id: int) -> str:
    """The FeedObject feed that holds one leader's invitation counter of one series."""
    return f"itip:{recipient_id}:{series_id}"


def organizer(center: object) -> tuple[str, str]:
    """The center's address (or the site's sender address) and the center's name."""
    email = getattr(center, "contact_email", "") or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return email, str(getattr(center, "name", ""))


def series_invitation(
    *,
    series_id: int,
    recipient: User,
    update: bool,
    cancelled: Iterable[datetime] = (),
) -> str:
    """The iTIP object for this e-mail ("" for none).

    `update`: the e-mail tells of a change, so it carries something only if the leader was
    invited before. `cancelled`: the original starts of dates this e-mail reports cancelled;
    their objects go out as a CANCEL (if the series itself is still on). A withdrawn or
    declined series (or one with every date cancelled) is a CANCEL of its masters; anything
    else is a REQUEST of the whole series.
    """
    if not recipient.email:
        return ""
    series = Series.objects.select_related("group__center").filter(pk=series_id).first()
    if series is None:
        return ""
    key = feed_key(recipient.pk, series.pk)
    if update and not FeedObject.objects.filter(feed=key).exists():
        return ""
    center = series.group.center
    tz = center.tz
    window = selectors.feed_window(timezone.localdate(timezone=tz), tz)
    spec = selectors.FeedSpec(
        identity=key,
        name="",
        tz=tz,
        select_series=lambda: Series.objects.filter(pk=series.pk),
        rows=Q(state__in=selectors.PUBLIC_STATES),
        public=True,
        center_ids=(center.pk,),
    )
    (data,) = selectors.feed_series(spec, window)
    events = series_events(data, window)
    if series.status in GONE:
        method, objects = itip.CANCEL, itip.cancelled_masters(events)
    else:
        method, objects = itip.REQUEST, events
        dates = itip.cancelled_dates(events, cancelled)
        if dates:
            method, objects = itip.CANCEL, dates
        elif not update and not any(str(e.get("STATUS")) == "CONFIRMED" for e in events):
            return ""  # nothing confirmed to invite to
    if not objects:
        return ""
    _set_sequence(key, method, objects)
    return itip.message(
        method,
        objects,
        zone=tz.key,
        years=(window[0].year - 1, window[1].year + 1),
        organizer=organizer(center),
        attendee=(recipient.email, str(recipient)),
        stamp=timezone.now(),
    ).decode()


def _set_sequence(key: str, method: str, objects: list[icalendar.Event]) -> int:
    """Raise the invitation's counter if this message differs from the last; stamp it on all."""
    holder = icalendar.Calendar()
    for event in objects:
        holder.add_component(event)
    found = fingerprints(holder)
    digest = hashlib.sha256(method.encode())
    for object_key in sorted(found):
        digest.update(repr((object_key, found[object_key][0])).encode())
    base = max(sequence for _fingerprint, sequence in found.values())
    recorded = feed_objects_record(feed=key, objects={(key, ""): (digest.hexdigest()[:40], base)})
    sequence = recorded[(key, "")]
    for event in objects:
        event["SEQUENCE"] = icalendar.vInt(sequence)
    return sequence
