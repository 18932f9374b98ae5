# ruff: noqa: F405 - names come from .base's vocabulary
"""The demo center in Dorsten: Kultur- und Begegnungszentrum am Brunnenplatz."""

from __future__ import annotations

from .base import *  # noqa: F403 - the demo's shared vocabulary

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
