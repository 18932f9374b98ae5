"""The signed-in person's profile, under /profile/."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("feed/rotate/", views.feed_rotate, name="feed_rotate"),
    path("feed/revoke/", views.feed_revoke, name="feed_revoke"),
]
