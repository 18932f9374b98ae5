"""What every API view shares: CORS for any origin (tokens, never cookies), ETag and 304 on
GET, the center's time zone for times in responses."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponseNotModified
from rest_framework import generics, mixins
from rest_framework.request import Request
from rest_framework.response import Response

from ..conditional import body_etag, none_match, stamp_etag

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, If-Match, If-None-Match",
    "Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
    "Access-Control-Expose-Headers": "ETag, Retry-After, WWW-Authenticate",
    "Access-Control-Max-Age": "3600",
}
PUBLIC_MAX_AGE = 60


class ApiView(generics.GenericAPIView):
    """Base of every endpoint. Views that can say cheaply whether anything changed implement
    `stamp()`; `etag` set during the request wins over the body hash."""

    public = False  # cacheable by shared caches (no token needed, same for everyone)

    def stamp(self) -> tuple | None:
        return None

    def not_modified(self, request: Request) -> Response | None:
        """A 304 before any real work, if the stamp says the client has this response."""
        stamp = self.stamp()
        if stamp is None:
            return None
        self.etag = stamp_etag(request, stamp)
        if none_match(request, self.etag):
            return Response(status=304)
        return None

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
            return response
        etag = getattr(self, "etag", None)
        if etag is None and response.status_code == 200:
            response.render()
            etag = body_etag(request, response.content)
        if etag is None:
            return response
        if response.status_code == 200 and none_match(request, etag):
            not_modified = HttpResponseNotModified()
            for name, value in CORS_HEADERS.items():
                not_modified[name] = value
            response = not_modified
        response["ETag"] = etag
        response["Cache-Control"] = (
            f"public, max-age={PUBLIC_MAX_AGE}"
            if self.public and not request.auth
            else "private, no-cache"
        )
        response["Vary"] = "Accept-Language, Authorization"
        return response


class ListView(mixins.ListModelMixin, ApiView):
    """A paginated list (so the schema says so too); views still write their own `get`."""
