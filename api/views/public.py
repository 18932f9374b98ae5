"""Public endpoints, no token needed: centers, rooms, the program's groups, dates, closures."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from bookings.models import Occurrence
from centers.models import Center, Closure, Room
from groups import selectors as program_selectors
from groups.filters import ProgramFilter
from groups.models import Group

from .. import selectors
from ..filters import CenterFilterBackend, ClosureFilter, PublicDateFilter
from ..serializers.public import (
    CenterSerializer,
    ClosureSerializer,
    ProgramGroupSerializer,
    PublicDateSerializer,
    RoomSerializer,
)
from .base import ApiView, ListView

TAG = "public"


class _CenterScoped(ListView):
    """A list below /centers/{slug}/: the center is looked up first (404 if unknown)."""

    public = True

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.center = selectors.center(kwargs["slug"]) if "slug" in kwargs else None

    def list_response(self, request: Request, queryset: Any) -> Response:
        with timezone.override(self.center.tz):
            page = self.paginate_queryset(self.filter_queryset(queryset))
            data = self.get_serializer(page, many=True).data
            return self.get_paginated_response(data)


@extend_schema(tags=[TAG])
class CenterList(ListView):
    """Every center, with its address, contact, licence and links to its program."""

    public = True
    serializer_class = CenterSerializer
    queryset = Center.objects.none()
    filter_backends: list = []

    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.centers())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=[TAG])
class CenterDetail(ApiView):
    public = True
    serializer_class = CenterSerializer
    queryset = Center.objects.none()

    def get(self, request: Request, slug: str) -> Response:
        return Response(self.get_serializer(selectors.center(slug)).data)


@extend_schema(tags=[TAG])
class RoomList(_CenterScoped):
    """The center's rooms with what the public may know: size, floor, access, equipment."""

    serializer_class = RoomSerializer
    queryset = Room.objects.none()
    filter_backends: list = []

    def get(self, request: Request, slug: str) -> Response:
        return self.list_response(request, selectors.rooms(self.center))


class ProgramPagination(PageNumberPagination):
    page_size = program_selectors.PROGRAM_PAGE_SIZE


@extend_schema(tags=[TAG])
class GroupList(_CenterScoped):
    """The center's public program: the filters of the program page (text, kind, audience,
    language, free of charge, weekday and time of day of the next six weeks' dates)."""

    serializer_class = ProgramGroupSerializer
    queryset = Group.objects.none()
    filter_backends = [CenterFilterBackend]
    filterset_class = ProgramFilter
    pagination_class = ProgramPagination

    def get(self, request: Request, slug: str) -> Response:
        now = timezone.now()
        groups = self.filter_queryset(program_selectors.program_groups(self.center))
        page = self.paginate_queryset(groups.only("pk"))
        # The page's groups, decorated as the program page decorates them (one selector).
        program = program_selectors.program(
            groups=program_selectors.program_groups(self.center).filter(
                pk__in=[g.pk for g in page]
            ),
            page_number=1,
            now=now,
            today=now.astimezone(self.center.tz).date(),
        )
        with timezone.override(self.center.tz):
            data = self.get_serializer(program.entries, many=True).data
        return self.get_paginated_response(data)


@extend_schema(tags=[TAG])
class GroupDetail(ApiView):
    """One public group with its regular times, next date and cancellations."""

    public = True
    serializer_class = ProgramGroupSerializer
    queryset = Group.objects.none()

    def get(self, request: Request, slug: str) -> Response:
        group = selectors.public_group(slug)
        now = timezone.now()
        program = program_selectors.program(
            groups=program_selectors.program_groups(group.center).filter(pk=group.pk),
            page_number=1,
            now=now,
            today=now.astimezone(group.center.tz).date(),
        )
        with timezone.override(group.center.tz):
            return Response(self.get_serializer(program.entries[0]).data)


WINDOW_DOC = (
    "Dates overlapping the window `from`–`to` (days in the center's time zone, both included; "
    "default: today and 30 more days; at most 366 days). Cancelled and moved dates are listed "
    "with their status; `changed_since` returns only dates changed since then."
)


@extend_schema(tags=[TAG], description=WINDOW_DOC)
class CenterDates(_CenterScoped):
    """The center's public dates in a window, with changes and cancellations."""

    serializer_class = PublicDateSerializer
    queryset = Occurrence.objects.none()
    filter_backends = [CenterFilterBackend]
    filterset_class = PublicDateFilter

    def stamp(self) -> tuple:
        return selectors.plan_stamp(self.center)

    def get(self, request: Request, slug: str) -> Response:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        return self.list_response(request, selectors.public_dates(self.center))


@extend_schema(tags=[TAG], description=WINDOW_DOC)
class GroupDates(ListView):
    """One public group's dates in a window."""

    public = True
    serializer_class = PublicDateSerializer
    queryset = Occurrence.objects.none()
    filter_backends = [CenterFilterBackend]
    filterset_class = PublicDateFilter

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.group = selectors.public_group(kwargs["slug"])
        self.center = self.group.center

    def stamp(self) -> tuple:
        return selectors.plan_stamp(self.center)

    def get(self, request: Request, slug: str) -> Response:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        dates = selectors.group_dates(self.group)
        with timezone.override(self.center.tz):
            page = self.paginate_queryset(self.filter_queryset(dates))
            return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=[TAG], description="Closures of the center or its rooms in the window.")
class CenterClosures(_CenterScoped):
    serializer_class = ClosureSerializer
    queryset = Closure.objects.none()
    filter_backends = [CenterFilterBackend]
    filterset_class = ClosureFilter

    def stamp(self) -> tuple:
        return selectors.plan_stamp(self.center)

    def get(self, request: Request, slug: str) -> Response:
        if (unchanged := self.not_modified(request)) is not None:
            return unchanged
        return self.list_response(request, selectors.closures(self.center))


# No token needed; a token that is sent must still be valid (and is throttled as such).
for _view in (
    CenterList,
    CenterDetail,
    RoomList,
    GroupList,
    GroupDetail,
    CenterDates,
    GroupDates,
    CenterClosures,
):
    _view.permission_classes = [AllowAny]
