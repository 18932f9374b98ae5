"""Serve signed-in users in their preferred language unless they chose one for this session."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGUAGE_SESSION_KEY = "_language"


class PreferredLanguageMiddleware:
    """Runs after LocaleMiddleware and AuthenticationMiddleware.

    The browser's Accept-Language is a guess; a user's saved preference is a fact. An explicit
    switch (the language form, stored in the cookie) still wins for that browser.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        user = getattr(request, "user", None)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if user is not None and user.is_authenticated and not chosen:
            language = user.preferred_language
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
