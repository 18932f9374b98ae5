"""Serializers of the public endpoints: what the public program shows, nothing more."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bookings.models import Cause, OccurrenceState
from groups.jsonld import occurrence_status
from groups.models import Group

from ..models import Licence
from ..selectors import open_data


def absolute(context: dict[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class LicenceSerializer(serializers.Serializer):
    id = serializers.ChoiceField(choices=Licence.choices, source="licence")
    name = serializers.CharField(source="get_licence_display")
    url = serializers.URLField(source="licence_url")
    attribution = serializers.CharField()


class CenterLinksSerializer(serializers.Serializer):
    page = serializers.URLField()
    program = serializers.URLField()
    dates = serializers.URLField()
    events_jsonld = serializers.URLField()
    events_csv = serializers.URLField()
    calendar = serializers.URLField()


class CenterSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    street = serializers.CharField()
    postal_code = serializers.CharField()
    city = serializers.CharField()
    district = serializers.CharField()
    directions = serializers.CharField()
    website = serializers.CharField()
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()
    time_zone = serializers.CharField()
    licence = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    @extend_schema_field(LicenceSerializer(allow_null=True))
    def get_licence(self, center: Any) -> dict | None:
        row = open_data(center)
        if row is None or not row.licence:
            return None
        return LicenceSerializer(row).data

    @extend_schema_field(CenterLinksSerializer)
    def get_links(self, center: Any) -> dict:
        slug = {"slug": center.slug}
        return {
            "page": absolute(self.context, reverse("centers:detail", kwargs=slug)),
            "program": absolute(self.context, reverse("centers:program", kwargs=slug)),
            "dates": absolute(self.context, reverse("api:center-dates", kwargs=slug)),
            "events_jsonld": absolute(self.context, reverse("opendata:jsonld", kwargs=slug)),
            "events_csv": absolute(self.context, reverse("opendata:csv", kwargs=slug)),
            "calendar": absolute(self.context, reverse("feeds:center", kwargs=slug)),
        }


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class GroupRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class RoomSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    capacity = serializers.IntegerField()
    floor = serializers.IntegerField()
    step_free = serializers.BooleanField()
    accessibility_notes = serializers.CharField()
    equipment = serializers.SerializerMethodField()
    bookable = serializers.BooleanField()
    part_of = serializers.IntegerField(source="parent_id", allow_null=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_equipment(self, room: Any) -> list[str]:
        return [item.code for item in room.equipment.all()]


class NextDateSerializer(serializers.Serializer):
    """What the program page shows of a next date (the full date: the dates endpoints)."""

    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    room = serializers.CharField(source="room.name")


class CancellationSerializer(NextDateSerializer):
    reason = serializers.CharField()


class ProgramGroupSerializer(serializers.Serializer):
    """One entry of the program: the group, its regular times, next date and cancellations."""

    slug = serializers.SlugField(source="group.slug")
    name = serializers.CharField(source="group.name")
    description = serializers.CharField(source="group.description")
    kind = serializers.ChoiceField(choices=Group.Kind.choices, source="group.kind")
    kind_label = serializers.CharField(source="group.get_kind_display")
    audience = serializers.ChoiceField(choices=Group.Audience.choices, source="group.audience")
    audience_label = serializers.CharField(source="group.get_audience_display")
    languages = serializers.SerializerMethodField()
    free_of_charge = serializers.BooleanField(source="group.free_of_charge")
    fee = serializers.CharField(source="group.fee")
    organisation = serializers.CharField(source="group.organisation.name", default="")
    contact_name = serializers.CharField(source="group.contact_name")
    contact_phone = serializers.CharField(source="group.contact_phone")
    contact_email = serializers.CharField(source="group.contact_email")
    regular_times = serializers.ListField(child=serializers.CharField(), source="regular")
    next_date = NextDateSerializer(allow_null=True)
    cancellations = CancellationSerializer(many=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_languages(self, entry: Any) -> list[str]:
        return [language.code for language in entry.group.languages.all()]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, entry: Any) -> str:
        return absolute(self.context, entry.group.get_absolute_url())


class PublicDateSerializer(serializers.Serializer):
    """A public date: scheduled, rescheduled (moved in time or room) or cancelled."""

    id = serializers.IntegerField()
    group = GroupRefSerializer(source="series.group")
    title = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    original_start = serializers.DateTimeField()
    room = RefSerializer()
    status = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()
    cause = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def get_title(self, occurrence: Any) -> str:
        return occurrence.series.title or occurrence.series.group.name

    @extend_schema_field(serializers.ChoiceField(["scheduled", "rescheduled", "cancelled"]))
    def get_status(self, occurrence: Any) -> str:
        return occurrence_status(occurrence, occurrence.series.room_id)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reason(self, occurrence: Any) -> str | None:
        # Only a cancellation's reason is public; notes on other dates are for staff and group.
        return occurrence.reason if occurrence.state == OccurrenceState.CANCELLED else None

    @extend_schema_field(serializers.ChoiceField(Cause.choices, allow_null=True))
    def get_cause(self, occurrence: Any) -> str | None:
        if occurrence.state != OccurrenceState.CANCELLED:
            return None
        return occurrence.cause or None

    def to_representation(self, occurrence: Any) -> dict[str, Any]:
        """The fields above, built directly: a month of a big center is thousands of dates, and
        DRF's field-by-field path costs several times more per date. The schema (and so the
        Schemathesis tests) still come from the declared fields."""
        series = occurrence.series
        group = series.group
        cancelled = occurrence.state == OccurrenceState.CANCELLED
        return {
            "id": occurrence.pk,
            "group": {"slug": group.slug, "name": group.name},
            "title": series.title or group.name,
            "starts_at": iso(occurrence.starts_at),
            "ends_at": iso(occurrence.ends_at),
            "original_start": iso(occurrence.original_start),
            "room": {"id": occurrence.room_id, "name": occurrence.room.name},
            "status": occurrence_status(occurrence, series.room_id),
            "reason": occurrence.reason if cancelled else None,
            "cause": (occurrence.cause or None) if cancelled else None,
            "updated_at": iso(occurrence.updated_at),
        }


def iso(value: datetime) -> str:
    """As DRF's DateTimeField writes it: ISO 8601 in the active time zone, Z for UTC."""
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class ClosureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    room = RefSerializer(allow_null=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField()
