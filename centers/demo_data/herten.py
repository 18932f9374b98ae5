# ruff: noqa: F405 - names come from .base's vocabulary
"""The demo center in Herten: Haus der Kulturen."""

from __future__ import annotations

from .base import *  # noqa: F403 - the demo's shared vocabulary

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
