"""Constraints of centers and rooms hold in the database itself, not only in forms."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from centers.holidays import public_holidays
from centers.models import Closure, Room


def test_room_capacity_must_be_positive(make_center):
    center = make_center()
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(center=center, name="Abstellraum", capacity=0)


def test_room_buffers_cannot_be_negative_in_the_database(make_room):
    room = make_room()
    with pytest.raises(IntegrityError), transaction.atomic():
        # Bypass the field's own validation: the database must refuse it by itself.
        Room.objects.filter(pk=room.pk).update(setup_minutes=-5)


def test_closure_must_end_after_it_starts(make_center):
    center = make_center()
    start = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Closure.objects.create(center=center, starts_at=start, ends_at=start, reason="Test")
    with pytest.raises(IntegrityError), transaction.atomic():
        Closure.objects.create(
            center=center, starts_at=start, ends_at=start - timedelta(hours=1), reason="Test"
        )


def test_room_parent_must_be_in_the_same_center(make_room, make_center):
    hall = make_room(name="Saal")
    other_center = make_center()
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(center=other_center, name="Saal A", capacity=40, parent=hall)
    # The same part in the hall's own center is fine.
    part = Room.objects.create(center=hall.center, name="Saal A", capacity=40, parent=hall)
    assert part.parent == hall


def test_room_parent_check_also_guards_updates(make_room, make_center):
    hall = make_room(name="Saal")
    part = make_room(name="Saal B", center=make_center())
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.filter(pk=part.pk).update(parent=hall)


def test_a_part_cannot_be_divided_further(make_room):
    hall = make_room(name="Saal")
    half = Room.objects.create(center=hall.center, name="Saal A", capacity=40, parent=hall)
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(center=hall.center, name="Saal A1", capacity=10, parent=half)


def test_north_rhine_westphalia_holidays_include_corpus_christi(make_center):
    center = make_center(federal_state="NW")
    found = public_holidays(center.federal_state, date(2027, 1, 1), date(2027, 12, 31))
    assert found[date(2027, 5, 27)] == "Fronleichnam"
    in_english = public_holidays(center.federal_state, date(2027, 5, 1), date(2027, 5, 31), "en")
    assert in_english[date(2027, 5, 27)] == "Corpus Christi"


def test_corpus_christi_is_no_holiday_in_berlin(make_center):
    center = make_center(federal_state="BE")
    found = public_holidays(center.federal_state, date(2027, 5, 1), date(2027, 5, 31))
    assert date(2027, 5, 27) not in found


def test_holidays_are_kept_per_range_but_each_caller_gets_its_own_dict():
    first = public_holidays("NW", date(2027, 5, 1), date(2027, 5, 31))
    first.pop(date(2027, 5, 27))
    first[date(2027, 5, 2)] = "not a holiday"
    again = public_holidays("NW", date(2027, 5, 1), date(2027, 5, 31))
    assert again[date(2027, 5, 27)] == "Fronleichnam"
    assert date(2027, 5, 2) not in again
