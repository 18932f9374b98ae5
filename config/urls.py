"""Top-level URLs. Pages are translated by the locale middleware, not by URL prefix, so feed
and subscribe links stay the same in every language."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from accounts import views as account_views
from centers import views as center_views

admin.site.site_header = "Treffpunkt"
admin.site.site_title = "Treffpunkt"


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for docker-compose: the process answers and the database is reachable."""
    from django.db import connection

    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", center_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # Before Django's auth URLs: the same addresses, landing on one's own pages after login,
    # resets braked (see accounts.throttle).
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        account_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("centers/", include("centers.urls")),
    path("groups/", include("groups.urls")),
    path("feeds/", include("calendars.urls")),
    path("me/planning/", include("planning.urls")),
    path("me/", include("portal.urls")),
    path("display/", include("display.urls")),
    path("staff/<slug:slug>/display/", include("display.urls_staff")),
    path("staff/<slug:slug>/planning/", include("planning.urls_staff")),
    path("staff/", include("console.urls")),
    path("attendance/", include("attendance.urls")),
    path("", include("reports.urls")),
    path("profile/api-tokens/", include("api.token_urls")),
    path("profile/", include("accounts.urls")),
    path("api/v1/", include("api.urls")),
    path("embed/", include("api.embed_urls")),
    path("open-data/", include("api.opendata_urls")),
]

handler404 = "centers.views.page_not_found"
handler500 = "centers.views.server_error"
