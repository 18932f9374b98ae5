"""Reads for the staff's request queue: each waiting request with every date's conflict report
and the engine's alternatives; requests that compete for the same slots side by side."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from bookings import alternatives
from bookings.conflicts import ConflictReport, DateReport, Issue, IssueKind, check
from bookings.models import Occurrence, OccurrenceState, Series
from bookings.policy import Verdict
from bookings.selectors import series_history
from bookings.services.transitions import slot_of
from centers.models import Center, Room

from .overview import pending_requests
from .plan import center_rooms

# --- request queue --------------------------------------------------------------------------


@dataclass
class DateLine:
    """One waiting date of a request, with what clashes and where it could go instead."""

    occurrence: Occurrence
    report: DateReport | None = None
    alternatives: list[Any] = field(default_factory=list)

    @property
    def hard(self) -> list[Issue]:
        return self.report.hard if self.report else []

    @property
    def soft(self) -> list[Issue]:
        return self.report.soft if self.report else []

    @property
    def is_free(self) -> bool:
        return not self.hard

    @property
    def is_closed(self) -> bool:
        """Held back only by closures or holidays (the date drops out), not by a clash."""
        return bool(self.hard) and all(i.verdict == Verdict.SKIPPED for i in self.hard)


@dataclass
class RequestCard:
    series: Series
    dates: list[DateLine]  # the dates still waiting for a decision, by start
    decided: list[Occurrence] = field(default_factory=list)
    competitors: set[int] = field(default_factory=set)  # series ids wanting the same slots
    history: list[Any] | None = None
    rooms: list[Room] = field(default_factory=list)  # where a date may be moved to

    @property
    def center(self) -> Center:
        return self.series.room.center

    @property
    def clashing(self) -> list[DateLine]:
        """Dates nobody can confirm as they are: clashes and closed days."""
        return [line for line in self.dates if line.hard]

    @property
    def clashes(self) -> list[DateLine]:
        """Dates held back by another booking, the room or the past (not by a closure)."""
        return [line for line in self.clashing if not line.is_closed]

    @property
    def closed(self) -> list[DateLine]:
        return [line for line in self.clashing if line.is_closed]

    @property
    def free(self) -> list[DateLine]:
        return [line for line in self.dates if line.is_free]

    @property
    def bulk_rooms(self) -> list[tuple[Room, list[DateLine]]]:
        """Rooms the engine offers at the same time for two or more clashing dates, with those
        dates: one choice for all of them ("use this room for all clashing dates")."""
        by_room: dict[int, tuple[Room, list[DateLine]]] = {}
        for line in self.clashing:
            for alternative in line.alternatives:
                if alternative.kind == "room":
                    by_room.setdefault(alternative.room.pk, (alternative.room, []))[1].append(line)
        return [(room, lines) for room, lines in by_room.values() if len(lines) >= 2]

    @property
    def bulk_time(self) -> list[DateLine]:
        """Clashing dates the engine offers their own room at another time for, when two or
        more: one choice for all of them ("same room, another free time")."""
        lines = [line for line in self.clashing if any(a.kind == "time" for a in line.alternatives)]
        return lines if len(lines) >= 2 else []

    def moves_to(
        self, room_pk: int | None, *, kind: str = "room"
    ) -> list[tuple[Occurrence, Room, datetime, datetime]]:
        """For each clashing date, the engine's first alternative of `kind` ("room": in room
        `room_pk` at the same time; "time": its own room at another time) as a move."""
        moves = []
        for line in self.clashing:
            for alt in line.alternatives:
                if alt.kind == kind and (kind == "time" or alt.room.pk == room_pk):
                    moves.append((line.occurrence, alt.room, alt.starts_at, alt.ends_at))
                    break
        return moves

    @property
    def first_start(self) -> datetime | None:
        return self.dates[0].occurrence.starts_at if self.dates else None

    @property
    def leaders(self) -> list[Any]:
        return list(self.series.group.leaders.all())


def _reports_for(
    series: Series, waiting: Sequence[Occurrence]
) -> dict[datetime, tuple[DateReport, list[Any]]]:
    """Each waiting date's conflict report and suggestions (by original start), checked in the
    room the date is in now: one conflict check per room, not per date."""
    equipment = list(series.equipment_needed.all())
    found: dict[datetime, tuple[DateReport, list[Any]]] = {}
    by_room: dict[int, list[Occurrence]] = defaultdict(list)
    for occurrence in waiting:
        by_room[occurrence.room_id].append(occurrence)
    for occurrences in by_room.values():
        room = occurrences[0].room
        report = check(
            room=room,
            slots=[slot_of(o) for o in occurrences],
            expected_participants=series.expected_participants,
            equipment=equipment,
            ignore_series_id=series.pk,
            now=timezone.now(),
            policy=series.holiday_policy,
        )
        suggestions = _alternatives(room, ConflictReport(dates=report.clashing), series, equipment)
        for date_report in report.dates:
            start = date_report.slot.original_start
            found[start] = (date_report, suggestions.get(start, []))
    return found


def _alternatives(
    room: Room, report: ConflictReport, series: Series, equipment: list[Any]
) -> dict[datetime, list[Any]]:
    if not report.dates:
        return {}
    return alternatives.alternatives_for_report(
        room=room,
        report=report,
        expected_participants=series.expected_participants,
        equipment=equipment,
        limit=3,
        ignore_series_id=series.pk,
        policy=series.holiday_policy,
    )


def request_card(series: Series, *, with_history: bool = False) -> RequestCard:
    """One request with every waiting date's report and suggestions (and, for its page, the
    dates already decided and the history of decisions)."""
    occurrences = list(
        series.occurrences.select_related("room__center").order_by("starts_at", "pk")
    )
    waiting = [o for o in occurrences if o.state == OccurrenceState.REQUESTED]
    reports = _reports_for(series, waiting)
    lines = []
    competitors: set[int] = set()
    for occurrence in waiting:
        report, suggestions = reports.get(occurrence.original_start, (None, []))
        lines.append(DateLine(occurrence=occurrence, report=report, alternatives=suggestions))
        if report:
            competitors.update(
                i.series_id
                for i in report.issues
                if i.kind == IssueKind.PENDING and i.series_id and i.series_id != series.pk
            )
    card = RequestCard(
        series=series,
        dates=lines,
        decided=[o for o in occurrences if o.state != OccurrenceState.REQUESTED],
        competitors=competitors,
        rooms=center_rooms(series.room.center) if waiting else [],
    )
    if with_history:
        card.history = list(series_history(series))
    return card


def queue(*, centers: Iterable[Center]) -> list[list[RequestCard]]:
    """Open requests by first waiting date; requests that compete for the same slots are put
    together in one cluster, so staff can weigh them side by side."""
    cards = [request_card(series) for series in pending_requests(list(centers))]
    cards.sort(key=lambda c: (c.first_start or timezone.now(), c.series.pk))
    index = {card.series.pk: position for position, card in enumerate(cards)}
    parent = list(range(len(cards)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for position, card in enumerate(cards):
        for other in card.competitors:
            if other in index:
                a, b = root(position), root(index[other])
                parent[max(a, b)] = min(a, b)
    clusters: dict[int, list[RequestCard]] = defaultdict(list)
    for position, card in enumerate(cards):
        clusters[root(position)].append(card)
    # Clusters keep the order of their earliest request.
    return [clusters[key] for key in sorted(clusters)]
