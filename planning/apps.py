from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Terms, school holidays on the staff pages, and planning the next term in one sitting."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "planning"
    verbose_name = _("Planning the next term")

    def ready(self) -> None:
        # Registers this app's e-mail kinds with the outbox's dispatcher.
        from . import emails  # noqa: F401
