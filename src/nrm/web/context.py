from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from nrm.authorities import access


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    held = tuple((a.institution_id, a.role) for a in access.held(user)) if user is not None else ()
    choice = access.chosen(user) if held else None
    return {
        "demo_mode": settings.NRM_DEMO,
        "user_roles": sorted(access.roles(user)) if user is not None else [],
        "acting_options": _acting_options(held) if len(held) > 1 else [],
        "acting_current": f"{choice[0]}:{choice[1] or ''}" if choice else "",
        "nav": nav(user),
    }


def nav(user: Any) -> dict[str, bool]:
    """Which of the main pages the official's roles can use: a link to a page that would
    only answer 403 is not shown (the Coordinator registers no case, the admin has no inbox)."""
    roles = access.roles(user) if user is not None else frozenset()
    team = any(role in access.TEAM for role in roles)
    return {
        "duties": team,
        "cases": team or access.national_allows(user, access.Action.VIEW, access.Kind.CASE),
        "register": bool(roles & access.REGISTERING_ROLES),
        "inbox": team,
    }


def _acting_options(held: tuple[tuple[int, Any], ...]) -> list[tuple[str, str]]:
    """(value, label) for each membership, labelled in the page's language."""
    from django.utils.translation import get_language

    from nrm.authorities.models import Institution

    names = {i.pk: i.localised_name(get_language() or "en")
             for i in Institution.objects.filter(pk__in={inst for inst, _ in held})}
    return [(f"{inst}:{role}", f"{names.get(inst, inst)} · {role.label}") for inst, role in sorted(held)]
