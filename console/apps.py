from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    """The staff console (under /staff/): queue, decisions, board, closures, weekly plan."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "console"
    verbose_name = _("Staff console")
