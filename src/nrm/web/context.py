from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from nrm.authorities import access


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "demo_mode": settings.NRM_DEMO,
        "user_roles": sorted(access.roles(user)) if user is not None else [],
    }
