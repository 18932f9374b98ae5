from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    """Who came: the count (and breakdown) per date, recorded by leaders or at the door."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self) -> None:
        # Registers this app's e-mail kinds with the outbox's dispatcher.
        from . import jobs  # noqa: F401
