"""Reads for exchange and duplicates: scoped by the access policy, audited where they read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.authorities.models import Institution
from nrm.cases.models import Case
from nrm.cases.services import person_match_key
from nrm.exchange.errors import NotAllowed

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


def registering_institutions(user: Any) -> list[Institution]:
    """The institutions in which `user` may register a case with a person's identity."""
    ids = [inst for inst, role in access.memberships(user)
           if Action.CHANGE in access.TEAM.get(role, {}).get(Kind.IDENTITY, access.NONE)]
    return list(Institution.objects.filter(pk__in=ids).order_by("pk"))


def duplicates_at_registration(*, match_key: str, institution: Institution | int) -> int:
    """How many cases registered by OTHER institutions, not merged, share the match key.

    This reads Case directly, not through the policy, on purpose: its point is to find
    cases the registering official may not see, and it returns a count, never a record.
    """
    if not match_key:
        return 0
    return (
        Case.objects.filter(person__match_key=match_key, merged_into__isnull=True)
        .exclude(registered_by=institution)
        .count()
    )


def registration_warning(*, case: Case) -> str | None:
    """The warning to show after registering `case`, or None when no duplicate is likely."""
    found = duplicates_at_registration(
        match_key=case.person.match_key, institution=case.registered_by_id
    )
    return DUPLICATE_WARNING if found else None


def duplicates_check(*, user: Any, given_name: str, family_name: str,
                     birth_date: dt.date) -> int:
    """For a registration form: how many possible duplicates, audited as a check.

    Only officials who may register a person may ask, so that the check is no lookup
    service for whether someone is known to the system (Art. 18).
    """
    institutions = registering_institutions(user)
    if not institutions:
        raise NotAllowed("only an official who registers victims may check for duplicates")
    key = person_match_key(given_name, family_name, birth_date)
    found = duplicates_at_registration(match_key=key, institution=institutions[0])
    record(actor=user, action="duplicates.check", record_type="cases.person",
           fields=["given_name", "family_name", "birth_date"], purpose="duplicate check",
           detail={"possible_duplicates": found})
    return found
