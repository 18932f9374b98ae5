"""The transactional outbox (one row per e-mail to one person) and staff notes about a series.

An `OutboxMessage` is written in the same transaction as the change it reports, so a broker
outage can delay it but never lose it. It stores the event (`payload`: the dates as they were,
who acted, why), not the e-mail: rendering takes milliseconds per recipient and must not happen
while the booking holds its locks. The dispatcher renders it in the recipient's language when it
sends it and keeps the text on the row. `event_key` names the event (not the attempt): the
unique constraint over (kind, event_key, recipient) is what makes "nobody gets the same e-mail
twice" a database guarantee rather than a hope.

A dispatcher claims a row for a while (`claimed_until`, `claim_token`) in one short statement,
talks to the mail server outside any transaction, then records the result only if it still
holds the claim. A claim that expires (the worker died) makes the row claimable again.
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
    ATTENDANCE_REMINDER = "attendance_reminder", _("how many came?")


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
    # What happened (see notifications.events); the e-mail is rendered from it when it is sent.
    payload = models.JSONField(_("event data"), default=dict, blank=True)
    # Empty until the dispatcher rendered the e-mail; then exactly what was (or will be) sent.
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    # The iTIP invitation or update (calendars.invitations), rendered with the bodies; "" = none.
    calendar = models.TextField(_("calendar invitation"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # A dispatcher's lease: nobody else sends this row before it expires.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim_token = models.UUIDField(_("claim"), null=True, blank=True, editable=False)

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
