"""Centers, their rooms and equipment, opening hours and closures."""

import zoneinfo
from datetime import tzinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class FederalState(models.TextChoices):
    """German federal states, as ISO 3166-2:DE subdivision codes (what `holidays` expects)."""

    BW = "BW", _("Baden-Württemberg")
    BY = "BY", _("Bavaria")
    BE = "BE", _("Berlin")
    BB = "BB", _("Brandenburg")
    HB = "HB", _("Bremen")
    HH = "HH", _("Hamburg")
    HE = "HE", _("Hesse")
    MV = "MV", _("Mecklenburg-Western Pomerania")
    NI = "NI", _("Lower Saxony")
    NW = "NW", _("North Rhine-Westphalia")
    RP = "RP", _("Rhineland-Palatinate")
    SL = "SL", _("Saarland")
    SN = "SN", _("Saxony")
    ST = "ST", _("Saxony-Anhalt")
    SH = "SH", _("Schleswig-Holstein")
    TH = "TH", _("Thuringia")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def default_booking_horizon() -> int:
    """BOOKING_HORIZON_MONTHS (environment), the horizon a new center starts with."""
    return int(getattr(settings, "BOOKING_HORIZON_MONTHS", 12))


hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour like #1f6feb."))


class Center(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    district = models.CharField(_("district"), max_length=100, blank=True)
    directions = models.TextField(
        _("how to get there"), blank=True, help_text=_("Bus and tram stops, parking, entrance.")
    )
    operators = models.ManyToManyField(
        "groups.Organisation",
        verbose_name=_("operated by"),
        related_name="operated_centers",
        blank=True,
    )
    partners = models.ManyToManyField(
        "groups.Organisation",
        verbose_name=_("cooperation partners"),
        related_name="partner_centers",
        blank=True,
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Berlin", validators=[validate_time_zone]
    )
    federal_state = models.CharField(
        _("federal state"),
        max_length=2,
        choices=FederalState.choices,
        default=FederalState.NW,
        help_text=_("Public holidays of this state are taken into account."),
    )
    open_on_public_holidays = models.BooleanField(
        _("open on public holidays"),
        default=False,
        help_text=_(
            "If on, series that meet on public holidays keep those dates; all others skip them."
        ),
    )
    booking_horizon_months = models.PositiveSmallIntegerField(
        _("booking horizon (months)"),
        default=default_booking_horizon,
        help_text=_("Dates further ahead than this are never confirmed automatically."),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        related_name="staffed_centers",
        blank=True,
        help_text=_("These people manage this center's rooms, groups and bookings."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("centers:detail", kwargs={"slug": self.slug})

    @property
    def tz(self) -> tzinfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One opening period on a weekday; several rows per day allow a lunch break."""

    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("center")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["center", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="openinghours_opens_before_closes"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="openinghours_valid_weekday"
            ),
            models.UniqueConstraint(
                fields=["center", "weekday", "opens"], name="openinghours_unique_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


def equipment_label(name: str, name_en: str, language: str | None = None) -> str:
    """An equipment's name in `language` (default: the active one; the English name where
    there is one)."""
    from django.utils.translation import get_language

    if name_en and (language or get_language()) == "en":
        return name_en
    return name


class Equipment(models.Model):
    """Something a room offers and a group may need: kitchen, projector, piano…"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["name"]

    def __str__(self) -> str:
        return equipment_label(self.name, self.name_en)


class Room(models.Model):
    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("center")
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    floor = models.SmallIntegerField(_("floor"), default=0, help_text=_("0 = ground floor"))
    step_free = models.BooleanField(_("step-free access"), default=True)
    accessibility_notes = models.CharField(_("access notes"), max_length=300, blank=True)
    equipment = models.ManyToManyField(
        Equipment, verbose_name=_("equipment"), related_name="rooms", blank=True
    )
    bookable = models.BooleanField(_("bookable online"), default=True)
    requires_approval = models.BooleanField(
        _("requests need approval"),
        default=True,
        help_text=_("If off, requests without clashes are confirmed at once."),
    )
    setup_minutes = models.PositiveSmallIntegerField(_("setup buffer (minutes)"), default=0)
    cleanup_minutes = models.PositiveSmallIntegerField(_("cleanup buffer (minutes)"), default=0)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("part of"),
        help_text=_("For divisible rooms: the whole room this part belongs to."),
    )
    colour = models.CharField(_("colour"), max_length=7, default="#1f6feb", validators=[hex_colour])
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["center", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="room_capacity_positive"),
            models.CheckConstraint(
                condition=Q(setup_minutes__gte=0) & Q(cleanup_minutes__gte=0),
                name="room_buffers_not_negative",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="room_not_its_own_parent"),
            models.UniqueConstraint(fields=["center", "name"], name="room_unique_name_per_center"),
        ]
        # A room's parent must be in the same center: enforced by a database trigger
        # (migration centers/0002), since a foreign key cannot compare two columns.

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is not None:
            if self.parent.center_id != self.center_id:
                raise ValidationError(
                    {"parent": _("A room can only be part of a room in the same center.")}
                )
            if self.parent.parent_id is not None:
                raise ValidationError({"parent": _("A part cannot itself be divided further.")})
            if self.pk and self.parent_id == self.pk:
                raise ValidationError({"parent": _("A room cannot be part of itself.")})


class Closure(models.Model):
    """The center, or one room, is closed: summer break, renovation, staff training."""

    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="closures", verbose_name=_("center")
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("room"),
        help_text=_("Leave empty when the whole center is closed."),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Raised by every change (bookings.services.closures): edits made from an older one fail.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="closure_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["center", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return self.reason

    def clean(self) -> None:
        if self.room_id is not None and self.center_id and self.room.center_id != self.center_id:
            raise ValidationError({"room": _("This room belongs to another center.")})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The closure must end after it starts.")})


class SchoolHoliday(models.Model):
    """One period of school holidays in a federal state, e.g. "Herbstferien NRW 2027".

    Imported from the ministries' iCalendar files (`bookings.services.school_holidays_import`,
    which also skips and brings back the dates of series that pause in school holidays).
    """

    state = models.CharField(_("federal state"), max_length=2, choices=FederalState.choices)
    name = models.CharField(_("name"), max_length=200)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    uid = models.CharField(_("UID in the calendar file"), max_length=255, blank=True)
    source = models.CharField(_("imported from"), max_length=500, blank=True)
    # Sample data shipped with the demo: shown as such, never to be taken for the real dates.
    is_sample = models.BooleanField(_("sample data"), default=False)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("school holidays")
        verbose_name_plural = _("school holidays")
        ordering = ["state", "first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="schoolholiday_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["state", "name", "first_day"], name="schoolholiday_unique_period"
            ),
        ]
        indexes = [models.Index(fields=["state", "first_day", "last_day"])]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A center's term ("Winterhalbjahr 2026/27"): series may run for it and end with it."""

    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="terms", verbose_name=_("center")
    )
    name = models.CharField(_("name"), max_length=100)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    # Raised by every change (bookings.services.terms): edits made from an older one fail.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["center", "first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="term_ends_after_start"
            ),
            models.UniqueConstraint(fields=["center", "name"], name="term_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
