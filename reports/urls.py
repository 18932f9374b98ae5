"""Report pages, included at the site root: staff under /staff/<center>/reports/ (beside the
console's pages), coordinators under /reports/."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("staff/<slug:slug>/reports/", views.center_report, name="center"),
    path("staff/<slug:slug>/reports/export.<str:fmt>", views.center_export, name="center_export"),
    path("staff/<slug:slug>/reports/missing/", views.missing_counts, name="missing"),
    path("staff/<slug:slug>/reports/categories/", views.categories, name="categories"),
    path("reports/", views.index, name="index"),
    path("reports/organisations/<id:pk>/", views.organisation_report, name="organisation"),
    path(
        "reports/organisations/<id:pk>/export.<str:fmt>",
        views.organisation_export,
        name="organisation_export",
    ),
]
