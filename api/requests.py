"""A booking request given as JSON, read into what the form hands the services: the group,
the room, a RecurrenceRule, equipment and the alternatives picked from the preview. Bad input
is a DRF ValidationError (400) naming the field; nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from accounts.models import User
from bookings.permissions import bookable_groups
from bookings.recurrence import RecurrenceRule, validate
from centers.models import Equipment, Room
from groups.models import Group
from portal.forms import alternative_value, slot_key
from portal.selectors import Preview, request_preview

Alternatives = dict[datetime, tuple[Room, datetime, datetime]]


@dataclass
class ParsedRequest:
    group: Group
    room: Room | None
    rule: RecurrenceRule
    expected_participants: int
    equipment: list[Equipment]
    note: str
    title: str
    alternatives: Alternatives

    def preview(self) -> Preview:
        """The leader's preview of exactly this request (`portal.selectors.request_preview`)."""
        picked = {
            slot_key(original): alternative_value(room.pk, start, end)
            for original, (room, start, end) in self.alternatives.items()
        }
        return request_preview(
            group=self.group,
            room=self.room,
            rule=self.rule,
            expected_participants=self.expected_participants,
            equipment=self.equipment,
            picked=picked,
        )


def _rule(data: dict[str, Any]) -> RecurrenceRule:
    frequency = data["frequency"]
    return RecurrenceRule(
        start_date=data["start_date"],
        start_time=data["start_time"],
        end_time=data["end_time"],
        frequency=frequency,
        interval=data["interval"] if frequency == "weekly" else 1,
        weekdays=tuple(sorted(set(data["weekdays"]))) if frequency != "once" else (),
        monthly_mode=data["monthly_mode"] if frequency == "monthly" else "",
        monthly_position=data["monthly_position"] if frequency == "monthly" else None,
        monthly_day=data["monthly_day"] if frequency == "monthly" else None,
        until=data["until"] if frequency != "once" else None,
        count=data["count"] if frequency != "once" else None,
    )


def _alternatives(group: Group, items: list[dict[str, Any]]) -> Alternatives:
    rooms = {r.pk: r for r in Room.objects.filter(center=group.center_id, bookable=True)}
    picked: Alternatives = {}
    for item in items:
        room = rooms.get(item["room"])
        if room is None or item["ends_at"] <= item["starts_at"]:
            raise ValidationError(
                {"alternatives": [_("One of the picked alternatives is not valid.")]}
            )
        # The preview keys dates by their original start in whole seconds, UTC.
        original = item["date"].astimezone(UTC).replace(microsecond=0)
        picked[original] = (
            room,
            item["starts_at"].astimezone(UTC).replace(microsecond=0),
            item["ends_at"].astimezone(UTC).replace(microsecond=0),
        )
    return picked


def parse(user: User, data: dict[str, Any], *, room_required: bool) -> ParsedRequest:
    """The validated body of RequestInputSerializer, resolved against what `user` may book."""
    errors: dict[str, list[str]] = {}
    group = bookable_groups(user).select_related("center").filter(slug=data["group"]).first()
    if group is None:
        errors["group"] = [_("None of your groups has this short name.")]
    room = None
    if data.get("room") is not None:
        room = Room.objects.select_related("center").filter(pk=data["room"]).first()
        if room is None or not room.bookable or (group and room.center_id != group.center_id):
            errors["room"] = [_("Choose a bookable room of your group's center.")]
    elif room_required:
        errors["room"] = [_("Choose a room.")]
    codes = set(data["equipment"])
    equipment = list(Equipment.objects.filter(code__in=codes).order_by("pk"))
    if len(equipment) != len(codes):
        errors["equipment"] = [_("Unknown equipment.")]
    rule = _rule(data)
    for field, message in validate(rule).items():
        errors.setdefault(field, []).append(message)
    if data["start_date"] < timezone.localdate():
        errors.setdefault("start_date", []).append(_("The first date cannot be in the past."))
    if errors:
        raise ValidationError(errors)
    return ParsedRequest(
        group=group,
        room=room,
        rule=rule,
        expected_participants=data["expected_participants"],
        equipment=equipment,
        note=data["note"],
        title=data["title"],
        alternatives=_alternatives(group, data.get("alternatives") or []),
    )
