"""Open data at stable addresses, under /open-data/."""

from django.urls import path

from .views import opendata

app_name = "opendata"
urlpatterns = [
    path("<slug:slug>/events.jsonld", opendata.events_jsonld, name="jsonld"),
    path("<slug:slug>/events.csv", opendata.events_csv, name="csv"),
    path("<slug:slug>/licence/", opendata.licence_set, name="licence"),
]
