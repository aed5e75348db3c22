"""Reads for exchange and duplicates: scoped by the access policy, audited where they read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from nrm.audit.models import AuditEvent
from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.authorities.models import Institution
from nrm.cases.models import Case
from nrm.cases.services import person_match_key
from nrm.crypto.keyring import keyed_hash
from nrm.errors import CaseNotFound, NotAllowed, NotFound
from nrm.exchange import throttle

# Art. 18: the warning says only that a duplicate may exist and whom to ask; never the
# other case's reference, institution or data. The National Coordinator sees every case
# pseudonymously (Art. 7, 8) and can bring the two teams together.
DUPLICATE_WARNING = (
    "Another institution may already have registered a case for a person with the same "
    "name and date of birth. Ask the National Anti-Trafficking Coordinator before you "
    "go on; the other case is not shown here (Art. 18)."
)


def export_scope(*, user: Any) -> QuerySet[Case]:
    """The cases `user` may see, with the identity flag and everything a row needs, in one
    query (no N+1: select_related for the person, registering institution and kept fields)."""
    return access.with_identity_flag(
        access.cases(user).select_related("person", "registered_by", "htcds"), user
    ).order_by("reference")


def may_see_any_identity(user: Any) -> bool:
    """Whether any of the user's roles is ever shown a person's identity (Art. 18, 8.5):
    the national and technical roles never are."""
    return any(Action.VIEW in access.TEAM.get(role, {}).get(Kind.IDENTITY, access.NONE)
               for role in access.roles(user))


def duplicates_at_registration(*, match_key: str, institution: Institution | int,
                               excluding: int | None = None) -> int:
    """How many cases registered by OTHER institutions, not merged, share the match key
    (`excluding` a case: the one checked for).

    This reads Case directly, not through the policy, on purpose: its point is to find
    cases the registering official may not see, and it returns a count, never a record.
    """
    if not match_key:
        return 0
    found = Case.objects.filter(person__match_key=match_key, merged_into__isnull=True)
    if excluding is not None:
        found = found.exclude(pk=excluding)
    return found.exclude(registered_by=institution).count()


def registration_warning(*, case: Case) -> str | None:
    """The warning to show after registering `case`, or None when no duplicate is likely."""
    found = duplicates_at_registration(
        match_key=case.person.match_key, institution=case.registered_by_id
    )
    return DUPLICATE_WARNING if found else None


def duplicates_check(*, user: Any, case_id: int, given_name: str, family_name: str,
                     birth_date: dt.date) -> int:
    """How many possible duplicates of the person of case `case_id`, for registering or
    merging it: audited, limited, watched for fishing (nrm.exchange.throttle).

    Only for a case the official may change, as a membership that registers people, so the
    check is no lookup service for whether someone is known to the system (Art. 18); the
    case itself is not counted. The audit row keeps a keyed hash of what was looked up.
    """
    case = access.cases(user, Action.CHANGE).filter(pk=case_id).first()
    if case is None:
        raise CaseNotFound(case_id)
    acting = access.acting(user, case=case, roles=access.REGISTERING_ROLES)
    key = person_match_key(given_name, family_name, birth_date)
    # The names alone, to see one person tried with date after date.
    names = keyed_hash("duplicate-check", person_match_key(given_name, family_name, dt.date.min))
    lookup = keyed_hash("duplicate-check", key)
    throttle.admit(user=user, acting=acting, names=names, lookup=lookup)
    found = duplicates_at_registration(match_key=key, institution=acting.institution_id,
                                       excluding=case.pk)
    record(actor=user, action="duplicates.check", record_type="cases.case", records=[case],
           fields=["given_name", "family_name", "birth_date"], purpose="duplicate check",
           acting=acting, detail={"lookup": lookup, "possible_duplicates": found})
    return found


def fishing_alerts(*, user: Any) -> list[AuditEvent]:
    """The auditor's alerts of officials fishing with the duplicate check, newest first."""
    if not access.national_allows(user, Action.VIEW, Kind.AUDIT_LOG):
        raise NotAllowed(_("only the auditor sees the audit log"))
    events = AuditEvent.objects.filter(action="duplicates.fishing").order_by("-id")
    return list(events[:200])


def merge_pair(*, user: Any, case_id: int, into: int) -> tuple[Case, Case]:
    """The case to merge and the one it goes into, both changeable by `user`; either
    missing answers not found, naming which (Art. 18: whether it exists is private)."""
    changeable = {c.pk: c for c in access.cases(user, Action.CHANGE).filter(pk__in=[case_id, into])}
    if case_id not in changeable:
        raise CaseNotFound(case_id)
    if into not in changeable:
        raise NotFound(_("case %(id)s not found") % {"id": into}, field="into")
    return changeable[case_id], changeable[into]
