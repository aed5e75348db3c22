"""What a case looks like to the official reading it: only what the policy shows them."""

from __future__ import annotations

from datetime import date
from typing import Any

from nrm.cases.decisions import rights_not_explained
from nrm.cases.legal import assessment_of
from nrm.cases.models import Case, Duty, DutyStatus
from nrm.cases.selectors import identity_of
from nrm.law import LawError


def assessment_dict(case: Case, on: date | None) -> dict[str, Any]:
    """The stored legal state, or a fresh one for another date."""
    if on is None and hasattr(case, "legal_state"):
        return case.legal_state.assessment or {"error": case.legal_state.error}
    try:
        return assessment_of(case, on or date.today()).to_dict()  # noqa: DTZ011 - only when no state stored
    except LawError as error:
        return {"error": str(error), "field": error.field}


def case_dict(case: Case, *, user: Any, on: date | None = None) -> dict[str, Any]:
    person = case.person
    identity = identity_of(user=user, case=case)
    if identity and identity.get("birth_date"):
        identity["birth_date"] = identity["birth_date"].isoformat()
    return {
        "id": case.pk,
        "reference": case.reference,
        "stage": case.stage,
        "version": case.version,
        "child": case.child,
        "registered_by": case.registered_by.code,
        "merged_into": case.merged_into_id,
        "person": {"sex": person.sex, "citizenship": person.citizenship or None, **person.facts},
        "identity": identity,
        "case": case.facts,
        "assessment": assessment_dict(case, on),
        "duties": [duty_dict(d) for d in case.duties.select_related("institution").order_by("due_on", "code")],
        "alerts": [{"code": a.code, "article": a.article, "raised_on": a.raised_on.isoformat()}
                   for a in case.alerts.filter(resolved_on__isnull=True)],
        "rights_not_explained": rights_not_explained(case),
    }


def duty_dict(duty: Duty, today: date | None = None) -> dict[str, Any]:
    overdue = bool(today and duty.status == DutyStatus.OPEN and duty.due_on and duty.due_on < today)
    return {
        "id": duty.pk,
        "case_id": duty.case_id,
        "code": duty.code,
        "article": duty.article,
        "institution": duty.institution.code,
        "due_on": duty.due_on.isoformat() if duty.due_on else None,
        "status": duty.status,
        "overdue": overdue,
    }
