"""Reads for the public program and group pages. Only what the public may see leaves here.

The public sees public groups, their confirmed series and, of those, dates that are confirmed
or cancelled (with the reason). Requests, declined dates, internal groups and leaders never.
Every function issues a fixed number of queries, whatever the number of groups or dates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from bookings.models import Occurrence, OccurrenceState, Series, SeriesStatus
from bookings.rule_text import rule_text
from centers.models import Center

from .models import Group, Language

PUBLIC_SERIES_STATES = (SeriesStatus.CONFIRMED, SeriesStatus.PARTLY_CONFIRMED)
PUBLIC_DATE_STATES = (OccurrenceState.CONFIRMED, OccurrenceState.CANCELLED)
PROGRAM_PAGE_SIZE = 50
# "Any cancellation among the next dates": how many upcoming dates per group the program checks.
PROGRAM_NEXT_DATES = 4
GROUP_PAGE_DATES = 10


def public_groups() -> QuerySet[Group]:
    return Group.objects.filter(is_public=True)


def public_occurrences() -> QuerySet[Occurrence]:
    """Dates the public may see: confirmed or cancelled dates of confirmed series of public
    groups. Pending requests and declined dates are not among them."""
    return Occurrence.objects.filter(
        state__in=PUBLIC_DATE_STATES,
        series__status__in=PUBLIC_SERIES_STATES,
        series__group__is_public=True,
    )


def _current_series(now: datetime) -> QuerySet[Series]:
    """Confirmed series that still have a confirmed date ahead, with their room."""
    upcoming = Occurrence.objects.filter(
        series=OuterRef("pk"), state=OccurrenceState.CONFIRMED, ends_at__gt=now
    )
    return (
        Series.objects.filter(status__in=PUBLIC_SERIES_STATES)
        .filter(Exists(upcoming))
        .select_related("room")
        .order_by("start_time", "start_date", "pk")
    )


def regular_times(series_list: Sequence[Series], *, today: object = None) -> list[str]:
    """Each series' rule in words, in the active language."""
    return [rule_text(s.rule, room=s.room.name, today=today) for s in series_list]


def program_languages(center: Center) -> QuerySet[Language]:
    """Languages offered by some public group of this center (for the filter)."""
    return Language.objects.filter(groups__center=center, groups__is_public=True).distinct()


def program_groups(center: Center) -> QuerySet[Group]:
    """The public groups of a center, before the resident's filters."""
    return public_groups().filter(center=center).order_by("name", "pk")


@dataclass
class ProgramEntry:
    group: Group
    regular: list[str]
    next_date: Occurrence | None = None
    cancellations: list[Occurrence] = field(default_factory=list)


@dataclass
class Program:
    page: Page
    entries: list[ProgramEntry]


def _next_dates(group_ids: Sequence[int], *, now: datetime, per_group: int) -> dict:
    """The next `per_group` public dates of each group, in one query (a window function)."""
    rank = Window(
        RowNumber(),
        partition_by=[F("series__group_id")],
        order_by=[F("starts_at").asc(), F("pk").asc()],
    )
    rows = (
        public_occurrences()
        .filter(series__group_id__in=group_ids, ends_at__gt=now)
        .select_related("room")
        # What the program shows, no more: fewer timestamps to parse per row.
        .only("series_id", "room__name", "starts_at", "state", "reason")
        .annotate(group_key=F("series__group_id"), rank=rank)
        .filter(rank__lte=per_group)
        .order_by("starts_at", "pk")
    )
    by_group: dict[int, list[Occurrence]] = defaultdict(list)
    for occurrence in rows:
        by_group[occurrence.group_key].append(occurrence)
    return by_group


def program(
    *, groups: QuerySet[Group], page_number: str | int | None, now: datetime, today: object
) -> Program:
    """One page of the (filtered) program with regular times, next date and cancellations."""
    groups = groups.select_related("organisation").prefetch_related(
        "languages", Prefetch("series", queryset=_current_series(now), to_attr="current_series")
    )
    page = Paginator(groups, PROGRAM_PAGE_SIZE).get_page(page_number)
    page_groups = list(page.object_list)
    dates = _next_dates([g.pk for g in page_groups], now=now, per_group=PROGRAM_NEXT_DATES)
    entries = []
    for group in page_groups:
        upcoming = dates.get(group.pk, [])
        entries.append(
            ProgramEntry(
                group=group,
                regular=regular_times(group.current_series, today=today),
                next_date=next((o for o in upcoming if o.state == "confirmed"), None),
                cancellations=[o for o in upcoming if o.state == "cancelled"],
            )
        )
    return Program(page=page, entries=entries)


@dataclass
class GroupPage:
    group: Group
    languages: list[Language]
    partners: list
    regular: list[str]
    dates: list[Occurrence]
    dates_page: Page | None = None


def group_page(
    *, slug: str, now: datetime, today: object, page_number: str | int | None = None
) -> GroupPage:
    """A public group with one page of its upcoming dates (all of them, page by page);
    internal groups do not exist here (404)."""
    try:
        group = (
            public_groups()
            .select_related("center", "organisation")
            .prefetch_related(
                "languages",
                "partners",
                Prefetch("series", queryset=_current_series(now), to_attr="current_series"),
            )
            .get(slug=slug)
        )
    except Group.DoesNotExist as missing:
        raise Http404 from missing
    upcoming = (
        public_occurrences()
        .filter(series__group=group, ends_at__gt=now)
        .select_related("room", "series__room")
        .order_by("starts_at", "pk")
    )
    dates_page = Paginator(upcoming, GROUP_PAGE_DATES).get_page(page_number)
    dates = list(dates_page.object_list)
    return GroupPage(
        group=group,
        languages=list(group.languages.all()),
        partners=list(group.partners.all()),
        regular=regular_times(group.current_series, today=today),
        dates=dates,
        dates_page=dates_page,
    )
