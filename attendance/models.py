"""Attendance per date: how many came, an optional breakdown, volunteer hours, check-in.

One row per occurrence at most. Counts only, never names (reports are for funders). The
breakdown keys are the categories a center configures (e.g. age bands); values are counts.
Writes go through `attendance.services`; simple-history keeps every change with who and why.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Attendance(models.Model):
    occurrence = models.OneToOneField(
        "bookings.Occurrence",
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("date"),
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    breakdown = models.JSONField(_("breakdown"), default=dict, blank=True)
    volunteer_hours = models.DecimalField(
        _("volunteer hours"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    # "We are here": set when a leader checks in at the door (QR code on the door sign).
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.CheckConstraint(
                condition=Q(volunteer_hours__isnull=True) | Q(volunteer_hours__gte=0),
                name="attendance_volunteer_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurrence_id}: {self.participants}"


class BreakdownCategory(models.Model):
    """A category a center counts its visitors by, e.g. "65 and older" under "Age".

    Categories of one `dimension` split the same people (their counts add up to at most the
    participants); a dimension with one category is a plain count ("first-time visitors").
    The breakdown of an `Attendance` stores counts under `key` ("c" + the category's pk), so
    renaming a category keeps its numbers. (Not the bare pk: JSON lookups read a key that
    looks like a number as an array index.)
    """

    center = models.ForeignKey(
        "centers.Center",
        on_delete=models.CASCADE,
        related_name="breakdown_categories",
        verbose_name=_("center"),
    )
    dimension = models.CharField(
        _("counted by"), max_length=60, help_text=_("For example “Age” or “Gender”.")
    )
    dimension_en = models.CharField(_("counted by (English)"), max_length=60, blank=True)
    name = models.CharField(_("category"), max_length=60)
    name_en = models.CharField(_("category (English)"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(
        _("asked for"),
        default=True,
        help_text=_("Inactive categories are no longer asked for; their numbers stay in reports."),
    )

    class Meta:
        verbose_name = _("breakdown category")
        verbose_name_plural = _("breakdown categories")
        ordering = ["center", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "dimension", "name"], name="breakdowncategory_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension_label}: {self.label}"

    @property
    def label(self) -> str:
        return self.name_en if _english() and self.name_en else self.name

    @property
    def dimension_label(self) -> str:
        return self.dimension_en if _english() and self.dimension_en else self.dimension

    @property
    def key(self) -> str:
        return f"c{self.pk}"


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "de").startswith("en")
