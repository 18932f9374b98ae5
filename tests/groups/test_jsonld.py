"""schema.org Event JSON-LD, from plain objects (no database)."""

import json
from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from groups.jsonld import group_events, script_json

BERLIN = ZoneInfo("Europe/Berlin")
CENTER = SimpleNamespace(
    name="Haus der Kulturen", street="Hauptstr. 1", postal_code="45699", city="Herten"
)


def group(**overrides):
    fields = {
        "name": "Saz-Kurs",
        "center": CENTER,
        "organisation": None,
        "free_of_charge": False,
        "fee": "5 € pro Termin",
        "description": "",
    }
    fields.update(overrides)
    return SimpleNamespace(**fields)


def occurrence(**overrides):
    start = datetime(2027, 7, 6, 16, 0, tzinfo=UTC)
    fields = {
        "starts_at": start,
        "ends_at": start.replace(hour=18),
        "original_start": start,
        "state": "confirmed",
        "room_id": 1,
        "room": SimpleNamespace(name="Saal"),
        "series": SimpleNamespace(room_id=1, title=""),
    }
    fields.update(overrides)
    return SimpleNamespace(**fields)


def test_paid_offer_in_summer_time():
    [event] = group_events(
        group=group(),
        occurrences=[occurrence()],
        group_url="https://x/g/",
        language_codes=["tr", "de"],
        tz=BERLIN,
    )
    assert event["startDate"] == "2027-07-06T18:00:00+02:00"
    assert event["isAccessibleForFree"] is False
    assert event["offers"] == {
        "@type": "Offer",
        "description": "5 € pro Termin",
        "url": "https://x/g/",
    }
    assert event["inLanguage"] == ["tr", "de"]
    assert event["organizer"]["name"] == "Saz-Kurs"
    assert event["location"]["name"] == "Haus der Kulturen, Saal"


def test_moved_to_another_room_is_rescheduled():
    [event] = group_events(
        group=group(),
        occurrences=[occurrence(room_id=2)],
        group_url="u",
        language_codes=[],
        tz=BERLIN,
    )
    assert event["eventStatus"] == "https://schema.org/EventRescheduled"
    assert "inLanguage" not in event


def test_script_json_cannot_close_the_script():
    text = script_json({"description": "</script><script>alert(1)</script> & more"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["description"].startswith("</script>")
