"""The embeddable program, under /embed/."""

from django.urls import path

from .views import embed

app_name = "embed"
urlpatterns = [
    path("embed.js", embed.script, name="script"),
    path("theme.css", embed.theme_css, name="theme"),
    path("<slug:slug>/", embed.frame, name="frame"),
    path("<slug:slug>/fragment/", embed.fragment, name="fragment"),
]
