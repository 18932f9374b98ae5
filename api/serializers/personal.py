"""Serializers of the personal endpoints: a leader's or staff's series and dates, the request
body, the per-date conflict report (the leader's preview), and the actions on dates."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bookings.models import (
    Cause,
    Frequency,
    MonthlyMode,
    OccurrenceState,
    SeriesStatus,
)
from bookings.policy import IssueKind, Verdict
from bookings.recurrence import MAX_DATES
from bookings.rule_text import rule_text
from config.forms import DATE_MAX, DATE_MIN, INT_MAX, date_range_message

from .public import GroupRefSerializer, RefSerializer


def _date_in_range(value: Any) -> Any:
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise serializers.ValidationError(date_range_message())
    return value


class BoundedDateField(serializers.DateField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(_date_in_range)


class BoundedDateTimeField(serializers.DateTimeField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(_date_in_range)


@extend_schema_field(
    {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?$", "example": "18:00"}
)
class WallTimeField(serializers.TimeField):
    """A wall-clock time in the center's time zone ("18:00"), without an offset: a weekly
    18:00 stays 18:00 across daylight saving time. (OpenAPI's "time" would demand an offset.)"""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


def IdField(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=INT_MAX, **kwargs)


# --- output ------------------------------------------------------------------------------------


class CenterRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class MyGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    center = CenterRefSerializer()
    is_public = serializers.BooleanField()


class SeriesSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    group = GroupRefSerializer()
    center = serializers.SlugField(source="group.center.slug")
    room = RefSerializer()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=SeriesStatus.choices)
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    interval = serializers.IntegerField()
    weekdays = serializers.ListField(child=serializers.IntegerField())
    monthly_mode = serializers.CharField()
    monthly_position = serializers.IntegerField(allow_null=True)
    monthly_day = serializers.IntegerField(allow_null=True)
    start_date = serializers.DateField()
    start_time = WallTimeField()
    end_time = WallTimeField()
    until = serializers.DateField(allow_null=True)
    count = serializers.IntegerField(allow_null=True)
    rule_text = serializers.SerializerMethodField()
    expected_participants = serializers.IntegerField()
    note = serializers.CharField()
    decision_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_rule_text(self, series: Any) -> str:
        return rule_text(series.rule, room=series.room.name, today=timezone.localdate())


class QueueItemSerializer(SeriesSerializer):
    requested_count = serializers.IntegerField()


class DateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    series = serializers.IntegerField(source="series_id")
    group = GroupRefSerializer(source="series.group")
    room = RefSerializer()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    original_start = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=OccurrenceState.choices)
    reason = serializers.CharField()
    cause = serializers.ChoiceField(choices=[("", "-"), *Cause.choices])
    closure = serializers.IntegerField(source="closure_id", allow_null=True)
    updated_at = serializers.DateTimeField()


class SeriesDetailSerializer(SeriesSerializer):
    dates = serializers.SerializerMethodField()

    @extend_schema_field(DateSerializer(many=True))
    def get_dates(self, series: Any) -> list[dict]:
        return DateSerializer(series.dates_loaded, many=True, context=self.context).data


# --- the conflict report (the leader's preview) -------------------------------------------------


class IssueSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IssueKind.choices)
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    blocks = serializers.BooleanField()
    message = serializers.CharField()
    group = serializers.CharField(source="group_name")
    room = serializers.CharField(source="room_name")
    detail = serializers.CharField()


class AlternativeSerializer(serializers.Serializer):
    room = RefSerializer()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    kind = serializers.CharField()
    label = serializers.CharField()


class ReportDateSerializer(serializers.Serializer):
    key = serializers.CharField()
    original_start = serializers.DateTimeField(source="report.slot.original_start")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    verdict = serializers.ChoiceField(choices=Verdict.choices, source="report.verdict")
    free = serializers.BooleanField(source="report.is_free")
    confirms_at_once = serializers.SerializerMethodField()
    issues = IssueSerializer(many=True, source="report.issues")
    alternatives = AlternativeSerializer(many=True)

    def get_confirms_at_once(self, item: Any) -> bool:
        return item.report.confirms_at_once()


class RoomChoiceSerializer(RefSerializer):
    capacity = serializers.IntegerField()


class ReportSerializer(serializers.Serializer):
    """The per-date report of `portal.selectors.request_preview`, as the leader's page shows."""

    room = RefSerializer(allow_null=True)
    any_room = serializers.BooleanField()
    horizon = serializers.DateField(allow_null=True)
    free_count = serializers.IntegerField()
    clashing_count = serializers.SerializerMethodField()
    suitable_rooms = RoomChoiceSerializer(many=True)
    dates = ReportDateSerializer(many=True)

    def get_clashing_count(self, preview: Any) -> int:
        return len(preview.clashing)


class RequestCreatedSerializer(serializers.Serializer):
    series = SeriesDetailSerializer()
    report = ReportSerializer()


# --- input ---------------------------------------------------------------------------------------


class AlternativeInputSerializer(serializers.Serializer):
    date = BoundedDateTimeField(help_text="original_start of the date it replaces")
    room = IdField()
    starts_at = BoundedDateTimeField()
    ends_at = BoundedDateTimeField()


class RequestInputSerializer(serializers.Serializer):
    """A request as the form takes it: group, room, the rule, people, equipment, note."""

    group = serializers.SlugField(max_length=100)
    room = IdField(required=False, allow_null=True, help_text="Leave out to preview any room.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    start_date = BoundedDateField()
    start_time = WallTimeField()
    end_time = WallTimeField()
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.ONCE)
    interval = serializers.IntegerField(min_value=1, max_value=52, default=1)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), max_length=7, default=list
    )
    monthly_mode = serializers.ChoiceField(
        choices=[("", "-"), *MonthlyMode.choices], default="", allow_blank=True
    )
    monthly_position = serializers.IntegerField(
        min_value=-1, max_value=4, required=False, allow_null=True, default=None
    )
    monthly_day = serializers.IntegerField(
        min_value=1, max_value=31, required=False, allow_null=True, default=None
    )
    until = BoundedDateField(required=False, allow_null=True, default=None)
    count = serializers.IntegerField(
        min_value=1, max_value=MAX_DATES, required=False, allow_null=True, default=None
    )
    expected_participants = serializers.IntegerField(min_value=1, max_value=10000)
    equipment = serializers.ListField(
        child=serializers.SlugField(max_length=40), max_length=50, default=list
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    alternatives = AlternativeInputSerializer(many=True, required=False, max_length=1000)


class VersionedSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=INT_MAX,
        required=False,
        allow_null=True,
        help_text="The version you saw; a stale edit answers 409 (or 412 with If-Match).",
    )


class ReasonSerializer(VersionedSerializer):
    reason = serializers.CharField(max_length=300)


class OptionalReasonSerializer(VersionedSerializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MoveSerializer(OptionalReasonSerializer):
    room = IdField(required=False, allow_null=True)
    starts_at = BoundedDateTimeField(required=False, allow_null=True)
    ends_at = BoundedDateTimeField(required=False, allow_null=True)


class ConfirmDateSerializer(VersionedSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ConfirmSeriesSerializer(ConfirmDateSerializer):
    skip_clashing = serializers.BooleanField(
        default=False, help_text="Confirm the free dates and leave clashing ones requested."
    )


class ConfirmResultSerializer(serializers.Serializer):
    confirmed = serializers.ListField(child=serializers.IntegerField())
    left_requested = serializers.ListField(child=serializers.IntegerField())
    declined_competitors = serializers.ListField(child=serializers.IntegerField())
    series = SeriesDetailSerializer()


class ClosureInputSerializer(serializers.Serializer):
    center = serializers.SlugField(max_length=80)
    room = IdField(required=False, allow_null=True)
    starts_at = BoundedDateTimeField()
    ends_at = BoundedDateTimeField()
    reason = serializers.CharField(max_length=200)


class StaffClosureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    center = serializers.SlugField(source="center.slug")
    room = RefSerializer(allow_null=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField()


class ClosureChangeSerializer(serializers.Serializer):
    closure = StaffClosureSerializer(allow_null=True)
    cancelled = serializers.ListField(child=serializers.IntegerField())
    reinstated = serializers.ListField(child=serializers.IntegerField())
    not_reinstated = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField())
    )


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    scope = serializers.ChoiceField(choices=[("read", "read"), ("write", "write")])
    leads = GroupRefSerializer(many=True)
    staff_of = CenterRefSerializer(many=True)
