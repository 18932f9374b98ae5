"""The writers' side of a feed's data version: every change of something a feed shows raises a
counter in the same transaction, so that "has anything changed?" is one indexed read
(`selectors.data_version`), never an aggregate over a center's series or dates.

- A center's plan version (bookings.PlanVersion) covers what its public and staff feeds show:
  the booking engine raises it for dates and series (bookings.stamps); the hooks below raise it
  for every save or deletion of a series, earlier rule, group (and its languages), room or
  center, and for a language's rename. A move to another center raises both centers.
- A person's LeaderFeedVersion covers what only their private feed depends on: which groups
  they lead (added, removed, the group deleted) and their name (the feed's name).

Hooks are model signals, so the admin, forms, services and the shell are all covered; they run
inside the writer's transaction (`on_commit` would let a reader cache old bytes under the new
version). Inside a booking-engine transaction the plan version is noted and raised at its end
(bookings.stamps.plan_changed_later), keeping the engine's lock order. A deletion only raises
counters that exist: a cascade from a deleted center or person must not create a row that
points to it (every center and leader has one: created with it, and by migration).

`QuerySet.update()` sends no signal: the writers that use it on these models (the engine's
`touch`, a center's holiday opening) raise the plan version themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from bookings.models import EarlierRule, Series
from bookings.stamps import plan_changed_later
from calendars.models import LeaderFeedVersion
from centers.models import Center, Room
from groups.models import Group, GroupLeader, Language

# Saves of only these fields change nothing a feed shows (the django-scheduler mirror's links,
# a login's timestamp): raising the version for them would re-render every feed after each
# mirror sync.
_SILENT_FIELDS: dict[type[Model], frozenset[str]] = {
    Series: frozenset({"event"}),
    Group: frozenset({"calendar"}),
}
# What of a person a leader's feed shows: the name in the feed's name.
_NAME_FIELDS = frozenset({"first_name", "last_name", "username"})


def _silent(sender: type[Model], update_fields: Iterable[str] | None) -> bool:
    return update_fields is not None and set(update_fields) <= _SILENT_FIELDS.get(
        sender, frozenset()
    )


def _raise_plans(center_ids: Iterable[int | None], *, create: bool = True) -> None:
    plan_changed_later((pk for pk in center_ids if pk is not None), create=create)


def leader_feed_changed(user_ids: Iterable[int | None], *, create: bool = True) -> None:
    """Raise the private-feed version of these people (in the writer's transaction)."""
    for user_id in sorted({pk for pk in user_ids if pk is not None}):
        updated = LeaderFeedVersion.objects.filter(user_id=user_id).update(version=F("version") + 1)
        if updated or not create:
            continue
        try:
            with transaction.atomic():
                LeaderFeedVersion.objects.create(user_id=user_id, version=2)
        except IntegrityError:  # created by a parallel writer just now
            LeaderFeedVersion.objects.filter(user_id=user_id).update(version=F("version") + 1)


# --- where things are ----------------------------------------------------------------------------


def _center_of_group(group_id: int | None, holder: Model | None = None) -> int | None:
    """The group's center, from the instance's cached group when there is one (the engine
    locks series with their group), else one primary-key read."""
    if holder is not None and "group" in holder._state.fields_cache:
        return holder.group.center_id  # type: ignore[attr-defined]
    return Group.objects.filter(pk=group_id).values_list("center_id", flat=True).first()


def _center_of_room(room_id: int | None, holder: Model | None = None) -> int | None:
    if holder is not None and "room" in holder._state.fields_cache:
        return holder.room.center_id  # type: ignore[attr-defined]
    return Room.objects.filter(pk=room_id).values_list("center_id", flat=True).first()


def _series_centers(series: Series) -> set[int | None]:
    return {
        _center_of_group(series.group_id, series),
        _center_of_room(series.room_id, series),
    }


def _before(sender: type[Model], instance: Model, update_fields: Any, moved_by: set[str]) -> None:
    """Remember where a saved object was, when the save may move it to another center."""
    instance._feed_centers_before = set()  # type: ignore[attr-defined]
    if instance.pk is None or (update_fields is not None and not moved_by & set(update_fields)):
        return
    if sender is Series:
        found = Series.objects.filter(pk=instance.pk).values_list(
            "group__center_id", "room__center_id"
        )
    else:  # Group and Room
        found = sender._default_manager.filter(pk=instance.pk).values_list("center_id")
    instance._feed_centers_before = set(next(iter(found), ()))  # type: ignore[attr-defined]


def _centers_before(instance: Model) -> set[int | None]:
    return getattr(instance, "_feed_centers_before", set())


# --- hooks --------------------------------------------------------------------------------------


def _series_before(sender: type[Model], instance: Series, update_fields: Any, **_: Any) -> None:
    _before(Series, instance, update_fields, {"group", "room"})


def _restamp(sender: type[Model], instance: Model, update_fields: Any) -> None:
    """A save of named fields without `updated_at` keeps the stamp that keys the feeds' cached
    per-series blocks (calendars.assemble): move it, or the new version would be assembled
    from the old blocks and serve the old bytes."""
    if update_fields is None or "updated_at" in update_fields:
        return
    now = timezone.now()
    sender._default_manager.filter(pk=instance.pk).update(updated_at=now)
    instance.updated_at = now  # type: ignore[attr-defined]


def _series_saved(sender: type[Model], instance: Series, update_fields: Any, **_: Any) -> None:
    if not _silent(Series, update_fields):
        _restamp(Series, instance, update_fields)
        _raise_plans(_series_centers(instance) | _centers_before(instance))


def _series_deleted(sender: type[Model], instance: Series, **_: Any) -> None:
    _raise_plans(_series_centers(instance), create=False)


def _earlier_changed(sender: type[Model], instance: EarlierRule, **kwargs: Any) -> None:
    centers = Series.objects.filter(pk=instance.series_id).values_list(
        "group__center_id", "room__center_id"
    )
    _raise_plans(set(next(iter(centers), ())), create="created" in kwargs)


def _group_before(sender: type[Model], instance: Group, update_fields: Any, **_: Any) -> None:
    _before(Group, instance, update_fields, {"center"})


def _group_saved(sender: type[Model], instance: Group, update_fields: Any, **_: Any) -> None:
    if not _silent(Group, update_fields):
        _restamp(Group, instance, update_fields)
        _raise_plans({instance.center_id} | _centers_before(instance))


def _group_deleted(sender: type[Model], instance: Group, **_: Any) -> None:
    _raise_plans({instance.center_id}, create=False)


def _group_languages(sender: type[Model], instance: Model, action: str, **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Group):
        groups = Group.objects.filter(pk=instance.pk)
    else:  # a language's groups changed from the language's side
        groups = Group.objects.filter(pk__in=kwargs.get("pk_set") or ())
    _languages_shown_changed(groups)


def _language_changed(sender: type[Model], instance: Language, **kwargs: Any) -> None:
    _languages_shown_changed(Group.objects.filter(languages=instance), create="created" in kwargs)


def _languages_shown_changed(groups: QuerySet[Group], *, create: bool = True) -> None:
    """The groups' descriptions list their languages: the groups changed. Their stamp keys the
    feeds' cached per-series blocks (calendars.assemble), so it moves too."""
    centers = set(groups.values_list("center_id", flat=True))
    groups.update(updated_at=timezone.now())
    _raise_plans(centers, create=create)


def _room_before(sender: type[Model], instance: Room, update_fields: Any, **_: Any) -> None:
    _before(Room, instance, update_fields, {"center"})


def _room_saved(sender: type[Model], instance: Room, update_fields: Any, **_: Any) -> None:
    _restamp(Room, instance, update_fields)
    _raise_plans({instance.center_id} | _centers_before(instance))


def _room_deleted(sender: type[Model], instance: Room, **_: Any) -> None:
    _raise_plans({instance.center_id}, create=False)


def _center_saved(sender: type[Model], instance: Center, update_fields: Any, **_: Any) -> None:
    _restamp(Center, instance, update_fields)
    _raise_plans({instance.pk})


def _leadership_saved(sender: type[Model], instance: GroupLeader, **_: Any) -> None:
    leader_feed_changed({instance.user_id})


def _leadership_deleted(sender: type[Model], instance: GroupLeader, **_: Any) -> None:
    leader_feed_changed({instance.user_id}, create=False)


def _leaders_changed(sender: type[Model], instance: Model, action: str, **kwargs: Any) -> None:
    """`group.leaders.add(...)` and `user.led_groups.add(...)` write GroupLeader rows without
    saving models: the m2m signal is all there is."""
    if action == "pre_clear":
        # The rows are gone after the clear: remember whose they were.
        if isinstance(instance, Group):
            instance._feed_cleared = set(  # type: ignore[attr-defined]
                GroupLeader.objects.filter(group=instance).values_list("user_id", flat=True)
            )
        else:
            instance._feed_cleared = {instance.pk}  # type: ignore[attr-defined]
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        users = getattr(instance, "_feed_cleared", set())
    elif isinstance(instance, Group):
        users = set(kwargs.get("pk_set") or ())
    else:
        users = {instance.pk}
    leader_feed_changed(users, create=action == "post_add")


def _person_saved(sender: type[Model], instance: Any, created: bool, update_fields: Any, **_: Any):
    if created or (update_fields is not None and not _NAME_FIELDS & set(update_fields)):
        return
    # Only people who lead (or led) a group have a leader's feed with their name in it.
    leader_feed_changed({instance.pk}, create=False)


def connect() -> None:
    """Called once from CalendarsConfig.ready()."""
    uid = "calendars.versions"
    pre_save.connect(_series_before, sender=Series, dispatch_uid=f"{uid}.series_pre")
    post_save.connect(_series_saved, sender=Series, dispatch_uid=f"{uid}.series")
    post_delete.connect(_series_deleted, sender=Series, dispatch_uid=f"{uid}.series_del")
    post_save.connect(_earlier_changed, sender=EarlierRule, dispatch_uid=f"{uid}.earlier")
    post_delete.connect(_earlier_changed, sender=EarlierRule, dispatch_uid=f"{uid}.earlier_del")
    pre_save.connect(_group_before, sender=Group, dispatch_uid=f"{uid}.group_pre")
    post_save.connect(_group_saved, sender=Group, dispatch_uid=f"{uid}.group")
    post_delete.connect(_group_deleted, sender=Group, dispatch_uid=f"{uid}.group_del")
    m2m_changed.connect(
        _group_languages, sender=Group.languages.through, dispatch_uid=f"{uid}.languages"
    )
    post_save.connect(_language_changed, sender=Language, dispatch_uid=f"{uid}.language")
    # Before: a deleted language's links to its groups are gone afterwards.
    pre_delete.connect(_language_changed, sender=Language, dispatch_uid=f"{uid}.language_del")
    pre_save.connect(_room_before, sender=Room, dispatch_uid=f"{uid}.room_pre")
    post_save.connect(_room_saved, sender=Room, dispatch_uid=f"{uid}.room")
    post_delete.connect(_room_deleted, sender=Room, dispatch_uid=f"{uid}.room_del")
    post_save.connect(_center_saved, sender=Center, dispatch_uid=f"{uid}.center")
    post_save.connect(_leadership_saved, sender=GroupLeader, dispatch_uid=f"{uid}.leader")
    post_delete.connect(_leadership_deleted, sender=GroupLeader, dispatch_uid=f"{uid}.leader_del")
    m2m_changed.connect(
        _leaders_changed, sender=Group.leaders.through, dispatch_uid=f"{uid}.leaders"
    )
    post_save.connect(_person_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid=f"{uid}.user")
