"""Group leaders' pages, under /me/."""

from django.urls import path

from . import views as leader

app_name = "leader"
urlpatterns = [
    path("", leader.dashboard, name="dashboard"),
    path("request/", leader.request_create, name="request"),
    path("request/preview/", leader.request_preview, name="request_preview"),
    path("series/<int:pk>/", leader.series_detail, name="series"),
    path("series/<int:pk>/end/", leader.series_end, name="series_end"),
    path("series/<int:pk>/withdraw/", leader.series_withdraw, name="series_withdraw"),
    path("series/<int:pk>/change/", leader.series_change, name="series_change"),
    path("series/<int:pk>/holidays/", leader.series_holidays, name="series_holidays"),
    path("dates/<int:pk>/cancel/", leader.occurrence_cancel, name="occurrence_cancel"),
    path("dates/<int:pk>/move/", leader.occurrence_move, name="occurrence_move"),
    path("dates/<int:pk>/reinstate/", leader.occurrence_reinstate, name="occurrence_reinstate"),
    path("rooms/", leader.room_list, name="rooms"),
    path("rooms/<int:pk>/", leader.room_occupancy, name="room"),
]
