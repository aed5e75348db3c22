"""/api/v1/cases, /api/v1/duties: thin handlers over the services and selectors."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any, get_type_hints

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import create_model

from nrm.api.errors import ApiError, Forbidden, NotFound
from nrm.authorities import access
from nrm.cases import decisions, services
from nrm.errors import Invalid as CaseError
from nrm.errors import NotAllowed as DecisionNotAllowed
from nrm.errors import StaleVersion
from nrm.cases.models import DutyStatus
from nrm.cases.presenters import case_dict, duty_dict
from nrm.cases.selectors import (
    CaseNotFound,
    alert_scope,
    case_get,
    case_scope,
    duty_scope,
    person_of,
)
from nrm.law.facts import Person as LawPerson

router = Router(tags=["cases"])


class PreconditionFailed(ApiError):
    status = 412
    code = "precondition_failed"


class PreconditionRequired(ApiError):
    status = 428
    code = "precondition_required"


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


class CaseIn(Schema):
    person: PersonIn = Field(default_factory=PersonIn)
    person_of_case: int | None = Field(
        default=None, description="Register a new case for the person of this case (identity visible to you)")
    case: dict[str, Any] = Field(default_factory=dict, description="The contract's case facts")
    testimony: str | None = None

    model_config = {"extra": "forbid"}


class CasePatch(Schema):
    person: dict[str, Any] = Field(default_factory=dict)
    case: dict[str, Any] = Field(default_factory=dict)

    model_config = {"extra": "forbid"}


class DecisionIn(Schema):
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


def _translate(error: Exception) -> ApiError:
    if isinstance(error, CaseError):
        return ApiError(str(error), field=error.field)
    if isinstance(error, CaseNotFound):
        return NotFound(str(error))
    if isinstance(error, StaleVersion):
        return PreconditionFailed(str(error), field="If-Match")
    if isinstance(error, (DecisionNotAllowed, PermissionError)):
        return Forbidden(str(error))
    raise error


def _with_etag(response: HttpResponse, version: int) -> HttpResponse:
    response["ETag"] = f'"{version}"'
    return response


def _json(request: HttpRequest, body: Any, status: int = 200) -> HttpResponse:
    from nrm.api.app import api

    return api.create_response(request, body, status=status)


@router.post("/cases", summary="Register a presumed victim's case", response={201: dict})
def case_create(request: HttpRequest, payload: CaseIn) -> HttpResponse:
    user = request.user
    member = user.memberships.select_related("institution").order_by("id")  # type: ignore[union-attr]
    writable = [m for m in member if m.role in access.REGISTERING_ROLES]
    if not writable:
        raise Forbidden("your role may not register cases")
    person = payload.person.model_dump(exclude_none=True)
    identity = {k: person.pop(k) for k in ("given_name", "family_name", "birth_date", "contact",
                                           "document_number", "address") if k in person}
    try:
        existing = None
        if payload.person_of_case is not None:
            if person or identity:
                raise CaseError("person", "give either the person or person_of_case, not both")
            existing = person_of(user=user, case_id=payload.person_of_case)
        case = services.case_register(
            actor=user, institution=writable[0].institution, identity=identity,
            sex=person.pop("sex", "unknown"), citizenship=person.pop("citizenship", ""),
            person_facts=person, case_facts=payload.case, testimony=payload.testimony or "",
            person=existing,
        )
    except Exception as error:  # noqa: BLE001 - translated or re-raised
        raise _translate(error) from None
    from nrm.exchange.selectors import registration_warning

    case = case_get(user=user, case_id=case.pk, audit=False)
    body = case_dict(case, user=user)
    # Another institution may have registered the same person: say so, show nothing of it.
    body["duplicate_warning"] = registration_warning(case=case)
    return _with_etag(_json(request, body, status=201), case.version)


@router.get("/cases", summary="The cases I may see", response=list[dict])
def case_list(request: HttpRequest, stage: str | None = None, limit: int = 100, offset: int = 0) -> Any:
    from nrm.audit.services import record
    from nrm.cases.selectors import identity_of

    queryset = case_scope(user=request.user).order_by("-id")
    if stage:
        queryset = queryset.filter(stage=stage)
    rows = list(queryset[offset:offset + min(max(limit, 1), 500)])
    record(actor=request.user, action="read", record_type="cases.case", records=rows,
           fields=["reference", "stage", "given_name", "family_name"], purpose="case list")
    return [{"id": c.pk, "reference": c.reference, "stage": c.stage, "child": c.child,
             "identity": {k: v for k, v in (identity_of(user=request.user, case=c) or {}).items()
                          if k in ("given_name", "family_name")} or None}
            for c in rows]


@router.get("/cases/{case_id}", summary="A case with its legal state", response=dict)
def case_detail(request: HttpRequest, case_id: int, on: date | None = None) -> HttpResponse:
    try:
        case = case_get(user=request.user, case_id=case_id)
    except CaseNotFound as error:
        raise NotFound(str(error)) from None
    return _with_etag(_json(request, case_dict(case, user=request.user, on=on)), case.version)


@router.patch("/cases/{case_id}", summary="Change facts; needs If-Match with the ETag read",
              response=dict)
def case_patch(request: HttpRequest, case_id: int, payload: CasePatch) -> HttpResponse:
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired("send If-Match with the ETag you read, so no write is lost",
                                   field="If-Match")
    try:
        expected = int(header.removeprefix("W/").strip('"'))
    except ValueError:
        raise ApiError(f"If-Match: {header!r} is not an ETag of this API", field="If-Match") from None
    try:
        case = services.case_update(actor=request.user, case_id=case_id, expected_version=expected,
                                    person=payload.person, case=payload.case)
    except Exception as error:  # noqa: BLE001 - translated or re-raised
        raise _translate(error) from None
    case = case_get(user=request.user, case_id=case.pk, audit=False)
    return _with_etag(_json(request, case_dict(case, user=request.user)), case.version)


@router.post("/cases/{case_id}/decisions", summary="A stage decision (identification, closure...)",
             response={201: dict})
def case_decision(request: HttpRequest, case_id: int, payload: DecisionIn) -> HttpResponse:
    try:
        decision = decisions.case_decide(actor=request.user, case_id=case_id, **payload.model_dump())
    except Exception as error:  # noqa: BLE001 - translated or re-raised
        raise _translate(error) from None
    return _json(request, {"id": decision.pk, "from_stage": decision.from_stage,
                           "to_stage": decision.to_stage, "role": decision.role,
                           "institution": decision.institution.code}, status=201)


@router.post("/cases/{case_id}/rights", summary="Record rights explained (20.2, 35.1.4)",
             response={201: dict})
def rights_record(request: HttpRequest, case_id: int, payload: RightsIn) -> HttpResponse:
    try:
        decisions.rights_explained_record(actor=request.user, case_id=case_id, **payload.model_dump())
        case = case_get(user=request.user, case_id=case_id, audit=False)
    except Exception as error:  # noqa: BLE001 - translated or re-raised
        raise _translate(error) from None
    return _json(request, decisions.explanation_complete(case), status=201)


@router.get("/duties", summary="My institutions' duties", response=list[dict])
def duty_list(request: HttpRequest, status: str = DutyStatus.OPEN, due_before: date | None = None,
              due_after: date | None = None, limit: int = 100, offset: int = 0) -> Any:
    queryset = duty_scope(user=request.user).select_related("institution").order_by("due_on", "id")
    if status != "all":
        queryset = queryset.filter(status=status)
    if due_before:
        queryset = queryset.filter(Q(due_on__lte=due_before) | Q(due_on__isnull=True))
    if due_after:
        queryset = queryset.filter(due_on__gte=due_after)
    today = timezone.localdate()
    limit, offset = min(max(limit, 1), 500), max(offset, 0)
    return [duty_dict(duty, today) for duty in queryset[offset:offset + limit]]


@router.post("/duties/{duty_id}/complete", summary="Complete a duty with a note", response=dict)
def duty_done(request: HttpRequest, duty_id: int, payload: NoteIn) -> Any:
    try:
        duty = decisions.duty_complete(actor=request.user, duty_id=duty_id, note=payload.note)
    except LookupError as error:
        raise NotFound(str(error)) from None
    except Exception as error:  # noqa: BLE001 - translated or re-raised
        raise _translate(error) from None
    return duty_dict(duty, timezone.localdate())


@router.get("/alerts", summary="Open alerts (violations) on the cases I may see", response=list[dict])
def alert_list(request: HttpRequest) -> Any:
    alerts = alert_scope(user=request.user).select_related("case").order_by("-raised_on", "id")[:1000]
    return [{"id": a.pk, "case_id": a.case_id, "reference": a.case.reference, "code": a.code,
             "article": a.article, "raised_on": a.raised_on.isoformat()} for a in alerts]
