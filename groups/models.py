"""Who books: groups (with their leaders) and the organisations behind them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """The association or body that runs a group or a center."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("registered association")
        WELFARE = "welfare", _("welfare organisation")
        CHURCH = "church", _("church or parish")
        MUNICIPALITY = "municipality", _("municipality")
        MIGRANT = "migrant", _("migrant organisation")
        INITIATIVE = "initiative", _("initiative")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A language an offer is held in, by ISO 639-1 code."""

    code = models.CharField(_("ISO code"), max_length=8, primary_key=True)
    name_de = models.CharField(_("name (German)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name_de"]

    def __str__(self) -> str:
        return self.name_en if (get_language() or "de").startswith("en") else self.name_de


class Group(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("group meeting")
        COURSE = "course", _("course")
        COUNSELLING = "counselling", _("counselling hours")
        CAFE = "cafe", _("café")
        EVENT = "event", _("event")

    class Audience(models.TextChoices):
        ALL = "all", _("all ages")
        CHILDREN = "children", _("children")
        YOUTH = "youth", _("young people")
        ADULTS = "adults", _("adults")
        SENIORS = "seniors", _("seniors")
        FAMILIES = "families", _("families")
        WOMEN = "women", _("women")

    center = models.ForeignKey(
        "centers.Center", on_delete=models.PROTECT, related_name="groups", verbose_name=_("center")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages"), related_name="groups", blank=True
    )
    free_of_charge = models.BooleanField(_("free of charge"), default=True)
    fee = models.CharField(
        _("fee"), max_length=200, blank=True, help_text=_("For example “3 € per meeting”.")
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Public groups appear in the program and the public calendar feeds."),
    )
    usual_size = models.PositiveIntegerField(_("usual number of participants"), default=10)
    contact_name = models.CharField(_("public contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("public phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("public e-mail"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("run by"),
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partners"), related_name="partner_groups", blank=True
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="GroupLeader",
        verbose_name=_("leaders"),
        related_name="led_groups",
        blank=True,
    )
    calendar = models.OneToOneField(
        "schedule.Calendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="treffpunkt_group",
        verbose_name=_("calendar"),
        editable=False,
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(free_of_charge=True) | ~Q(fee=""), name="group_fee_or_free"
            ),
            models.CheckConstraint(condition=Q(usual_size__gt=0), name="group_usual_size_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", kwargs={"slug": self.slug})

    @property
    def cost_display(self) -> str:
        return str(_("free of charge")) if self.free_of_charge else self.fee


class GroupLeader(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("leader")
        DEPUTY = "deputy", _("deputy")

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="leaderships", verbose_name=_("group")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="leaderships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.LEADER)

    class Meta:
        verbose_name = _("group leader")
        verbose_name_plural = _("group leaders")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="groupleader_unique_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.group} ({self.get_role_display()})"
