"""The custom user: one account per person, with the language they read e-mails and pages in."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import Group as AuthGroup
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="de",
        help_text=_("Pages and e-mails are shown in this language."),
    )
    email_notifications = models.BooleanField(
        _("e-mail notifications"),
        default=True,
        help_text=_("Send me an e-mail when staff decide on my requests or a date changes."),
    )
    # iTIP (RFC 5546): confirmations and later changes carry the series for the calendar app.
    calendar_invitations = models.BooleanField(
        _("calendar invitations"),
        default=True,
        help_text=_("Attach confirmed series as calendar invitations to my e-mails."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class FeedToken(models.Model):
    """A secret calendar-feed address: "my bookings" of a leader or a center's staff calendar.

    Only the SHA-256 of the token is stored: a leaked database does not leak working feed URLs.
    Services live in `accounts.tokens`.
    """

    class Kind(models.TextChoices):
        LEADER = "leader", _("my bookings")
        STAFF = "staff", _("staff calendar of a center")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="feed_tokens", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    center = models.ForeignKey(
        "centers.Center",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feed_tokens",
        verbose_name=_("center"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="staff") & Q(center__isnull=False))
                | (Q(kind="leader") & Q(center__isnull=True)),
                name="feedtoken_center_only_for_staff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()}"


class PermissionGroup(AuthGroup):
    """Django's permission groups under their own name: in the admin, "Gruppen" is already
    taken by the groups that book rooms."""

    class Meta:
        proxy = True
        verbose_name = _("permission group")
        verbose_name_plural = _("permission groups")
