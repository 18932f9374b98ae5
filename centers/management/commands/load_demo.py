"""`manage.py load_demo`: the two demo centers with rooms, groups, leaders and staff logins.

Idempotent: every row is found by its natural key and only the fields that differ are written,
so a second run changes nothing (no new rows, no rewritten timestamps, no duplicate links).
The facts live in `centers/demo_data.py`; this module only writes them.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from typing import Any, TypeVar

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from centers import demo_data as demo
from centers.models import Center, Closure, Equipment, OpeningHours, Room, Term
from groups.models import Group, GroupLeader, Language, Organisation

M = TypeVar("M", bound=models.Model)

# What a center's staff may do in the admin (app_label, codenames). Equipment, organisations and
# languages are shared by all centers: staff may add equipment and organisations, not delete
# them. Series and dates are only viewed there; decisions go through the staff board, whose
# services keep room blocks and notifications right.
STAFF_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "centers": (
        "view_center",
        "change_center",
        *(
            f"{verb}_{model}"
            for model in ("room", "openinghours", "closure")
            for verb in ("view", "add", "change", "delete")
        ),
        "view_equipment",
        "add_equipment",
    ),
    "groups": (
        *(
            f"{verb}_{model}"
            for model in ("group", "groupleader")
            for verb in ("view", "add", "change", "delete")
        ),
        "view_organisation",
        "add_organisation",
        "change_organisation",
        "view_language",
    ),
    "bookings": ("view_series", "view_occurrence", "change_occurrence"),
    # Leaders' accounts: the user admin limits staff to plain accounts of their own groups.
    "accounts": ("view_user", "add_user", "change_user"),
}


class Loader:
    """Writes the demo data and counts what it created and changed."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.created: Counter[str] = Counter()
        self.changed: Counter[str] = Counter()
        self.good_hashes: set[str] = set()

    def upsert(self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
        """Find by natural key; create, or save only the fields that differ."""
        obj = model._default_manager.filter(**lookup).first()
        label = model._meta.label
        if obj is None:
            self.created[label] += 1
            return model._default_manager.create(**lookup, **values)
        differing = [name for name, value in values.items() if getattr(obj, name) != value]
        if differing:
            for name in differing:
                setattr(obj, name, values[name])
            obj.save(update_fields=differing)
            self.changed[label] += 1
        return obj

    def set_m2m(self, manager: Any, objects: list[models.Model]) -> None:
        # `set` only adds and removes the difference: running twice writes nothing.
        manager.set(objects)

    # --- shared vocabularies -----------------------------------------------------------------

    def load_vocabularies(self) -> None:
        for language in demo.LANGUAGES:
            self.upsert(
                Language,
                {"code": language.code},
                {"name_de": language.name_de, "name_en": language.name_en},
            )
        for item in demo.EQUIPMENT:
            self.upsert(
                Equipment, {"code": item.code}, {"name": item.name, "name_en": item.name_en}
            )
        for org in demo.ORGANISATIONS:
            self.upsert(
                Organisation,
                {"name": org.name},
                {"kind": org.kind, "description": org.description, "website": org.website},
            )

    # --- people --------------------------------------------------------------------------------

    def user(self, username: str, person: demo.PersonData, **flags: bool) -> User:
        user = self.upsert(
            User,
            {"username": username},
            {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": person.email,
                "preferred_language": person.preferred_language,
                "is_active": True,
                **flags,
            },
        )
        if not self.has_demo_password(user):
            user.password = self.demo_password_hash()
            user.save(update_fields=["password"])
        return user

    def has_demo_password(self, user: User) -> bool:
        # Hashing is slow by design (about a second per user on a small machine). All demo users
        # share one hash of the public demo password, so one check per run is enough; re-hashing
        # every run would also write a new salt each time.
        if not user.password:  # just created; checking "" would cost a hash too
            return False
        if user.password in self.good_hashes:
            return True
        if check_password(demo.DEMO_PASSWORD, user.password):
            self.good_hashes.add(user.password)
            return True
        return False

    def demo_password_hash(self) -> str:
        if not self.good_hashes:
            self.good_hashes.add(make_password(demo.DEMO_PASSWORD))
        return next(iter(self.good_hashes))

    def staff_group(self) -> AuthGroup:
        group, created = AuthGroup.objects.get_or_create(name=demo.STAFF_GROUP_NAME)
        if created:
            self.created[AuthGroup._meta.label] += 1
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codenames in STAFF_PERMISSIONS.items()
            for codename in codenames
        ]
        self.set_m2m(group.permissions, permissions)
        return group

    # --- centers -------------------------------------------------------------------------------

    def load_center(self, data: demo.CenterData, staff_group: AuthGroup) -> Center:
        center = self.upsert(
            Center,
            {"slug": data.slug},
            {
                "name": data.name,
                "description": data.description,
                "street": data.street,
                "postal_code": data.postal_code,
                "city": data.city,
                "district": data.district,
                "directions": data.directions,
                "contact_name": data.contact_name,
                "contact_phone": data.contact_phone,
                "contact_email": data.contact_email,
                "website": data.website,
                "time_zone": data.time_zone,
                "federal_state": data.federal_state,
            },
        )
        self.set_m2m(center.operators, self.organisations(data.operators))
        self.set_m2m(center.partners, self.organisations(data.partners))

        staff = self.user(data.staff_username, data.staff, is_staff=True, is_superuser=False)
        staff.groups.add(staff_group)
        # `add`, not `set`: staff added by hand in the admin stay.
        center.staff.add(staff)

        self.load_opening_hours(center, data)
        self.load_terms(center)
        rooms = self.load_rooms(center, data)
        self.load_closures(center, data, rooms)
        for group in data.groups:
            self.load_group(center, group)
        return center

    def load_opening_hours(self, center: Center, data: demo.CenterData) -> None:
        kept = []
        for weekday, opens, closes in data.opening_hours:
            row = self.upsert(
                OpeningHours,
                {"center": center, "weekday": weekday, "opens": time.fromisoformat(opens)},
                {"closes": time.fromisoformat(closes)},
            )
            kept.append(row.pk)
        # The demo's hours are the whole truth for the demo centers.
        center.opening_hours.exclude(pk__in=kept).delete()

    def load_terms(self, center: Center) -> None:
        """The current and the next half-year, so that staff can plan the next term."""
        for name, first, last in demo.demo_terms(self.today):
            if Term.objects.filter(center=center, first_day__lte=last, last_day__gte=first).exclude(
                name=name
            ):
                continue  # staff defined their own terms there: theirs stay
            self.upsert(
                Term, {"center": center, "name": name}, {"first_day": first, "last_day": last}
            )

    def load_rooms(self, center: Center, data: demo.CenterData) -> dict[str, Room]:
        rooms: dict[str, Room] = {}
        # Whole rooms first, so that parts find their parent.
        for room in sorted(data.rooms, key=lambda r: bool(r.parent)):
            rooms[room.name] = self.upsert(
                Room,
                {"center": center, "name": room.name},
                {
                    "description": room.description,
                    "capacity": room.capacity,
                    "floor": room.floor,
                    "step_free": room.step_free,
                    "accessibility_notes": room.accessibility_notes,
                    "bookable": room.bookable,
                    "requires_approval": room.requires_approval,
                    "setup_minutes": room.setup_minutes,
                    "cleanup_minutes": room.cleanup_minutes,
                    "parent": rooms[room.parent] if room.parent else None,
                    "colour": room.colour,
                },
            )
            self.set_m2m(
                rooms[room.name].equipment, list(Equipment.objects.filter(code__in=room.equipment))
            )
        return rooms

    def load_closures(self, center: Center, data: demo.CenterData, rooms: dict[str, Room]) -> None:
        tz = center.tz
        for closure in data.closures:
            start = date(self.today.year, *closure.start)
            end = date(self.today.year, *closure.end)
            if end < start:
                end = end.replace(year=end.year + 1)
            self.upsert(
                Closure,
                {"center": center, "reason": closure.reason},
                {
                    "room": rooms[closure.room] if closure.room else None,
                    "starts_at": datetime.combine(start, time.min, tzinfo=tz),
                    "ends_at": datetime.combine(end, time.max.replace(microsecond=0), tzinfo=tz),
                },
            )

    def load_group(self, center: Center, data: demo.GroupData) -> Group:
        group = self.upsert(
            Group,
            {"slug": data.slug},
            {
                "center": center,
                "name": data.name,
                "description": data.description,
                "kind": data.kind,
                "audience": data.audience,
                "free_of_charge": not data.fee,
                "fee": data.fee,
                "is_public": data.is_public,
                "usual_size": data.usual_size,
                "contact_name": data.contact_name,
                "contact_phone": data.contact_phone,
                "contact_email": data.contact_email,
                "organisation": (
                    Organisation.objects.get(name=data.organisation) if data.organisation else None
                ),
            },
        )
        self.set_m2m(group.languages, list(Language.objects.filter(code__in=data.languages)))
        self.set_m2m(group.partners, self.organisations(data.partners))
        leader = self.user(data.leader_username, data.leader, is_staff=False, is_superuser=False)
        self.upsert(
            GroupLeader, {"group": group, "user": leader}, {"role": GroupLeader.Role.LEADER}
        )
        return group

    def organisations(self, names: tuple[str, ...]) -> list[Organisation]:
        return list(Organisation.objects.filter(name__in=names))


class Command(BaseCommand):
    help = "Loads the two demo centers (Dorsten, Herten) with rooms, groups and logins."

    def handle(self, *args: Any, **options: Any) -> None:
        loader = Loader(today=timezone.localdate())
        with transaction.atomic():
            loader.load_vocabularies()
            staff_group = loader.staff_group()
            loader.user(demo.SUPERUSER_USERNAME, demo.SUPERUSER, is_staff=True, is_superuser=True)
            for center in demo.CENTERS:
                loader.load_center(center, staff_group)

        self.report(loader)
        # Outside the transaction above: the bookings services own their (durable) transactions.
        self.load_bookings()
        self.print_logins()

    def report(self, loader: Loader) -> None:
        created = ", ".join(f"{n} {label}" for label, n in sorted(loader.created.items()))
        changed = ", ".join(f"{n} {label}" for label, n in sorted(loader.changed.items()))
        self.stdout.write(f"Created: {created or 'nothing'}")
        self.stdout.write(f"Changed: {changed or 'nothing'}")

    def load_bookings(self) -> None:
        from bookings.demo import create_demo_bookings
        from notifications.outbox import suppressed

        # Demo bookings are not news to anyone: no e-mails to the demo leaders and staff.
        with suppressed():
            self.load_school_holidays()
            result = create_demo_bookings()
        if result is not None:
            self.stdout.write(f"Bookings: {result}")
        from attendance.demo import create_demo_attendance  # past months, for the reports

        self.stdout.write(f"Attendance: {create_demo_attendance()}")

    def load_school_holidays(self) -> None:
        """The sample NRW school holidays (marked as sample data), before the bookings, so that
        the groups that pause skip them from the start. Importing them again changes nothing."""
        from bookings.services import school_holidays_import
        from centers.school_holidays import parse_ics

        parsed = parse_ics(demo.SCHOOL_HOLIDAYS_FILE.read_bytes())
        change = school_holidays_import(
            user=None,
            state=demo.SCHOOL_HOLIDAYS_STATE,
            periods=parsed.periods,
            source=demo.SCHOOL_HOLIDAYS_FILE.name,
            sample=True,
        )
        if change.changed:
            self.stdout.write(f"School holidays: {len(change.added)} sample periods for NW")

    def print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins, all with password {demo.DEMO_PASSWORD}")
        )
        self.stdout.write(f"  {demo.SUPERUSER_USERNAME:<44} superuser")
        for center in demo.CENTERS:
            self.stdout.write(f"  {center.staff_username:<44} staff, {center.name}")
        for center in demo.CENTERS:
            for group in center.groups:
                self.stdout.write(f"  {group.leader_username:<44} leader, {group.name}")
