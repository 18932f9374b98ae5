"""Staff pages, included at /staff/. Every address below a center's slug answers 404 to staff of
other centers (see console.views.center_view)."""

from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/requests/", views.requests, name="requests"),
    path("<slug:slug>/requests/<id:pk>/", views.request_detail, name="request"),
    path("<slug:slug>/requests/<id:pk>/confirm/", views.request_confirm, name="request_confirm"),
    path("<slug:slug>/requests/<id:pk>/decline/", views.request_decline, name="request_decline"),
    path("<slug:slug>/requests/<id:pk>/message/", views.request_message, name="request_message"),
    path("<slug:slug>/requests/<id:pk>/dates/", views.request_dates, name="request_dates"),
    path("<slug:slug>/requests/<id:pk>/room/", views.request_use_room, name="request_use_room"),
    path("<slug:slug>/dates/<id:pk>/move/", views.date_move, name="date_move"),
    path("<slug:slug>/dates/<id:pk>/decline/", views.date_decline, name="date_decline"),
    path("<slug:slug>/board/", views.board, name="board"),
    path("<slug:slug>/closures/", views.closures, name="closures"),
    path("<slug:slug>/closures/<id:pk>/", views.closure_edit, name="closure_edit"),
    path("<slug:slug>/closures/<id:pk>/delete/", views.closure_delete, name="closure_delete"),
    path("<slug:slug>/week/", views.week, name="week"),
    path("<slug:slug>/week.pdf", views.week_pdf, name="week_pdf"),
]
