"""The membership an official acts as, chosen in the page header and kept in the session.

An official of two institutions (a social worker who also staffs a shelter, say) says
which one they act for; every write and its audit row then name it (Art. 18). The API
takes the same choice in the `X-Acting-As` header (nrm.api.auth).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from nrm.authorities import access

SESSION_KEY = "nrm_acting_as"


class ActingMiddleware:
    """Apply the session's choice to the signed-in official before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            access.choose(user, request.session.get(SESSION_KEY))
        return self.get_response(request)


@require_POST
def act_as(request: HttpRequest) -> HttpResponse:
    """Choose the membership to act as; one the official does not hold clears the choice."""
    if not request.user.is_authenticated:
        return redirect("web:login")
    access.choose(request.user, request.POST.get("acting_as", ""))
    choice = access.chosen(request.user)
    if choice is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = f"{choice[0]}:{choice[1] or ''}"
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    return redirect(target)
