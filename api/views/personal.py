"""Personal endpoints (a token): the caller, their groups, series and dates, new requests with
the preview's conflict report, and changes to single dates — all through the engine's services
and with the pages' permissions (`bookings.permissions`: 404 for what is not yours)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from bookings import services
from bookings.models import Occurrence, Series
from bookings.permissions import (
    access_occurrence,
    access_series,
    bookable_groups,
    visible_occurrences,
    visible_series,
)
from centers.models import Room
from centers.permissions import managed_centers
from groups.models import Group

from .. import requests as request_input
from .. import selectors
from ..conditional import expected_version, none_match, version_etag
from ..filters import PersonalDateFilter, SeriesFilter
from ..permissions import PERSONAL
from ..serializers.personal import (
    DateSerializer,
    MeSerializer,
    MoveSerializer,
    MyGroupSerializer,
    OptionalReasonSerializer,
    ReasonSerializer,
    ReportSerializer,
    RequestCreatedSerializer,
    RequestInputSerializer,
    SeriesDetailSerializer,
    SeriesSerializer,
)
from .base import ApiView, ListView

TAG = "leaders"


def body(serializer_class: type, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def series_detail(series: Series, context: dict[str, Any]) -> dict[str, Any]:
    series.dates_loaded = list(
        series.occurrences.select_related("room", "series__group").order_by("original_start")
    )
    return SeriesDetailSerializer(series, context=context).data


class Personal(ApiView):
    permission_classes = PERSONAL


class PersonalList(ListView):
    permission_classes = PERSONAL


@extend_schema(tags=[TAG], responses=MeSerializer)
class Me(Personal):
    """Who the token belongs to, its scope, the groups they lead and the centers they run."""

    def get(self, request: Request) -> Response:
        user = request.user
        leads = Group.objects.filter(leaderships__user=user).order_by("name")
        return Response(
            MeSerializer(
                {
                    "username": user.username,
                    "name": user.get_full_name() or user.username,
                    "scope": request.auth.scope,
                    "leads": leads,
                    "staff_of": managed_centers(user).order_by("name"),
                }
            ).data
        )


@extend_schema(tags=[TAG])
class MyGroups(PersonalList):
    """Groups the caller may book for: the ones they lead, and all of the centers they run."""

    serializer_class = MyGroupSerializer
    queryset = Group.objects.none()

    def get(self, request: Request) -> Response:
        groups = bookable_groups(request.user).select_related("center").order_by("name", "pk")
        page = self.paginate_queryset(groups)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=[TAG])
class SeriesList(PersonalList):
    """The caller's series (requests), newest first."""

    serializer_class = SeriesSerializer
    queryset = Series.objects.none()
    filterset_class = SeriesFilter

    def get(self, request: Request) -> Response:
        series = (
            visible_series(request.user)
            .select_related("group__center", "room")
            .order_by("-created_at", "-pk")
        )
        page = self.paginate_queryset(self.filter_queryset(series))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=[TAG], responses=SeriesDetailSerializer)
class SeriesDetail(Personal):
    """One series with all its dates. Its ETag ("v<version>") is what If-Match takes."""

    def get(self, request: Request, pk: int) -> Response:
        series = access_series(request.user, pk)
        self.etag = version_etag(series.version)
        if none_match(request, self.etag):
            return Response(status=304)
        return Response(series_detail(series, self.get_serializer_context()))


@extend_schema(tags=[TAG])
class DateList(PersonalList):
    """The caller's dates in a window (default: from today, a month)."""

    serializer_class = DateSerializer
    queryset = Occurrence.objects.none()
    filterset_class = PersonalDateFilter

    def get(self, request: Request) -> Response:
        dates = selectors.personal_dates(visible_occurrences(request.user))
        page = self.paginate_queryset(self.filter_queryset(dates))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=[TAG], responses=DateSerializer)
class DateDetail(Personal):
    def get(self, request: Request, pk: int) -> Response:
        occurrence = access_occurrence(request.user, pk)
        self.etag = version_etag(occurrence.version)
        if none_match(request, self.etag):
            return Response(status=304)
        return Response(DateSerializer(occurrence).data)


@extend_schema(tags=[TAG], request=RequestInputSerializer, responses={200: ReportSerializer})
class RequestPreview(Personal):
    """Every date of a request with what stands in its way and alternatives for clashes —
    the leader's live preview; nothing is saved. Without `room`: the rooms that would fit."""

    read_only_post = True

    def post(self, request: Request) -> Response:
        data = body(RequestInputSerializer, request)
        parsed = request_input.parse(request.user, data, room_required=False)
        return Response(ReportSerializer(parsed.preview()).data)


@extend_schema(
    tags=[TAG], request=RequestInputSerializer, responses={201: RequestCreatedSerializer}
)
class RequestCreate(Personal):
    """Ask for a room for one date or a series (`bookings.services.booking_request_create`).
    Free dates in rooms without approval are confirmed at once; the answer holds the series,
    its dates and the per-date report the preview showed just before."""

    def post(self, request: Request) -> Response:
        data = body(RequestInputSerializer, request)
        parsed = request_input.parse(request.user, data, room_required=True)
        report = ReportSerializer(parsed.preview()).data
        series = services.booking_request_create(
            user=request.user,
            group=parsed.group,
            room=parsed.room,
            rule=parsed.rule,
            expected_participants=parsed.expected_participants,
            equipment=parsed.equipment,
            note=parsed.note,
            title=parsed.title,
            alternatives=parsed.alternatives or None,
        )
        series = access_series(request.user, series.pk)
        payload = {"series": series_detail(series, self.get_serializer_context()), "report": report}
        location = reverse("api:series-detail", kwargs={"pk": series.pk})
        return Response(payload, status=status.HTTP_201_CREATED, headers={"Location": location})


class _DateAction(Personal):
    """POST /dates/{id}/<action>/: the date if it is yours (404 otherwise), then one service."""

    input_class: type = OptionalReasonSerializer

    def post(self, request: Request, pk: int) -> Response:
        occurrence = access_occurrence(request.user, pk)
        data = body(self.input_class, request)
        version = expected_version(request, data.get("version"))
        self.act(request, occurrence, data, version)
        occurrence = access_occurrence(request.user, pk)
        response = Response(DateSerializer(occurrence).data)
        response["ETag"] = version_etag(occurrence.version)
        return response

    def act(self, request: Request, occurrence: Occurrence, data: dict, version: int | None):
        raise NotImplementedError


@extend_schema(tags=[TAG], request=ReasonSerializer, responses=DateSerializer)
class DateCancel(_DateAction):
    """Cancel a date (the group's leaders or staff) with a reason everyone reads."""

    input_class = ReasonSerializer

    def act(self, request, occurrence, data, version):
        services.occurrence_cancel(
            user=request.user,
            occurrence=occurrence,
            reason=data["reason"],
            expected_version=version,
        )


@extend_schema(tags=[TAG], request=MoveSerializer, responses=DateSerializer)
class DateMove(_DateAction):
    """Move a date to another time or room. Staff keep a confirmed date confirmed where nothing
    refuses it; the group's move is confirmed at once only where nothing needs a decision."""

    input_class = MoveSerializer

    def act(self, request, occurrence, data, version):
        room = None
        if data.get("room") is not None:
            room = Room.objects.filter(pk=data["room"]).first()
            if room is None:
                raise ValidationError(
                    {"room": [_("Choose a bookable room of your group's center.")]}
                )
        services.occurrence_move(
            user=request.user,
            occurrence=occurrence,
            room=room,
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            reason=data["reason"],
            expected_version=version,
        )


@extend_schema(tags=[TAG], request=OptionalReasonSerializer, responses=DateSerializer)
class DateReinstate(_DateAction):
    """A cancelled date takes place again, if nothing stands in its way now."""

    def act(self, request, occurrence, data, version):
        services.occurrence_reinstate(
            user=request.user,
            occurrence=occurrence,
            reason=data["reason"],
            expected_version=version,
        )
