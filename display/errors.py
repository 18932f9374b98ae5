"""The messages the screens' services and forms show, kept together for translators."""

from django.utils.translation import gettext_lazy as _


class Messages:
    NOT_A_LEADER = _("Only a leader of the booked group can check in for this date.")
    NOT_CONFIRMED = _("This date is not confirmed, so there is nothing to check in for.")
    TOO_EARLY = _("Check-in opens 30 minutes before the start.")
    OVER = _("This date is already over.")
    PARTICIPANTS = _("Enter a number of participants between 0 and %(max)s.")
    NOT_STAFF = _("You do not manage this center.")
    RELEASE_NEEDS_CHECK_IN = _("Rooms can only be released when groups check in at the door.")
