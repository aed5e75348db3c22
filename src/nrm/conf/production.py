"""Production: everything in settings.py, plus what a server on a network must have.

Starting these settings with demo mode or debug pages on is refused, with the setting named.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from nrm.conf.settings import *  # noqa: F403
from nrm.conf.settings import DEBUG, NRM_DEMO

if NRM_DEMO:
    raise ImproperlyConfigured(
        "NRM_DEMO=1 is refused by the production settings: demo users skip the second factor."
    )
if DEBUG:
    raise ImproperlyConfigured("NRM_DEBUG=1 is refused by the production settings.")

# `nrm serve` runs the deployment checks (demo accounts among them) and refuses to start on
# an error; `nrm demo` refuses to load demo accounts.
NRM_PRODUCTION = True

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-nrm-session"
CSRF_COOKIE_NAME = "__Host-nrm-csrf"
