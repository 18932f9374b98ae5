"""The staff's screen settings, mounted at /staff/<center>/display/ (before the console)."""

from django.urls import path

from . import views

app_name = "display_staff"
urlpatterns = [path("", views.staff_settings, name="settings")]
