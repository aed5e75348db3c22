"""Role grants: requested by one person, approved by a second, ended by date or revocation.

A role opens personal data (Art. 18), so no official grants one to themselves, and no grant
takes effect on one person's word. A system administrator or the head of the receiving
institution asks for it; a different person, again a system administrator or that
institution's head, approves it; only then is it in force (`Membership.grants.in_force`).
Oversight grants (system administrator, auditor, head of an institution) are approved by a
second system administrator only: a head may not make another head, nor the officials who
watch them. Every step is one audit event in the same transaction.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities.models import OPEN_ENDED_ROLES, Institution, Membership, User
from nrm.authorities.roles import Role
from nrm.errors import Invalid, NotAllowed

OVERSIGHT_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.AUDITOR})


def is_system_admin(user: Any) -> bool:
    """Read afresh, not from access.memberships' per-request cache: a grant may have ended."""
    return bool(
        user is not None and user.is_active and user.pk
        and Membership.grants.in_force(timezone.localdate())
        .filter(user=user, role=Role.SYSTEM_ADMIN).exists()
    )


def headed_institutions(user: Any) -> list[int]:
    """The institutions `user` heads by a grant in force today."""
    if user is None or not user.is_active or not user.pk:
        return []
    return list(
        Membership.grants.in_force(timezone.localdate())
        .filter(user=user, heads_institution=True).values_list("institution_id", flat=True)
    )


def _oversight(role: str, heads_institution: bool) -> bool:
    return role in OVERSIGHT_ROLES or heads_institution


def _may_decide(actor: Any, *, institution: Institution, role: str, heads_institution: bool) -> bool:
    if is_system_admin(actor):
        return True
    return not _oversight(role, heads_institution) and institution.pk in headed_institutions(actor)


def grant_check(*, actor: User, user: User, institution: Institution, role: str,
                expires_on: date | None, heads_institution: bool = False) -> None:
    """Raise the error grant_request would raise, storing nothing (for forms to show it)."""
    if actor.pk == user.pk:
        raise NotAllowed(_("no official may ask for a role for themselves"), field="user")
    if not _may_decide(actor, institution=institution, role=role, heads_institution=heads_institution):
        raise NotAllowed(_("only a system administrator or the head of %(institution)s may ask "
                           "for this role") % {"institution": institution.code}, field="role")
    if role not in Role.values:
        raise Invalid("role", _("unknown role %(role)s") % {"role": repr(role)})
    if not institution.active:
        raise Invalid("institution", _("%(institution)s is retired") % {"institution": institution.code})
    today = timezone.localdate()
    longest = today + timedelta(days=settings.NRM_GRANT_MAX_DAYS)
    if expires_on is None and role not in OPEN_ENDED_ROLES:
        raise Invalid("expires_on", _("a role that opens personal data needs a last day, at most "
                                      "%(date)s") % {"date": longest.isoformat()})
    if expires_on is not None and not today <= expires_on <= longest:
        raise Invalid("expires_on", _("the last day must be between %(today)s and %(latest)s")
                      % {"today": today.isoformat(), "latest": longest.isoformat()})
    held = Membership.grants.filter(user_id=user.pk, institution=institution, role=role)
    # A renewal may be asked for while the grant it follows is in force, so that access has
    # no gap; asking again for what is already held until that day or longer is refused.
    lasting = held.in_force(today).filter(Q(expires_on__isnull=True)
                                          | Q(expires_on__gte=expires_on or date.max))
    if user.pk and (held.pending().exists() or lasting.exists()):
        raise Invalid("role", _("%(user)s already holds or has been proposed for this role at "
                                "%(institution)s") % {"user": user.username,
                                                      "institution": institution.code})


def _detail(grant: Membership) -> dict[str, Any]:
    return {"user": grant.user.username, "institution": grant.institution.code, "role": grant.role,
            "heads_institution": grant.heads_institution,
            "expires_on": grant.expires_on.isoformat() if grant.expires_on else None}


@transaction.atomic
def grant_request(*, actor: User, user: User, institution: Institution, role: str,
                  expires_on: date | None, heads_institution: bool = False) -> Membership:
    """Propose a grant; it opens nothing until a second person approves it."""
    grant_check(actor=actor, user=user, institution=institution, role=role,
                expires_on=expires_on, heads_institution=heads_institution)
    grant = Membership.grants.create(
        user=user, institution=institution, role=role, heads_institution=heads_institution,
        expires_on=expires_on, granted_by=actor, granted_at=timezone.now(),
    )
    record(actor=actor, action="grant.request", record_type="authorities.membership",
           records=[grant], detail=_detail(grant))
    return grant


def _locked(grant: Membership) -> Membership:
    return Membership.grants.select_for_update().select_related("user", "institution").get(pk=grant.pk)


@transaction.atomic
def grant_approve(*, actor: User, grant: Membership) -> Membership:
    """The second person's approval: from now until `expires_on`, the role is in force."""
    grant = _locked(grant)
    if grant.state(timezone.localdate()) != "pending":
        raise Invalid("grant", _("only a pending grant can be approved; this one is %(state)s")
                      % {"state": grant.state(timezone.localdate())})
    if actor.pk == grant.user_id:
        raise NotAllowed(_("no official may approve a role for themselves"), field="grant")
    if actor.pk == grant.granted_by_id:
        raise NotAllowed(_("whoever asked for a grant may not also approve it"), field="grant")
    if not _may_decide(actor, institution=grant.institution, role=grant.role,
                       heads_institution=grant.heads_institution):
        raise NotAllowed(_("only a second system administrator or the head of %(institution)s "
                           "may approve this grant") % {"institution": grant.institution.code},
                         field="grant")
    grant.approved_by, grant.approved_at = actor, timezone.now()
    grant.save(update_fields=["approved_by", "approved_at"])
    record(actor=actor, action="grant.approve", record_type="authorities.membership",
           records=[grant], detail={**_detail(grant), "requested_by": grant.granted_by.username
                                    if grant.granted_by else None})
    return grant


@transaction.atomic
def grant_revoke(*, actor: User, grant: Membership) -> Membership:
    """End a grant, pending or in force, at once; the row stays for review."""
    grant = _locked(grant)
    if grant.revoked_at is not None:
        raise Invalid("grant", _("this grant is already revoked"))
    # Giving up one's own role narrows access, so the holder may; anyone else must be one
    # who could have approved it.
    if actor.pk != grant.user_id and not _may_decide(
            actor, institution=grant.institution, role=grant.role,
            heads_institution=grant.heads_institution):
        raise NotAllowed(_("only a system administrator or the head of %(institution)s may "
                           "revoke this grant") % {"institution": grant.institution.code},
                         field="grant")
    grant.revoked_by, grant.revoked_at = actor, timezone.now()
    grant.save(update_fields=["revoked_by", "revoked_at"])
    record(actor=actor, action="grant.revoke", record_type="authorities.membership",
           records=[grant], detail=_detail(grant))
    return grant
