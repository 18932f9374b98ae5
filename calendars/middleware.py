"""The feeds' short way through the stack, as WhiteNoise's for static files.

A calendar feed needs no session, user, CSRF token, messages or negotiated language: its
language is `?lang=`, its access the token in its address. Calendar apps poll every feed every
few hours, so on a big center feeds are most of the requests — and under load the dozen
middlewares a page needs cost more than answering a conditional request. This middleware sits
right after WhiteNoise (security headers and CSP still apply) and calls the feed views itself;
a feed that is not found, and everything else, goes down the whole stack (so a 404 is the
site's own page).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, URLResolver
from django.urls.resolvers import RegexPattern

PREFIX = "/feeds/"


class FeedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.resolver = URLResolver(RegexPattern(rf"^{PREFIX}"), "calendars.urls")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        try:
            match = self.resolver.resolve(request.path_info)
            response = match.func(request, *match.args, **match.kwargs)
        except (Resolver404, Http404):
            return self.get_response(request)
        # What CommonMiddleware and XFrameOptionsMiddleware would have added.
        if not response.streaming and not response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response
