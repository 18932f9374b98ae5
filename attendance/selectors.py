"""Reads of the attendance app: dates still lacking a count (staff, leaders), the record form's
categories and a date's history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from bookings.models import Occurrence, OccurrenceState
from centers.models import Center

from .models import Attendance, BreakdownCategory
from .permissions import LEADER_EDIT_DAYS

# Staff see missing counts of this many days back by default.
STAFF_LOOKBACK_DAYS = 90
LEADER_LIST_LIMIT = 10


def _without_count() -> Q:
    return Q(attendance__isnull=True) | Q(attendance__participants__isnull=True)


def held_dates(*, now: datetime | None = None) -> QuerySet[Occurrence]:
    """Confirmed dates that have started: the ones that can have a count."""
    return Occurrence.objects.filter(
        state=OccurrenceState.CONFIRMED, starts_at__lte=now or timezone.now()
    )


def missing_counts(
    *, centers: Iterable[Center], since: datetime | None = None, now: datetime | None = None
) -> QuerySet[Occurrence]:
    """Past dates of these centers that took place and still lack a count, latest first."""
    now = now or timezone.now()
    since = since or now - timedelta(days=STAFF_LOOKBACK_DAYS)
    return (
        held_dates(now=now)
        .filter(series__group__center__in=list(centers), starts_at__gte=since)
        .filter(_without_count())
        .select_related("series__group", "room")
        .order_by("-starts_at", "pk")
    )


@dataclass
class LeaderDate:
    occurrence: Occurrence
    participants: int | None

    @property
    def recorded(self) -> bool:
        return self.participants is not None


def leader_dates(
    user: User, *, now: datetime | None = None, limit: int = LEADER_LIST_LIMIT
) -> list[LeaderDate]:
    """The user's groups' dates a leader can still count (started, at most 14 days ago):
    the ones without a count first, then the latest recorded ones."""
    now = now or timezone.now()
    # One day of slack for time zones; the permission decides on the exact local day.
    since = now - timedelta(days=LEADER_EDIT_DAYS + 1)
    rows = list(
        held_dates(now=now)
        .filter(series__group__leaderships__user=user, starts_at__gte=since)
        .select_related("series__group__center", "room", "attendance")
        .order_by("-starts_at", "pk")
    )
    dates = []
    for row in rows:
        attendance = getattr(row, "attendance", None)
        dates.append(LeaderDate(row, attendance.participants if attendance else None))
    dates.sort(key=lambda d: (d.recorded, -d.occurrence.starts_at.timestamp()))
    return dates[:limit]


@dataclass
class Dimension:
    name: str
    categories: list[BreakdownCategory] = field(default_factory=list)


def dimensions_for(center: Center, *, keep: Iterable[str] = ()) -> list[Dimension]:
    """The center's categories grouped by dimension: active ones, plus inactive ones whose key
    is in `keep` (a count recorded before the category was retired stays editable)."""
    keep = set(keep)
    grouped: dict[str, Dimension] = {}
    for category in BreakdownCategory.objects.filter(center=center).order_by("position", "pk"):
        if not category.active and category.key not in keep:
            continue
        grouped.setdefault(
            category.dimension, Dimension(name=category.dimension_label)
        ).categories.append(category)
    return list(grouped.values())


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    who: User | None
    why: str
    participants: int | None
    volunteer_hours: object
    checked_in_at: datetime | None


def history(occurrence: Occurrence) -> list[HistoryLine]:
    """Every saved version of the date's attendance, newest first: who, when and why."""
    rows = (
        Attendance.history.filter(occurrence_id=occurrence.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    return [
        HistoryLine(
            at=r.history_date,
            who=r.history_user,
            why=r.history_change_reason or "",
            participants=r.participants,
            volunteer_hours=r.volunteer_hours,
            checked_in_at=r.checked_in_at,
        )
        for r in rows
    ]
