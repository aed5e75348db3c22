"""Bearer-token authentication for the API; the token's user goes through the same policy."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from nrm.authorities import access
from nrm.authorities.tokens import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is not None:
            request.user = user
            # The membership the official acts as: "<institution code or id>[:<role>]".
            access.choose(user, _by_id(request.headers.get("X-Acting-As", "")))
        return user


def _by_id(choice: str) -> str:
    """Accept the institution's code, as officials know it, as well as its id."""
    institution, sep, role = choice.partition(":")
    if institution and not institution.isdigit():
        from nrm.authorities.models import Institution

        pk = Institution.objects.filter(code=institution).values_list("pk", flat=True).first()
        institution = str(pk) if pk is not None else ""
    return f"{institution}{sep}{role}" if institution else ""
