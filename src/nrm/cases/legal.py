"""A case's legal state: the law engine's assessment, stored, with duties and alerts.

Recomputed whenever a case's facts change (legal_state_refresh) and every night for all
cases (nrm.cases.sweep). Each obligation becomes a duty of a named institution; each
violation an alert. A duty someone completed stays completed when the case is assessed
again; one the law no longer asks for is marked withdrawn, never deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from nrm.cases.models import (
    Alert,
    Capacity,
    Case,
    CaseAssignment,
    Duty,
    DutyStatus,
    LegalState,
)
from nrm.law import Assessment, LawError, assess

# Who owes each obligation: the first institution on the case team in one of these
# capacities, else the institution that registered the case (it met the victim first).
OWNERS: dict[str, tuple[str, ...]] = {
    "inform_of_rights": (Capacity.CASE_MANAGEMENT, Capacity.LEAD),  # 20.2.1
    "refer_to_child_protection": (Capacity.LEAD,),  # 38.3
    "notify_guardianship_authority": (Capacity.LEAD,),  # 38.4
    "appoint_legal_guardian": (Capacity.CASE_MANAGEMENT, Capacity.LEAD),  # 38.5
    "search_for_family": (Capacity.CASE_MANAGEMENT, Capacity.LEAD),  # 38.11
    "accommodate_separately_from_adults": (Capacity.SERVICE_PROVIDER, Capacity.CASE_MANAGEMENT),
    "inform_residence_options": (Capacity.RESIDENCE, Capacity.LEAD),  # 25
    "offer_reflection_period": (Capacity.RESIDENCE, Capacity.LEAD),  # 26.1
    "inform_safe_return": (Capacity.RESIDENCE, Capacity.LEAD),  # 29.1.2
    "individual_risk_assessment": (Capacity.PROCEEDINGS, Capacity.IDENTIFICATION),  # 15.1
    "continue_prosecution": (Capacity.PROCEEDINGS,),  # 11.4
    "return_risk_assessment": (Capacity.CASE_MANAGEMENT, Capacity.RESIDENCE),  # 29.2, 37.5
    "consular_assistance": (Capacity.CONSULAR, Capacity.LEAD),  # 32.1.1
}


def law_facts(case: Case) -> dict[str, Any]:
    """The case's facts in the contract's shape (law/CONTRACT.md)."""
    person = case.person
    person_facts: dict[str, Any] = dict(person.facts)
    if person.birth_date is not None:
        person_facts["birth_date"] = person.birth_date.isoformat()
    if person.sex:
        person_facts["sex"] = person.sex
    if person.citizenship:
        person_facts["citizenship"] = person.citizenship
    return {"person": person_facts, "case": dict(case.facts)}


def assessment_of(case: Case, on: date) -> Assessment:
    """Raises LawError, naming the fact, when the stored facts cannot be assessed."""
    return assess(law_facts(case), on)


def _digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def owner_of(code: str, case: Case, assignments: Iterable[CaseAssignment]) -> int:
    for capacity in OWNERS.get(code, ()):
        for assignment in assignments:
            if assignment.capacity == capacity and assignment.ended_at is None:
                return assignment.institution_id
    return case.registered_by_id


@dataclass
class Changes:
    """What one refresh (or a whole sweep) wrote, for the caller to save in bulk."""

    states_new: list[LegalState] = field(default_factory=list)
    states_changed: list[LegalState] = field(default_factory=list)
    duties_new: list[Duty] = field(default_factory=list)
    duties_changed: list[Duty] = field(default_factory=list)
    alerts_new: list[Alert] = field(default_factory=list)
    alerts_changed: list[Alert] = field(default_factory=list)
    cases_child_changed: list[Case] = field(default_factory=list)
    errors: int = 0


def plan_refresh(
    case: Case,
    on: date,
    *,
    state: LegalState | None,
    duties: list[Duty],
    alerts: list[Alert],
    assignments: list[CaseAssignment],
    changes: Changes,
) -> None:
    """Work out, without writing, what the case's legal state, duties and alerts become."""
    try:
        assessment = assessment_of(case, on)
    except LawError as error:
        changes.errors += 1
        payload: dict[str, Any] = {"error": str(error)}
        result: dict[str, Any] = {}
    else:
        result = assessment.to_dict()
        payload = {k: v for k, v in result.items() if k != "on"}
    # Who owes each duty is part of what the sweep compares: a new team member can move a duty.
    owners = [[o["code"], owner_of(o["code"], case, assignments)] for o in result.get("obligations", ())]
    digest = _digest({**payload, "owners": owners})
    if state is not None and state.digest == digest:
        return
    error_text = payload.get("error", "")
    law_version = str(getattr(assessment, "law", "")) if not error_text else ""
    if state is None:
        changes.states_new.append(LegalState(
            case=case, assessed_on=on, law_version=law_version, assessment=result,
            digest=digest, error=error_text))
    else:
        state.assessed_on, state.law_version, state.assessment = on, law_version, result
        state.digest, state.error = digest, error_text
        state.computed_at = timezone.now()  # bulk_update does not touch auto_now fields
        changes.states_changed.append(state)
    if error_text:
        return  # keep duties and alerts as they were until the facts are corrected
    if case.child != result["child"]:
        case.child = result["child"]
        changes.cases_child_changed.append(case)
    _plan_duties(case, on, result["obligations"], duties, assignments, changes)
    _plan_alerts(case, on, result["violations"], alerts, changes)


def _plan_duties(case: Case, on: date, obligations: list[dict[str, Any]], duties: list[Duty],
                 assignments: list[CaseAssignment], changes: Changes) -> None:
    existing = {(duty.code, duty.article): duty for duty in duties}
    owed = set()
    for obligation in obligations:
        code = obligation["code"]
        owed.add((code, obligation["article"]))
        due = date.fromisoformat(obligation["due"]) if obligation["due"] else None
        institution_id = owner_of(code, case, assignments)
        duty = existing.get((code, obligation["article"]))
        if duty is None:
            changes.duties_new.append(Duty(
                case=case, code=code, article=obligation["article"], institution_id=institution_id,
                due_on=due, created_on=on))
            continue
        if duty.status == DutyStatus.DONE:
            continue  # done stays done (the issue: a completed duty stays completed)
        if (duty.status, duty.due_on, duty.institution_id) != (DutyStatus.OPEN, due, institution_id):
            duty.status, duty.due_on, duty.institution_id = DutyStatus.OPEN, due, institution_id
            changes.duties_changed.append(duty)
    for key, duty in existing.items():
        if key not in owed and duty.status == DutyStatus.OPEN:
            duty.status = DutyStatus.WITHDRAWN
            changes.duties_changed.append(duty)


def _plan_alerts(case: Case, on: date, violations: list[dict[str, Any]], alerts: list[Alert],
                 changes: Changes) -> None:
    existing = {(alert.code, alert.article): alert for alert in alerts}
    shown = set()
    for violation in violations:
        key = (violation["code"], violation["article"])
        shown.add(key)
        alert = existing.get(key)
        if alert is None:
            changes.alerts_new.append(Alert(case=case, code=violation["code"],
                                            article=violation["article"], raised_on=on))
        elif alert.resolved_on is not None:
            alert.resolved_on, alert.raised_on = None, on
            changes.alerts_changed.append(alert)
    for key, alert in existing.items():
        if key not in shown and alert.resolved_on is None:
            alert.resolved_on = on
            changes.alerts_changed.append(alert)


def save_changes(changes: Changes, batch_size: int = 2000) -> None:
    LegalState.objects.bulk_create(changes.states_new, batch_size=batch_size)
    LegalState.objects.bulk_update(
        changes.states_changed,
        ["assessed_on", "law_version", "assessment", "digest", "error", "computed_at"],
        batch_size=batch_size,
    )
    Duty.objects.bulk_create(changes.duties_new, batch_size=batch_size)
    Duty.objects.bulk_update(changes.duties_changed, ["status", "due_on", "institution"],
                             batch_size=batch_size)
    Alert.objects.bulk_create(changes.alerts_new, batch_size=batch_size)
    Alert.objects.bulk_update(changes.alerts_changed, ["raised_on", "resolved_on"],
                              batch_size=batch_size)
    Case.objects.bulk_update(changes.cases_child_changed, ["child"], batch_size=batch_size)


def legal_state_refresh(*, case: Case, on: date) -> Changes:
    """Recompute one case now (call inside the transaction that changed its facts)."""
    changes = Changes()
    plan_refresh(
        case, on,
        state=LegalState.objects.filter(case=case).first(),
        duties=list(Duty.objects.filter(case=case)),
        alerts=list(Alert.objects.filter(case=case)),
        assignments=list(CaseAssignment.objects.filter(case=case).order_by("id")),
        changes=changes,
    )
    save_changes(changes)
    return changes
