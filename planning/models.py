"""Planning the next term: a round per term, and the wishes it collects.

- `Round`: staff plan one term (`term`) after another (`previous_term`). Opening it proposes a
  continuation for every series of the ending term and asks the leaders to confirm, change or
  end it; new wishes are collected until `deadline`. Staff then allocate in one sitting.
- `Wish`: one weekly (or monthly) slot a group wants in the term — a proposed continuation of
  a series (`source`) or a new wish — with the leaders' answer and the allocation's outcome.
  Allocating turns a wish into a booking series through `bookings.services` (`result`); until
  then nothing is booked.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.recurrence import RecurrenceRule


class Round(models.Model):
    class Status(models.TextChoices):
        COLLECTING = "collecting", _("collecting answers and wishes")
        DONE = "done", _("allocated, results sent")

    center = models.ForeignKey(
        "centers.Center",
        on_delete=models.CASCADE,
        related_name="planning_rounds",
        verbose_name=_("center"),
    )
    term = models.OneToOneField(
        "centers.Term",
        on_delete=models.PROTECT,
        related_name="planning_round",
        verbose_name=_("term planned"),
    )
    previous_term = models.ForeignKey(
        "centers.Term",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ending term"),
    )
    deadline = models.DateTimeField(_("answers and wishes until"))
    # Keys of `planning.priorities.CRITERIA`, most important first.
    priorities = models.JSONField(_("priorities"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.COLLECTING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    finished_at = models.DateTimeField(_("results sent"), null=True, blank=True)
    # Set while the allocation runs (a background job): the pages show its progress.
    allocating_since = models.DateTimeField(_("allocation running since"), null=True, blank=True)
    # Raised by every change of the round or its wishes: a page acting on an older one fails.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("planning round")
        verbose_name_plural = _("planning rounds")
        ordering = ["-term__first_day"]

    def __str__(self) -> str:
        return str(self.term)

    @property
    def is_collecting(self) -> bool:
        return self.status == self.Status.COLLECTING and timezone.now() < self.deadline

    @property
    def can_allocate(self) -> bool:
        return self.status == self.Status.COLLECTING and timezone.now() >= self.deadline

    @property
    def is_allocating(self) -> bool:
        return self.allocating_since is not None


class Wish(models.Model):
    class Kind(models.TextChoices):
        CONTINUATION = "continuation", _("continuation")
        NEW = "new", _("new wish")

    class Answer(models.TextChoices):
        PENDING = "pending", _("no answer yet")
        CONTINUE = "continue", _("continues as proposed")
        CHANGE = "change", _("continues with changes")
        END = "end", _("ends with the term")

    class Outcome(models.TextChoices):
        OPEN = "open", _("not allocated yet")
        ALLOCATED = "allocated", _("allocated")
        ALTERNATIVES = "alternatives", _("allocated, some dates elsewhere")
        PARTLY = "partly", _("allocated in part")
        DECLINED = "declined", _("declined")
        ENDED = "ended", _("ended")

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="wishes", verbose_name=_("planning round")
    )
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="wishes", verbose_name=_("group")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    source = models.ForeignKey(
        "bookings.Series",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continuations",
        verbose_name=_("continues"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    room = models.ForeignKey(
        "centers.Room", on_delete=models.PROTECT, related_name="wishes", verbose_name=_("room")
    )
    # The rule in the center's wall-clock time; the term gives its first and last day.
    frequency = models.CharField(_("repeats"), max_length=10, default="weekly")
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    weekdays = models.JSONField(_("weekdays"), default=list)
    monthly_mode = models.CharField(_("monthly"), max_length=20, blank=True)
    monthly_position = models.SmallIntegerField(_("which weekday of the month"), null=True)
    monthly_day = models.PositiveSmallIntegerField(_("day of the month"), null=True)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    expected_participants = models.PositiveIntegerField(_("expected participants"), default=1)
    equipment = models.ManyToManyField(
        "centers.Equipment", verbose_name=_("equipment needed"), blank=True
    )
    meets_on_public_holidays = models.BooleanField(_("meets on public holidays"), default=False)
    pauses_in_school_holidays = models.BooleanField(_("pauses in school holidays"), default=False)
    note = models.TextField(_("note to staff"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    answer = models.CharField(
        _("answer"), max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.OPEN
    )
    outcome_note = models.CharField(_("reason"), max_length=300, blank=True)
    result = models.ForeignKey(
        "bookings.Series",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booking series"),
    )

    class Meta:
        verbose_name = _("wish for the next term")
        verbose_name_plural = _("wishes for the next term")
        ordering = ["round", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="wish_starts_before_it_ends"
            ),
            models.UniqueConstraint(
                fields=["round", "source"],
                condition=Q(source__isnull=False),
                name="wish_one_continuation_per_series",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.group.name

    @property
    def is_active(self) -> bool:
        """Still wanted: not ended by the group (or staff)."""
        return self.answer != self.Answer.END

    def rule(self, first_day: date, last_day: date) -> RecurrenceRule:
        """The wish as a rule from `first_day` to `last_day` (the term, or what is left of it)."""
        return RecurrenceRule(
            start_date=first_day,
            start_time=self.start_time,
            end_time=self.end_time,
            frequency=self.frequency,
            interval=self.interval,
            weekdays=tuple(self.weekdays or ()),
            monthly_mode=self.monthly_mode or "",
            monthly_position=self.monthly_position,
            monthly_day=self.monthly_day,
            until=last_day,
        )
