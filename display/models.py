"""Per-center settings of the screens and door signs, and the no-shows the check-in reveals.

- `DisplaySettings`: the short notice staff put on the screens, the screens' language and the
  check-in rules. Its `version` is raised by every change the screens show that is not a change
  of the plan (notice, language, a released room), so a screen's ETag is plan version + this.
- `NoShow`: a confirmed date nobody checked in for 30 minutes after its start. Kept as a note
  beside the date — the booking itself stays as it was: a no-show is not a cancellation.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ScreenLanguage(models.TextChoices):
    BOTH = "de+en", _("German with English beside it")
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class DisplaySettings(models.Model):
    center = models.OneToOneField(
        "centers.Center",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="display_settings",
        verbose_name=_("center"),
    )
    notice = models.CharField(
        _("notice on the screens"),
        max_length=200,
        blank=True,
        help_text=_("A short line for the foyer screen and the door signs; empty for none."),
    )
    language = models.CharField(
        _("language of the screens"),
        max_length=5,
        choices=ScreenLanguage.choices,
        default=ScreenLanguage.BOTH,
    )
    check_in = models.BooleanField(
        _("groups check in at the door"),
        default=False,
        help_text=_(
            "Dates without a check-in 30 minutes after their start are shown on the board and "
            "noted as no-shows."
        ),
    )
    # When check-in was last switched on: dates that started before are never no-shows.
    check_in_since = models.DateTimeField(_("check-in in use since"), null=True, blank=True)
    release_no_shows = models.BooleanField(
        _("release rooms of no-shows for walk-in use"),
        default=False,
        help_text=_("The screens then show the room as free for the rest of that date."),
    )
    version = models.PositiveBigIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("screen settings")
        verbose_name_plural = _("screen settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(release_no_shows=False) | Q(check_in=True),
                name="displaysettings_release_needs_check_in",
            ),
        ]

    def __str__(self) -> str:
        return str(self.center)


class NoShow(models.Model):
    occurrence = models.OneToOneField(
        "bookings.Occurrence",
        on_delete=models.CASCADE,
        related_name="no_show",
        verbose_name=_("date"),
    )
    noted_at = models.DateTimeField(_("noted at"))
    # Set when the center released the room for walk-in use for the rest of the date.
    released_at = models.DateTimeField(_("room released at"), null=True, blank=True)
    # The group came after all (checked in late): kept, but no longer counted as a no-show.
    arrived_at = models.DateTimeField(_("arrived late at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("no-show")
        verbose_name_plural = _("no-shows")
        ordering = ["-noted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(released_at__gte=F("noted_at")),
                name="noshow_released_after_noted",
            ),
        ]
        indexes = [models.Index(fields=["noted_at"])]

    def __str__(self) -> str:
        return f"{self.occurrence_id}: {self.noted_at:%Y-%m-%d %H:%M}"

    @property
    def counts(self) -> bool:
        return self.arrived_at is None

    @property
    def is_released(self) -> bool:
        return self.released_at is not None and self.arrived_at is None
