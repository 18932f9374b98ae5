"""Pure: the order in which allocation serves the wishes of a planning round.

Continuing groups first, then the center's priorities (e.g. free offers before paid courses),
then the time of the request. A priority is a key of CRITERIA; a group's rank is the position
of the first priority it meets (groups meeting none come last).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

MAX_PRIORITIES = 4


class GroupFacts(Protocol):
    kind: str
    audience: str
    free_of_charge: bool


CRITERIA: dict[str, tuple[Any, Callable[[GroupFacts], bool]]] = {
    "free": (_("free offers"), lambda g: g.free_of_charge),
    "paid": (_("offers with a fee"), lambda g: not g.free_of_charge),
    "kind:meeting": (_("group meetings"), lambda g: g.kind == "meeting"),
    "kind:course": (_("courses"), lambda g: g.kind == "course"),
    "kind:counselling": (_("counselling hours"), lambda g: g.kind == "counselling"),
    "kind:cafe": (_("cafés"), lambda g: g.kind == "cafe"),
    "kind:event": (_("events"), lambda g: g.kind == "event"),
    "audience:children": (_("offers for children"), lambda g: g.audience == "children"),
    "audience:youth": (_("offers for young people"), lambda g: g.audience == "youth"),
    "audience:families": (_("offers for families"), lambda g: g.audience == "families"),
    "audience:seniors": (_("offers for seniors"), lambda g: g.audience == "seniors"),
}
DEFAULT_PRIORITIES = ["free"]


def choices() -> list[tuple[str, Any]]:
    return [(key, label) for key, (label, _test) in CRITERIA.items()]


def clean(priorities: Sequence[str]) -> list[str]:
    """Known keys only, each once, in the order given, at most MAX_PRIORITIES."""
    seen: list[str] = []
    for key in priorities:
        if key in CRITERIA and key not in seen:
            seen.append(key)
    return seen[:MAX_PRIORITIES]


def rank(group: GroupFacts, priorities: Sequence[str]) -> int:
    """0 for a group meeting the first priority, 1 for the second, …; len(priorities) else."""
    for position, key in enumerate(priorities):
        if key in CRITERIA and CRITERIA[key][1](group):
            return position
    return len(priorities)


def order_key(
    *,
    continuing: bool,
    group: GroupFacts,
    priorities: Sequence[str],
    requested_at: datetime,
    pk: int,
) -> tuple:
    """Sort key of a wish: continuing groups first, then priority, then request time."""
    return (0 if continuing else 1, rank(group, priorities), requested_at, pk)


def labels(priorities: Sequence[str]) -> list[str]:
    return [str(CRITERIA[key][0]) for key in priorities if key in CRITERIA]
