"""`manage.py import_school_holidays FILE|URL --state NW`: a state's school holidays from an
iCalendar file, as the education ministries publish them.

The periods in the file replace the state's periods between its first and last day; coming
dates of series that pause in school holidays are skipped or brought back accordingly (see
`bookings.services.school_holidays_import`). Running it again with the same file changes
nothing.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bookings.services import school_holidays_import
from centers.models import FederalState
from centers.school_holidays import MAX_BYTES, CalendarFileError, parse_ics

TIMEOUT_SECONDS = 20


def read_source(source: str) -> bytes:
    """The bytes of a local file or an http(s) URL, at most MAX_BYTES."""
    if urlparse(source).scheme in ("http", "https"):
        request = urllib.request.Request(source, headers={"User-Agent": "Treffpunkt"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                data = response.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Could not fetch {source}: {error}") from error
    else:
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"No such file: {source}")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CommandError(f"{source} is larger than {MAX_BYTES} bytes")
    return data


class Command(BaseCommand):
    help = "Imports a federal state's school holidays from an iCalendar file or URL."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", help="path or http(s) URL of the .ics file")
        parser.add_argument("--state", required=True, choices=FederalState.values, help="e.g. NW")
        parser.add_argument(
            "--sample",
            action="store_true",
            help="mark the periods as sample data (also set by X-TREFFPUNKT-SAMPLE in the file)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["source"]
        try:
            parsed = parse_ics(read_source(source))
        except CalendarFileError as error:
            raise CommandError(str(error)) from error
        try:
            change = school_holidays_import(
                user=None,
                state=options["state"],
                periods=parsed.periods,
                source=source,
                sample=options["sample"] or parsed.is_sample,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"{options['state']}: {len(parsed.periods)} periods in the file, "
            f"{len(change.added)} new, {len(change.removed)} replaced, {change.kept} unchanged; "
            f"{len(change.cancelled)} dates skipped, {len(change.reinstated)} back, "
            f"{len(change.not_reinstated)} could not come back."
        )
