"""JSON endpoints for foreigners, safe return and cooperation; thin: parse, call, answer.

Every answer to a write is the same presenter's shape as the read of that record, for the
same official (nrm.returns.selectors.record_view). Changes to a return or to consular help
need If-Match with the ETag read. The removal check is a POST, so that the names asked
about never sit in a URL or a server log; its answer is one sentence and a flag.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status

from nrm.errors import Invalid, PreconditionRequired
from nrm.returns import removal, selectors, services

router = Router(tags=["returns"])

MAX_ID = 2**63 - 1
CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="A case's id")]
RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="A record's id")]
Code = Annotated[str, Field(min_length=1, max_length=40, description="An institution's code")]
Text = Annotated[str, Field(max_length=4000)]
Country = Annotated[str, Field(min_length=2, max_length=2, description="ISO 3166 alpha-2")]


def _if_match(request: HttpRequest) -> int:
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired("send If-Match with the ETag you read, so no write is lost",
                                   field="If-Match")
    try:
        return int(header.removeprefix("W/").strip('"'))
    except ValueError:
        raise Invalid("If-Match", f"{header!r} is not an ETag of this API") from None


def _etag(response: HttpResponse, body: dict[str, Any]) -> dict[str, Any]:
    response["ETag"] = f'"{body["version"]}"'
    return body


# -- Schemas (app-prefixed: each is one component of the OpenAPI schema) --------------------


class ReturnsReflectionIn(Schema):
    start: dt.date
    days: int = Field(ge=0, le=10_000)
    granted_by: Code
    extends: int | None = Field(None, ge=1, le=MAX_ID, description="The grant this one extends")


class ReturnsReflectionOut(Schema):
    id: int
    case_id: int
    start: dt.date
    days: int
    last_day: dt.date
    granted_by: str
    extends: int | None
    recorded_by_institution: str


class ReturnsRemovalOrderIn(Schema):
    ordered_on: dt.date
    issued_by: Code


class ReturnsRemovalOrderOut(Schema):
    id: int
    case_id: int
    ordered_on: dt.date
    issued_by: str
    recorded_by_institution: str


class ReturnsInformedIn(Schema):
    informed_on: dt.date
    language: Annotated[str, Field(max_length=12)]
    interpreter: bool = False
    safe_return: bool = Field(False, description="Told also of a safe return (29.1.2)")


class ReturnsInformedOut(Schema):
    id: int
    case_id: int
    informed_on: dt.date
    language: str
    interpreter: bool
    safe_return: bool
    recorded_by_institution: str


class ReturnsPermitIn(Schema):
    kind: Annotated[str, Field(max_length=20)]
    valid_from: dt.date
    valid_until: dt.date
    issued_by: Code


class ReturnsPermitOut(Schema):
    id: int
    case_id: int
    kind: str
    article: str
    valid_from: dt.date
    valid_until: dt.date
    issued_by: str
    recorded_by_institution: str


class ReturnsSupportIn(Schema):
    from_on: dt.date
    until_on: dt.date | None = None
    provided_by: Code


class ReturnsSupportOut(Schema):
    id: int
    case_id: int
    from_on: dt.date
    until_on: dt.date | None
    provided_by: str
    recorded_by_institution: str


class ReturnsPlanIn(Schema):
    destination: Country
    planned_on: dt.date
    wants_to_return: bool
    asylum_requested: bool | None = Field(None, description="person.asylum_requested (48.3)")
    risk_assessed: bool = False
    risk_found: bool | None = None
    risk_assessment: Text = ""
    non_refoulement_checked: bool = False
    asylum_checked: bool = False
    guardian_consent: bool = False
    receiving_authority_consent: bool = False
    best_interests_determined: bool = False


class ReturnsPlanPatch(Schema):
    destination: Country | None = None
    planned_on: dt.date | None = None
    wants_to_return: bool | None = None
    asylum_requested: bool | None = None
    risk_assessed: bool | None = None
    risk_found: bool | None = None
    risk_assessment: Text | None = None
    non_refoulement_checked: bool | None = None
    asylum_checked: bool | None = None
    guardian_consent: bool | None = None
    receiving_authority_consent: bool | None = None
    best_interests_determined: bool | None = None


class ReturnsCarryOutIn(Schema):
    carried_out_on: dt.date


class ReturnsPlanOut(Schema):
    id: int
    case_id: int
    destination: str
    planned_on: dt.date
    wants_to_return: bool
    risk_assessed: bool
    risk_found: bool | None
    risk_assessment: str | None = Field(description="Null where the identity is withheld")
    non_refoulement_checked: bool
    asylum_checked: bool
    guardian_consent: bool
    receiving_authority_consent: bool
    best_interests_determined: bool
    status: str
    carried_out_on: dt.date | None
    version: int
    recorded_by_institution: str


class ReturnsConsularIn(Schema):
    mission: Code
    country: Country
    contacted_on: dt.date
    wants_to_return: bool | None = None
    assistance: Text = ""


class ReturnsConsularPatch(Schema):
    wants_to_return: bool | None = None
    assistance: Text | None = None
    travel_document_issued_on: dt.date | None = None
    repatriated_on: dt.date | None = None
    handed_over_to: Code | None = None


class ReturnsConsularOut(Schema):
    id: int
    case_id: int
    mission: str
    country: str
    contacted_on: dt.date
    wants_to_return: bool | None
    assistance: str | None = Field(description="Null where the identity is withheld")
    travel_document_issued_on: dt.date | None
    repatriated_on: dt.date | None
    handed_over_to: str | None
    version: int
    recorded_by_institution: str


class ReturnsCooperationIn(Schema):
    direction: Annotated[str, Field(max_length=10)]
    country: Country
    authority: Annotated[str, Field(max_length=200)]
    purpose: Annotated[str, Field(max_length=20)]
    sent_on: dt.date
    shares_identity: bool = False
    consent_id: int | None = Field(None, ge=1, le=MAX_ID)
    legal_basis: Annotated[str, Field(max_length=200)] = ""
    shared: Text = ""


class ReturnsAnswerIn(Schema):
    answered_on: dt.date
    answer: Text


class ReturnsCooperationOut(Schema):
    id: int
    case_id: int
    direction: str
    country: str
    authority: str
    purpose: str
    sent_on: dt.date
    shares_identity: bool
    consent_id: int | None
    legal_basis: str
    shared: str | None
    answer: str | None
    answered_on: dt.date | None
    recorded_by_institution: str


class ReturnsBarOut(Schema):
    code: str
    article: str
    until: dt.date | None


class ReturnsCaseOut(Schema):
    case_id: int
    assessed_on: dt.date | None
    bars: list[ReturnsBarOut]
    bars_withheld: list[str] = Field(description="What of the bars is withheld from a reader "
                                                 "who may not see the identity (35.1.5)")
    reflection_periods: list[ReturnsReflectionOut]
    removal_orders: list[ReturnsRemovalOrderOut]
    residence_information: list[ReturnsInformedOut]
    permits: list[ReturnsPermitOut]
    living_support: list[ReturnsSupportOut]
    returns: list[ReturnsPlanOut]
    consular: list[ReturnsConsularOut]
    cooperation: list[ReturnsCooperationOut]


class ReturnsCheckIn(Schema):
    # Dates as text: a malformed one is refused by the check itself, after it is audited.
    on: Annotated[str, Field(max_length=20)] | None = None
    given_name: Annotated[str, Field(max_length=200)] = ""
    family_name: Annotated[str, Field(max_length=200)] = ""
    birth_date: Annotated[str, Field(max_length=20)] | None = None
    document_number: Annotated[str, Field(max_length=40)] = ""


class ReturnsCheckOut(Schema):
    on: dt.date
    answer: str = Field(description='"no removal before DATE (Art. 31.3)", "no removal (Art. '
                                    '...)" or "no bar recorded"; nothing else is disclosed')
    barred: bool
    until: dt.date | None = Field(description="The first day a removal is not barred by 31.3")
    articles: list[str]


class ReturnsAlertOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    institution: str
    role: str
    detail: dict[str, Any]


# -- Reads -----------------------------------------------------------------------------------


@router.get("/cases/{case_id}/returns", response=ReturnsCaseOut,
            summary="A case's reflection periods, residence, returns, consular help, cooperation")
def case_returns(request: HttpRequest, case_id: CaseId) -> Any:
    view = selectors.case_returns(user=request.user, case_id=case_id)
    return {"case_id": view.case.pk, "assessed_on": view.assessed_on, "bars": view.bars,
            "bars_withheld": view.withheld, **view.records}


def _created(request: HttpRequest, kind: str, row: Any) -> Status:
    return Status(201, selectors.record_view(user=request.user, kind=kind, pk=row.pk))


class ReturnsEndingOut(Schema):
    case_id: int
    reference: str
    last_day: dt.date = Field(description="The deportation bar's last day, as the engine assessed it")


@router.get("/reflection-periods/ending", response=list[ReturnsEndingOut],
            summary="Cases on my team whose reflection period ends soon")
def reflection_ending(request: HttpRequest,
                      within_days: Annotated[int, Query(ge=0, le=90)] = 15) -> Any:
    return [{"case_id": e.case_id, "reference": e.reference, "last_day": e.last_day}
            for e in selectors.reflection_ending(user=request.user, within_days=within_days)]


# -- Writes ------------------------------------------------------------------------------------


@router.post("/cases/{case_id}/reflection-periods", response={201: ReturnsReflectionOut},
             summary="Grant or extend a reflection period (20.2.9, 26, 31.3, 38.6)")
def reflection_create(request: HttpRequest, case_id: CaseId, payload: ReturnsReflectionIn) -> Status:
    grant = services.reflection_grant(actor=request.user, case_id=case_id, start=payload.start,
                                      days=payload.days, granted_by=payload.granted_by,
                                      extends_id=payload.extends)
    return _created(request, "reflection_periods", grant)


@router.post("/cases/{case_id}/removal-orders", response={201: ReturnsRemovalOrderOut},
             summary="A removal order applied (31.3)")
def removal_order_create(request: HttpRequest, case_id: CaseId, payload: ReturnsRemovalOrderIn) -> Status:
    order = services.removal_order_record(actor=request.user, case_id=case_id, **payload.dict())
    return _created(request, "removal_orders", order)


@router.post("/cases/{case_id}/residence-information", response={201: ReturnsInformedOut},
             summary="The person was told their residence options (25)")
def informed_create(request: HttpRequest, case_id: CaseId, payload: ReturnsInformedIn) -> Status:
    told = services.residence_informed(actor=request.user, case_id=case_id, **payload.dict())
    return _created(request, "residence_information", told)


@router.post("/cases/{case_id}/residence-permits", response={201: ReturnsPermitOut},
             summary="A residence permit issued (28.2, 37.6, humanitarian)")
def permit_create(request: HttpRequest, case_id: CaseId, payload: ReturnsPermitIn) -> Status:
    permit = services.permit_issue(actor=request.user, case_id=case_id, **payload.dict())
    return _created(request, "permits", permit)


@router.post("/cases/{case_id}/living-support", response={201: ReturnsSupportOut},
             summary="Living support for a foreigner without means (27.1)")
def support_create(request: HttpRequest, case_id: CaseId, payload: ReturnsSupportIn) -> Status:
    support = services.living_support_record(actor=request.user, case_id=case_id, **payload.dict())
    return _created(request, "living_support", support)


@router.post("/cases/{case_id}/returns", response={201: ReturnsPlanOut},
             summary="Plan a return with its risk assessment and checks (29, 30, 37)")
def return_create(request: HttpRequest, response: HttpResponse, case_id: CaseId,
                  payload: ReturnsPlanIn) -> Status:
    plan = services.return_plan(actor=request.user, case_id=case_id, **payload.dict())
    body = selectors.record_view(user=request.user, kind="returns", pk=plan.pk)
    return Status(201, _etag(response, body))


@router.get("/returns/{plan_id}", response=ReturnsPlanOut, summary="One return")
def return_detail(request: HttpRequest, response: HttpResponse, plan_id: RecordId) -> Any:
    return _etag(response, selectors.record_view(user=request.user, kind="returns", pk=plan_id,
                                                 purpose="return view"))


@router.patch("/returns/{plan_id}", response=ReturnsPlanOut,
              summary="Record a check on a return; needs If-Match")
def return_patch(request: HttpRequest, response: HttpResponse, plan_id: RecordId,
                 payload: ReturnsPlanPatch) -> Any:
    expected = _if_match(request)
    changes = payload.dict(exclude_unset=True)
    services.return_update(actor=request.user, plan_id=plan_id, expected_version=expected, **changes)
    return _etag(response, selectors.record_view(user=request.user, kind="returns", pk=plan_id))


@router.post("/returns/{plan_id}/carried-out", response=ReturnsPlanOut,
             summary="Mark a return carried out: refused while a prohibition stands; needs If-Match")
def return_carried_out(request: HttpRequest, response: HttpResponse, plan_id: RecordId,
                       payload: ReturnsCarryOutIn) -> Any:
    services.return_carry_out(actor=request.user, plan_id=plan_id, expected_version=_if_match(request),
                              carried_out_on=payload.carried_out_on)
    return _etag(response, selectors.record_view(user=request.user, kind="returns", pk=plan_id))


@router.post("/cases/{case_id}/consular-assistance", response={201: ReturnsConsularOut},
             summary="A consular mission helps a citizen trafficked abroad (32)")
def consular_create(request: HttpRequest, response: HttpResponse, case_id: CaseId,
                    payload: ReturnsConsularIn) -> Status:
    help_ = services.consular_open(actor=request.user, case_id=case_id, **payload.dict())
    body = selectors.record_view(user=request.user, kind="consular", pk=help_.pk)
    return Status(201, _etag(response, body))


@router.patch("/consular-assistance/{assistance_id}", response=ReturnsConsularOut,
              summary="Travel documents (32.1.2), repatriation and handover; needs If-Match")
def consular_patch(request: HttpRequest, response: HttpResponse, assistance_id: RecordId,
                   payload: ReturnsConsularPatch) -> Any:
    expected = _if_match(request)
    services.consular_update(actor=request.user, assistance_id=assistance_id,
                             expected_version=expected, **payload.dict(exclude_unset=True))
    return _etag(response, selectors.record_view(user=request.user, kind="consular", pk=assistance_id))


@router.post("/cases/{case_id}/cooperation-requests", response={201: ReturnsCooperationOut},
             summary="A request to or from another country's authority (45)")
def cooperation_create(request: HttpRequest, case_id: CaseId, payload: ReturnsCooperationIn) -> Status:
    row = services.cooperation_record(actor=request.user, case_id=case_id, **payload.dict())
    return _created(request, "cooperation", row)


@router.post("/cooperation-requests/{request_id}/answer", response=ReturnsCooperationOut,
             summary="The other country's answer")
def cooperation_answer(request: HttpRequest, request_id: RecordId, payload: ReturnsAnswerIn) -> Any:
    services.cooperation_answer(actor=request.user, request_id=request_id, **payload.dict())
    return selectors.record_view(user=request.user, kind="cooperation", pk=request_id)


# -- The removal check (31.3, 29.3, 37, 48.3) ------------------------------------------------


@router.post("/removal-check", response=ReturnsCheckOut,
             summary="May a removal of this person be carried out on a date? Discloses nothing else")
def removal_check(request: HttpRequest, payload: ReturnsCheckIn) -> Any:
    answer = removal.removal_check(user=request.user, **payload.dict())
    return {"on": answer.on, "answer": answer.answer, "barred": answer.barred,
            "until": answer.until, "articles": list(answer.articles)}


@router.get("/removal-check/alerts", response=list[ReturnsAlertOut],
            summary="The auditor's alerts of fishing with the removal check")
def removal_alerts(request: HttpRequest) -> Any:
    return [{"id": e.id, "at": e.at, "actor": e.actor_username, "institution": e.institution,
             "role": e.role, "detail": e.detail} for e in removal.fishing_alerts(user=request.user)]
