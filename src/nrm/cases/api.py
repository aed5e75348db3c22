"""/api/v1/cases, /api/v1/duties: thin handlers over the services and selectors."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any, get_type_hints

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import create_model

from nrm.audit.services import record
from nrm.authorities import access
from nrm.cases import decisions, services
from nrm.cases.models import DutyStatus, Region, Stage
from nrm.cases.presenters import case_dict, due_withheld, duty_dict
from nrm.cases.selectors import (
    alert_scope,
    case_get,
    case_scope,
    duty_scope,
    identity_of,
    person_of,
)
from nrm.errors import Invalid, PreconditionRequired
from nrm.law.facts import Person as LawPerson

router = Router(tags=["cases"])


class _PersonBase(Schema):
    model_config = {"extra": "forbid"}


# The person's identifiers, then every person fact of the law contract, read from the law
# engine's own Person so that the API follows the contract without a second list.
PersonIn = create_model(
    "PersonIn",
    __base__=_PersonBase,
    **{name: (str | None, None) for name in ("given_name", "family_name", "contact",
                                              "document_number", "address")},
    **{f.name: (hint | None, None)
       for f in fields(LawPerson)
       for hint in [get_type_hints(LawPerson)[f.name].__args__[0]]},
)


REGION_HELP = "Where the person was identified: " + ", ".join(Region.values) + "; \"\" if not known"


class CaseIn(Schema):
    person: PersonIn = Field(default_factory=PersonIn)
    person_of_case: int | None = Field(
        default=None, description="Register a new case for the person of this case (identity visible to you)")
    case: dict[str, Any] = Field(default_factory=dict, description="The contract's case facts")
    testimony: str | None = None
    region: str | None = Field(default=None, description=REGION_HELP)

    model_config = {"extra": "forbid"}


class CasePatch(Schema):
    person: dict[str, Any] = Field(default_factory=dict)
    case: dict[str, Any] = Field(default_factory=dict)
    region: str | None = Field(
        default=None, description=REGION_HELP + "; null or \"\" makes it not known, absent leaves it")

    model_config = {"extra": "forbid"}


class CaseDecisionIn(Schema):
    to_stage: str
    decided_on: date
    grounds: str
    closure_reason: str = ""


class RightsIn(Schema):
    rights: list[str]
    explained_on: date
    language: str
    interpreter: bool = False
    child_appropriate: bool = False


class NoteIn(Schema):
    note: str = ""


class Page(Schema):
    """A page of a list: both bounded, so no parameter reaches the database unchecked."""

    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


class IdentityOut(Schema):
    given_name: str | None = None
    family_name: str | None = None
    birth_date: date | None = None
    contact: str | None = None
    document_number: str | None = None
    address: str | None = None


class DutyOut(Schema):
    id: int
    case_id: int
    code: str
    article: str
    institution: str
    due_on: date | None
    status: str
    overdue: bool | None = Field(description="null when the due date is withheld from you")
    due_withheld: bool = Field(description="the due date derives from a birth date you may not see")


class AlertOut(Schema):
    code: str
    article: str
    raised_on: date


class CaseOut(Schema):
    id: int
    reference: str
    stage: str
    version: int
    child: bool
    registered_by: str
    merged_into: int | None
    person: dict[str, Any] = Field(description="The contract's person facts (no identifiers)")
    identity: IdentityOut | None = Field(description="Only where the access policy shows it")
    region: str | None = Field(description="Where the person was identified; only where the "
                                           "access policy shows the identity")
    case: dict[str, Any] = Field(description="The contract's case facts")
    assessment: dict[str, Any] = Field(description="The legal state, in the contract's vocabulary")
    duties: list[DutyOut]
    alerts: list[AlertOut]
    rights_not_explained: list[str]


class CaseCreatedOut(CaseOut):
    duplicate_warning: str | None = None


class CaseRowOut(Schema):
    id: int
    reference: str
    stage: str
    child: bool
    identity: IdentityOut | None


class DecisionOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    role: str
    institution: str


class RightsOut(Schema):
    explained: int
    of: int
    missing: list[str]


class CaseAlertOut(AlertOut):
    id: int
    case_id: int
    reference: str


def _with_etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


@router.post("/cases", summary="Register a presumed victim's case", response={201: CaseCreatedOut})
def case_create(request: HttpRequest, response: HttpResponse, payload: CaseIn) -> Any:
    from nrm.exchange.selectors import registration_warning

    user = request.user
    person = payload.person.model_dump(exclude_none=True)
    identity = {k: person.pop(k) for k in ("given_name", "family_name", "birth_date", "contact",
                                           "document_number", "address") if k in person}
    existing = None
    if payload.person_of_case is not None:
        if person or identity:
            raise Invalid("person", "give either the person or person_of_case, not both")
        existing = person_of(user=user, case_id=payload.person_of_case)
    case = services.case_register(
        actor=user, identity=identity,
        sex=person.pop("sex", "unknown"), citizenship=person.pop("citizenship", ""),
        person_facts=person, case_facts=payload.case, testimony=payload.testimony or "",
        region=payload.region or "", person=existing,
    )
    case = case_get(user=user, case_id=case.pk, purpose="registration answer")
    body = case_dict(case, user=user)
    # Another institution may have registered the same person: say so, show nothing of it.
    body["duplicate_warning"] = registration_warning(case=case)
    _with_etag(response, case.version)
    return Status(201, body)


@router.get("/cases", summary="The cases I may see", response=list[CaseRowOut])
def case_list(request: HttpRequest, page: Query[Page], stage: str | None = None) -> Any:
    if stage is not None and stage not in Stage.values:
        raise Invalid("stage", f"unknown stage {stage!r}; known: {', '.join(Stage.values)}")
    queryset = case_scope(user=request.user).order_by("-id")
    if stage:
        queryset = queryset.filter(stage=stage)
    rows = list(queryset[page.offset:page.offset + page.limit])
    record(actor=request.user, action="read", record_type="cases.case", records=rows,
           fields=["reference", "stage", "given_name", "family_name"], purpose="case list")
    return [{"id": c.pk, "reference": c.reference, "stage": c.stage, "child": c.child,
             "identity": {k: v for k, v in (identity_of(user=request.user, case=c) or {}).items()
                          if k in ("given_name", "family_name")} or None}
            for c in rows]


@router.get("/cases/{case_id}", summary="A case with its legal state", response=CaseOut)
def case_detail(request: HttpRequest, response: HttpResponse, case_id: int,
                on: date | None = None) -> Any:
    case = case_get(user=request.user, case_id=case_id)
    body = case_dict(case, user=request.user, on=on)
    _with_etag(response, case.version)
    return body


@router.patch("/cases/{case_id}", summary="Change facts; needs If-Match with the ETag read",
              response=CaseOut)
def case_patch(request: HttpRequest, response: HttpResponse, case_id: int, payload: CasePatch) -> Any:
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired("send If-Match with the ETag you read, so no write is lost",
                                   field="If-Match")
    try:
        expected = int(header.removeprefix("W/").strip('"'))
    except ValueError:
        raise Invalid("If-Match", f"{header!r} is not an ETag of this API") from None
    before = case_get(user=request.user, case_id=case_id, audit=False)
    # A merge patch: a region sent (null included) is written, a region left out is kept.
    region = (payload.region or "") if "region" in payload.model_fields_set else None
    case = services.case_update(actor=request.user, case_id=case_id, expected_version=expected,
                                person=payload.person, case=payload.case, region=region)
    # The answer shows no more than the official saw before the change (35.1.5).
    case = case_get(user=request.user, case_id=case.pk, purpose="update answer")
    body = case_dict(case, user=request.user, identity_visible=bool(before.identity_visible))
    _with_etag(response, case.version)
    return body


@router.post("/cases/{case_id}/decisions", summary="A stage decision (identification, closure...)",
             response={201: DecisionOut})
def case_decision(request: HttpRequest, case_id: int, payload: CaseDecisionIn) -> Any:
    decision = decisions.case_decide(actor=request.user, case_id=case_id, **payload.model_dump())
    return Status(201, {"id": decision.pk, "from_stage": decision.from_stage,
                        "to_stage": decision.to_stage, "role": decision.role,
                        "institution": decision.institution.code})


@router.post("/cases/{case_id}/rights", summary="Record rights explained (20.2, 35.1.4)",
             response={201: RightsOut})
def rights_record(request: HttpRequest, case_id: int, payload: RightsIn) -> Any:
    decisions.rights_explained_record(actor=request.user, case_id=case_id, **payload.model_dump())
    case = case_get(user=request.user, case_id=case_id, audit=False)
    return Status(201, decisions.explanation_complete(case))


@router.get("/duties", summary="My institutions' duties", response=list[DutyOut])
def duty_list(request: HttpRequest, page: Query[Page], status: str = DutyStatus.OPEN,
              due_before: date | None = None, due_after: date | None = None) -> Any:
    if status != "all" and status not in DutyStatus.values:
        raise Invalid("status", f"unknown status {status!r}; known: all, {', '.join(DutyStatus.values)}")
    # A duty on a case whose identity the reader may not see keeps its due date to itself
    # when that date derives from the birth date; so date filters and the order by due date
    # apply only to duties whose dates the reader may see in full (the derivation rule).
    visible = ExpressionWrapper(
        access.case_condition(request.user, access.Action.VIEW, access.Kind.IDENTITY, case_ref="case"),
        output_field=BooleanField())
    queryset = (duty_scope(user=request.user).select_related("institution")
                .annotate(identity_visible=visible).order_by("-identity_visible", "due_on", "id"))
    if status != "all":
        queryset = queryset.filter(status=status)
    if due_before:
        queryset = queryset.filter(Q(identity_visible=False) | Q(due_on__lte=due_before)
                                   | Q(due_on__isnull=True))
    if due_after:
        queryset = queryset.filter(Q(identity_visible=False) | Q(due_on__gte=due_after))
    today = timezone.localdate()
    rows = list(queryset.select_related("case__person")[page.offset:page.offset + page.limit])
    withheld = due_withheld(request.user, rows, today)
    return [duty_dict(duty, today, withhold_due=duty.pk in withheld) for duty in rows]


@router.post("/duties/{duty_id}/complete", summary="Complete a duty with a note", response=DutyOut)
def duty_done(request: HttpRequest, duty_id: int, payload: NoteIn) -> Any:
    duty = decisions.duty_complete(actor=request.user, duty_id=duty_id, note=payload.note)
    today = timezone.localdate()
    # The answer to a write shows no more than the list does (the field policy).
    return duty_dict(duty, today, withhold_due=duty.pk in due_withheld(request.user, [duty], today))


@router.get("/alerts", summary="Open alerts (violations) on the cases I may see",
            response=list[CaseAlertOut])
def alert_list(request: HttpRequest) -> Any:
    alerts = alert_scope(user=request.user).select_related("case").order_by("-raised_on", "id")[:1000]
    return [{"id": a.pk, "case_id": a.case_id, "reference": a.case.reference, "code": a.code,
             "article": a.article, "raised_on": a.raised_on} for a in alerts]
