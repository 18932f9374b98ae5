"""Project-wide middleware."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.apps import apps
from django.contrib.admin import helpers
from django.contrib.admin.options import TO_FIELD_VAR
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
)
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from config.forms import DATE_MAX, DATE_MIN, INT_MAX, date_range_message

DATE_PARTS = ("__year", "__month", "__day")
ISO_DATE = re.compile(r"\s*(?P<year>\d{1,4})-\d{1,2}-\d{1,2}")


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) <= INT_MAX


FORM_PAGE = re.compile(r"/(?P<app>\w+)/(?P<model>\w+)/(?:add|[^/]+/change)/$")


def _related_fields_of_form_page(path: str) -> set[str]:
    """Names of the relation fields of the model an admin add or change page edits."""
    match = FORM_PAGE.search(path)
    if match is None:
        return set()
    try:
        model = apps.get_model(match["app"], match["model"])
    except LookupError:
        return set()
    return {f.name for f in model._meta.get_fields() if f.is_relation and f.concrete}


class AdminParameterGuard:
    """Refuse two admin parameters that Django 5.2 passes to the database unchecked (a 500):

    - an empty `_to_field` is looked up as a field named "" (FieldDoesNotExist);
    - the ids ticked for an action (`_selected_action`) go straight into `pk__in`: "abc" is a
      ValueError, an id beyond 64 bits an OverflowError on SQLite. Every model in our admin
      has integer ids, so anything else is a forged request;
    - a date hierarchy's `…__year`, `…__month`, `…__day` become a datetime, which catches a
      ValueError but not the OverflowError of a 20-digit year;
    - a list filter's date (`…__gte=0001-01-01`) is made time-zone aware: OverflowError for
      the first and last days of the calendar. Dates outside config.forms' range are refused;
    - a NUL byte in the address (an object id) or a parameter (the search) reaches PostgreSQL,
      which cannot store it in text: DataError. Nobody types one;
    - an add or change form, prefilled from the address (`…/add/?organisation=1e309`) or sent
      back with errors, looks up the objects of a foreign key or many-to-many field with
      whatever is given: only ids (or nothing) pass.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(reverse("admin:index")):
            return self.get_response(request)
        if "\x00" in request.path or any(
            "\x00" in value
            for values in (request.GET, request.POST if request.method == "POST" else {})
            for value in (v for key in values for v in values.getlist(key))
        ):
            return self._refuse(_("The request contains a NUL character."))
        for name, value in request.GET.items():
            if name.endswith(DATE_PARTS) and not (value.isascii() and value.isdigit()):
                return self._refuse(_("%(name)s must be a number.") % {"name": name})
            if name.endswith(DATE_PARTS) and len(value) > 4:
                return self._refuse(_("%(name)s is out of range.") % {"name": name})
            day = ISO_DATE.match(value)
            if day and not DATE_MIN.year <= int(day["year"]) <= DATE_MAX.year:
                return self._refuse(date_range_message())
        sources = [request.GET]
        if request.method == "POST":
            sources.append(request.POST)
        for values in sources:
            if TO_FIELD_VAR in values and not values[TO_FIELD_VAR]:
                return self._refuse(
                    _("The parameter %(name)s must not be empty.") % {"name": TO_FIELD_VAR}
                )
            selected = values.getlist(helpers.ACTION_CHECKBOX_NAME)
            if not all(_is_id(value) for value in selected):
                return self._refuse(_("The selection contains something that is not an id."))
        related = _related_fields_of_form_page(request.path)
        for values in sources:
            for name in related & set(values):
                given = [v for value in values.getlist(name) for v in value.split(",") if v]
                if not all(_is_id(v) for v in given):
                    return self._refuse(_("%(name)s must be an id.") % {"name": name})
        return self.get_response(request)

    def _refuse(self, message: str) -> HttpResponse:
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # "View on site" (/admin/r/…) of django-scheduler's mirror models reverses URLs of
        # scheduler pages that Treffpunkt does not serve: there is no such page, so 404.
        if isinstance(exception, NoReverseMatch) and request.path.startswith(
            reverse("admin:index")
        ):
            return HttpResponseNotFound(
                _("This object has no page on the site."), content_type="text/plain; charset=utf-8"
            )
        return None
