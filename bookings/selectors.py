"""Reads of the booking app for views, feeds and reports; a constant number of queries each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from heapq import merge
from itertools import islice

from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from centers.models import Center, Room

from .models import Occurrence, OccurrenceState, Series, SeriesStatus

_SERIES_JOINS = ("group__center", "room", "created_by")
_OCCURRENCE_JOINS = ("series__group__center", "series__room", "room")


def pending_series(centers: Iterable[Center] | QuerySet[Center]) -> QuerySet[Series]:
    """Series with dates waiting for a decision in these centers, oldest request first."""
    return (
        Series.objects.filter(
            group__center__in=centers,
            status__in=[SeriesStatus.PENDING, SeriesStatus.PARTLY_CONFIRMED],
        )
        .annotate(
            requested_count=Count(
                "occurrences", filter=Q(occurrences__state=OccurrenceState.REQUESTED)
            )
        )
        .filter(requested_count__gt=0)
        .select_related(*_SERIES_JOINS)
        .prefetch_related("equipment_needed")
        .order_by("created_at")
    )


def closure_affected_occurrences(
    *, center: Center, room: Room | None, starts_at: datetime, ends_at: datetime
) -> list[Occurrence]:
    """Requested and confirmed dates a closure would cancel (a preview for staff).

    A room closure touches that room, its parent (the whole hall uses this half) and its parts.
    """
    qs = Occurrence.objects.filter(
        room__center=center,
        state__in=[OccurrenceState.REQUESTED, OccurrenceState.CONFIRMED],
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if room is not None:
        related = Q(room=room) | Q(room__parent=room)
        if room.parent_id:
            related |= Q(room_id=room.parent_id)
        qs = qs.filter(related)
    return list(qs.select_related(*_OCCURRENCE_JOINS).order_by("starts_at"))


@dataclass(frozen=True)
class HistoryEntry:
    """One change: who, when, what, why; `occurrence_id` is set for a change of one date."""

    when: datetime
    who: User | None
    what: str
    why: str
    occurrence_id: int | None = None


_HISTORY_ACTIONS = {
    "+": pgettext_lazy("history entry", "created"),
    "~": pgettext_lazy("history entry", "changed"),
    "-": pgettext_lazy("history entry", "deleted"),
}


def _history_type(record: object) -> str:
    return str(_HISTORY_ACTIONS.get(record.history_type, ""))


def _why(reason: str | None) -> str:
    """A history reason as people read it: reasons the engine writes itself are stored as
    msgids ("moved", "confirmed automatically") and translated here; people's words stay."""
    return _(reason) if reason else ""


def series_history(series: Series, limit: int | None = None) -> list[HistoryEntry]:
    """History of the series and its dates, newest first (two queries, however long)."""
    tz = series.group.center.tz
    series_records = (
        Series.history.filter(id=series.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    date_records = (
        Occurrence.history.filter(series_id=series.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    series_entries = (
        HistoryEntry(
            when=r.history_date,
            who=r.history_user,
            what=_("Series %(action)s: %(state)s")
            % {"action": _history_type(r), "state": r.get_status_display()},
            why=_why(r.history_change_reason),
        )
        for r in series_records
    )
    date_entries = (
        HistoryEntry(
            when=r.history_date,
            who=r.history_user,
            what=_("Date %(when)s %(action)s: %(state)s")
            % {
                "when": date_format(r.starts_at.astimezone(tz), "SHORT_DATETIME_FORMAT"),
                "action": _history_type(r),
                "state": r.get_state_display(),
            },
            why=_why(r.history_change_reason) or r.reason or "",
            occurrence_id=r.id,
        )
        for r in date_records
    )
    entries = merge(series_entries, date_entries, key=lambda e: e.when, reverse=True)
    return list(islice(entries, limit))


def changes_since(series: Series, seen: datetime | None, *, limit: int = 10) -> list[HistoryEntry]:
    """What changed in the series and its dates after `seen` (when a page showed it); without
    a time, the latest changes."""
    entries = series_history(series)
    if seen is not None:
        entries = [e for e in entries if e.when > seen]
    return entries[:limit]
