"""Screens and door signs, mounted at /display/ (public: what a screen in the house shows)."""

from django.urls import path

from . import views

app_name = "display"
urlpatterns = [
    path("<slug:slug>/", views.foyer, name="foyer"),
    path("<slug:slug>/room/<id:room_id>/", views.door, name="door"),
    path("<slug:slug>/room/<id:room_id>/week.pdf", views.door_pdf, name="door_pdf"),
    path("<slug:slug>/room/<id:room_id>/check-in/<id:pk>/", views.check_in, name="check_in"),
]
