"""/api/v1 screening endpoints: thin handlers over the screening services and selectors.

A case or screening the caller may not see, or may see but not screen, answers 404: whether
the record exists is not revealed (Art. 18).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from nrm.authorities import access
from nrm.cases.selectors import case_get
from nrm.errors import Invalid, NotAllowed, NotFound
from nrm.screening.models import IndicatorList, Screening
from nrm.screening.selectors import indicator_list_in_force, screening_list
from nrm.screening.services import screening_decide, screening_record

router = Router(tags=["screening"])


class ScreeningIn(Schema):
    list_code: str | None = None
    audience: str
    exploitation: str
    observed: list[str]
    screened_on: dt.date

    model_config = {"extra": "forbid"}


class ScreeningDecisionIn(Schema):
    decision: str
    grounds: str

    model_config = {"extra": "forbid"}


class ListRefOut(Schema):
    code: str
    version: str


class ScreeningOut(Schema):
    id: int
    case_id: int
    list: ListRefOut
    audience: str
    exploitation: str
    screened_on: dt.date
    institution: str
    observed: list[str]
    result: dict[str, Any]
    meets_threshold: bool
    decision: str
    decided_at: dt.datetime | None


class IndicatorOut(Schema):
    code: str
    dimension: str
    strength: str
    text: str
    text_sq: str
    text_sr: str


class IndicatorListOut(Schema):
    code: str
    version: str
    title: str
    adopted_on: dt.date
    retired_on: dt.date | None
    dimensions: dict[str, Any]
    rule: dict[str, Any]
    indicators: list[IndicatorOut]


def screening_dict(screening: Screening) -> dict[str, Any]:
    """A screening without its grounds: those are free text about the person (Art. 18)."""
    return {
        "id": screening.pk,
        "case_id": screening.case_id,
        "list": {"code": screening.indicator_list.code, "version": screening.indicator_list.version},
        "audience": screening.audience,
        "exploitation": screening.exploitation,
        "screened_on": screening.screened_on,
        "institution": screening.institution.code,
        "observed": screening.observed,
        "result": screening.result,
        "meets_threshold": screening.meets_threshold,
        "decision": screening.decision,
        "decided_at": screening.decided_at,
    }


def list_dict(indicator_list: IndicatorList, audience: str, exploitation: str) -> dict[str, Any]:
    return {
        "code": indicator_list.code,
        "version": indicator_list.version,
        "title": indicator_list.title,
        "adopted_on": indicator_list.adopted_on,
        "retired_on": indicator_list.retired_on,
        "dimensions": indicator_list.dimensions,
        "rule": indicator_list.rule,
        "indicators": [
            {"code": i.code, "dimension": i.dimension, "strength": i.strength, "text": i.text,
             "text_sq": i.text_sq, "text_sr": i.text_sr}
            for i in indicator_list.indicators.filter(audience=audience, exploitation=exploitation)
            .order_by("code")
        ],
    }


@router.get("/cases/{case_id}/screenings", summary="A case's screenings", response=list[ScreeningOut])
def screenings_of_case(request: HttpRequest, case_id: int) -> Any:
    case = case_get(user=request.user, case_id=case_id, purpose="screenings")
    return [screening_dict(s) for s in screening_list(user=request.user).filter(case=case)]


@router.post("/cases/{case_id}/screenings", summary="Screen a case against the list in force",
             response={201: ScreeningOut})
def screening_create(request: HttpRequest, case_id: int, payload: ScreeningIn) -> Any:
    case = case_get(user=request.user, case_id=case_id, audit=False)
    in_force = indicator_list_in_force(on=payload.screened_on, audience=payload.audience,
                                       exploitation=payload.exploitation)
    if in_force is None:
        raise Invalid("list_code", f"no indicator list is in force on {payload.screened_on.isoformat()} "
                      f"for {payload.audience}/{payload.exploitation}")
    if payload.list_code and payload.list_code != in_force.code:
        raise Invalid("list_code", f"{payload.list_code} is not the list in force on "
                      f"{payload.screened_on.isoformat()} (in force: {in_force})")
    screening = screening_record(
        actor=request.user, case=case, list=in_force, observed=payload.observed,
        screened_on=payload.screened_on, audience=payload.audience,
        exploitation=payload.exploitation,
    )
    return Status(201, screening_dict(screening))


@router.post("/screenings/{screening_id}/decision", summary="Decide reasonable grounds (9.2, 20.5)",
             response=ScreeningOut)
def screening_decision(request: HttpRequest, screening_id: int, payload: ScreeningDecisionIn) -> Any:
    screening = screening_list(user=request.user).filter(pk=screening_id).first()
    if screening is None:
        raise NotFound("not found")
    decided = screening_decide(actor=request.user, screening=screening, decision=payload.decision,
                               grounds=payload.grounds)
    return screening_dict(screening_list(user=request.user).get(pk=decided.pk))


@router.get("/indicator-lists/in-force", summary="The indicator list in force (Art. 12.2)",
            response=IndicatorListOut)
def list_in_force(request: HttpRequest, audience: str, exploitation: str,
                  on: dt.date | None = None) -> Any:
    if not access.allows(request.user, access.Action.VIEW, access.Kind.REFERENCE_DATA):
        raise NotAllowed("only officials holding a role may read the indicator lists")
    on = on or timezone.localdate()
    in_force = indicator_list_in_force(on=on, audience=audience, exploitation=exploitation)
    if in_force is None:
        raise NotFound(f"no indicator list is in force on {on.isoformat()} for {audience}/{exploitation}")
    return list_dict(in_force, audience, exploitation)
