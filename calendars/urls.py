"""Calendar feeds, mounted at /feeds/. The addresses are a public contract: calendar apps keep
polling them for years, so they never change."""

from django.urls import path

from . import views as feeds

app_name = "feeds"
urlpatterns = [
    path("group/<slug:slug>.ics", feeds.group_feed, name="group"),
    path("room/<id:room_id>.ics", feeds.room_feed, name="room"),
    path("center/<slug:slug>.ics", feeds.center_feed, name="center"),
    path("private/<slug:token>.ics", feeds.private_feed, name="private"),
    path("occurrence/<id:occurrence_id>.ics", feeds.occurrence_ics, name="occurrence"),
]
