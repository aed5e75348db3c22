"""Every signed-in official passes a second factor before seeing anything; what they see is
never stored by a cache.

Demo users (NRM_DEMO=1 only, which the production settings refuse) are let through so
that a training room can start without phones.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

OPEN_PREFIXES = ("/account/", "/static/", "/i18n/", "/api/")


def second_factor_done(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    if settings.NRM_DEMO and getattr(user, "is_demo", False):
        return True
    return bool(user.is_verified())  # type: ignore[union-attr]


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and not second_factor_done(request)
        ):
            return redirect("web:two_factor")
        return self.get_response(request)


class NoStoreMiddleware:
    """Responses that may carry personal data are never kept by a browser or a proxy.

    Every response to a signed-in official, and every API response (the bearer token is
    checked inside the view, and its errors name records too), is marked no-store: a
    shared computer's cache or history, or a proxy, must not hold a victim's case (Art. 18).
    Static files, which hold nothing personal, stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return response
        if request.path.startswith("/api/") or request.user.is_authenticated:
            # Replaces any directive a view set (max-age would let a cache keep the page).
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
            response.headers.pop("Expires", None)
        return response


# The WSGI environ key gunicorn's access log reads the official's username from (`nrm serve`).
ACCESS_LOG_USER = "nrm.user"


class AccessLogUserMiddleware:
    """Names the official in the server's access log, so that a probe leaves a trace of who.

    The username goes into the request's WSGI environ, which the server hands to its access
    log after the response is sent; nothing is added to the response. It is read after the
    view, as an API request's user is known only once its token is checked; a request that
    signs out is logged under the official who sent it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        before = request.user.username if request.user.is_authenticated else ""
        response = self.get_response(request)
        after = request.user.username if request.user.is_authenticated else ""
        if after or before:
            request.META[ACCESS_LOG_USER] = after or before
        return response
