"""ETags and 304 for list endpoints, and If-Match for edits.

A list's ETag is either a *stamp* the view gives before doing any work (for a center's dates:
its plan version, raised by every writer, plus its groups and rooms — a 304 costs three small
queries) or, without one, a hash of the rendered body. Either way it covers the address with
its query, the language, and who asks.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

from django.utils.http import parse_etags
from django.utils.translation import get_language
from rest_framework.request import Request

API_VERSION = "1"
_VERSION_TAG = re.compile(r'^(?:W/)?"v(\d{1,18})"$')


def _who(request: Request) -> str:
    token = getattr(request, "auth", None)
    return f"{request.user.pk}:{token.scope}" if token is not None else "-"


def stamp_etag(request: Request, stamp: Iterable[object]) -> str:
    raw = json.dumps(
        [API_VERSION, request.get_full_path(), get_language(), _who(request), *map(str, stamp)]
    )
    return f'"{hashlib.sha256(raw.encode()).hexdigest()[:32]}"'


def body_etag(request: Request, content: bytes) -> str:
    digest = hashlib.sha256(content)
    digest.update(json.dumps([API_VERSION, get_language(), _who(request)]).encode())
    return f'"{digest.hexdigest()[:32]}"'


def none_match(request: Request, etag: str) -> bool:
    """Whether If-None-Match names this ETag (weak comparison, as RFC 9110 asks for GET)."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = parse_etags(header)
    if tags == ["*"]:
        return True
    return etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in tags}


def version_etag(version: int) -> str:
    return f'"v{version}"'


def expected_version(request: Request, body_version: int | None) -> int | None:
    """The version an edit was made from: If-Match ("v7", as the ETag of the object's GET) or
    the body's `version`. A malformed If-Match matches nothing (version 0: always stale)."""
    header = request.headers.get("If-Match")
    if header:
        match = _VERSION_TAG.match(header.strip())
        return int(match.group(1)) if match else 0
    return body_version
