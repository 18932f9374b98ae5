"""Personal API tokens, under /profile/api-tokens/ (the panel is on the profile page)."""

from django.urls import path

from .views import tokens

app_name = "api_tokens"
urlpatterns = [
    path("", tokens.token_create, name="create"),
    path("<id:pk>/revoke/", tokens.token_revoke, name="revoke"),
]
