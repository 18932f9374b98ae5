"""The booking policy, written down once: what stands in a date's way, and what follows from it.

Every rule about a date is one of four verdicts:

- *skipped*: the center or room is closed (a closure, a public holiday), or the series pauses
  in the school holidays. The date is stored as cancelled with the reason and listed as
  skipped; it comes back if the closure goes or the holiday period is corrected.
- *refused*: never stored as confirmed, and staff cannot override it — an overlap with a
  confirmed booking (buffers and divisible rooms included; on PostgreSQL the database refuses it
  too), more people than the room holds (a safety limit), a room that cannot be booked, a date in
  the past, an end not after the start. A request whose dates clash stays requested so that staff
  can move or decline those dates; the other refusals are errors of the request itself.
- *staff decides*: never confirmed automatically, shown to staff with the reason — outside the
  opening hours, equipment missing, beyond the center's booking horizon, a competing request for
  the same room, and a room whose requests need approval.
- *fine*: nothing stands in the way.

Holidays follow the series' `HolidayPolicy`: a public holiday skips a date unless the series
meets on public holidays *and* its center is open on them; school holidays skip a date only of
a series that pauses in them. The conflict core applies the policy when it classifies, so the
preview, the request, the services, the pages and the feeds all follow it.

A date is confirmed at once only when every rule is fine. The conflict core
(`bookings.conflicts`) finds the issues; this module says what each one means. The live
preview, the staff pages, the e-mails and the services all read the verdicts from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class IssueKind(models.TextChoices):
    BOOKED = "booked", _("already booked")
    CAPACITY = "capacity", _("room too small")
    NOT_BOOKABLE = "not_bookable", _("room not bookable")
    PAST = "past", _("in the past")
    INVALID = "invalid", _("ends before it starts")
    CLOSURE = "closure", _("closed")
    HOLIDAY = "holiday", _("public holiday")
    SCHOOL_HOLIDAY = "school_holiday", _("school holidays")
    OUTSIDE_HOURS = "outside_hours", _("outside opening hours")
    EQUIPMENT = "equipment", _("equipment missing")
    HORIZON = "horizon", _("beyond the booking horizon")
    PENDING = "pending", _("competing request")


class Verdict(models.TextChoices):
    """From worst to best: the verdict of a date is the worst of its issues'."""

    SKIPPED = "skipped", _("skipped")
    REFUSED = "refused", _("not possible")
    STAFF = "staff", _("staff decide")
    FINE = "fine", _("free")


RULES: dict[str, str] = {
    IssueKind.BOOKED: Verdict.REFUSED,
    IssueKind.CAPACITY: Verdict.REFUSED,
    IssueKind.NOT_BOOKABLE: Verdict.REFUSED,
    IssueKind.PAST: Verdict.REFUSED,
    IssueKind.INVALID: Verdict.REFUSED,
    IssueKind.CLOSURE: Verdict.SKIPPED,
    IssueKind.HOLIDAY: Verdict.SKIPPED,
    IssueKind.SCHOOL_HOLIDAY: Verdict.SKIPPED,
    IssueKind.OUTSIDE_HOURS: Verdict.STAFF,
    IssueKind.EQUIPMENT: Verdict.STAFF,
    IssueKind.HORIZON: Verdict.STAFF,
    IssueKind.PENDING: Verdict.STAFF,
}
_RANK = {Verdict.SKIPPED: 0, Verdict.REFUSED: 1, Verdict.STAFF: 2, Verdict.FINE: 3}

# Refusals that belong to the request as a whole (its room, its size, its first date): the
# request is not created; the leader is told why. A clash with a booking is a date's problem.
REQUEST_ERRORS = frozenset(
    {IssueKind.CAPACITY, IssueKind.NOT_BOOKABLE, IssueKind.PAST, IssueKind.INVALID}
)
# Once staff approved a series' rule, later dates of it need no new decision for these.
WAIVED_FOR_APPROVED_SERIES = frozenset(
    {IssueKind.OUTSIDE_HOURS, IssueKind.EQUIPMENT, IssueKind.HORIZON}
)


@dataclass(frozen=True)
class HolidayPolicy:
    """What a series does on holidays (fields of `Series`; the default is the old rule: skip
    public holidays, meet in school holidays)."""

    meets_on_public_holidays: bool = False
    pauses_in_school_holidays: bool = False

    def skips_public_holiday(self, *, center_open: bool) -> bool:
        """A series meets on a public holiday only if it wants to and the center is open."""
        return not (self.meets_on_public_holidays and center_open)


# Defaults per kind of group (groups.models.Group.Kind): courses follow the school year; an
# open café meets whenever the house is open; the rest skip public holidays only.
HOLIDAY_DEFAULTS: dict[str, HolidayPolicy] = {
    "course": HolidayPolicy(pauses_in_school_holidays=True),
    "cafe": HolidayPolicy(meets_on_public_holidays=True),
}


def holiday_policy_for_kind(kind: str) -> HolidayPolicy:
    return HOLIDAY_DEFAULTS.get(kind, HolidayPolicy())


def verdict_of_kind(kind: str) -> str:
    return RULES[kind]


def verdict(
    kinds: Iterable[str], *, needs_approval: bool = False, waived: Iterable[str] = ()
) -> str:
    """The verdict of one date from the kinds of its issues (the worst one wins)."""
    skip = set(waived)
    worst = Verdict.STAFF if needs_approval else Verdict.FINE
    for kind in kinds:
        if kind in skip:
            continue
        found = RULES[kind]
        if _RANK[found] < _RANK[worst]:
            worst = found
    return worst


def blocks_confirmation(kind: str) -> bool:
    """Whether an issue of this kind keeps anyone, staff included, from confirming the date."""
    return RULES[kind] in (Verdict.REFUSED, Verdict.SKIPPED)


def confirms_at_once(
    kinds: Iterable[str], *, needs_approval: bool, approved_series: bool = False
) -> bool:
    """Whether a date is confirmed without a decision by staff."""
    if approved_series:
        return verdict(kinds, waived=WAIVED_FOR_APPROVED_SERIES) == Verdict.FINE
    return verdict(kinds, needs_approval=needs_approval) == Verdict.FINE
