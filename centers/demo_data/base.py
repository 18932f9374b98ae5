"""The demo's vocabulary: data types and what both centers share.

The demo: two real centers in North Rhine-Westphalia, as plain data.

Facts come from the centers' own published descriptions (../shared/seeds/); the texts are written
in our own words, in German, as the centers would write them. Rooms, opening hours, leaders'
names and the weekly plan are invented but plausible. Nothing here touches the database:
`manage.py load_demo` writes centers, rooms and groups from it, and `bookings.demo` reads each
group's `meetings` to create the booking series.

The weekly plan is built so that meetings share rooms without clashing, counting the rooms'
buffers and the divisible hall (the whole Saal blocks Saal A and Saal B), and so that every
meeting lies within the center's opening hours; tests/centers/test_load_demo.py checks both.
Meetings of different frequencies never use the same room at overlapping times on the same
weekday, so the plan holds whichever week a fortnightly series starts in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from django.utils.text import slugify

DEMO_PASSWORD = "treffpunkt-demo"
STAFF_GROUP_NAME = "Center staff"

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@dataclass(frozen=True)
class OrganisationData:
    name: str
    kind: str  # groups.models.Organisation.Kind
    description: str = ""
    website: str = ""


@dataclass(frozen=True)
class LanguageData:
    code: str  # ISO 639-1
    name_de: str
    name_en: str


@dataclass(frozen=True)
class EquipmentData:
    code: str
    name: str  # German
    name_en: str


@dataclass(frozen=True)
class RoomData:
    name: str
    capacity: int
    description: str = ""
    floor: int = 0
    step_free: bool = True
    accessibility_notes: str = ""
    equipment: tuple[str, ...] = ()  # EquipmentData.code
    bookable: bool = True
    requires_approval: bool = False
    setup_minutes: int = 0
    cleanup_minutes: int = 0
    parent: str = ""  # name of the whole room this one is part of
    colour: str = "#1f6feb"


@dataclass(frozen=True)
class Meeting:
    """A group's regular meeting, in the center's wall-clock time; mirrors the rule of a Series.

    `frequency` is "weekly" (with `interval` 1 or 2) or "monthly" (on the `monthly_position`-th
    weekday of the month, -1 = last; `weekdays` then holds exactly one day).
    """

    room: str  # RoomData.name in the same center
    weekdays: tuple[int, ...]  # 0 = Monday
    start_time: time
    end_time: time
    expected_participants: int
    frequency: str = "weekly"
    interval: int = 1
    monthly_position: int | None = None
    title: str = ""  # empty: the group's name
    equipment: tuple[str, ...] = ()  # EquipmentData.code the meeting needs

    @property
    def monthly_mode(self) -> str:
        return "nth_weekday" if self.frequency == "monthly" else ""


def weekly(
    room: str,
    days: tuple[int, ...] | int,
    start: str,
    end: str,
    participants: int,
    *,
    every: int = 1,
    title: str = "",
    equipment: tuple[str, ...] = (),
) -> Meeting:
    return Meeting(
        room=room,
        weekdays=days if isinstance(days, tuple) else (days,),
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
        expected_participants=participants,
        interval=every,
        title=title,
        equipment=equipment,
    )


def monthly(
    room: str,
    position: int,
    day: int,
    start: str,
    end: str,
    participants: int,
    *,
    title: str = "",
    equipment: tuple[str, ...] = (),
) -> Meeting:
    return Meeting(
        room=room,
        weekdays=(day,),
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
        expected_participants=participants,
        frequency="monthly",
        monthly_position=position,
        title=title,
        equipment=equipment,
    )


@dataclass(frozen=True)
class PersonData:
    first_name: str
    last_name: str
    preferred_language: str = "de"

    @property
    def email(self) -> str:
        return f"{slugify(self.first_name)}.{slugify(self.last_name)}@example.org"


@dataclass(frozen=True)
class GroupData:
    slug: str
    name: str
    kind: str  # groups.models.Group.Kind
    audience: str  # groups.models.Group.Audience
    description: str
    leader: PersonData
    languages: tuple[str, ...] = ("de",)
    fee: str = ""  # empty: free of charge
    is_public: bool = True
    usual_size: int = 10
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    organisation: str = ""  # OrganisationData.name
    partners: tuple[str, ...] = ()
    meetings: tuple[Meeting, ...] = ()

    @property
    def leader_username(self) -> str:
        return f"leader-{self.slug}"


@dataclass(frozen=True)
class ClosureData:
    """A closure in the year `load_demo` runs: from (month, day) to (month, day), inclusive.

    An end earlier in the year than the start runs into the next year (Christmas break).
    """

    reason: str
    start: tuple[int, int]
    end: tuple[int, int]
    room: str = ""  # empty: the whole center


@dataclass(frozen=True)
class CenterData:
    slug: str
    name: str
    description: str
    street: str
    postal_code: str
    city: str
    district: str
    directions: str
    staff_username: str
    staff: PersonData
    opening_hours: tuple[tuple[int, str, str], ...]  # (weekday, opens, closes)
    rooms: tuple[RoomData, ...]
    groups: tuple[GroupData, ...]
    operators: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    website: str = ""
    time_zone: str = "Europe/Berlin"
    federal_state: str = "NW"
    closures: tuple[ClosureData, ...] = field(default=())


# --- shared vocabularies ---------------------------------------------------------------------

LANGUAGES: tuple[LanguageData, ...] = (
    LanguageData("de", "Deutsch", "German"),
    LanguageData("tr", "Türkisch", "Turkish"),
    LanguageData("ru", "Russisch", "Russian"),
    LanguageData("ar", "Arabisch", "Arabic"),
    LanguageData("fa", "Persisch (Farsi)", "Persian (Farsi)"),
    LanguageData("uk", "Ukrainisch", "Ukrainian"),
    LanguageData("en", "Englisch", "English"),
    LanguageData("ku", "Kurdisch", "Kurdish"),
    LanguageData("pl", "Polnisch", "Polish"),
)

EQUIPMENT: tuple[EquipmentData, ...] = (
    EquipmentData("kitchen", "Küche", "Kitchen"),
    EquipmentData("projector", "Beamer mit Leinwand", "Projector and screen"),
    EquipmentData("piano", "Klavier", "Piano"),
    EquipmentData("whiteboard", "Whiteboard", "Whiteboard"),
    EquipmentData("flipchart", "Flipchart", "Flip chart"),
    EquipmentData("induction-loop", "Induktionsschleife", "Induction loop"),
    EquipmentData("childrens-corner", "Spielecke für Kinder", "Children's corner"),
    EquipmentData("sound-system", "Musikanlage mit Mikrofon", "Sound system with microphone"),
    EquipmentData("sink", "Waschbecken", "Sink"),
    EquipmentData("coffee-machine", "Kaffeemaschine", "Coffee machine"),
    EquipmentData("craft-supplies", "Bastelschrank", "Craft supplies"),
    EquipmentData("stage", "Bühne", "Stage"),
)

ORGANISATIONS: tuple[OrganisationData, ...] = (
    OrganisationData(
        "Verband Ev. Kirchengemeinden im Bereich Dorsten",
        "church",
        "Zusammenschluss der drei evangelischen Kirchengemeinden in Dorsten, dem die Gemeinden "
        "ihre sozialen Aufgaben übertragen haben: Kitas und Familienzentren, Offener Ganztag, "
        "Jugendarbeit, Familienbildung, Beratung und das Referat für Migration und Integration, "
        "das das Begegnungszentrum am Brunnenplatz leitet.",
    ),
    OrganisationData(
        "Stadt Dorsten",
        "municipality",
        "Die Stadt hat das Migrationsreferat mit Flüchtlingsberatung und der Koordination der "
        "örtlichen Integrationsarbeit beauftragt.",
    ),
    OrganisationData(
        "Caritasverband Dorsten",
        "welfare",
        "Wirkt im Migrationsplenum mit und begleitet mit seiner Migrationsberatung die "
        "Integrationskurse in Dorsten.",
    ),
    OrganisationData(
        "Dorstener Integrationsforum DIF e.V.",
        "migrant",
        "Migrantenselbstorganisation über Herkunft und Nationalität hinweg, entstanden aus einem "
        "BAMF-geförderten Projekt des Migrationsreferats; Schwerpunkte Familie, Erziehung, "
        "Integration und Mitwirkung in der Kommunalpolitik.",
    ),
    OrganisationData(
        "Türkische Frauengruppe Sofia e.V.",
        "migrant",
        "Frauenverein, der im Zentrum Kurse in Ebru-Malerei, Kalligrafie und Kochen anbietet.",
    ),
    OrganisationData(
        "ZWAR – Zwischen Arbeit und Ruhestand",
        "initiative",
        "Selbstorganisierte Gruppen für Menschen, die aus dem Berufsleben in den Ruhestand "
        "wechseln.",
    ),
    OrganisationData(
        "Ev. Erwachsenenbildungswerk Westfalen und Lippe",
        "church",
        "Träger von Integrationskursen, in Dorsten vertreten durch das Migrationsreferat.",
    ),
    OrganisationData(
        "Bundesamt für Migration und Flüchtlinge",
        "other",
        "Fördert und regelt die Integrationskurse.",
        "https://www.bamf.de",
    ),
    OrganisationData(
        "AWO Unterbezirk Münsterland-Recklinghausen",
        "welfare",
        "Arbeiterwohlfahrt im Kreis Recklinghausen und im Münsterland; Partnerin im Haus der "
        "Kulturen in Herten und Trägerin von Seniorenbegegnungsstätten.",
    ),
    OrganisationData(
        "Caritasverband für das Dekanat Herten e. V.",
        "welfare",
        "Katholischer Wohlfahrtsverband in Herten; seit 2001 Partner im Haus der Kulturen.",
    ),
    OrganisationData(
        "Diakonisches Werk im Kirchenkreis Recklinghausen gGmbH",
        "welfare",
        "Evangelischer Wohlfahrtsverband; trägt im Haus der Kulturen unter anderem die "
        "Servicestelle Antidiskriminierungsarbeit, die Elternarbeit und die "
        "Flüchtlingsbegleitung.",
    ),
    OrganisationData(
        "Stadt Herten",
        "municipality",
        "Finanziert die aufsuchende Elternarbeit und das Programm Rucksack KiTa.",
    ),
)

VERBAND = "Verband Ev. Kirchengemeinden im Bereich Dorsten"
STADT_DORSTEN = "Stadt Dorsten"
CARITAS_DORSTEN = "Caritasverband Dorsten"
DIF = "Dorstener Integrationsforum DIF e.V."
SOFIA = "Türkische Frauengruppe Sofia e.V."
ZWAR = "ZWAR – Zwischen Arbeit und Ruhestand"
EEW = "Ev. Erwachsenenbildungswerk Westfalen und Lippe"
BAMF = "Bundesamt für Migration und Flüchtlinge"
AWO = "AWO Unterbezirk Münsterland-Recklinghausen"
CARITAS_HERTEN = "Caritasverband für das Dekanat Herten e. V."
DIAKONIE = "Diakonisches Werk im Kirchenkreis Recklinghausen gGmbH"
STADT_HERTEN = "Stadt Herten"
