"""What the planning views share: the center resolved before anything else (404 for staff of
other centers, whatever the method), errors as messages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from centers.permissions import access_center

View = Callable[..., HttpResponse]


def staff_view(*, methods: tuple[str, ...] = ("GET", "HEAD")) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
            center = access_center(request.user, slug)
            if request.method not in methods:
                return HttpResponseNotAllowed(list(methods))
            return view(request, center, **kwargs)

        return wrapper

    return decorate


def add_errors(form: Form, error: ValidationError) -> None:
    """A service's errors on the fields they name, the rest on top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def refused(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)
