"""Leaders' planning pages, mounted at /me/planning/ (before the portal)."""

from django.urls import path

from .views import leader

app_name = "planning"
urlpatterns = [
    path("", leader.rounds, name="rounds"),
    path("<id:pk>/", leader.round_detail, name="round"),
    path("<id:pk>/wishes/<id:wish>/answer/", leader.answer, name="answer"),
    path("<id:pk>/wish/", leader.wish_new, name="wish_new"),
]
