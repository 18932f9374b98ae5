"""The booking app's errors and the translated messages they carry, kept together."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Messages:
    """Every message a booking service shows for bad input, in one place for translators."""

    NOT_ALLOWED_FOR_GROUP = _("You cannot book rooms for this group.")
    ROOM_OTHER_CENTER = _("This room belongs to another center.")
    ROOM_NOT_BOOKABLE = _("This room cannot be booked online.")
    FIRST_DATE_PAST = _("The first date is in the past.")
    DATE_PAST = _("This date is in the past.")
    PARTICIPANTS = _("At least one participant is expected.")
    ALTERNATIVE_UNKNOWN = _("An alternative was given for a date the request does not have.")
    ALTERNATIVE_TIMES = _("An alternative must end after it starts.")
    REASON_REQUIRED = _("Please give a reason.")
    ENDS_BEFORE_START = _("The end must be after the start.")
    NOTHING_TO_MOVE = _("Give a new room or a new time.")
    NOT_REQUESTED = _("Only requested dates can be declined or confirmed.")
    NOTHING_TO_CONFIRM = _(
        "No date of this request is waiting for a decision any more: "
        "someone has decided it in the meantime."
    )
    NOT_ACTIVE = _("This date is already cancelled or declined.")
    LEADER_MOVES_REQUESTED_ONLY = _(
        "Only dates that are still requested can be moved by the group."
    )
    FROM_DATE_PAST = _("Changes can only take effect from today on.")
    LAST_DATE_BEFORE_START = _("The series cannot end before its first date.")
    SERIES_CLOSED = _("This request was withdrawn or declined.")
    DATE_CONFLICT = _("This date clashes with another booking.")
    BUSY = _(
        "Someone else is changing these bookings right now. Nothing was saved: "
        "please try again in a moment."
    )
    STALE = _(
        "This was changed by someone else after you opened the page. Nothing was saved: "
        "check the current state below and make your change again."
    )
    TOO_MANY_PEOPLE = _(
        "%(room)s holds %(capacity)s people, you expect %(expected)s. "
        "Choose a bigger room or fewer participants."
    )
    NO_DATE_LEFT = _("No date of this request can take place: %(reasons)s")
    FROM_DATE_AFTER_END = _("The series has no dates from this day on (its last date is %(date)s).")
    ALTERNATIVE_NOT_OFFERED = _(
        "This alternative was not offered for this date. Please check the dates again and "
        "pick one of the alternatives shown."
    )
    ALTERNATIVE_TAKEN = _(
        "The alternative you picked for %(date)s is no longer free. Please check the dates again."
    )
    NOT_CANCELLED = _("Only cancelled dates can be taken up again.")
    NOT_REINSTATABLE = _("This date cannot take place again: %(reasons)s")
    LEADER_REINSTATES_OWN_ONLY = _("The group can only take up again dates it cancelled itself.")
    CAPACITY_REFUSED = _("%(room)s holds %(capacity)s people, %(expected)s are expected.")
    TERM_OTHER_CENTER = _("This term belongs to another center.")
    TERM_REPEATS = _("A booking for the term repeats: choose weekly or monthly.")
    TERM_START_OUTSIDE = _("The first date must lie in the term (%(first)s – %(last)s).")
    TERM_OVER = _("This term is already over.")
    TERM_OVERLAPS = _("This term overlaps the term “%(name)s”.")
    TERM_NAME_TAKEN = _("The center already has a term of this name.")
    TERM_IN_USE = _("Series run for this term; end them first or keep the term.")
    NAME_REQUIRED = _("Please give a name.")


def format_start(value: datetime, tz: tzinfo | None) -> str:
    """A start time as people read it: local, short date and time."""
    local = value.astimezone(tz or UTC)
    return formats.date_format(local, "SHORT_DATETIME_FORMAT")


class BookingConflict(Exception):
    """A confirmation was refused because these dates clash; `.dates` are their start times."""

    def __init__(
        self, dates: Iterable[datetime], *, tz: tzinfo | None = None, reasons: Iterable[str] = ()
    ) -> None:
        self.dates: list[datetime] = sorted(set(dates))
        self.tz = tz
        self.reasons = list(dict.fromkeys(reasons))  # what clashes, e.g. "clashes with X in Y"
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """Translated in the language active when it is shown, naming each clashing date."""
        listed = ", ".join(format_start(d, self.tz) for d in self.dates)
        text = gettext("These dates clash with another booking: %(dates)s") % {"dates": listed}
        if self.reasons:
            text = f"{text} ({'; '.join(self.reasons)})"
        return text

    def __str__(self) -> str:
        return self.message


DECIDED_MEANWHILE = "decided_meanwhile"
STALE = "stale"
BUSY = "busy"


class StaleEdit(ValidationError):
    """An edit made from an older version: nothing was saved; `current` is the version now."""

    def __init__(self, *, current: int) -> None:
        super().__init__(str(Messages.STALE), code=STALE)
        self.current = current


def is_stale(error: ValidationError) -> bool:
    return getattr(error, "code", None) == STALE or any(
        getattr(e, "code", None) == STALE for e in getattr(error, "error_list", [])
    )


def is_decided_meanwhile(error: ValidationError) -> bool:
    """Whether a confirmation found nothing left to decide (someone else was quicker)."""
    errors = getattr(error, "error_dict", {}).get("series", [])
    return any(e.code == DECIDED_MEANWHILE for e in errors)
