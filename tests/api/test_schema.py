"""The OpenAPI schema is valid, lists every endpoint, and every endpoint keeps to it.

Schemathesis generates requests from the schema (property-based, Hypothesis) against every
operation, as anonymous caller, a leader and staff: no answer may be a 5xx, and every answer
must conform to the schema (status code, content type, headers, body). Generated ids and
slugs rarely exist, so each case also runs once more with the path pointing at real objects.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis import checks as st_checks
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bookings import services

SCHEMA_URL = "/api/v1/schema/?format=json"
ROLES = ("anonymous", "leader", "staff")


@pytest.fixture
def openapi(client) -> dict:
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_passes_an_openapi_validator(openapi):
    validate(openapi)  # raises OpenAPIValidationError when invalid
    assert openapi["openapi"].startswith("3.")


def _api_patterns() -> set[str]:
    """Every route under /api/v1/ except the schema, the docs and the catch-all 404."""
    found: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if route.startswith("api/v1/") and "^" not in route:
                    found.add("/" + route)

    walk(get_resolver().url_patterns, "")
    return found - {"/api/v1/schema/", "/api/v1/docs/"}


def test_every_api_route_is_in_the_schema(openapi):
    def normal(path: str) -> str:
        return re.sub(r"<[^>]*>|\{[^}]*\}", "{}", path)

    documented = {normal(path) for path in openapi["paths"]}
    routes = {normal(path) for path in _api_patterns()}
    assert routes and routes <= documented, routes - documented


def test_every_operation_documents_its_problems(openapi):
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for code in ("400", "401", "403", "404", "429"):
                assert code in responses, (method, path, code)
                assert "application/problem+json" in responses[code]["content"]
            if method == "get":
                assert "304" in responses, (method, path)


# --- Schemathesis: every operation, three roles ------------------------------------------------

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))
CONFORMANCE = [
    st_checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app(settings):
    """The real WSGI application on the test database. Like Django's test client, keep the
    request signals from closing the test's connection (and its transaction)."""
    settings.API_THROTTLE_RATES = {"ip": "1000000/min", "token": "1000000/min"}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _real_parameters(world) -> dict[str, object]:
    closure, _ = services.closure_create(
        user=world.staff,
        center=world.center,
        room=world.cafe,
        starts_at=datetime(2030, 3, 1, 8, tzinfo=UTC),
        ends_at=datetime(2030, 3, 1, 20, tzinfo=UTC),
        reason="Renovierung",
    )
    return {
        "/centers/": {"slug": world.center.slug},
        "/groups/": {"slug": world.group.slug},
        "/series/": {"id": world.series.pk},
        "/dates/": {"id": world.dates[1].pk},
        "/closures/": {"id": closure.pk},
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_keeps_to_the_schema(role, world, wsgi_app):
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, wsgi_app)
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world.tokens[role]}"}
    real = _real_parameters(world)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 29

    for operation in operations:
        prefix = operation.path.removeprefix("/api/v1")
        known = next((v for k, v in real.items() if prefix.startswith(k)), {})
        _conformance_test(operation, headers, known)()


@pytest.mark.parametrize("role", ROLES)
def test_data_the_schema_forbids_never_causes_a_server_error(role, world, wsgi_app):
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, wsgi_app)
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world.tokens[role]}"}
    real = _real_parameters(world)
    negated: list[bool] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        prefix = operation.path.removeprefix("/api/v1")
        known = next((v for k, v in real.items() if prefix.startswith(k)), {})
        try:
            _conformance_test(operation, headers, known, GenerationMode.NEGATIVE)()
        except Unsatisfiable:
            tested = False  # nothing the schema forbids here (no parameters, no body)
        else:
            tested = True
        negated.append(tested)
    assert sum(negated) >= 20, "most operations take input that can be made invalid"


def _conformance_test(
    operation, headers: dict, known: dict, mode: GenerationMode = GenerationMode.POSITIVE
):
    """A Hypothesis test for one operation: generated cases, and each again on real objects.
    Positive cases must conform to the schema; negative ones (data the schema forbids) must
    still never be answered with a server error."""
    checks = CONFORMANCE if mode == GenerationMode.POSITIVE else [st_checks.not_a_server_error]

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:
        case.call_and_validate(headers=headers, checks=checks)
        if case.path_parameters:
            case.path_parameters = {
                name: known.get(name, value) for name, value in case.path_parameters.items()
            }
            case.call_and_validate(headers=headers, checks=checks)

    return check
