"""Personal API tokens and the open-data licence of a center's public program."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal token for the REST API, shown once and stored as its SHA-256 only.

    The token acts as its person, with their current rights (a leader who loses a group loses
    it through the API too); its scope can only narrow that: a read-only token never writes.
    Services live in `api.services`.
    """

    class Scope(models.TextChoices):
        READ = "read", _("read only")
        WRITE = "write", _("read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What you use it for."))
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the token, so that its owner can tell their tokens apart.
    prefix = models.CharField(_("begins with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.name}"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class Licence(models.TextChoices):
    """Open licences that fit public data, by SPDX identifier."""

    CC0 = "CC0-1.0", _("Creative Commons Zero (public domain)")
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0")
    DL_DE_ZERO = "DL-DE-ZERO-2.0", _("Data licence Germany – Zero – 2.0")
    DL_DE_BY = "DL-DE-BY-2.0", _("Data licence Germany – attribution – 2.0")
    ODBL = "ODbL-1.0", _("Open Database License 1.0")


LICENCE_URLS = {
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.DL_DE_ZERO: "https://www.govdata.de/dl-de/zero-2-0",
    Licence.DL_DE_BY: "https://www.govdata.de/dl-de/by-2-0",
    Licence.ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
}


class OpenData(models.Model):
    """Under which licence a center publishes its public program (set by its staff)."""

    center = models.OneToOneField(
        "centers.Center",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="open_data",
        verbose_name=_("center"),
    )
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, blank=True)
    attribution = models.CharField(
        _("attribution"),
        max_length=200,
        blank=True,
        help_text=_("How reusers name the source, e.g. “Stadt Dorsten, Begegnungszentrum”."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("open data licence")
        verbose_name_plural = _("open data licences")

    def __str__(self) -> str:
        return f"{self.center_id}: {self.licence or '-'}"

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")
