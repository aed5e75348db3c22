"""Reads of cases and persons: every one starts from the access policy and is audited."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.cases.models import IDENTITY_FIELDS, Case
from nrm.errors import CaseNotFound

__all__ = ["CaseNotFound", "case_get", "case_scope", "duty_scope", "alert_scope", "identity_of", "person_of"]


def case_scope(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Case]:
    """The cases `user` may view or change, with the identity flag, ready for lists."""
    return access.with_identity_flag(
        access.cases(user, action).select_related("person", "registered_by"), user
    )


def case_get(*, user: Any, case_id: int | str, action: Action = Action.VIEW,
             purpose: str = "case view", audit: bool = True) -> Case:
    """One case the user may see (or change), audited as a read of what they were shown."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise CaseNotFound(case_id) from None
    case = case_scope(user=user, action=action).filter(pk=pk).first()
    if case is None:
        raise CaseNotFound(case_id)
    if audit:
        # What the case view and the API show: the facts and, where the policy allows, the
        # identity and the grounds of decisions (testimony is never shown, so never logged).
        fields = ["facts", "stage"]
        if case.identity_visible:
            fields += list(IDENTITY_FIELDS) + ["region", "decision grounds"]
        record(actor=user, action="read", record_type="cases.case", records=[case],
               fields=fields, purpose=purpose)
    return case


def identity_of(*, user: Any, case: Case) -> dict[str, Any] | None:
    """The person's identifiers when the policy shows them to `user`, else None."""
    visible = getattr(case, "identity_visible", None)
    if visible is None:
        visible = access.allows(user, Action.VIEW, Kind.IDENTITY, case)
    if not visible:
        return None
    person = case.person
    return {name: getattr(person, name) for name in IDENTITY_FIELDS}


def record_derived_shown(user: Any) -> Q:
    """A filter on duties or alerts (by `code` and `case`): none whose code a rule reading a
    guarded fact may decide (a proceeding, an interview, a claim) on a case whose records
    of that fact the user may not see. The case page withholds the same codes
    (presenters._record_derived); a list would otherwise tell what the page does not."""
    from nrm.cases.legal import guarded_facts
    from nrm.law.dependencies import codes_reading

    shown = Q()
    for fact, kind in sorted(guarded_facts().items()):
        shown &= Q(access.case_condition(user, Action.VIEW, Kind(kind), case_ref="case")) | ~Q(
            code__in=sorted(codes_reading(fact)))
    return shown


def duty_scope(*, user: Any) -> QuerySet[Any]:
    """The duties owed by the user's institutions, on cases the user may see."""
    from nrm.cases.models import Duty

    institutions = access.institutions(user)
    # A correlated condition on each duty's case, so that a page of duties in due order
    # reads only the duties on that page, not the whole list of cases first.
    return Duty.objects.filter(access.case_condition(user, Action.VIEW, case_ref="case"),
                               record_derived_shown(user), institution_id__in=institutions)


def alert_scope(*, user: Any) -> QuerySet[Any]:
    """Open alerts on the cases the user may see: the case team and the Coordinator."""
    from nrm.cases.models import Alert

    return Alert.objects.filter(access.case_condition(user, Action.VIEW, case_ref="case"),
                                record_derived_shown(user), resolved_on__isnull=True)


def person_of(*, user: Any, case_id: int) -> Any:
    """The person of a case whose identity the user may see, to open a further case for them."""
    case = access.identities(user).select_related("person").filter(pk=case_id).first()
    if case is None:
        raise CaseNotFound(case_id)
    record(actor=user, action="read", record_type="cases.person", records=[case.person_id],
           fields=list(IDENTITY_FIELDS), purpose="further case for the same person")
    return case.person
