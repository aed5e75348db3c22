from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from nrm.authorities import access

router = Router(tags=["officials"])


class MembershipOut(Schema):
    institution: str
    role: str


class MeOut(Schema):
    username: str
    memberships: list[MembershipOut]
    may_view_statistics: bool


@router.get("/me", response=MeOut, summary="The signed-in official and their roles")
def me(request: HttpRequest) -> Any:
    from nrm.authorities.models import Institution

    user = request.user
    held = access.held(user)
    codes = dict(Institution.objects.filter(pk__in={a.institution_id for a in held})
                 .values_list("pk", "code"))
    return {
        "username": user.get_username(),
        "memberships": [{"institution": codes[a.institution_id], "role": a.role} for a in held],
        "may_view_statistics": access.allows(user, access.Action.VIEW, access.Kind.STATISTICS),
    }
