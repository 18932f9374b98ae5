"""Pure iTIP (RFC 5546) and iMIP (RFC 6047): a series' feed VEVENTs as an e-mail invitation.

No ORM here; `calendars.invitations` reads the series and decides the SEQUENCEs. The VEVENTs
are the very ones the feeds build (`calendars.ical.series_events`): same UIDs (series-N@host,
series-N-from-YYYYMMDD@host, single dates), same DTSTART/RRULE/EXDATE/overrides. iTIP adds:

- METHOD on the calendar (REQUEST: the series as it is now; CANCEL: objects that are gone),
- ORGANIZER (the center's address) and ATTENDEE (the leader) on every VEVENT, because a
  scheduling object needs both (RFC 5546 3.2.2 and 3.2.5),
- a plain shell: no feed name, REFRESH-INTERVAL or publishing TTL, which belong to a feed.

A CANCEL of a whole series lists its masters (no RECURRENCE-ID) with STATUS:CANCELLED; a CANCEL
of single dates lists their overrides (with RECURRENCE-ID) or, for a date that is its own VEVENT,
that VEVENT. The caller gives each object its SEQUENCE before the bytes are made.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import icalendar

from calendars.ical import PRODID, to_bytes
from calendars.ical.zones import _timezone_component

REQUEST = "REQUEST"
CANCEL = "CANCEL"
CONTENT_TYPE = "text/calendar; method={method}; charset=UTF-8"


def _shell(method: str, zone: str, years: tuple[int, int]) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(_timezone_component(zone, years[0], years[1]))
    return cal


def _address(email: str, name: str, **params: str) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = icalendar.vText(name)
    address.params.update(params)
    return address


def cancelled_masters(events: Iterable[icalendar.Event]) -> list[icalendar.Event]:
    """The series' top-level objects (masters and dates of their own), marked cancelled: what a
    CANCEL of the whole series sends."""
    found = []
    for event in events:
        if event.get("RECURRENCE-ID") is not None:
            continue
        event["STATUS"] = icalendar.vText("CANCELLED")
        found.append(event)
    return found


def cancelled_dates(
    events: Iterable[icalendar.Event], original_starts: Iterable[datetime]
) -> list[icalendar.Event]:
    """The objects of these cancelled dates (each by the start its rule gave it): overrides
    with RECURRENCE-ID, or a date's own VEVENT. The feeds already mark them STATUS:CANCELLED."""
    wanted = {moment.astimezone(UTC) for moment in original_starts}
    found = []
    for event in events:
        rid = event.get("RECURRENCE-ID")
        moment = rid.dt if rid is not None else None
        if moment is None and event.get("RRULE") is None:
            moment = event["DTSTART"].dt  # a date of its own: its start is the date
        if (
            isinstance(moment, datetime)
            and moment.astimezone(UTC) in wanted
            and str(event.get("STATUS", "")) == "CANCELLED"
        ):
            found.append(event)
    return found


def message(
    method: str,
    events: Sequence[icalendar.Event],
    *,
    zone: str,
    years: tuple[int, int],
    organizer: tuple[str, str],
    attendee: tuple[str, str],
    stamp: datetime,
) -> bytes:
    """The iTIP object: `events` (SEQUENCEs already set) with ORGANIZER and ATTENDEE.

    DTSTAMP is when the message was made (`stamp`), not the data's stamp a feed uses: in iTIP it
    orders two messages about the same object (RFC 5546 2.1.5).

    `organizer` and `attendee` are (e-mail, name). The attendee is the leader who is told;
    RSVP=FALSE because staff have decided already and no reply is processed.
    """
    cal = _shell(method, zone, years)
    for event in events:
        event["DTSTAMP"] = icalendar.vDDDTypes(stamp.astimezone(UTC).replace(microsecond=0))
        for name in ("ORGANIZER", "ATTENDEE"):
            if name in event:
                del event[name]
        event.add("organizer", _address(*organizer))
        event.add(
            "attendee",
            _address(
                *attendee,
                CUTYPE="INDIVIDUAL",
                ROLE="REQ-PARTICIPANT",
                PARTSTAT="ACCEPTED",
                RSVP="FALSE",
            ),
        )
        cal.add_component(event)
    return to_bytes(cal)


def method_of(body: str) -> str:
    """The METHOD of a stored iTIP object ("" when there is none)."""
    for line in body.splitlines():
        if line.startswith("METHOD:"):
            return line.split(":", 1)[1].strip()
    return ""
