from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisplayConfig(AppConfig):
    """In the house: the foyer screen, door signs with QR codes and check-in at the door."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "display"
    verbose_name = _("Screens and door signs")
