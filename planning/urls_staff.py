"""Staff planning pages, mounted at /staff/<center>/planning/ (before the console)."""

from django.urls import path

from .views import staff

app_name = "planning_staff"
urlpatterns = [
    path("", staff.index, name="index"),
    path("terms/", staff.terms, name="terms"),
    path("terms/<id:pk>/", staff.term_edit, name="term_edit"),
    path("school-holidays/", staff.school_holidays, name="school_holidays"),
    path("school-holidays/opening/", staff.holiday_opening, name="holiday_opening"),
    path("<id:pk>/", staff.round_detail, name="round"),
    path("<id:pk>/stop/", staff.round_stop, name="round_stop"),
    path("<id:pk>/allocate/", staff.allocate, name="allocate"),
    path("<id:pk>/allocate/status/", staff.allocate_status, name="allocate_status"),
    path("<id:pk>/wishes/<id:wish>/resolve/", staff.resolve, name="resolve"),
    path("<id:pk>/finish/", staff.finish, name="finish"),
]
