from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema

from nrm.api.app import api
from nrm.authorities import access


class MembershipOut(Schema):
    institution: str
    role: str


class MeOut(Schema):
    username: str
    memberships: list[MembershipOut]
    may_view_statistics: bool


@api.get("/me", response=MeOut, summary="The signed-in official and their roles")
def me(request: HttpRequest) -> Any:
    user = request.user
    return {
        "username": user.get_username(),
        "memberships": [
            {"institution": m.institution.code, "role": m.role}
            for m in user.memberships.select_related("institution")  # type: ignore[union-attr]
        ],
        "may_view_statistics": access.allows(user, access.Action.VIEW, access.Kind.STATISTICS),
    }
