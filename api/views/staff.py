"""Staff endpoints (a token of a center's staff): the queue, decisions on dates and series,
closures. Everything outside the caller's centers does not exist for them (404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from bookings import services
from bookings.models import Series
from bookings.permissions import access_series
from centers.models import Center, Closure, Room
from centers.permissions import managed_centers

from .. import selectors
from ..conditional import expected_version, version_etag
from ..filters import StaffClosureFilter
from ..serializers.personal import (
    ClosureChangeSerializer,
    ClosureInputSerializer,
    ConfirmDateSerializer,
    ConfirmResultSerializer,
    ConfirmSeriesSerializer,
    DateSerializer,
    QueueItemSerializer,
    ReasonSerializer,
    SeriesDetailSerializer,
    StaffClosureSerializer,
)
from .personal import Personal, PersonalList, _DateAction, body, series_detail

TAG = "staff"


@extend_schema(tags=[TAG])
class Queue(PersonalList):
    """Requests with dates waiting for a decision in the caller's centers, oldest first."""

    serializer_class = QueueItemSerializer
    queryset = Series.objects.none()
    filter_backends: list = []

    def get(self, request: Request) -> Response:
        centers = managed_centers(request.user)
        slug = request.query_params.get("center")
        if slug:
            centers = centers.filter(slug=slug[:80])
        page = self.paginate_queryset(selectors.queue(centers))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class _SeriesDecision(Personal):
    def series(self, request: Request, pk: int) -> Series:
        return access_series(request.user, pk)


@extend_schema(tags=[TAG], request=ConfirmSeriesSerializer, responses=ConfirmResultSerializer)
class SeriesConfirm(_SeriesDecision):
    """Confirm every requested date; clashing dates refuse the whole confirmation (409) unless
    `skip_clashing`, which leaves them requested."""

    def post(self, request: Request, pk: int) -> Response:
        series = self.series(request, pk)
        data = body(ConfirmSeriesSerializer, request)
        result = services.series_confirm(
            user=request.user,
            series=series,
            skip_clashing=data["skip_clashing"],
            note=data["note"],
            expected_version=expected_version(request, data.get("version")),
        )
        return Response(_confirm_result(result, self.series(request, pk), self))


@extend_schema(tags=[TAG], request=ReasonSerializer, responses=SeriesDetailSerializer)
class SeriesDecline(_SeriesDecision):
    """Decline every date of the series that is still requested, with a reason."""

    def post(self, request: Request, pk: int) -> Response:
        series = self.series(request, pk)
        data = body(ReasonSerializer, request)
        services.series_decline(
            user=request.user,
            series=series,
            reason=data["reason"],
            expected_version=expected_version(request, data.get("version")),
        )
        series = self.series(request, pk)
        response = Response(series_detail(series, self.get_serializer_context()))
        response["ETag"] = version_etag(series.version)
        return response


def _confirm_result(result: Any, series: Series, view: Personal) -> dict[str, Any]:
    return {
        "confirmed": [o.pk for o in result.confirmed],
        "left_requested": [o.pk for o in result.left_requested],
        "declined_competitors": [o.pk for o in result.declined_competitors],
        "series": series_detail(series, view.get_serializer_context()),
    }


@extend_schema(tags=[TAG], request=ConfirmDateSerializer, responses=DateSerializer)
class DateConfirm(_DateAction):
    """Confirm one requested date (a clash answers 409 and nothing changes). `version` is the
    date's version."""

    input_class = ConfirmDateSerializer

    def act(self, request, occurrence, data, version):
        if version is not None and version != occurrence.version:
            from bookings.errors import StaleEdit

            raise StaleEdit(current=occurrence.version)
        services.occurrences_confirm(user=request.user, occurrences=[occurrence], note=data["note"])


@extend_schema(tags=[TAG], request=ReasonSerializer, responses=DateSerializer)
class DateDecline(_DateAction):
    """Decline one requested date with a reason the group reads."""

    input_class = ReasonSerializer

    def act(self, request, occurrence, data, version):
        services.occurrence_decline(
            user=request.user,
            occurrence=occurrence,
            reason=data["reason"],
            expected_version=version,
        )


# --- closures ----------------------------------------------------------------------------------


def _center(request: Request, slug: str) -> Center:
    center = managed_centers(request.user).filter(slug=slug).first()
    if center is None:
        raise ValidationError({"center": [_("None of your centers has this short name.")]})
    return center


def _room(center: Center, room_id: int | None) -> Room | None:
    if room_id is None:
        return None
    room = Room.objects.filter(pk=room_id, center=center).first()
    if room is None:
        raise ValidationError({"room": [_("This room belongs to another center.")]})
    return room


def _change(change: Any, context: dict[str, Any]) -> dict[str, Any]:
    return ClosureChangeSerializer(
        {
            "closure": change.closure,
            "cancelled": [o.pk for o in change.cancelled],
            "reinstated": [o.pk for o in change.reinstated],
            "not_reinstated": {str(k): v for k, v in change.not_reinstated.items()},
        },
        context=context,
    ).data


def _closures(request: Request):
    return Closure.objects.filter(center__in=managed_centers(request.user)).select_related(
        "center", "room"
    )


@extend_schema(tags=[TAG])
class ClosureList(PersonalList):
    """Closures of the caller's centers in a window; POST closes a center or a room (the dates
    in it are cancelled and their groups told)."""

    serializer_class = StaffClosureSerializer
    queryset = Closure.objects.none()
    filterset_class = StaffClosureFilter

    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(
            self.filter_queryset(_closures(request).order_by("starts_at", "pk"))
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=ClosureInputSerializer, responses={201: ClosureChangeSerializer})
    def post(self, request: Request) -> Response:
        data = body(ClosureInputSerializer, request)
        center = _center(request, data["center"])
        closure, cancelled = services.closure_create(
            user=request.user,
            center=center,
            room=_room(center, data.get("room")),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
        )
        change = services.ClosureChange(closure=closure, cancelled=list(cancelled))
        return Response(
            _change(change, self.get_serializer_context()), status=status.HTTP_201_CREATED
        )


@extend_schema(tags=[TAG])
class ClosureDetail(Personal):
    """One closure. PUT changes it (dates it no longer covers come back where still free);
    DELETE removes it and reports the dates that came back."""

    serializer_class = StaffClosureSerializer

    def closure(self, request: Request, pk: int) -> Closure:
        found = _closures(request).filter(pk=pk).first()
        if found is None:
            raise Http404
        return found

    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self.closure(request, pk)).data)

    @extend_schema(request=ClosureInputSerializer, responses=ClosureChangeSerializer)
    def put(self, request: Request, pk: int) -> Response:
        closure = self.closure(request, pk)
        data = body(ClosureInputSerializer, request)
        if data["center"] != closure.center.slug:
            raise ValidationError({"center": [_("A closure cannot move to another center.")]})
        change = services.closure_update(
            user=request.user,
            closure=closure,
            room=_room(closure.center, data.get("room")),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
        )
        return Response(_change(change, self.get_serializer_context()))

    @extend_schema(responses={200: ClosureChangeSerializer})
    def delete(self, request: Request, pk: int) -> Response:
        change = services.closure_delete(user=request.user, closure=self.closure(request, pk))
        return Response(_change(change, self.get_serializer_context()))
