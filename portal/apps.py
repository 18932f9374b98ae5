from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The group leaders' pages (under /me/): requests, their series, room occupancy."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("Group leaders")
