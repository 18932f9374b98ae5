"""The transactional outbox (one row per e-mail to one person) and staff notes about a series.

An `OutboxMessage` is written in the same transaction as the change it reports, already rendered
in the recipient's language, so a broker outage can delay it but never lose it. `event_key`
names the event (not the attempt): the unique constraint over (kind, event_key, recipient) is
what makes "nobody gets the same e-mail twice" a database guarantee rather than a hope.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REQUEST_RECEIVED = "request_received", _("request received")
    REQUEST_CONFIRMED = "request_confirmed", _("request confirmed")
    REQUEST_PARTLY_CONFIRMED = "request_partly_confirmed", _("request partly confirmed")
    REQUEST_DECLINED = "request_declined", _("request declined")
    DATE_MOVED = "date_moved", _("date moved")
    DATE_CANCELLED = "date_cancelled", _("date cancelled")
    DATE_DECLINED = "date_declined", _("date declined")
    REMINDER = "reminder", _("reminder of a changed date")
    DIGEST = "digest", _("weekly digest")
    MESSAGE = "message", _("message from staff")
    HOLIDAYS_CHANGED = "holidays_changed", _("dates skipped or back for holidays")
    PLANNING_INVITATION = "planning_invitation", _("next term: please confirm")
    PLANNING_RESULT = "planning_result", _("next term: the allocation")


class Status(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutboxMessage(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # What happened, independent of the recipient and of delivery attempts (see module docstring).
    event_key = models.CharField(_("event"), max_length=64)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="outbox_messages",
        verbose_name=_("recipient"),
    )
    # Snapshot: the address the message was rendered for, kept even if the person changes it.
    recipient_email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # What the message is about; staff see the outbox of their centers only.
    center = models.ForeignKey(
        "centers.Center",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("center"),
    )
    series = models.ForeignKey(
        "bookings.Series",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("booking series"),
    )
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "event_key", "recipient"], name="outbox_once_per_event_recipient"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="outbox_sent_has_time",
            ),
        ]
        indexes = [
            # The every-minute sweep: pending rows that are due.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_email}"


class Message(models.Model):
    """A note from staff to a group's leaders about one series, shown on both dashboards."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="sent_series_messages",
        verbose_name=_("from"),
    )
    series = models.ForeignKey(
        "bookings.Series",
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("booking series"),
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="message_body_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.series}: {self.body[:40]}"
