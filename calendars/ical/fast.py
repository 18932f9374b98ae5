"""VEVENTs written as plain text: the bytes of icalendar's writer, ~10x faster.

`events.to_event` + `to_bytes` (icalendar) stay the reference; this module writes the same
`EventSpec`s straight to CRLF lines and must give byte-identical output (tests/calendars/
test_fast.py renders every test feed both ways). What icalendar does, and so do we:

- properties in its canonical order (SUMMARY, DTSTART, DTEND, DTSTAMP, UID, RECURRENCE-ID,
  SEQUENCE, RRULE, RDATE, EXDATE), then the others alphabetically;
- TEXT values escaped: `\\N` read as a newline, then backslash, ";", ",", and every line break
  (CRLF, LF, CR) as `\\n`; URL values are not escaped;
- DTSTART/DTEND/RECURRENCE-ID/EXDATE/RDATE as local time with TZID, one EXDATE/RDATE per line,
  DTSTAMP/LAST-MODIFIED and UNTIL in UTC;
- folding: a line of 75 octets or more is cut before the character that would bring the piece
  to 75 octets (so pieces carry at most 74, continuation lines start with a space), never inside
  a UTF-8 character, and a piece never ends with a backslash or "^" (it moves to the next).

A zone written without TZID (UTC) goes through the reference writer: it never occurs in the
feeds' centers, and this keeps the text writer to the one form.

Each object also carries its fingerprint (`calendars.ical.fingerprints`' hash of the SEQUENCE-
raising properties), computed from the same values, so that SEQUENCEs stay as recorded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar

from .events import EventSpec, to_event

_LIMIT = 75
_ESCAPES = b"\\^"
_NO_TZID = frozenset({"UTC", "Etc/UTC", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu"})


@dataclass(frozen=True)
class TextEvent:
    """One written VEVENT: its bytes around the SEQUENCE line, which the feed decides last."""

    key: tuple[str, str]  # (UID, RECURRENCE-ID as written), as `calendars.ical._object_key`
    fingerprint: str
    sequence: int
    head: bytes  # BEGIN:VEVENT ... RECURRENCE-ID
    tail: bytes  # RRULE ... END:VEVENT

    def to_bytes(self, sequence: int | None = None) -> bytes:
        number = self.sequence if sequence is None else sequence
        return self.head + b"SEQUENCE:%d\r\n" % number + self.tail


def escape(text: str) -> str:
    """TEXT escaping exactly as icalendar's `_escape_char`."""
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> bytes:
    """One content line, folded as icalendar folds it, as bytes with CRLF."""
    data = line.encode()
    size = len(data)
    if size < _LIMIT:
        return data + b"\r\n"
    pieces = []
    begin = 0
    while size - begin >= _LIMIT:
        cut = begin + _LIMIT - 1  # a piece holds at most 74 octets
        while data[cut] & 0xC0 == 0x80:  # never inside a UTF-8 character
            cut -= 1
        if cut - 1 > begin and data[cut - 1] in _ESCAPES:
            cut -= 1  # do not end a piece with the first half of an escape
        pieces.append(data[begin:cut])
        begin = cut
    pieces.append(data[begin:])
    return b"\r\n ".join(pieces) + b"\r\n"


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _local(moment: datetime, spec: EventSpec) -> str:
    return f"{moment.astimezone(spec.tz):%Y%m%dT%H%M%S}"


def _param(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ':;,"') else value


def _fingerprint(spec: EventSpec, tzid: str, values: dict[str, list[str]]) -> str:
    """`calendars.ical.fingerprints` of this object, from the written values."""
    params = repr([("TZID", tzid)])
    digest = hashlib.sha256()
    for name in ("DTSTART", "DTEND", "RRULE", "EXDATE", "RDATE", "STATUS", "LOCATION"):
        for value in values.get(name, ()):
            with_tz = name in ("DTSTART", "DTEND", "EXDATE", "RDATE")
            digest.update(f"{name};{params if with_tz else '[]'}:{value}\n".encode())
    return digest.hexdigest()[:40]


def write(spec: EventSpec) -> TextEvent:
    """The bytes of `to_bytes(to_event(spec))`, split around SEQUENCE, and its fingerprint."""
    tzid = spec.tz.key
    if tzid in _NO_TZID:
        return _reference(spec)
    zone = f";TZID={_param(tzid)}:"
    start, end = _local(spec.start, spec), _local(spec.end, spec)
    stamp = _utc(spec.modified.replace(microsecond=0))
    rid = _local(spec.recurrence_id, spec) if spec.recurrence_id is not None else ""
    head = [
        "BEGIN:VEVENT",
        "SUMMARY:" + escape(spec.summary),
        "DTSTART" + zone + start,
        "DTEND" + zone + end,
        "DTSTAMP:" + stamp,
        "UID:" + escape(spec.uid),
    ]
    if rid:
        head.append("RECURRENCE-ID" + zone + rid)
    values: dict[str, list[str]] = {"DTSTART": [start], "DTEND": [end], "STATUS": [spec.status]}
    tail = []
    if spec.rrule is not None:
        rule = icalendar.vRecur(spec.rrule).to_ical().decode()
        tail.append("RRULE:" + rule)
        values["RRULE"] = [rule]
    rdates = [_local(moment, spec) for moment in spec.rdates]
    exdates = [_local(moment, spec) for moment in spec.exdates]
    tail.extend("RDATE" + zone + value for value in rdates)
    tail.extend("EXDATE" + zone + value for value in exdates)
    if rdates:
        values["RDATE"] = rdates
    if exdates:
        values["EXDATE"] = exdates
    if spec.description:
        tail.append("DESCRIPTION:" + escape(spec.description))
    tail.append("LAST-MODIFIED:" + stamp)
    if spec.location:
        location = escape(spec.location)
        tail.append("LOCATION:" + location)
        values["LOCATION"] = [location]
    tail.append("STATUS:" + escape(spec.status))
    if spec.url:
        tail.append("URL:" + spec.url)
    tail.append("END:VEVENT")
    return TextEvent(
        key=(spec.uid, rid),
        fingerprint=_fingerprint(spec, tzid, values),
        sequence=spec.sequence,
        head=b"".join(fold(line) for line in head),
        tail=b"".join(fold(line) for line in tail),
    )


def _reference(spec: EventSpec) -> TextEvent:
    """The same object through icalendar (zones written without TZID)."""
    from . import fingerprints, to_bytes

    event = to_event(spec)
    holder = icalendar.Calendar()
    holder.add_component(event)
    (key, (fingerprint, sequence)), *_ = fingerprints(holder).items()
    body = to_bytes(event)
    marker = b"SEQUENCE:%d\r\n" % sequence
    head, _marker, tail = body.partition(marker)
    return TextEvent(key, fingerprint, sequence, head, tail)
