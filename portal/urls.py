"""Group leaders' pages, under /me/."""

from django.urls import path

from . import views as leader

app_name = "leader"
urlpatterns = [
    path("", leader.dashboard, name="dashboard"),
    path("request/", leader.request_create, name="request"),
    path("request/preview/", leader.request_preview, name="request_preview"),
    path("series/<id:pk>/", leader.series_detail, name="series"),
    path("series/<id:pk>/end/", leader.series_end, name="series_end"),
    path("series/<id:pk>/withdraw/", leader.series_withdraw, name="series_withdraw"),
    path("series/<id:pk>/change/", leader.series_change, name="series_change"),
    path("series/<id:pk>/holidays/", leader.series_holidays, name="series_holidays"),
    path("dates/<id:pk>/cancel/", leader.occurrence_cancel, name="occurrence_cancel"),
    path("dates/<id:pk>/move/", leader.occurrence_move, name="occurrence_move"),
    path("dates/<id:pk>/reinstate/", leader.occurrence_reinstate, name="occurrence_reinstate"),
    path("rooms/", leader.room_list, name="rooms"),
    path("rooms/<id:pk>/", leader.room_occupancy, name="room"),
]
