"""The project itself as an app: what must be set up once the other apps are loaded."""

from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectConfig(AppConfig):
    name = "config"
    label = "treffpunkt"
    verbose_name = "Treffpunkt"

    def ready(self) -> None:
        from django.contrib import admin
        from django.urls import register_converter

        from . import lookups  # noqa: F401  (registers the guarded `in` lookup)
        from .converters import IdConverter

        # `<id:pk>` in every app's urls.py: ids that fit 64 bits. Here, before any urls.py
        # is imported.
        register_converter(IdConverter, "id")

        # django-scheduler's mirror models link "view on site" to calendar pages that
        # Treffpunkt does not serve.
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label == "schedule":
                model_admin.view_on_site = False


class LoginProtectionConfig(AxesConfig):
    """django-axes under a name of our own: its admin section read "Axes" in every language."""

    verbose_name = _("Login protection")
