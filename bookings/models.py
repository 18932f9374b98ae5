"""A series is a rule; occurrences are rows; room blocks are what the database keeps apart.

- `Series`: one booking request of a group — a single date or a recurrence rule — with the
  room asked for. Its rule is mirrored into a django-scheduler `Event` on the group's calendar.
- `Occurrence`: one row per date, with its own room, time, state and reason. Cancelling or
  moving a date touches that row only; `original_start` keeps the date the rule produced, so a
  moved date stays recognisable (RECURRENCE-ID in feeds, exceptions kept across series edits).
- `RoomBlock`: for each *confirmed* occurrence, one row per physical room unit it occupies
  (its room and, for a divisible room, every part), over the time range widened by the room's
  setup and cleanup buffers. On PostgreSQL an exclusion constraint refuses two overlapping
  blocks of one unit, so a whole hall and its half can never both be confirmed at once.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .policy import HolidayPolicy
from .recurrence import RecurrenceRule, rule_from_json


class Frequency(models.TextChoices):
    ONCE = "once", _("one date")
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")


class MonthlyMode(models.TextChoices):
    NTH_WEEKDAY = "nth_weekday", _("on the nth weekday")
    DAY_OF_MONTH = "day_of_month", _("on a day of the month")


class SeriesStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    CONFIRMED = "confirmed", _("confirmed")
    PARTLY_CONFIRMED = "partly_confirmed", _("partly confirmed")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")
    # No date left that takes place or waits: every one was cancelled (closure, holiday, group).
    CANCELLED = "cancelled", _("cancelled")


class OccurrenceState(models.TextChoices):
    REQUESTED = "requested", _("requested")
    CONFIRMED = "confirmed", _("confirmed")
    CANCELLED = "cancelled", _("cancelled")
    DECLINED = "declined", _("declined")


class Cause(models.TextChoices):
    """Why a date is cancelled or declined: reports count by it, reinstating depends on it."""

    GROUP = "group", _("cancelled by the group")
    STAFF = "staff", _("decided by staff")
    CLOSURE = "closure", _("closure")
    HOLIDAY = "holiday", _("public holiday")
    SCHOOL_HOLIDAY = "school_holiday", _("school holidays")
    RULE = "rule", _("no longer part of the series")
    CONFLICT = "conflict", _("another booking was confirmed")
    WITHDRAWN = "withdrawn", _("request withdrawn")


class Series(models.Model):
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="series", verbose_name=_("group")
    )
    room = models.ForeignKey(
        "centers.Room", on_delete=models.PROTECT, related_name="series", verbose_name=_("room")
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Defaults to the group's name.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SeriesStatus.choices, default=SeriesStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="requested_series",
        verbose_name=_("requested by"),
    )
    expected_participants = models.PositiveIntegerField(_("expected participants"), default=1)
    equipment_needed = models.ManyToManyField(
        "centers.Equipment", verbose_name=_("equipment needed"), blank=True
    )
    note = models.TextField(_("note to staff"), blank=True)
    # The holiday policy (bookings.policy.HolidayPolicy): what the conflict check skips.
    meets_on_public_holidays = models.BooleanField(
        _("meets on public holidays"),
        default=False,
        help_text=_("Only where the center is open on public holidays."),
    )
    pauses_in_school_holidays = models.BooleanField(_("pauses in school holidays"), default=False)
    # A series "for the term" ends with it (bookings.services.terms keeps its end in step).
    term = models.ForeignKey(
        "centers.Term",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="series",
        verbose_name=_("for the term"),
    )
    decision_note = models.TextField(_("note from staff"), blank=True)

    # --- the rule, in the center's wall-clock time -----------------------------------------
    frequency = models.CharField(
        _("repeats"), max_length=10, choices=Frequency.choices, default=Frequency.ONCE
    )
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    weekdays = models.JSONField(
        _("weekdays"), default=list, blank=True, help_text=_("0 = Monday … 6 = Sunday")
    )
    monthly_mode = models.CharField(
        _("monthly"), max_length=20, choices=MonthlyMode.choices, blank=True
    )
    monthly_position = models.SmallIntegerField(
        _("which weekday of the month"), null=True, blank=True, help_text=_("1–4, or -1 = last")
    )
    monthly_day = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    start_date = models.DateField(_("first date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    until = models.DateField(_("repeat until"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("number of dates"), null=True, blank=True)
    extra_dates = models.JSONField(_("extra dates"), default=list, blank=True)

    # Open-ended series exist as rows up to this date; a periodic job moves it forward.
    materialised_until = models.DateField(_("dates created until"), null=True, blank=True)
    event = models.OneToOneField(
        "schedule.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="treffpunkt_series",
        editable=False,
    )
    # Raised on every change that calendar apps show (RFC 5545 SEQUENCE of the master VEVENT).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Raised by every change of the series or one of its dates: an edit made from an older
    # version is refused instead of silently undoing what someone else changed meanwhile.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")
        ordering = ["start_date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="series_starts_before_it_ends"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(count__isnull=True),
                name="series_until_or_count",
            ),
            models.CheckConstraint(condition=Q(interval__gte=1), name="series_interval_positive"),
            models.CheckConstraint(
                condition=Q(expected_participants__gte=1), name="series_participants_positive"
            ),
        ]
        indexes = [models.Index(fields=["status", "start_date"])]

    def __str__(self) -> str:
        return self.title or str(self.group)

    @property
    def display_title(self) -> str:
        return self.title or self.group.name

    @property
    def rule(self) -> RecurrenceRule:
        """The stored rule as the pure value that recurrence, conflicts, feeds and texts use."""
        return RecurrenceRule(
            start_date=self.start_date,
            start_time=self.start_time,
            end_time=self.end_time,
            frequency=self.frequency,
            interval=self.interval,
            weekdays=tuple(self.weekdays or ()),
            monthly_mode=self.monthly_mode or "",
            monthly_position=self.monthly_position,
            monthly_day=self.monthly_day,
            until=self.until,
            count=self.count,
            # JSON keeps dates as ISO strings.
            extra_dates=tuple(
                date.fromisoformat(d) if isinstance(d, str) else d for d in self.extra_dates or ()
            ),
        )

    @property
    def is_open_ended(self) -> bool:
        return self.frequency != Frequency.ONCE and self.until is None and self.count is None

    @property
    def holiday_policy(self) -> HolidayPolicy:
        return HolidayPolicy(
            meets_on_public_holidays=self.meets_on_public_holidays,
            pauses_in_school_holidays=self.pauses_in_school_holidays,
        )


class Occurrence(models.Model):
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("series")
    )
    room = models.ForeignKey(
        "centers.Room", on_delete=models.PROTECT, related_name="occurrences", verbose_name=_("room")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The start the rule produced; never changes, even when the date is moved.
    original_start = models.DateTimeField(_("originally planned start"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=OccurrenceState.choices,
        default=OccurrenceState.REQUESTED,
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # For a cancelled or declined date: why, in a form reports can count (empty when active).
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices, blank=True)
    # The closure that cancelled this date, so that shortening or deleting it can bring it back.
    closure = models.ForeignKey(
        "centers.Closure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cancelled_occurrences",
        verbose_name=_("cancelled by closure"),
    )
    # The state before a cancellation (requested or confirmed): what reinstating restores.
    prior_state = models.CharField(
        _("state before cancellation"), max_length=12, choices=OccurrenceState.choices, blank=True
    )
    # Raised on every visible change of this date (SEQUENCE of its RECURRENCE-ID override).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Raised on every change of this date (forms carry it; see Series.version).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("date")
        verbose_name_plural = _("dates")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="occurrence_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["series", "original_start"], name="occurrence_unique_rule_date"
            ),
        ]
        indexes = [
            models.Index(fields=["room", "starts_at"]),
            models.Index(fields=["state", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_moved(self) -> bool:
        return self.starts_at != self.original_start or self.room_id != self.series.room_id


class EarlierRule(models.Model):
    """The rule a series had before it changed "from `ends_before` on".

    The series keeps one row per date, but its stored rule describes only the dates from its
    last change on; the rows before were made by the rules kept here (one per change, in
    order). Calendar feeds show each rule as its own calendar object, so that earlier dates
    keep their times and weekdays in every calendar app.
    """

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="earlier_rules")
    # The change's first date: this rule's dates are all before it (local date).
    ends_before = models.DateField()
    rule = models.JSONField()  # recurrence.rule_to_json
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["series", "ends_before"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "ends_before"], name="earlierrule_unique_change"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series_id} before {self.ends_before}"

    @property
    def as_rule(self) -> RecurrenceRule:
        return rule_from_json(self.rule)


class PlanVersion(models.Model):
    """A counter per center, raised in the same transaction as every change of its plan
    (a date, a series, a closure): "has anything changed?" is one primary-key read for feeds,
    screens and API clients. Writers raise it last, after their room and row locks."""

    center = models.OneToOneField(
        "centers.Center", on_delete=models.CASCADE, primary_key=True, related_name="plan_version"
    )
    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.center_id}: {self.version}"


class RoomBlock(models.Model):
    """A confirmed occurrence holding one room unit over its buffered time range."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="blocks")
    room = models.ForeignKey("centers.Room", on_delete=models.PROTECT, related_name="blocks")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="roomblock_ends_after_start"
            ),
            models.UniqueConstraint(fields=["occurrence", "room"], name="roomblock_unique_unit"),
        ]
        indexes = [models.Index(fields=["room", "starts_at", "ends_at"])]
        # PostgreSQL: EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at) WITH &&),
        # added in migration 0002 (PostgreSQL only; SQLite serializes writers instead).

    def __str__(self) -> str:
        return f"{self.room_id}: {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"
