"""What a report covers: a center (for its staff) or an organisation across centers (for its
coordinators), narrowed by filters. Every figure starts from `dates()`, so no figure can see
dates outside the scope."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import tzinfo

from django.conf import settings
from django.db.models import Q, QuerySet

from bookings.models import Occurrence
from centers.models import Center, Room
from groups.models import Group, Language, Organisation


@dataclass(frozen=True)
class Filters:
    room: Room | None = None
    group: Group | None = None
    organisation: Organisation | None = None
    kind: str = ""
    audience: str = ""
    language: Language | None = None

    def group_q(self, prefix: str = "") -> Q:
        """The filters on the group, as a Q over `prefix` + group fields."""
        q = Q()
        if self.group is not None:
            q &= Q(**{f"{prefix}pk": self.group.pk})
        if self.organisation is not None:
            q &= Q(**{f"{prefix}organisation": self.organisation.pk})
        if self.kind:
            q &= Q(**{f"{prefix}kind": self.kind})
        if self.audience:
            q &= Q(**{f"{prefix}audience": self.audience})
        if self.language is not None:
            # A subquery, not a join: a group held in two languages must not count twice.
            speaking = Group.objects.filter(languages=self.language.pk).values("pk")
            q &= Q(**{f"{prefix}pk__in": speaking})
        return q

    @property
    def active(self) -> bool:
        return any(
            (self.room, self.group, self.organisation, self.kind, self.audience, self.language)
        )


@dataclass
class Scope:
    """Either `center` (staff) or `organisation` (coordinator) is set."""

    center: Center | None = None
    organisation: Organisation | None = None
    filters: Filters = field(default_factory=Filters)

    @property
    def tz(self) -> tzinfo:
        if self.center is not None:
            return self.center.tz
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    @property
    def title(self) -> str:
        if self.center is not None:
            return self.center.name
        return self.organisation.name if self.organisation else ""

    def groups(self) -> QuerySet[Group]:
        """The groups in scope (before the filters)."""
        if self.center is not None:
            return Group.objects.filter(center=self.center)
        if self.organisation is not None:
            return Group.objects.filter(organisation=self.organisation)
        return Group.objects.none()

    def group_q(self, prefix: str = "") -> Q:
        if self.center is not None:
            base = Q(**{f"{prefix}center": self.center.pk})
        elif self.organisation is not None:
            base = Q(**{f"{prefix}organisation": self.organisation.pk})
        else:
            return Q(pk__in=[])
        return base & self.filters.group_q(prefix)

    def dates(self) -> QuerySet[Occurrence]:
        """Every date in scope and filters, of any state and time."""
        queryset = Occurrence.objects.filter(self.group_q("series__group__"))
        if self.filters.room is not None:
            queryset = queryset.filter(room=self.filters.room.pk)
        return queryset

    def centers(self) -> QuerySet[Center]:
        """Centers whose rooms and opening hours the report needs."""
        if self.center is not None:
            return Center.objects.filter(pk=self.center.pk)
        return Center.objects.filter(pk__in=self.groups().values("center"))

    def rooms(self) -> QuerySet[Room]:
        """Rooms listed in the occupancy table: all of the center's (or the filtered one);
        for a coordinator, the rooms the organisation's groups used or asked for."""
        if self.filters.room is not None:
            return Room.objects.filter(pk=self.filters.room.pk).select_related("center")
        if self.center is not None:
            return Room.objects.filter(center=self.center).select_related("center")
        used = self.dates().values("room")
        return Room.objects.filter(pk__in=used).select_related("center")
