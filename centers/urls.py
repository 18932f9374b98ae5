from django.urls import path

from . import views

app_name = "centers"
urlpatterns = [
    path("<slug:slug>/", views.center_detail, name="detail"),
    path("<slug:slug>/program/", views.center_program, name="program"),
    path("<slug:slug>/rooms/<id:room_id>/", views.room_detail, name="room"),
]
