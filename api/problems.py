"""Errors as RFC 9457 problem details (application/problem+json), for every API error.

    {"type": "about:blank", "title": "Conflict", "status": 409, "detail": "…",
     "instance": "/api/v1/dates/7/cancel/", "code": "stale", "errors": {"reason": ["…"]}}

`code` names the problem for programs; `errors` lists invalid fields (400); `current_version`
comes with a stale edit (409 from a version field, 412 from If-Match).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from bookings.errors import BookingConflict, StaleEdit, is_decided_meanwhile, is_stale
from bookings.locking import BookingBusy

PROBLEM_JSON = "application/problem+json"
TITLES = {
    400: gettext_lazy("Invalid input"),
    401: gettext_lazy("Not authenticated"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    406: gettext_lazy("Not acceptable"),
    409: gettext_lazy("Conflict"),
    412: gettext_lazy("Precondition failed"),
    415: gettext_lazy("Unsupported media type"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}


def problem(
    status_code: int,
    detail: str,
    *,
    instance: str = "",
    code: str = "",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": str(TITLES.get(status_code, "")),
        "status": status_code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if code:
        body["code"] = code
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_JSON)


def _messages(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for m in DjangoValidationError(errs).messages]
            for field, errs in error.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


def _flatten(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error detail as {field: [messages]} (nested fields joined with dots)."""
    out: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}" if prefix else str(index), inner)
        else:
            items = value if isinstance(value, list) else [value]
            out.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in items)

    walk("", detail)
    return out


def _service_error(error: DjangoValidationError, request: Any, instance: str) -> Response:
    if is_stale(error):
        current = getattr(error, "current", None)
        via_header = bool(request is not None and request.headers.get("If-Match"))
        return problem(
            status.HTTP_412_PRECONDITION_FAILED if via_header else status.HTTP_409_CONFLICT,
            " ".join(str(m) for m in error.messages),
            instance=instance,
            code="stale",
            current_version=current,
        )
    if isinstance(error, BookingBusy):
        return problem(
            status.HTTP_409_CONFLICT,
            " ".join(str(m) for m in error.messages),
            instance=instance,
            code="busy",
            headers={"Retry-After": "2"},
        )
    if is_decided_meanwhile(error):
        return problem(
            status.HTTP_409_CONFLICT,
            " ".join(str(m) for m in error.messages),
            instance=instance,
            code="decided_meanwhile",
        )
    errors = _messages(error)
    return problem(
        status.HTTP_400_BAD_REQUEST,
        _("The request has invalid fields; nothing was changed."),
        instance=instance,
        code="invalid",
        errors=errors,
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, StaleEdit | DjangoValidationError):
        return _service_error(exc, request, instance)
    if isinstance(exc, BookingConflict):
        return problem(
            status.HTTP_409_CONFLICT,
            exc.message,
            instance=instance,
            code="conflict",
            dates=[d.isoformat() for d in exc.dates],
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not yours to see."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django's 500 handling and logging take over
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            status.HTTP_400_BAD_REQUEST,
            _("The request has invalid fields; nothing was changed."),
            instance=instance,
            code="invalid",
            errors=_flatten(exc.detail),
        )
    detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
    if isinstance(exc, exceptions.NotAuthenticated):
        detail = _("This needs a personal API token: send “Authorization: Bearer <token>”.")
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else ""
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After")}
    return problem(
        response.status_code,
        str(detail),
        instance=instance,
        code=code if isinstance(code, str) else "",
        headers=headers,
    )


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown addresses under /api/v1/: a problem document, not the HTML 404 page."""
    body = {
        "type": "about:blank",
        "title": str(TITLES[404]),
        "status": 404,
        "detail": _("There is no such API address. The schema lists them all: /api/v1/schema/"),
        "instance": request.path,
        "code": "not_found",
    }
    response = JsonResponse(body, status=404, content_type=PROBLEM_JSON)
    response["Access-Control-Allow-Origin"] = "*"
    return response
