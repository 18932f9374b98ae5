"""The REST API, version 1, under /api/v1/. Unknown addresses below it answer a problem
document (404), not the HTML page."""

from django.urls import path, re_path

from .problems import not_found
from .views import docs, personal, public, staff

app_name = "api"
urlpatterns = [
    path("schema/", docs.Schema.as_view(), name="schema"),
    path("docs/", docs.Docs.as_view(), name="docs"),
    # public
    path("centers/", public.CenterList.as_view(), name="center-list"),
    path("centers/<slug:slug>/", public.CenterDetail.as_view(), name="center-detail"),
    path("centers/<slug:slug>/rooms/", public.RoomList.as_view(), name="center-rooms"),
    path("centers/<slug:slug>/groups/", public.GroupList.as_view(), name="center-groups"),
    path("centers/<slug:slug>/dates/", public.CenterDates.as_view(), name="center-dates"),
    path("centers/<slug:slug>/closures/", public.CenterClosures.as_view(), name="center-closures"),
    path("groups/<slug:slug>/", public.GroupDetail.as_view(), name="group-detail"),
    path("groups/<slug:slug>/dates/", public.GroupDates.as_view(), name="group-dates"),
    # leaders (and staff: the same rights as on the pages)
    path("me/", personal.Me.as_view(), name="me"),
    path("me/groups/", personal.MyGroups.as_view(), name="my-groups"),
    path("series/", personal.SeriesList.as_view(), name="series-list"),
    path("series/<id:pk>/", personal.SeriesDetail.as_view(), name="series-detail"),
    path("dates/", personal.DateList.as_view(), name="date-list"),
    path("dates/<id:pk>/", personal.DateDetail.as_view(), name="date-detail"),
    path("dates/<id:pk>/cancel/", personal.DateCancel.as_view(), name="date-cancel"),
    path("dates/<id:pk>/move/", personal.DateMove.as_view(), name="date-move"),
    path("dates/<id:pk>/reinstate/", personal.DateReinstate.as_view(), name="date-reinstate"),
    path("requests/", personal.RequestCreate.as_view(), name="request-create"),
    path("requests/preview/", personal.RequestPreview.as_view(), name="request-preview"),
    # staff
    path("queue/", staff.Queue.as_view(), name="queue"),
    path("series/<id:pk>/confirm/", staff.SeriesConfirm.as_view(), name="series-confirm"),
    path("series/<id:pk>/decline/", staff.SeriesDecline.as_view(), name="series-decline"),
    path("dates/<id:pk>/confirm/", staff.DateConfirm.as_view(), name="date-confirm"),
    path("dates/<id:pk>/decline/", staff.DateDecline.as_view(), name="date-decline"),
    path("closures/", staff.ClosureList.as_view(), name="closure-list"),
    path("closures/<id:pk>/", staff.ClosureDetail.as_view(), name="closure-detail"),
    re_path(r"^.*$", not_found),
]
