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
