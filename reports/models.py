"""Who sees reports beyond the staff of a center: coordinators of an organisation.

A coordinator sees the figures of the organisation's groups in every center (Herten's house has
three operators, each reporting to its own funders) and nothing else: no other group, no
center-wide totals, no names. Administrators assign coordinators in the admin.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Coordinator(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinations",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "groups.Organisation",
        on_delete=models.CASCADE,
        related_name="coordinators",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="coordinator_unique_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"
