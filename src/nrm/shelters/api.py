"""JSON endpoints for shelters, stays, the occupancy board, police security and licences.

Thin: parse, call one selector or service, answer through the presenters. Errors reach the
API's one handler unchanged (404 for what the user may not see, 403 for what they may not
do, 400 naming the field); changes to a versioned record need If-Match with its ETag.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Path, Router, Schema, Status

from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.errors import Invalid, NotFound, PreconditionRequired
from nrm.shelters import presenters, selectors, services

router = Router(tags=["shelters"])

MAX_ID = 2**63 - 1
ShelterId = Annotated[int, Path(ge=1, le=MAX_ID, description="A shelter's id")]
UnitId = Annotated[int, Path(ge=1, le=MAX_ID, description="A unit's id")]
StayId = Annotated[int, Path(ge=1, le=MAX_ID, description="A stay's id")]
RequestId = Annotated[int, Path(ge=1, le=MAX_ID, description="A security request's id")]
LicenceId = Annotated[int, Path(ge=1, le=MAX_ID, description="A licence's id")]
InspectionId = Annotated[int, Path(ge=1, le=MAX_ID, description="An inspection's id")]
Days = Annotated[int, Field(ge=0, le=36_500)]
Text = Annotated[str, Field(max_length=2000)]
Code = Annotated[str, Field(max_length=40)]


# -- Schemas (app-prefixed: each name is one component of the OpenAPI schema) ---------------

class ShelterUnitOut(Schema):
    id: int
    name: str
    kind: str
    capacity: int
    occupied: int
    free: int


class ShelterOut(Schema):
    id: int
    name: str
    operator: str
    founder: str
    approved_on: dt.date | None
    approval_reference: str
    services: list[str]
    active: bool
    version: int
    address: str | None = Field(description="Null unless the access policy shows it (18.4)")
    units: list[ShelterUnitOut]


class ShelterIn(Schema):
    name: Annotated[str, Field(max_length=120)]
    address: Text
    founder: Code
    services: list[Code] = []
    approved_on: dt.date | None = None
    approval_reference: Annotated[str, Field(max_length=60)] = ""


class ShelterPatch(Schema):
    name: Annotated[str, Field(max_length=120)] | None = None
    address: Text | None = None
    founder: Code | None = None
    services: list[Code] | None = None
    approved_on: dt.date | None = None
    approval_reference: Annotated[str, Field(max_length=60)] | None = None
    active: bool | None = None


class ShelterUnitIn(Schema):
    name: Annotated[str, Field(max_length=60)]
    kind: Code
    capacity: Annotated[int, Field(le=10_000)]


class ShelterUnitPatch(Schema):
    capacity: Annotated[int, Field(le=10_000)]


class ShelterExtensionOut(Schema):
    basis: str
    days: int
    document: str
    granted_on: dt.date


class ShelterStayOut(Schema):
    id: int
    case_id: int
    case_reference: str
    shelter_id: int | None = Field(description="Null unless the policy shows the shelter's location")
    unit_id: int | None
    unit_kind: str | None
    admitted_on: dt.date
    days: int | None
    left_on: dt.date | None
    destination: str
    version: int
    extensions: list[ShelterExtensionOut]
    lawful_end: dt.date | None = Field(description="The law engine's latest lawful end")
    open_end: bool = Field(description="The engine sets no end yet (proceedings under way)")
    assessed: bool
    lawful_end_article: str = Field(description="The provision that set the end")
    lawful_end_reason: str = Field(description="The engine's words for why")
    overstay: bool | None
    days_left: int | None
    withheld: bool = Field(False, description="The end moves with a birth date the reader may "
                                              "not see: withheld (the derivation rule)")


class ShelterCaseStayOut(Schema):
    shelter_id: int | None = Field(description="Null when no stay is recorded for the case")
    shelter_name: str | None
    address: str | None = Field(description="Null unless the access policy shows it (18.4)")
    stay: ShelterStayOut | None


class ShelterAdmissionIn(Schema):
    case_id: Annotated[int, Field(ge=1, le=MAX_ID)]
    admitted_on: dt.date
    days: Days


class ShelterExtensionIn(Schema):
    basis: Code
    days: Days
    document: Annotated[str, Field(max_length=120)]
    granted_on: dt.date | None = None


class ShelterDischargeIn(Schema):
    left_on: dt.date
    destination: Code


class ShelterBoardOut(Schema):
    beds: int
    occupied: int
    free: int
    arrivals: int
    departures: int
    ending_within: dict[str, int] = Field(description="Stays ending within 7, 14 and 30 days")
    overstays: int


class ShelterBoardRowOut(ShelterBoardOut):
    shelter_id: int


class ShelterNationalBoardOut(Schema):
    on: dt.date
    total: ShelterBoardOut
    shelters: list[ShelterBoardRowOut] = Field(description="Counts only: no name, case or address")


class ShelterSecurityIn(Schema):
    police: Code
    reason: Text


class ShelterSecurityResponseIn(Schema):
    response: Text


class ShelterSecurityOut(Schema):
    id: int
    shelter_id: int
    shelter_name: str
    police: str
    requested_on: dt.date
    status: str
    reason: str
    response: str | None
    answered_on: dt.date | None
    closed_on: dt.date | None
    address: str | None = Field(description="To the police only while the request is open (23.5)")


class ProviderLicenceIn(Schema):
    institution: Code
    number: Annotated[str, Field(max_length=60)]
    issued_by: Code
    services: list[Code]
    valid_from: dt.date
    valid_until: dt.date


class ProviderLicenceSuspendIn(Schema):
    suspended: bool


class ProviderLicenceOut(Schema):
    id: int
    institution: str
    number: str
    issued_by: str
    services: list[str]
    valid_from: dt.date
    valid_until: dt.date
    suspended: bool
    in_force: bool
    version: int


class ProviderInspectionIn(Schema):
    institution: Code
    inspector: Code
    visited_on: dt.date
    findings: Text
    required_actions: Text = ""
    follow_up_due: dt.date | None = None


class ProviderFollowUpIn(Schema):
    followed_up_on: dt.date
    note: Text


class ProviderInspectionOut(Schema):
    id: int
    institution: str
    inspector: str
    visited_on: dt.date
    findings: str
    required_actions: str
    follow_up_due: dt.date | None
    followed_up_on: dt.date | None
    follow_up_note: str


class ProviderContractIn(Schema):
    buyer: Code
    provider: Code
    reference: Annotated[str, Field(max_length=60)]
    services: list[Code]
    starts_on: dt.date
    ends_on: dt.date


class ProviderContractOut(Schema):
    id: int
    buyer: str
    provider: str
    reference: str
    services: list[str]
    starts_on: dt.date
    ends_on: dt.date


# -- Helpers ------------------------------------------------------------------------------

def _if_match(request: HttpRequest) -> int:
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired("send If-Match with the ETag you read, so no write is lost",
                                   field="If-Match")
    try:
        return int(header.removeprefix("W/").strip('"'))
    except ValueError:
        raise Invalid("If-Match", f"{header!r} is not an ETag of this API") from None


def _etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


def _shelter(request: HttpRequest, shelter_id: int, purpose: str) -> dict[str, Any]:
    shelter = selectors.shelter_get(user=request.user, shelter_id=shelter_id)
    return presenters.shelter_dict(shelter, user=request.user, purpose=purpose)


def _stay(request: HttpRequest, stay_id: int, purpose: str) -> dict[str, Any]:
    placement = selectors.placement_get(user=request.user, placement_id=stay_id)
    return presenters.stay_dicts([placement], user=request.user, on=timezone.localdate(),
                                 purpose=purpose)[0]


def _licence(licence: Any) -> dict[str, Any]:
    return {"id": licence.pk, "institution": licence.institution.code, "number": licence.number,
            "issued_by": licence.issued_by.code, "services": licence.services,
            "valid_from": licence.valid_from, "valid_until": licence.valid_until,
            "suspended": licence.suspended, "version": licence.version,
            "in_force": selectors.licence_in_force(licence, timezone.localdate())}


def _inspection(i: Any) -> dict[str, Any]:
    return {"id": i.pk, "institution": i.institution.code, "inspector": i.inspector.code,
            "visited_on": i.visited_on, "findings": i.findings,
            "required_actions": i.required_actions, "follow_up_due": i.follow_up_due,
            "followed_up_on": i.followed_up_on, "follow_up_note": i.follow_up_note}


# -- Shelters and units -------------------------------------------------------------------

@router.get("/shelters", response=list[ShelterOut], summary="The shelters I keep")
def shelter_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [presenters.shelter_dict(s, user=request.user, purpose="shelter list")
            for s in selectors.shelters_managed(user=request.user).select_related("operator")[:200]]


@router.post("/shelters", response={201: ShelterOut}, summary="Record a shelter of my institution")
def shelter_create(request: HttpRequest, response: HttpResponse, payload: ShelterIn) -> Status:
    shelter = services.shelter_create(actor=request.user, **payload.dict())
    _etag(response, shelter.version)
    return Status(201, _shelter(request, shelter.pk, "create answer"))


@router.get("/shelters/board", response=ShelterNationalBoardOut,
            summary="The national occupancy board: counts only")
def board_national(request: HttpRequest) -> dict[str, Any]:
    on = timezone.localdate()
    total, rows = selectors.national_board(user=request.user, on=on)
    return {"on": on, "total": presenters.board_dict(total),
            "shelters": [{"shelter_id": s.pk, **presenters.board_dict(b)} for s, b in rows]}


@router.get("/shelters/{int:shelter_id}", response=ShelterOut, summary="A shelter with its units")
def shelter_detail(request: HttpRequest, response: HttpResponse, shelter_id: ShelterId) -> dict[str, Any]:
    body = _shelter(request, shelter_id, "shelter view")
    _etag(response, body["version"])
    return body


@router.patch("/shelters/{int:shelter_id}", response=ShelterOut,
              summary="Change a shelter; needs If-Match with the ETag read")
def shelter_patch(request: HttpRequest, response: HttpResponse, shelter_id: ShelterId,
                  payload: ShelterPatch) -> dict[str, Any]:
    expected = _if_match(request)
    shelter = services.shelter_update(actor=request.user, shelter_id=shelter_id, expected_version=expected,
                                      changes=payload.dict(exclude_unset=True))
    _etag(response, shelter.version)
    return _shelter(request, shelter.pk, "update answer")


@router.post("/shelters/{int:shelter_id}/units", response={201: ShelterOut}, summary="Add a unit of beds")
def unit_create(request: HttpRequest, shelter_id: ShelterId, payload: ShelterUnitIn) -> Status:
    services.unit_add(actor=request.user, shelter_id=shelter_id, **payload.dict())
    return Status(201, _shelter(request, shelter_id, "unit answer"))


@router.patch("/shelters/units/{unit_id}", response=ShelterOut, summary="Change a unit's capacity")
def unit_patch(request: HttpRequest, unit_id: UnitId, payload: ShelterUnitPatch) -> dict[str, Any]:
    unit = services.unit_capacity_set(actor=request.user, unit_id=unit_id, capacity=payload.capacity)
    return _shelter(request, unit.shelter_id, "unit answer")


@router.get("/shelters/{int:shelter_id}/board", response=ShelterBoardOut, summary="A shelter's board")
def board_shelter(request: HttpRequest, shelter_id: ShelterId) -> dict[str, Any]:
    shelter = selectors.shelter_get(user=request.user, shelter_id=shelter_id)
    return presenters.board_dict(selectors.boards([shelter], timezone.localdate())[shelter.pk])


# -- Stays --------------------------------------------------------------------------------

@router.get("/shelters/{int:shelter_id}/stays", response=list[ShelterStayOut],
            summary="The stays in a shelter now, with their lawful ends")
def stay_list(request: HttpRequest, shelter_id: ShelterId) -> list[dict[str, Any]]:
    shelter = selectors.shelter_get(user=request.user, shelter_id=shelter_id)
    return presenters.stay_dicts(selectors.open_stays(shelter=shelter), user=request.user,
                                 on=timezone.localdate())


@router.get("/shelters/stays/{stay_id}", response=ShelterStayOut, summary="One stay")
def stay_detail(request: HttpRequest, response: HttpResponse, stay_id: StayId) -> dict[str, Any]:
    body = _stay(request, stay_id, "stay view")
    _etag(response, body["version"])
    return body


@router.get("/cases/{case_id}/stay", response=ShelterCaseStayOut,
            summary="Where a case's victim stays; the address only to whom the policy shows it")
def stay_of_case(request: HttpRequest,
                 case_id: Annotated[int, Path(ge=1, le=MAX_ID, description="A case's id")]) -> Any:
    placement = selectors.stay_of_case(user=request.user, case_id=case_id)
    if placement is None:
        return {"shelter_id": None, "shelter_name": None, "address": None, "stay": None}
    on = timezone.localdate()
    stay = presenters.stay_dicts([placement], user=request.user, on=on, purpose="case stay")[0]
    if (not access.allows(request.user, Action.VIEW, Kind.IDENTITY, placement.case)
            and presenters.stay_birth_derived(placement, on)):
        stay = presenters.stay_withheld(stay)
    # Which shelter is where the victim is (18.4): its name and id, like its address, only
    # to those the policy shows the shelter's location; the rest of the team sees the stay.
    located = access.shelter_locations(request.user).filter(pk=placement.shelter_id).exists()
    if not located:
        # The stay's own shelter and unit ids name the shelter as well as its name does.
        stay = presenters.stay_unlocated(stay)
    return {"shelter_id": placement.shelter_id if located else None,
            "shelter_name": placement.shelter.name if located else None, "stay": stay,
            "address": selectors.address_of(user=request.user, shelter=placement.shelter,
                                            purpose="case stay")}


@router.post("/shelters/units/{unit_id}/admissions", response={201: ShelterStayOut},
             summary="Admit a referred victim to a bed (23.6)")
def stay_admit(request: HttpRequest, response: HttpResponse, unit_id: UnitId,
               payload: ShelterAdmissionIn) -> Status:
    placement = services.placement_admit(actor=request.user, unit_id=unit_id, **payload.dict())
    _etag(response, placement.version)
    return Status(201, _stay(request, placement.pk, "admission answer"))


@router.post("/shelters/stays/{stay_id}/extensions", response={201: ShelterStayOut},
             summary="Extend a stay (23.7); needs If-Match with the stay's ETag")
def stay_extend(request: HttpRequest, response: HttpResponse, stay_id: StayId,
                payload: ShelterExtensionIn) -> Status:
    expected = _if_match(request)
    services.placement_extend(actor=request.user, placement_id=stay_id, expected_version=expected,
                              **payload.dict())
    body = _stay(request, stay_id, "extension answer")
    _etag(response, body["version"])
    return Status(201, body)


@router.post("/shelters/stays/{stay_id}/discharge", response=ShelterStayOut,
             summary="Discharge, with a destination; needs If-Match with the stay's ETag")
def stay_discharge(request: HttpRequest, response: HttpResponse, stay_id: StayId,
                   payload: ShelterDischargeIn) -> dict[str, Any]:
    expected = _if_match(request)
    services.placement_discharge(actor=request.user, placement_id=stay_id, expected_version=expected,
                                 **payload.dict())
    body = _stay(request, stay_id, "discharge answer")
    _etag(response, body["version"])
    return body


# -- Police security (23.5) ---------------------------------------------------------------

@router.get("/shelters/security-requests", response=list[ShelterSecurityOut],
            summary="Security requests of my shelters, or addressed to my police unit")
def security_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [presenters.security_dict(r, user=request.user)
            for r in selectors.security_requests(user=request.user)[:200]]


def _security(request: HttpRequest, request_id: int) -> dict[str, Any]:
    found = selectors.security_requests(user=request.user).filter(pk=request_id).first()
    if found is None:
        raise NotFound(f"security request {request_id} not found")
    return presenters.security_dict(found, user=request.user)


@router.post("/shelters/{int:shelter_id}/security-requests", response={201: ShelterSecurityOut},
             summary="Ask the police for assistance and safety (23.5)")
def security_create(request: HttpRequest, shelter_id: ShelterId, payload: ShelterSecurityIn) -> Status:
    made = services.security_request(actor=request.user, shelter_id=shelter_id, **payload.dict())
    return Status(201, _security(request, made.pk))


@router.post("/shelters/security-requests/{request_id}/response", response=ShelterSecurityOut,
             summary="The police answer a security request")
def security_respond(request: HttpRequest, request_id: RequestId,
                     payload: ShelterSecurityResponseIn) -> dict[str, Any]:
    services.security_respond(actor=request.user, request_id=request_id, response=payload.response)
    return _security(request, request_id)


@router.post("/shelters/security-requests/{request_id}/close", response=ShelterSecurityOut,
             summary="Close a security request: the police no longer see the address")
def security_close(request: HttpRequest, request_id: RequestId) -> dict[str, Any]:
    services.security_close(actor=request.user, request_id=request_id)
    return _security(request, request_id)


# -- Licensed providers (33) --------------------------------------------------------------

@router.get("/providers/licences", response=list[ProviderLicenceOut], summary="Providers' licences")
def licence_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_licence(licence) for licence in selectors.licences(user=request.user)[:500]]


@router.post("/providers/licences", response={201: ProviderLicenceOut}, summary="Record a licence (33.3)")
def licence_create(request: HttpRequest, response: HttpResponse, payload: ProviderLicenceIn) -> Status:
    licence = services.licence_record(actor=request.user, **payload.dict())
    _etag(response, licence.version)
    return Status(201, _licence(selectors.licences(user=request.user).get(pk=licence.pk)))


@router.post("/providers/licences/{licence_id}/suspension", response=ProviderLicenceOut,
             summary="Suspend or reinstate a licence; needs If-Match")
def licence_suspend(request: HttpRequest, response: HttpResponse, licence_id: LicenceId,
                    payload: ProviderLicenceSuspendIn) -> dict[str, Any]:
    expected = _if_match(request)
    licence = services.licence_suspend(actor=request.user, licence_id=licence_id,
                                       expected_version=expected, suspended=payload.suspended)
    _etag(response, licence.version)
    return _licence(selectors.licences(user=request.user).get(pk=licence.pk))


@router.post("/providers/inspections", response={201: ProviderInspectionOut},
             summary="Record a monitoring or inspection visit (33.6)")
def inspection_create(request: HttpRequest, payload: ProviderInspectionIn) -> Status:
    inspection = services.inspection_record(actor=request.user, **payload.dict())
    return Status(201, _inspection(inspection))


@router.post("/providers/inspections/{inspection_id}/follow-up", response=ProviderInspectionOut,
             summary="Record the follow-up of an inspection's required actions")
def inspection_follow_up(request: HttpRequest, inspection_id: InspectionId,
                         payload: ProviderFollowUpIn) -> dict[str, Any]:
    return _inspection(services.inspection_follow_up(actor=request.user, inspection_id=inspection_id,
                                                     **payload.dict()))


@router.post("/providers/contracts", response={201: ProviderContractOut},
             summary="Record services bought under contract (33.5)")
def contract_create(request: HttpRequest, payload: ProviderContractIn) -> Status:
    c = services.contract_record(actor=request.user, **payload.dict())
    return Status(201, {"id": c.pk, "buyer": c.buyer.code, "provider": c.provider.code,
                        "reference": c.reference, "services": c.services,
                        "starts_on": c.starts_on, "ends_on": c.ends_on})

