"""Recording attendance, under /attendance/ (leaders of the group and staff of its center)."""

from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("<id:pk>/", views.record, name="record"),
    path("<id:pk>/quick/", views.quick, name="quick"),
]
