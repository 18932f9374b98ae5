"""The demo: two real centers in North Rhine-Westphalia, as plain data.

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


# --- Dorsten: Kultur- und Begegnungszentrum am Brunnenplatz ----------------------------------

SAAL, SAAL_A, SAAL_B = "Saal", "Saal A", "Saal B"
CAFE, KUECHE, KREATIV = "Café", "Küche", "Kreativraum"
SEMINAR_1, SEMINAR_2, BERATUNG = "Seminarraum 1", "Seminarraum 2", "Beratungsraum"

DORSTEN_ROOMS: tuple[RoomData, ...] = (
    RoomData(
        SAAL,
        120,
        "Der große Saal für Feste, Versammlungen und Vorträge. Eine Faltwand teilt ihn in "
        "Saal A und Saal B, die sich auch einzeln buchen lassen.",
        equipment=("projector", "sound-system", "induction-loop", "stage", "piano"),
        requires_approval=True,
        setup_minutes=30,
        cleanup_minutes=30,
        colour="#7b2cbf",
    ),
    RoomData(
        SAAL_A,
        60,
        "Vordere Hälfte des Saals mit Bühne und Beamer.",
        equipment=("projector", "sound-system", "induction-loop", "stage"),
        requires_approval=True,
        setup_minutes=15,
        cleanup_minutes=15,
        parent=SAAL,
        colour="#9d4edd",
    ),
    RoomData(
        SAAL_B,
        60,
        "Hintere Hälfte des Saals mit Klavier, direkt neben dem Café.",
        equipment=("piano", "induction-loop"),
        requires_approval=True,
        setup_minutes=15,
        cleanup_minutes=15,
        parent=SAAL,
        colour="#c77dff",
    ),
    RoomData(
        CAFE,
        40,
        "Offenes Café im Eingangsbereich mit Theke und Spielecke.",
        equipment=("coffee-machine", "childrens-corner"),
        colour="#e85d04",
    ),
    RoomData(
        KUECHE,
        14,
        "Lehrküche mit vier Kochstellen, zwei Backöfen und Spülmaschine.",
        equipment=("kitchen", "sink"),
        requires_approval=True,
        cleanup_minutes=15,
        colour="#d00000",
    ),
    RoomData(
        SEMINAR_1,
        20,
        "Heller Kursraum im Obergeschoss, mit Aufzug erreichbar.",
        floor=1,
        accessibility_notes="Aufzug neben dem Haupteingang.",
        equipment=("projector", "whiteboard", "induction-loop"),
        colour="#0077b6",
    ),
    RoomData(
        SEMINAR_2,
        16,
        "Kleiner Gruppenraum im Obergeschoss.",
        floor=1,
        accessibility_notes="Aufzug neben dem Haupteingang.",
        equipment=("whiteboard", "flipchart"),
        colour="#00b4d8",
    ),
    RoomData(
        BERATUNG,
        4,
        "Ruhiger Raum für vertrauliche Gespräche und Sprechstunden.",
        equipment=(),
        colour="#2d6a4f",
    ),
    RoomData(
        KREATIV,
        15,
        "Werkraum mit großen Tischen, Waschbecken und Bastelschrank.",
        equipment=("sink", "craft-supplies", "childrens-corner"),
        cleanup_minutes=10,
        colour="#f4a261",
    ),
)

DORSTEN_GROUPS: tuple[GroupData, ...] = (
    GroupData(
        slug="migrationsreferat-geschaeftsfuehrung",
        name="Migrationsreferat – Geschäftsführung",
        kind="meeting",
        audience="adults",
        description="Wöchentliche Dienstbesprechung des Referats für Migration und Integration, "
        "das das Zentrum leitet und die Dorstener Integrationsarbeit koordiniert.",
        leader=PersonData("Sabine", "Krämer"),
        is_public=False,
        usual_size=6,
        organisation=VERBAND,
        meetings=(weekly(SEMINAR_2, MON, "09:00", "10:30", 6),),
    ),
    GroupData(
        slug="integrationsagentur-dorsten",
        name="Integrationsagentur Dorsten",
        kind="counselling",
        audience="all",
        description="Die Integrationsagentur hat ihren Sitz im Zentrum. Sie stärkt das "
        "Engagement von Menschen mit und ohne Einwanderungsgeschichte, hilft Einrichtungen bei "
        "der interkulturellen Öffnung und arbeitet im Stadtteil Hervest. In der offenen "
        "Sprechstunde beraten wir ohne Termin und kostenlos.",
        leader=PersonData("Markus", "Tenbrink"),
        usual_size=3,
        contact_name="Barbara Wahl",
        contact_phone="02362 7770420",
        contact_email="info@integrationsagentur-dorsten.de",
        organisation=VERBAND,
        meetings=(weekly(BERATUNG, WED, "10:00", "12:00", 3, title="Offene Sprechstunde"),),
    ),
    GroupData(
        slug="smak",
        name="SMAK – Spätaussiedler Mögen Anders Kochen",
        kind="meeting",
        audience="adults",
        description="Spätaussiedlerinnen und Spätaussiedler kochen Rezepte aus ihrer alten "
        "Heimat und laden Nachbarn zum Mitessen und Mitkochen ein.",
        leader=PersonData("Irina", "Becker"),
        languages=("de", "ru"),
        fee="4 € Umlage für Lebensmittel pro Treffen",
        usual_size=12,
        organisation=VERBAND,
        meetings=(weekly(KUECHE, THU, "15:00", "18:00", 12, every=2, equipment=("kitchen",)),),
    ),
    GroupData(
        slug="mukumile",
        name="Anwohnergruppe MuKuMiLe (Multi Kulturell Miteinander Leben)",
        kind="meeting",
        audience="all",
        description="Nachbarinnen und Nachbarn rund um den Brunnenplatz planen gemeinsam "
        "Aktionen für ein gutes Zusammenleben im Viertel – egal, woher sie kommen.",
        leader=PersonData("Hans-Peter", "Schulte"),
        languages=("de", "tr", "ru"),
        usual_size=15,
        meetings=(monthly(SEMINAR_1, 1, TUE, "18:00", "20:00", 15),),
    ),
    GroupData(
        slug="integrationslotsenstammtisch",
        name="Integrationslotsenstammtisch",
        kind="meeting",
        audience="adults",
        description="Offener Stammtisch für Integrationslotsinnen und -lotsen und alle, die es "
        "werden wollen: Erfahrungen austauschen, Fragen klären, Kontakte knüpfen.",
        leader=PersonData("Monika", "Terhorst"),
        languages=("de", "ar", "fa"),
        usual_size=20,
        organisation=VERBAND,
        partners=(STADT_DORSTEN,),
        meetings=(monthly(CAFE, 2, WED, "18:30", "20:30", 20),),
    ),
    GroupData(
        slug="integrationslotsen",
        name="Gruppe der Integrationslotsen",
        kind="meeting",
        audience="adults",
        description="Teamtreffen der ausgebildeten Integrationslotsen, die Geflüchtete und "
        "Zugewanderte zu Ämtern, Ärzten und Beratungsstellen begleiten und beim Ankommen "
        "unterstützen. Das Lotsensystem hat das Migrationsreferat 2009 aufgebaut; seitdem "
        "wurden über hundert Lotsen ausgebildet.",
        leader=PersonData("Ahmad", "Rahimi"),
        languages=("de", "fa", "ar"),
        is_public=False,
        usual_size=18,
        organisation=VERBAND,
        partners=(STADT_DORSTEN,),
        meetings=(monthly(SEMINAR_1, -1, MON, "17:00", "19:00", 18),),
    ),
    GroupData(
        slug="zwar-dorsten",
        name="ZWAR-Gruppe (Zwischen Arbeit und Ruhestand)",
        kind="meeting",
        audience="seniors",
        description="Für Menschen, die gerade in den Ruhestand gehen oder schon dort sind: "
        "Die Gruppe organisiert sich selbst und unternimmt gemeinsam, was die Mitglieder "
        "interessiert – Radtouren, Kultur, Gespräche.",
        leader=PersonData("Wolfgang", "Brinkmann"),
        usual_size=30,
        organisation=ZWAR,
        meetings=(weekly(SAAL_A, TUE, "18:00", "20:00", 30, every=2),),
    ),
    GroupData(
        slug="fototreff",
        name="Fototreff",
        kind="meeting",
        audience="adults",
        description="Hobbyfotografinnen und -fotografen zeigen ihre Bilder am Beamer, geben "
        "einander Tipps und verabreden Fototouren durch Dorsten.",
        leader=PersonData("Jens", "Overbeck"),
        usual_size=10,
        meetings=(monthly(SEMINAR_1, 3, THU, "18:30", "20:30", 10, equipment=("projector",)),),
    ),
    GroupData(
        slug="wollmaeuse",
        name="Wollmäuse – Frauengesprächskreis",
        kind="meeting",
        audience="women",
        description="Frauen aus vielen Ländern stricken, häkeln und reden miteinander. Wer "
        "noch wenig Deutsch spricht, übt es hier ganz nebenbei; Sprachförderung ist die "
        "Grundidee der Runde.",
        leader=PersonData("Gisela", "Hoffmann"),
        languages=("de", "tr", "ar", "ru"),
        usual_size=12,
        organisation=VERBAND,
        meetings=(weekly(KREATIV, WED, "09:30", "11:30", 12),),
    ),
    GroupData(
        slug="beratungsstelle-bip",
        name="Beratungsstelle BIP – Stadt Dorsten",
        kind="counselling",
        audience="adults",
        description="Die Beratungsstelle BIP der Stadt Dorsten hält ihre Sprechstunde im "
        "Zentrum ab. Bitte bringen Sie Ihre Unterlagen mit.",
        leader=PersonData("Katrin", "Lammers"),
        languages=("de", "tr", "ru"),
        usual_size=3,
        organisation=STADT_DORSTEN,
        meetings=(weekly(BERATUNG, THU, "09:00", "12:00", 3, title="Sprechstunde BIP"),),
    ),
    GroupData(
        slug="mensch-aergere-dich-nicht",
        name="Seniorengruppe „Mensch ärgere dich nicht“",
        kind="meeting",
        audience="seniors",
        description="Gesellschaftsspiele, Kaffee und gute Gespräche für Seniorinnen und "
        "Senioren aus dem Stadtteil. Neue Mitspielende sind immer willkommen.",
        leader=PersonData("Elisabeth", "Kortmann"),
        usual_size=14,
        meetings=(weekly(CAFE, MON, "14:00", "16:30", 14),),
    ),
    GroupData(
        slug="anwohner-basteln",
        name="Kreativgruppe „Anwohner basteln“",
        kind="meeting",
        audience="all",
        description="Anwohnerinnen und Anwohner basteln, nähen und gestalten gemeinsam – zu "
        "den Jahreszeiten, für Feste im Zentrum oder einfach aus Freude am Selbermachen.",
        leader=PersonData("Petra", "Wiesmann"),
        fee="2 € Materialkosten pro Treffen",
        usual_size=10,
        meetings=(weekly(KREATIV, THU, "15:00", "17:00", 10),),
    ),
    GroupData(
        slug="kochgruppe-zukunft",
        name="Kochgruppe Zukunft",
        kind="meeting",
        audience="adults",
        description="Geflüchtete und Einheimische kochen zusammen, essen zusammen und lernen "
        "dabei Sprache und Nachbarn kennen.",
        leader=PersonData("Samir", "Haddad", "en"),
        languages=("de", "ar", "fa", "ku"),
        usual_size=12,
        organisation=VERBAND,
        meetings=(weekly(KUECHE, FRI, "14:00", "17:00", 12, equipment=("kitchen",)),),
    ),
    GroupData(
        slug="tuerkische-frauengruppe",
        name="Türkische Frauengruppe",
        kind="meeting",
        audience="women",
        description="Frauen mit türkischen Wurzeln treffen sich zum Frühstück, zum Austausch "
        "über Alltag und Familie und zu Informationsrunden mit Gästen.",
        leader=PersonData("Ayşe", "Yılmaz"),
        languages=("tr", "de"),
        usual_size=15,
        meetings=(weekly(CAFE, FRI, "09:30", "11:30", 15),),
    ),
    GroupData(
        slug="awo-seniorenbegegnung",
        name="AWO Seniorenbegegnungsstätte",
        kind="cafe",
        audience="seniors",
        description="Die Arbeiterwohlfahrt lädt Seniorinnen und Senioren zu Kaffee und Kuchen, "
        "Gedächtnistraining und kleinen Ausflügen ein.",
        leader=PersonData("Helga", "Schürmann"),
        fee="2,50 € für Kaffee und Kuchen",
        usual_size=30,
        organisation=AWO,
        meetings=(weekly(SAAL_B, WED, "14:00", "17:00", 30),),
    ),
    GroupData(
        slug="interkultureller-siedlungsgarten",
        name="Interkultureller Siedlungsgarten",
        kind="meeting",
        audience="all",
        description="Die Aktiven des Siedlungsgartens planen Beete, Ernte und Gartenfeste. "
        "Gegärtnert wird draußen; im Zentrum wird besprochen, was als Nächstes ansteht.",
        leader=PersonData("Mehmet", "Demir"),
        languages=("de", "tr", "ar"),
        usual_size=12,
        meetings=(monthly(SEMINAR_1, 1, SAT, "10:00", "12:00", 12),),
    ),
    GroupData(
        slug="integrationskurs-alphabetisierung",
        name="Integrationskurs mit Alphabetisierung",
        kind="course",
        audience="adults",
        description="Integrationskurs für Erwachsene, die noch nicht oder nicht in lateinischer "
        "Schrift lesen und schreiben gelernt haben: Deutsch, Lesen und Schreiben und ein "
        "Orientierungskurs über das Leben in Deutschland.",
        leader=PersonData("Claudia", "Wessels"),
        fee="Kostenbeitrag nach den Regeln des BAMF; Befreiung auf Antrag möglich",
        usual_size=16,
        organisation=VERBAND,
        partners=(EEW, BAMF, CARITAS_DORSTEN),
        meetings=(
            weekly(
                SEMINAR_1,
                (MON, TUE, WED, THU, FRI),
                "08:30",
                "11:45",
                16,
                equipment=("whiteboard",),
            ),
        ),
    ),
    GroupData(
        slug="dif",
        name="Dorstener Integrationsforum (DIF e.V.)",
        kind="meeting",
        audience="adults",
        description="Mitgliederversammlung des Integrationsforums, in dem sich Vereine und "
        "Initiativen von Zugewanderten zusammengeschlossen haben. Themen sind Familie, "
        "Erziehung und die Mitsprache in der Stadtpolitik.",
        leader=PersonData("Hüseyin", "Aydın"),
        languages=("de", "tr", "ar", "ru"),
        usual_size=15,
        organisation=DIF,
        partners=(VERBAND,),
        meetings=(monthly(SEMINAR_2, 2, TUE, "18:30", "20:30", 15),),
    ),
    GroupData(
        slug="fluechtlingsberatung-dorsten",
        name="Regionale Beratungsstelle für Flüchtlinge",
        kind="counselling",
        audience="adults",
        description="Beratung für Geflüchtete zu Asylverfahren, Aufenthalt, Wohnen und Arbeit. "
        "Bei Bedarf helfen Dolmetscherinnen und Dolmetscher.",
        leader=PersonData("Nadia", "Karimi", "en"),
        languages=("de", "ar", "fa", "en"),
        usual_size=3,
        organisation=VERBAND,
        meetings=(
            weekly(BERATUNG, TUE, "09:00", "12:00", 3, title="Flüchtlingsberatung"),
            weekly(BERATUNG, THU, "14:00", "17:00", 3, title="Flüchtlingsberatung"),
        ),
    ),
    GroupData(
        slug="kochen-backen-kinder",
        name="Kochen und Backen mit Kindern",
        kind="course",
        audience="children",
        description="Kinder von 6 bis 12 Jahren kochen und backen einfache Gerichte aus "
        "verschiedenen Ländern – und essen sie natürlich selbst.",
        leader=PersonData("Svetlana", "Neumann"),
        languages=("de",),
        fee="1,50 € für Zutaten pro Termin",
        usual_size=10,
        meetings=(weekly(KUECHE, WED, "15:00", "17:00", 10, equipment=("kitchen",)),),
    ),
    GroupData(
        slug="sofia-ev",
        name="Türkische Frauengruppe Sofia e.V.",
        kind="course",
        audience="women",
        description="Der Verein bietet Kurse in Ebru, der türkischen Kunst des Malens auf "
        "Wasser, in Kalligrafie und im Kochen an. Die Kurse stehen allen Frauen offen.",
        leader=PersonData("Fatma", "Çelik"),
        languages=("tr", "de"),
        fee="30 € für fünf Kurstermine, Material inklusive",
        usual_size=12,
        organisation=SOFIA,
        meetings=(
            weekly(KREATIV, SAT, "10:00", "13:00", 12, title="Ebru und Kalligrafie"),
            monthly(
                KUECHE, -1, SAT, "13:30", "16:30", 12, title="Kochkurs", equipment=("kitchen",)
            ),
        ),
    ),
    GroupData(
        slug="buergersprechstunde",
        name="Bürgersprechstunde",
        kind="counselling",
        audience="all",
        description="Regelmäßige Sprechstunde für alle Anliegen aus dem Stadtteil – von "
        "Fragen zu Formularen bis zu Ideen für den Brunnenplatz.",
        leader=PersonData("Thomas", "Große-Wilde"),
        usual_size=4,
        organisation=VERBAND,
        partners=(STADT_DORSTEN,),
        meetings=(weekly(BERATUNG, MON, "16:00", "18:00", 4),),
    ),
    GroupData(
        slug="begegnungscafe",
        name="Kultur- und Begegnungscafé",
        kind="cafe",
        audience="all",
        description="Das offene Café des Zentrums: Kaffee, Tee und Gespräche, ohne Anmeldung. "
        "Hier erfährt man auch, welche Gruppen und Beratungen es im Haus gibt.",
        leader=PersonData("Olga", "Friesen"),
        languages=("de", "tr", "ru", "ar", "fa", "uk"),
        usual_size=30,
        organisation=VERBAND,
        meetings=(weekly(CAFE, (TUE, THU), "14:30", "17:30", 30),),
    ),
    GroupData(
        slug="interkultureller-abend",
        name="Interkultureller Abend",
        kind="event",
        audience="all",
        description="Einmal im Monat feiert das Zentrum mit Musik, Essen und Beiträgen aus den "
        "Gruppen – jedes Mal mit einem anderen Land oder Fest im Mittelpunkt.",
        leader=PersonData("Leyla", "Özdemir"),
        languages=("de", "tr", "ar", "ru"),
        usual_size=100,
        organisation=VERBAND,
        partners=(DIF,),
        meetings=(monthly(SAAL, -1, FRI, "18:00", "21:00", 100, equipment=("sound-system",)),),
    ),
)

DORSTEN = CenterData(
    slug="dorsten-brunnenplatz",
    name="Kultur- und Begegnungszentrum am Brunnenplatz",
    description="Das Begegnungszentrum im Dorstener Stadtteil Hervest ist ein Ort für "
    "Begegnung, Austausch und Lernen: Hier treffen sich rund zwanzig Gruppen, es gibt Beratung "
    "für Zugewanderte und Geflüchtete, Integrationskurse, ein offenes Café und interkulturelle "
    "Feste. Das Zentrum gehört zum Verband Ev. Kirchengemeinden im Bereich Dorsten, wird vom "
    "Referat für Migration und Integration geleitet und vom Land NRW gefördert. Die "
    "Integrationsagentur Dorsten hat hier ihren Sitz.",
    street="Burgsdorffstraße 76",
    postal_code="46284",
    city="Dorsten",
    district="Hervest",
    directions="Haupteingang am Brunnenplatz, stufenlos; Aufzug ins Obergeschoss.",
    staff_username="staff-dorsten",
    staff=PersonData("Anja", "Reckmann"),
    operators=(VERBAND,),
    partners=(STADT_DORSTEN, CARITAS_DORSTEN, DIF),
    contact_name="Barbara Wahl, Integrationsagentur Dorsten",
    contact_phone="02362 7770420",
    contact_email="info@integrationsagentur-dorsten.de",
    website="https://www.integrationsagentur-dorsten.de",
    opening_hours=(
        (MON, "08:30", "21:00"),
        (TUE, "08:30", "21:00"),
        (WED, "08:30", "21:00"),
        (THU, "08:30", "21:00"),
        (FRI, "08:30", "22:00"),
        (SAT, "10:00", "17:00"),
    ),
    rooms=DORSTEN_ROOMS,
    groups=DORSTEN_GROUPS,
    closures=(ClosureData("Weihnachtspause", (12, 23), (1, 2)),),
)


# --- Herten: Haus der Kulturen ---------------------------------------------------------------

GRUPPENRAUM, SEMINAR, KUECHE_H = "Gruppenraum", "Seminarraum", "Küche"
BERATUNG_1, BERATUNG_2 = "Beratungsraum 1", "Beratungsraum 2"

HERTEN_ROOMS: tuple[RoomData, ...] = (
    RoomData(
        GRUPPENRAUM,
        25,
        "Großer Raum im Erdgeschoss für Elterngruppen und Treffen, mit Spielecke.",
        equipment=("childrens-corner", "whiteboard"),
        colour="#2a9d8f",
    ),
    RoomData(
        BERATUNG_1,
        4,
        "Beratungsraum für Einzelgespräche.",
        colour="#264653",
    ),
    RoomData(
        BERATUNG_2,
        4,
        "Beratungsraum für vertrauliche Gespräche.",
        colour="#457b9d",
    ),
    RoomData(
        SEMINAR,
        20,
        "Seminarraum im ersten Stock für Schulungen und Infoabende.",
        floor=1,
        step_free=False,
        accessibility_notes="Nur über die Treppe erreichbar; Veranstaltungen verlegen wir auf "
        "Wunsch in den Gruppenraum.",
        equipment=("projector", "whiteboard", "induction-loop"),
        requires_approval=True,
        colour="#e9c46a",
    ),
    RoomData(
        KUECHE_H,
        10,
        "Kleine Küche für Kochangebote und Elterncafés.",
        equipment=("kitchen", "sink", "coffee-machine"),
        requires_approval=True,
        cleanup_minutes=15,
        colour="#e76f51",
    ),
)

HERTEN_GROUPS: tuple[GroupData, ...] = (
    GroupData(
        slug="integrationsagentur-herten",
        name="Integrationsagentur Herten",
        kind="counselling",
        audience="all",
        description="Die vom Land NRW geförderte Integrationsagentur hilft Einrichtungen vom "
        "Kindergarten bis zum Seniorenheim, Zugewanderte gut zu erreichen, stärkt das Ehrenamt, "
        "vermittelt bei Konflikten im Zusammenleben und unterstützt Vereine von Zugewanderten. "
        "Schwerpunkte sind interkulturelle Öffnung, Demokratie- und Antirassismusarbeit und die "
        "Arbeit in den Stadtteilen.",
        leader=PersonData("Stefan", "Kowalski"),
        languages=("de", "pl"),
        usual_size=4,
        organisation=DIAKONIE,
        partners=(AWO, CARITAS_HERTEN),
        meetings=(
            weekly(BERATUNG_1, THU, "13:00", "15:00", 3, title="Sprechstunde"),
            monthly(
                SEMINAR,
                3,
                TUE,
                "14:00",
                "16:00",
                12,
                title="Arbeitskreis interkulturelle Öffnung",
            ),
        ),
    ),
    GroupData(
        slug="antidiskriminierung-herten",
        name="Servicestelle Antidiskriminierungsarbeit",
        kind="counselling",
        audience="adults",
        description="Die Servicestelle des Diakonischen Werks berät Menschen, die "
        "Diskriminierung erleben, steht ihnen parteilich zur Seite und stärkt sie in ihren "
        "Rechten. Außerdem bietet sie Schulungen gegen Vorurteile und Rassismus an.",
        leader=PersonData("Aylin", "Kaya"),
        languages=("de", "en", "tr"),
        usual_size=3,
        contact_name="Jessica Großer",
        contact_phone="02366 180717",
        organisation=DIAKONIE,
        meetings=(weekly(BERATUNG_2, THU, "13:00", "16:00", 3, title="Beratung"),),
    ),
    GroupData(
        slug="elternarbeit-rucksack",
        name="Aufsuchende Elternarbeit und Rucksack KiTa",
        kind="course",
        audience="families",
        description="Pädagogische Fachkräfte besuchen Familien zu Hause und zeigen, wie wichtig "
        "gutes Deutsch für den Schulstart ist. In der Rucksack-Elterngruppe lernen Eltern von "
        "Kita-Kindern zwischen vier und sechs Jahren, wie sie ihr Kind in der Muttersprache "
        "fördern, während die Kita die deutsche Sprache übt.",
        leader=PersonData("Meryem", "Arslan"),
        languages=("de", "tr", "ar"),
        usual_size=10,
        contact_name="Melanie Exter",
        contact_phone="02366 1807-11",
        organisation=DIAKONIE,
        partners=(STADT_HERTEN,),
        meetings=(
            weekly(GRUPPENRAUM, WED, "09:00", "11:00", 10, title="Rucksack-Elterngruppe"),
            monthly(
                KUECHE_H,
                -1,
                FRI,
                "09:30",
                "12:30",
                10,
                title="Elterncafé",
                equipment=("kitchen",),
            ),
        ),
    ),
    GroupData(
        slug="fluechtlingsbegleitung-herten",
        name="Flüchtlingsbegleitung",
        kind="counselling",
        audience="adults",
        description="Begleitung für Asylsuchende und Geflüchtete in Herten: Besuch nach der "
        "Ankunft, Hilfe bei der Orientierung im Alltag, Beratung im Einzelfall und, wenn nötig, "
        "Begleitung zu Behörden und Ärzten.",
        leader=PersonData("Dmytro", "Kovalenko", "en"),
        languages=("de", "ar", "fa", "uk", "ku"),
        usual_size=3,
        contact_name="Flüchtlingsarbeit im Haus der Kulturen",
        contact_phone="02366 4920686",
        organisation=DIAKONIE,
        meetings=(weekly(BERATUNG_1, (MON, THU), "09:00", "12:00", 3, title="Sprechstunde"),),
    ),
    GroupData(
        slug="ehrenamtsnetzwerk-herten",
        name="Ehrenamtsnetzwerk",
        kind="meeting",
        audience="adults",
        description="Das Haus der Kulturen vermittelt und begleitet Ehrenamtliche in der "
        "Flüchtlingsarbeit. Beim monatlichen Austauschabend gibt es Informationen zu aktuellen "
        "Themen und Zeit für Fragen; dazu erscheint ein Newsletter.",
        leader=PersonData("Ursula", "Bergmann"),
        usual_size=20,
        contact_email="ehrenamt@hausderkulturen.de",
        organisation=DIAKONIE,
        partners=(AWO, CARITAS_HERTEN),
        # In the step-free Gruppenraum: the Seminarraum is upstairs without a lift.
        meetings=(monthly(GRUPPENRAUM, 1, WED, "17:00", "18:30", 20, title="Austauschabend"),),
    ),
)

HERTEN = CenterData(
    slug="herten-haus-der-kulturen",
    name="Haus der Kulturen",
    description="Im Haus der Kulturen in Herten-Mitte bündeln drei Wohlfahrtsverbände seit 2001 "
    "ihre Migrationsarbeit: die Arbeiterwohlfahrt, die Caritas und die Diakonie. Unter einem "
    "Dach finden Sie die Integrationsagentur, die Servicestelle Antidiskriminierungsarbeit, die "
    "Elternarbeit mit dem Programm Rucksack KiTa, die Flüchtlingsbegleitung und das "
    "Ehrenamtsnetzwerk.",
    street="Vitustraße 20",
    postal_code="45699",
    city="Herten",
    district="Herten-Mitte",
    directions="Zentral in Herten-Mitte, wenige Gehminuten von Innenstadt und Rathaus.",
    staff_username="staff-herten",
    staff=PersonData("Tobias", "Lindner"),
    operators=(AWO, CARITAS_HERTEN, DIAKONIE),
    partners=(STADT_HERTEN,),
    # The seed publishes contacts per service only (see the groups), none for the house.
    opening_hours=(
        (MON, "08:30", "19:00"),
        (TUE, "08:30", "19:00"),
        (WED, "08:30", "19:00"),
        (THU, "08:30", "19:00"),
        (FRI, "08:30", "14:00"),
    ),
    rooms=HERTEN_ROOMS,
    groups=HERTEN_GROUPS,
    closures=(ClosureData("Küche: Grundreinigung und Wartung", (8, 3), (8, 7), room=KUECHE_H),),
)

CENTERS: tuple[CenterData, ...] = (DORSTEN, HERTEN)
SUPERUSER = PersonData("Admin", "Treffpunkt")
SUPERUSER_USERNAME = "admin"


def iter_meetings() -> list[tuple[CenterData, GroupData, Meeting]]:
    """Every regular meeting with its center and group: what `bookings.demo` books."""
    return [
        (center, group, meeting)
        for center in CENTERS
        for group in center.groups
        for meeting in group.meetings
    ]
