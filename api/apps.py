from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API and open data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import register_converter

        from . import schema  # noqa: F401 - registers the Bearer scheme with drf-spectacular
        from .converters import IdConverter

        register_converter(IdConverter, "id")
