"""Query filters of the API (django-filter): windows of days, groups, rooms, states."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from bookings.models import OccurrenceState, SeriesStatus
from config.forms import INT_MAX, date_in_range, date_range_message
from groups.filters import ProgramFilter

from . import selectors

STATUS_CHOICES = [
    ("scheduled", _("takes place as planned")),
    ("rescheduled", _("moved to another time or room")),
    ("cancelled", _("cancelled")),
]


class _BoundedDateFilter(django_filters.DateFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("method", "filter_nothing")
        super().__init__(*args, **kwargs)
        self.extra["validators"] = [_in_range]


def _in_range(value: Any) -> None:
    if value is not None and not date_in_range(value):
        raise ValidationError(date_range_message())


class WindowFilter(django_filters.FilterSet):
    """`from` and `to` (days in the center's time zone, both included): a month from today
    unless given, at most a year. Applied in `filter_queryset` since both are needed at once."""

    # "from" is a Python keyword: set in the class namespace directly.
    locals()["from"] = _BoundedDateFilter(label=_("first day (default: today)"))
    to = _BoundedDateFilter(label=_("last day (default: a month on)"))

    def __init__(self, *args: Any, tz: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz = tz or timezone.get_current_timezone()

    def filter_nothing(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset

    def span(self) -> selectors.Window:
        data = self.form.cleaned_data
        try:
            return selectors.window(data.get("from"), data.get("to"), tz=self.tz)
        except ValueError as error:
            raise ValidationError({"to": str(error)}) from None

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        span = self.span()
        queryset = queryset.filter(starts_at__lt=span.end, ends_at__gt=span.start)
        return super().filter_queryset(queryset)


class DateWindowFilter(WindowFilter):
    changed_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("changed at or after")
    )


class PublicDateFilter(DateWindowFilter):
    group = django_filters.CharFilter(field_name="series__group__slug", max_length=100)
    room = django_filters.NumberFilter(field_name="room_id", min_value=1, max_value=INT_MAX)
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status")

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from django.db.models import F, Q

        if value == "cancelled":
            return queryset.filter(state=OccurrenceState.CANCELLED)
        moved = ~Q(starts_at=F("original_start")) | ~Q(room_id=F("series__room_id"))
        active = queryset.filter(state=OccurrenceState.CONFIRMED)
        return active.filter(moved) if value == "rescheduled" else active.exclude(moved)


class PersonalDateFilter(DateWindowFilter):
    series = django_filters.NumberFilter(field_name="series_id", min_value=1, max_value=INT_MAX)
    group = django_filters.CharFilter(field_name="series__group__slug", max_length=100)
    center = django_filters.CharFilter(field_name="series__group__center__slug", max_length=80)
    state = django_filters.MultipleChoiceFilter(choices=OccurrenceState.choices)


class SeriesFilter(django_filters.FilterSet):
    group = django_filters.CharFilter(field_name="group__slug", max_length=100)
    center = django_filters.CharFilter(field_name="group__center__slug", max_length=80)
    status = django_filters.MultipleChoiceFilter(choices=SeriesStatus.choices)


class ClosureFilter(WindowFilter):
    """A center's closures overlapping the window."""


class StaffClosureFilter(WindowFilter):
    center = django_filters.CharFilter(field_name="center__slug", max_length=80)


class CenterFilterBackend(DjangoFilterBackend):
    """Gives the filter set the view's center (its time zone, its program's languages)."""

    def get_filterset_kwargs(self, request: Any, queryset: QuerySet, view: Any) -> dict:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        center = getattr(view, "center", None)
        if filterset_class is not None and issubclass(filterset_class, ProgramFilter):
            kwargs.update(center=center, now=timezone.now())
        elif center is not None:
            kwargs["tz"] = center.tz
        return kwargs
