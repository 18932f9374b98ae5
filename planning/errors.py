"""The planning pages' messages for bad input, in one place for translators."""

from django.utils.translation import gettext_lazy as _


class Messages:
    NOT_STAFF = _("Only staff of this center can plan its terms.")
    NOT_YOUR_GROUP = _("You cannot answer for this group.")
    TERM_OTHER_CENTER = _("This term belongs to another center.")
    TERM_BEGUN = _("This term has begun already; plan a term that lies ahead.")
    ROUND_EXISTS = _("This term is being planned already.")
    PREVIOUS_TERM = _("The ending term must be a term of this center before the planned one.")
    DEADLINE_PAST = _("The deadline must lie ahead.")
    DEADLINE_AFTER_START = _("The deadline must lie before the term begins.")
    ROUND_DONE = _("The results of this planning have been sent already.")
    ROUND_CLOSED = _("Answers and wishes for this term are no longer collected.")
    ONLY_PROPOSALS = _("Only proposed continuations can be confirmed or changed.")
    CHOOSE_ANSWER = _("Choose whether the group continues, changes its slot or ends.")
    ROOM_NOT_OFFERED = _("Choose one of the center's bookable rooms.")
    ROOM_TOO_SMALL = _("%(room)s holds %(capacity)s people only.")
    WEEKDAYS = _("Choose at least one weekday.")
    ENDS_BEFORE_START = _("The end must be after the start.")
    PARTICIPANTS = _("At least one participant is expected.")
    INTERVAL = _("Every week up to every fourth week.")
    NOT_YET = _("Allocation starts after the deadline (or when you stop collecting).")
    DECIDED = _("This wish has been decided already.")
    CHOOSE_RESOLUTION = _("Choose what happens with this wish.")
    REASON_REQUIRED = _("Please give a reason; the group will read it.")
    REASON_FOR_DATES = _(
        "Some dates cannot take place as wished: give a reason for them; the group will read it."
    )
    UNDECIDED = _("%(count)s wishes still need a decision.")
    ALLOCATING = _("The allocation is running; wait until it is done.")
