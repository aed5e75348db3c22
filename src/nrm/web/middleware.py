"""Every signed-in official passes a second factor before seeing anything.

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
