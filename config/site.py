"""The site's absolute address: SITE_URL when it is set, else the request's own.

Pages build links from the request (so `PORT=8101 make run` links to port 8101); what has no
request (e-mails, the foyer screen's QR codes, UIDs in feeds) needs SITE_URL, and falls back to
the development server's address without it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

DEVELOPMENT_URL = "http://127.0.0.1:8000"


def site_url(request: HttpRequest | None = None) -> str:
    """Scheme and host (no trailing slash) to put in front of an absolute path."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return DEVELOPMENT_URL
