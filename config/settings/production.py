"""Production: everything from the environment, secure defaults, no fallbacks for secrets."""

from .base import *  # noqa: F403
from .base import BEHIND_PROXY, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Whether the request came over HTTPS is only the proxy's to say, and only when there is one
# (BEHIND_PROXY=true, as in docker-compose behind Caddy). Without a proxy any client could send
# "X-Forwarded-Proto: https" and pass for a secure connection.
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "same-origin"
