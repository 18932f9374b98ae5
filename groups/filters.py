"""The resident's filters on a center's program. GET parameters, so a filtered list is a link.

Weekday and time of day are answered by the group's real upcoming dates in the center's time
zone, and together: "Tuesday" + "evening" means a date on a Tuesday evening, not a Tuesday
morning and some Friday evening.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import ExtractIsoWeekDay, TruncTime
from django.utils.translation import gettext_lazy as _

from bookings.models import OccurrenceState
from centers.models import Center, Weekday

from .models import Group, Language
from .selectors import program_languages, public_occurrences

# Weekday and time of day look at the dates of the next six weeks: every weekly and monthly
# (nth weekday) offer has a date in any 42 days.
DATES_HORIZON = timedelta(weeks=6)


class TimeOfDay:
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    choices = [
        (MORNING, _("morning (before 12:00)")),
        (AFTERNOON, _("afternoon (12:00–17:00)")),
        (EVENING, _("evening (from 17:00)")),
    ]
    # Wall-clock start times in the center's time zone, [from, until).
    bounds = {
        MORNING: (time(0), time(12)),
        AFTERNOON: (time(12), time(17)),
        EVENING: (time(17), None),
    }


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label=_("Search"), widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.ChoiceFilter(
        choices=Group.Kind.choices, label=_("Kind of offer"), empty_label=_("all kinds")
    )
    audience = django_filters.ChoiceFilter(
        choices=Group.Audience.choices, label=_("For"), empty_label=_("everyone")
    )
    language = django_filters.ModelChoiceFilter(
        field_name="languages",
        to_field_name="code",
        queryset=Language.objects.none(),
        label=_("Language of the offer"),
        empty_label=_("all languages"),
    )
    free = django_filters.BooleanFilter(
        method="filter_free", label=_("free of charge only"), widget=forms.CheckboxInput
    )
    weekday = django_filters.ChoiceFilter(
        choices=Weekday.choices,
        method="filter_by_dates",
        label=_("Weekday"),
        empty_label=_("any day"),
    )
    time = django_filters.ChoiceFilter(
        choices=TimeOfDay.choices,
        method="filter_by_dates",
        label=_("Time of day"),
        empty_label=_("any time"),
    )

    class Meta:
        model = Group
        fields: list[str] = []

    def __init__(self, data: Any = None, *, center: Center, now: datetime, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.center = center
        self.now = now
        self.filters["language"].queryset = program_languages(center)

    def filter_text(self, queryset: QuerySet[Group], name: str, value: str) -> QuerySet[Group]:
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def filter_free(self, queryset: QuerySet[Group], name: str, value: bool) -> QuerySet[Group]:
        return queryset.filter(free_of_charge=True) if value else queryset

    def filter_by_dates(self, queryset: QuerySet[Group], name: str, value: Any) -> QuerySet[Group]:
        # Weekday and time are applied together in filter_queryset.
        return queryset

    def filter_queryset(self, queryset: QuerySet[Group]) -> QuerySet[Group]:
        queryset = super().filter_queryset(queryset)
        weekday = self.form.cleaned_data.get("weekday")
        time_of_day = self.form.cleaned_data.get("time")
        if weekday in (None, "") and not time_of_day:
            return queryset
        tz = self.center.tz
        # The matching groups are read once, in one query over the center's dates in the
        # horizon, not as a subquery per group and again for the count (on SQLite the time
        # zone conversion is a Python call per row).
        dates = public_occurrences().filter(
            series__group__center=self.center,
            state=OccurrenceState.CONFIRMED,
            starts_at__gte=self.now,
            starts_at__lt=self.now + DATES_HORIZON,
        )
        if weekday not in (None, ""):
            # ISO: Monday = 1; our Weekday: Monday = 0.
            dates = dates.annotate(local_weekday=ExtractIsoWeekDay("starts_at", tzinfo=tz)).filter(
                local_weekday=int(weekday) + 1
            )
        if time_of_day:
            start, end = TimeOfDay.bounds[time_of_day]
            dates = dates.annotate(local_time=TruncTime("starts_at", tzinfo=tz)).filter(
                local_time__gte=start
            )
            if end is not None:
                dates = dates.filter(local_time__lt=end)
        group_ids = set(dates.order_by().values_list("series__group_id", flat=True).distinct())
        return queryset.filter(pk__in=group_ids)
