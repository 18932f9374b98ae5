from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """The iCalendar feeds (under /feeds/) that residents and leaders subscribe to."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "calendars"
    verbose_name = _("Calendar feeds")

    def ready(self) -> None:
        from calendars import versions

        versions.connect()
