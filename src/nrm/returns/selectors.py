"""Reads of foreigners' and return records: every one starts from access.returns_cases and
is audited with exactly the fields shown. Free text about the person (the risk assessment,
consular assistance, what was shared abroad and the answer) goes where the identity goes:
null to a reader who may not see the person's identity (the derivation rule)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.cases.models import Case, LegalState
from nrm.cases.presenters import assessment_dict
from nrm.errors import CaseNotFound, NotFound
from nrm.returns.models import (
    PERMIT_ARTICLE,
    ConsularAssistance,
    CooperationRequest,
    LivingSupport,
    ReflectionPeriod,
    RemovalOrder,
    ResidenceInformation,
    ResidencePermit,
    ReturnPlan,
)

KINDS: dict[str, type] = {
    "reflection_periods": ReflectionPeriod, "removal_orders": RemovalOrder,
    "residence_information": ResidenceInformation, "permits": ResidencePermit,
    "living_support": LivingSupport, "returns": ReturnPlan, "consular": ConsularAssistance,
    "cooperation": CooperationRequest,
}
PERSONAL_TEXT = {"returns": "risk_assessment", "consular": "assistance",
                 "cooperation": ("shared", "answer")}
BAR_CODES = ("deportation", "refoulement", "child_return")


def _code(institution: Any) -> str | None:
    return institution.code if institution is not None else None


def present(kind: str, row: Any, *, personal: bool) -> dict[str, Any]:
    """The one shape of each record, for a read and for the answer to a write."""
    base = {"id": row.pk, "case_id": row.case_id,
            "recorded_by_institution": row.recorded_by_institution.code}
    if kind == "reflection_periods":
        last = row.start + dt.timedelta(days=row.days - 1)
        return {**base, "start": row.start, "days": row.days, "last_day": last,
                "granted_by": row.granted_by.code, "extends": row.extends_id}
    if kind == "removal_orders":
        return {**base, "ordered_on": row.ordered_on, "issued_by": row.issued_by.code}
    if kind == "residence_information":
        return {**base, "informed_on": row.informed_on, "language": row.language,
                "interpreter": row.interpreter, "safe_return": row.safe_return}
    if kind == "permits":
        return {**base, "kind": row.kind, "article": PERMIT_ARTICLE[row.kind],
                "valid_from": row.valid_from, "valid_until": row.valid_until,
                "issued_by": row.issued_by.code}
    if kind == "living_support":
        return {**base, "from_on": row.from_on, "until_on": row.until_on,
                "provided_by": row.provided_by.code}
    if kind == "returns":
        return {**base, "destination": row.destination, "planned_on": row.planned_on,
                "wants_to_return": row.wants_to_return, "risk_assessed": row.risk_assessed,
                "risk_found": row.risk_found,
                "risk_assessment": row.risk_assessment if personal else None,
                "non_refoulement_checked": row.non_refoulement_checked,
                "asylum_checked": row.asylum_checked, "guardian_consent": row.guardian_consent,
                "receiving_authority_consent": row.receiving_authority_consent,
                "best_interests_determined": row.best_interests_determined,
                "status": row.status, "carried_out_on": row.carried_out_on, "version": row.version}
    if kind == "consular":
        return {**base, "mission": row.mission.code, "country": row.country,
                "contacted_on": row.contacted_on, "wants_to_return": row.wants_to_return,
                "assistance": row.assistance if personal else None,
                "travel_document_issued_on": row.travel_document_issued_on,
                "repatriated_on": row.repatriated_on, "handed_over_to": _code(row.handed_over_to),
                "version": row.version}
    return {**base, "direction": row.direction, "country": row.country, "authority": row.authority,
            "purpose": row.purpose, "sent_on": row.sent_on, "shares_identity": row.shares_identity,
            "consent_id": row.consent_id, "legal_basis": row.legal_basis,
            "shared": row.shared if personal else None,
            "answer": row.answer if personal else None, "answered_on": row.answered_on}


def _fields(kind: str, personal: bool) -> list[str]:
    text = PERSONAL_TEXT.get(kind, ())
    names = [text] if isinstance(text, str) else list(text)
    return [f"{kind}.{name}" for name in names] if personal else []


def _visible(user: Any, case_id: int) -> tuple[Case, bool]:
    case = access.with_identity_flag(access.returns_cases(user), user).filter(pk=case_id).first()
    if case is None:
        raise CaseNotFound(case_id)
    return case, bool(case.identity_visible)


@dataclass
class CaseReturns:
    case: Case
    personal: bool
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    bars: list[dict[str, Any]] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    assessed_on: dt.date | None = None


def case_returns(*, user: Any, case_id: int, purpose: str = "foreigners and returns") -> CaseReturns:
    """Everything this app records on a case, and the removal bars the engine found today."""
    case, personal = _visible(user, case_id)
    view = CaseReturns(case=case, personal=personal)
    related = {"reflection_periods": ("granted_by",), "removal_orders": ("issued_by",),
               "permits": ("issued_by",), "living_support": ("provided_by",),
               "consular": ("mission", "handed_over_to")}
    for kind, model in KINDS.items():
        rows = model.objects.filter(case=case).select_related("recorded_by_institution",
                                                               *related.get(kind, ()))
        view.records[kind] = [present(kind, row, personal=personal) for row in rows]
    # 45.4: searches for missing children come first, then open requests, newest first.
    view.records["cooperation"].sort(key=lambda r: (r["purpose"] != "missing_child",
                                                    r["answered_on"] is not None))
    state = LegalState.objects.filter(case=case).first()
    if state is not None and state.assessment:
        # The case's one field policy: to a reader who may not see the identity, what moves
        # with the birth date is withheld here as on the case (the derivation rule).
        shown = assessment_dict(case, None, identity_visible=personal)
        view.assessed_on = state.assessed_on
        view.bars = [p for p in shown.get("prohibitions", []) if p["code"] in BAR_CODES]
        view.withheld = [name for name in shown.get("withheld", [])
                         if name.startswith("prohibitions.") or name == "items that depend on the age"]
    fields = [f"{kind}" for kind in KINDS] + ["prohibitions"]
    for kind in PERSONAL_TEXT:
        fields += _fields(kind, personal)
    record(actor=user, action="read", record_type="returns.case", records=[case], fields=fields,
           purpose=purpose)
    return view


def record_get(*, user: Any, kind: str, pk: int, action: Action = Action.VIEW) -> Any:
    model = KINDS[kind]
    row = model.objects.filter(pk=pk, case__in=access.returns_cases(user, action)).first()
    if row is None:
        raise NotFound(f"{kind} {pk} not found")
    return row


def record_view(*, user: Any, kind: str, pk: int, purpose: str = "answer to a write") -> dict[str, Any]:
    """One record as `user`'s read shows it: the answer to a write never shows more."""
    row = record_get(user=user, kind=kind, pk=pk)
    _case, personal = _visible(user, row.case_id)
    record(actor=user, action="read", record_type=f"returns.{kind}", records=[row],
           fields=[kind, *_fields(kind, personal)], purpose=purpose)
    return present(kind, row, personal=personal)


@dataclass(frozen=True)
class Ending:
    case_id: int
    reference: str
    last_day: dt.date


def reflection_ending(*, user: Any, within_days: int = 15, limit: int = 100) -> list[Ending]:
    """Cases in the user's scope whose deportation bar (the reflection period, as the engine
    assessed it) ends within `within_days`: the foreigners officer's list."""
    today = timezone.localdate()
    granted = ReflectionPeriod.objects.filter(case=OuterRef("case"))
    states = (LegalState.objects.filter(Exists(granted),
                                        case__in=access.returns_cases(user))
              .select_related("case").order_by("case_id")[:1000])
    found = []
    for state in states:
        for item in (state.assessment or {}).get("prohibitions", []):
            if item["code"] == "deportation" and item["until"]:
                last = dt.date.fromisoformat(item["until"])
                if today <= last <= today + dt.timedelta(days=within_days):
                    found.append(Ending(state.case_id, state.case.reference, last))
    found.sort(key=lambda e: (e.last_day, e.reference))
    found = found[:limit]
    record(actor=user, action="read", record_type="cases.case", records=[e.case_id for e in found],
           fields=["reference", "reflection"], purpose="reflection periods ending")
    return found


def may_use_returns(user: Any) -> bool:
    """Whether any membership's role works foreigners' and return records (the nav link)."""
    return any(Action.VIEW in access.TEAM.get(role, {}).get(Kind.RETURNS, access.NONE)
               for role in access.roles(user))
