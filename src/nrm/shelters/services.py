"""Writes: shelters and units, admissions, extensions and discharges, security requests,
licences, inspections and contracts.

Each write is one transaction with its audit event, acting as the membership
access.acting() answers. A stay's write is followed by the case's legal state in the same
transaction (legal_state_follow): the admission records are the law's `case.accommodation`.
Whether a stay is lawful is asked of the law engine on the facts the write would leave,
never worked out here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Acting, Action, Kind
from nrm.authorities.models import Institution, User
from nrm.authorities.roles import Role
from nrm.cases.legal import law_facts
from nrm.cases.models import Case
from nrm.cases.selectors import case_get
from nrm.cases.services import legal_state_follow
from nrm.errors import Conflict, Invalid, NotAllowed, NotFound, PreconditionFailed
from nrm.law import LawError, assess
from nrm.shelters import selectors
from nrm.shelters.facts import accommodation_fact
from nrm.shelters.models import (
    OPEN_SECURITY_REQUEST,
    Destination,
    Extension,
    ExtensionBasis,
    Founder,
    Inspection,
    Licence,
    Placement,
    SecurityRequest,
    SecurityRequestStatus,
    ServiceContract,
    Shelter,
    ShelterService,
    Unit,
    UnitKind,
)

SHELTER_ROLES = frozenset({Role.SHELTER_STAFF})
# The contract's bounds of the assessed stay (23.6): the engine holds the days to them too,
# but an admission outside them is a typing error to refuse, not a stay to record.
STAY_MIN_DAYS, STAY_MAX_DAYS = 30, 90
MAX_DAYS = 36_500  # the contract rejects any number of days above this as impossible


def _today() -> dt.date:
    return timezone.localdate()


def _choice(field: str, value: str, choices: Any) -> str:
    if value not in choices.values:
        raise Invalid(field, _("unknown code %(code)s; one of: %(choices)s")
                      % {"code": repr(value), "choices": ", ".join(choices.values)})
    return value


def _codes(field: str, values: list[str], choices: Any) -> list[str]:
    for value in values:
        _choice(field, value, choices)
    return sorted(set(values))


def _text(field: str, value: str, *, required: bool = True, limit: int = 2000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(field, _("this field is required"))
    if len(value) > limit:
        raise Invalid(field, _("at most %(limit)s characters") % {"limit": limit})
    return value


def _not_after_today(field: str, day: dt.date) -> None:
    if day > _today():
        raise Invalid(field, _("%(date)s is after today") % {"date": day.isoformat()})


def _expect_version(current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise PreconditionFailed(
            _("the record is at version %(version)s; read it again and re-apply the change")
            % {"version": current}, field="If-Match")


def _as_operator(actor: User, shelter: Shelter) -> Acting:
    return access.acting(actor, roles=SHELTER_ROLES, institution_id=shelter.operator_id)


# --- Shelters and units (23.1-23.4, 38.7) ------------------------------------------------

def _capacity(field: str, capacity: int) -> int:
    if capacity is None or capacity < 0:
        raise Invalid(field, _("a capacity cannot be negative"))
    if capacity > 10_000:
        raise Invalid(field, _("at most %(limit)s beds") % {"limit": 10_000})
    return capacity


@transaction.atomic
def shelter_create(
    *, actor: User, name: str, address: str, founder: str, services: list[str],
    approved_on: dt.date | None = None, approval_reference: str = "",
    operator_id: int | None = None,
) -> Shelter:
    """Record a centre or shelter of the actor's own institution, its founder (23.2) and the
    National Authority's approval on record (23.2.3, 23.2.4)."""
    acting = access.acting(actor, roles=SHELTER_ROLES, institution_id=operator_id)
    name = _text("name", name, limit=120)
    _choice("founder", founder, Founder)
    services = _codes("services", services, ShelterService)
    if founder in (Founder.NGO, Founder.JOINT) and approved_on is None:
        raise Invalid("approved_on", _("a shelter founded so needs the National Authority's "
                                       "approval on record (Art. 23.2.3, 23.2.4)"))
    if approved_on is not None:
        _not_after_today("approved_on", approved_on)
    shelter = Shelter.objects.create(
        operator_id=acting.institution_id, name=name, address=_text("address", address),
        founder=founder, services=services, approved_on=approved_on,
        approval_reference=_text("approval_reference", approval_reference, required=False, limit=60),
    )
    record(actor=actor, action="create", record_type="shelters.shelter", records=[shelter],
           fields=["name", "address", "founder", "services", "approved_on"], acting=acting)
    return shelter


SHELTER_FIELDS = ("name", "address", "founder", "services", "approved_on", "approval_reference",
                  "active")


@transaction.atomic
def shelter_update(*, actor: User, shelter_id: int, expected_version: int | None,
                   changes: dict[str, Any]) -> Shelter:
    shelter = selectors.shelter_get(user=actor, shelter_id=shelter_id, action=Action.CHANGE)
    shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)
    acting = _as_operator(actor, shelter)
    _expect_version(shelter.version, expected_version)
    for name in changes:
        if name not in SHELTER_FIELDS:
            raise Invalid(name, _("this field cannot be changed here"))
    if "name" in changes:
        shelter.name = _text("name", changes["name"], limit=120)
    if "address" in changes:
        shelter.address = _text("address", changes["address"])
    if "founder" in changes:
        shelter.founder = _choice("founder", changes["founder"], Founder)
    if "services" in changes:
        shelter.services = _codes("services", list(changes["services"] or []), ShelterService)
    if "approved_on" in changes:
        if changes["approved_on"] is not None:
            _not_after_today("approved_on", changes["approved_on"])
        shelter.approved_on = changes["approved_on"]
    if "approval_reference" in changes:
        shelter.approval_reference = _text("approval_reference", changes["approval_reference"],
                                           required=False, limit=60)
    if "active" in changes:
        shelter.active = bool(changes["active"])
    shelter.version += 1
    shelter.save()
    record(actor=actor, action="update", record_type="shelters.shelter", records=[shelter],
           fields=sorted(changes), acting=acting)
    return shelter


@transaction.atomic
def unit_add(*, actor: User, shelter_id: int, name: str, kind: str, capacity: int) -> Unit:
    """A unit of beds; children's units apart from adults' (38.7)."""
    shelter = selectors.shelter_get(user=actor, shelter_id=shelter_id, action=Action.CHANGE)
    acting = _as_operator(actor, shelter)
    unit = Unit.objects.create(shelter=shelter, name=_text("name", name, limit=60),
                               kind=_choice("kind", kind, UnitKind),
                               capacity=_capacity("capacity", capacity))
    record(actor=actor, action="create", record_type="shelters.unit", records=[unit],
           fields=["name", "kind", "capacity"], acting=acting)
    return unit


@transaction.atomic
def unit_capacity_set(*, actor: User, unit_id: int, capacity: int) -> Unit:
    unit = selectors.unit_get(user=actor, unit_id=unit_id)
    acting = _as_operator(actor, unit.shelter)
    capacity = _capacity("capacity", capacity)
    # One conditional update: never below the beds taken, even as someone is admitted.
    if not Unit.objects.filter(pk=unit.pk, occupied__lte=capacity).update(capacity=capacity):
        raise Conflict(_("%(count)s beds are taken; the capacity cannot be lower")
                       % {"count": Unit.objects.get(pk=unit.pk).occupied}, field="capacity")
    record(actor=actor, action="update", record_type="shelters.unit", records=[unit],
           fields=["capacity"], acting=acting)
    return Unit.objects.get(pk=unit.pk)


# --- Admissions, extensions and discharges (23.6-23.8, 38.7, 38.8) -----------------------

def _shelter_referral(case: Case, shelter: Shelter) -> Any:
    """The referral that brought the victim to this provider: a shelter referral it accepted."""
    from nrm.referrals.models import Referral, ReferralStatus, Service

    return (Referral.objects.filter(case=case, service=Service.SHELTER, provider_id=shelter.operator_id,
                                    status__in=(ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED))
            .order_by("-referred_on", "-id").first())


def _overstay(case: Case, stay: dict[str, Any], field: str) -> None:
    """Ask the law engine whether the stay, as the write would leave it, keeps the person past
    its lawful end today; refuse naming the article the engine names."""
    facts = law_facts(case, {"accommodation": stay})
    try:
        assessment = assess(facts, _today())
    except LawError as error:
        raise Invalid(field, str(error)) from None
    for violation in assessment.violations:
        if violation.code == selectors.OVERSTAY_CODE:
            raise Invalid(field, _("this would keep the person past the stay's lawful end "
                                   "without an extension (Art. %(article)s)")
                          % {"article": violation.article})


@transaction.atomic
def placement_admit(*, actor: User, unit_id: int, case_id: int, admitted_on: dt.date,
                    days: int) -> Placement:
    """Admit a referred victim to a bed for the assessed stay of 30 to 90 days (23.6)."""
    unit = selectors.unit_get(user=actor, unit_id=unit_id)
    shelter = unit.shelter
    case = case_get(user=actor, case_id=case_id, action=Action.CHANGE, audit=False)
    acting = access.acting(actor, case=case, roles=SHELTER_ROLES, institution_id=shelter.operator_id)
    referral = _shelter_referral(case, shelter)
    if referral is None:
        raise Invalid("case_id", _("the victim was not referred to this shelter's provider, or "
                                   "the referral was not accepted (Art. 23)"))
    _not_after_today("admitted_on", admitted_on)
    if admitted_on < referral.referred_on:
        raise Invalid("admitted_on", _("the admission is dated before the referral of %(date)s")
                      % {"date": referral.referred_on.isoformat()})
    if days is None or not STAY_MIN_DAYS <= days <= STAY_MAX_DAYS:
        raise Invalid("days", _("the assessed stay is %(min)s to %(max)s days (Art. 23.6)")
                      % {"min": STAY_MIN_DAYS, "max": STAY_MAX_DAYS})
    if Placement.objects.filter(case=case, left_on__isnull=True).exists():
        raise Conflict(_("the victim is already staying in a shelter; discharge them first"),
                       field="case_id")
    # 38.7: children are accommodated apart from adults.
    if case.child and unit.kind != UnitKind.CHILDREN:
        raise Invalid("unit_id", _("a child is accommodated only in a children's unit, apart "
                                   "from adults (Art. 38.7)"))
    if not case.child and unit.kind == UnitKind.CHILDREN:
        raise Invalid("unit_id", _("an adult may not be accommodated in a children's unit "
                                   "(Art. 38.7)"))
    _overstay(case, {"admitted_on": admitted_on.isoformat(), "days": days, "extensions": []},
              "admitted_on")
    # The last bed: one conditional UPDATE decides. Of two managers admitting at once, the
    # database lets one through; the other's transaction writes nothing.
    if not Unit.objects.filter(pk=unit.pk, occupied__lt=F("capacity")).update(occupied=F("occupied") + 1):
        raise Conflict(_("the unit is full: %(capacity)s beds, all taken (Art. 23.1)")
                       % {"capacity": unit.capacity}, field="unit_id")
    placement = Placement.objects.create(case=case, shelter=shelter, unit=unit, admitted_on=admitted_on,
                                         days=days, referral=referral, admitted_by=actor)
    record(actor=actor, action="shelters.admit", record_type="shelters.placement",
           records=[placement], fields=["case", "unit", "admitted_on", "days"],
           detail={"case": case.pk}, acting=acting)
    legal_state_follow(case_id=case.pk)
    return placement


def _locked_placement(actor: User, placement_id: int, expected_version: int | None) -> Placement:
    found = selectors.placement_get(user=actor, placement_id=placement_id, action=Action.CHANGE)
    placement = (Placement.objects.select_for_update().select_related("case", "case__person", "shelter")
                 .get(pk=found.pk))
    _expect_version(placement.version, expected_version)
    if placement.left_on is not None:
        raise Conflict(_("this stay ended on %(date)s") % {"date": placement.left_on.isoformat()},
                       field="placement_id")
    return placement


@transaction.atomic
def placement_extend(*, actor: User, placement_id: int, expected_version: int | None, basis: str,
                     days: int, document: str, granted_on: dt.date | None = None) -> Extension:
    """Extend a stay on one of the bases of 23.7, naming the document it rests on."""
    placement = _locked_placement(actor, placement_id, expected_version)
    acting = access.acting(actor, case=placement.case, roles=SHELTER_ROLES,
                           institution_id=placement.shelter.operator_id)
    _choice("basis", basis, ExtensionBasis)
    if days is None or not 1 <= days <= MAX_DAYS:
        raise Invalid("days", _("an extension is at least one day"))
    document = _text("document", document, limit=120)
    granted_on = granted_on or _today()
    _not_after_today("granted_on", granted_on)
    if granted_on < placement.admitted_on:
        raise Invalid("granted_on", _("the extension is dated before the admission of %(date)s")
                      % {"date": placement.admitted_on.isoformat()})
    stay = accommodation_fact(placement)
    stay["extensions"].append({"basis": basis, "days": days})
    _overstay(placement.case, stay, "days")
    extension = Extension.objects.create(placement=placement, basis=basis, days=days,
                                         document=document, granted_on=granted_on, granted_by=actor)
    placement.version += 1
    placement.save(update_fields=["version"])
    record(actor=actor, action="shelters.extend", record_type="shelters.placement",
           records=[placement], fields=["basis", "days", "document"], acting=acting)
    legal_state_follow(case_id=placement.case_id)
    return extension


@transaction.atomic
def placement_discharge(*, actor: User, placement_id: int, expected_version: int | None,
                        left_on: dt.date, destination: str) -> Placement:
    placement = _locked_placement(actor, placement_id, expected_version)
    acting = access.acting(actor, case=placement.case, roles=SHELTER_ROLES,
                           institution_id=placement.shelter.operator_id)
    _choice("destination", destination, Destination)
    if left_on < placement.admitted_on:
        raise Invalid("left_on", _("the discharge is dated before the admission of %(date)s")
                      % {"date": placement.admitted_on.isoformat()})
    _not_after_today("left_on", left_on)
    placement.left_on, placement.destination = left_on, destination
    placement.version += 1
    placement.save(update_fields=["left_on", "destination", "version"])
    if placement.unit_id is not None:
        Unit.objects.filter(pk=placement.unit_id, occupied__gt=0).update(occupied=F("occupied") - 1)
    record(actor=actor, action="shelters.discharge", record_type="shelters.placement",
           records=[placement], fields=["left_on", "destination"], acting=acting)
    legal_state_follow(case_id=placement.case_id)
    return placement


# --- Police security (23.5) --------------------------------------------------------------

def _police(code: str) -> Institution:
    """Only a police institution may be asked (23.5): the request gives it the shelter's
    address, so any other institution named here would learn where victims live."""
    institution = next((i for i in selectors.police_institutions() if i.code == code), None)
    if institution is None:
        raise Invalid("police", _("no active police institution has the code %(code)s")
                      % {"code": repr(code)})
    return institution


@transaction.atomic
def security_request(*, actor: User, shelter_id: int, police: str, reason: str) -> SecurityRequest:
    """The shelter asks the police for assistance and safety (23.5)."""
    shelter = selectors.shelter_get(user=actor, shelter_id=shelter_id, action=Action.CHANGE)
    acting = _as_operator(actor, shelter)
    request = SecurityRequest.objects.create(
        shelter=shelter, police=_police(police), requested_on=_today(),
        reason=_text("reason", reason), requested_by=actor,
    )
    record(actor=actor, action="create", record_type="shelters.security_request",
           records=[request], fields=["police", "reason"], acting=acting)
    return request


def _request_for_police(actor: User, request_id: int) -> tuple[SecurityRequest, Acting]:
    request = (SecurityRequest.objects.select_for_update().select_related("shelter")
               .filter(pk=request_id, police_id__in=access.institutions(
                   actor, roles=access.SECURITY_REQUESTED)).first())
    if request is None:
        raise NotFound(_("security request %(id)s not found") % {"id": request_id})
    return request, access.acting(actor, roles=access.SECURITY_REQUESTED,
                                  institution_id=request.police_id)


@transaction.atomic
def security_respond(*, actor: User, request_id: int, response: str) -> SecurityRequest:
    request, acting = _request_for_police(actor, request_id)
    if request.status not in OPEN_SECURITY_REQUEST:
        raise Conflict(_("the request is closed"), field="status")
    request.response = _text("response", response)
    request.status, request.answered_on = SecurityRequestStatus.ANSWERED, _today()
    request.save(update_fields=["response", "status", "answered_on"])
    record(actor=actor, action="update", record_type="shelters.security_request",
           records=[request], fields=["response", "status"], acting=acting)
    return request


@transaction.atomic
def security_close(*, actor: User, request_id: int) -> SecurityRequest:
    """Closed by the shelter that asked, or by the police asked; the address is hidden from
    the police again at once."""
    request = (SecurityRequest.objects.select_for_update().select_related("shelter")
               .filter(pk=request_id).first())
    if request is None:
        raise NotFound(_("security request %(id)s not found") % {"id": request_id})
    if access.shelters_managed(actor, Action.CHANGE).filter(pk=request.shelter_id).exists():
        acting = _as_operator(actor, request.shelter)
    else:
        request, acting = _request_for_police(actor, request_id)
    if request.status == SecurityRequestStatus.CLOSED:
        raise Conflict(_("the request is closed"), field="status")
    request.status, request.closed_on = SecurityRequestStatus.CLOSED, _today()
    request.save(update_fields=["status", "closed_on"])
    record(actor=actor, action="update", record_type="shelters.security_request",
           records=[request], fields=["status"], acting=acting)
    return request


# --- Licences, inspections, contracts (33.3-33.6) ----------------------------------------

def _national(actor: User) -> Acting:
    if not access.national_allows(actor, Action.CHANGE, Kind.LICENCE):
        raise NotAllowed(_("only the National Authority records licences, inspections and "
                           "contracts (Art. 33)"))
    roles = [role for role, kinds in access.NATIONAL.items()
             if Action.CHANGE in kinds.get(Kind.LICENCE, access.NONE)]
    return access.acting(actor, roles=roles)


def _institution_code(field: str, code: str) -> Institution:
    institution = Institution.objects.filter(code=code).first()
    if institution is None:
        raise Invalid(field, _("no institution has the code %(code)s") % {"code": repr(code)})
    return institution


def _services(field: str, services: list[str]) -> list[str]:
    from nrm.referrals.models import Service

    return _codes(field, services, Service)


@transaction.atomic
def licence_record(*, actor: User, institution: str, number: str, issued_by: str,
                   services: list[str], valid_from: dt.date, valid_until: dt.date) -> Licence:
    acting = _national(actor)
    if valid_until < valid_from:
        raise Invalid("valid_until", _("the licence ends before it begins"))
    holder = _institution_code("institution", institution)
    issuer = _institution_code("issued_by", issued_by)
    number = _text("number", number, limit=60)
    if Licence.objects.filter(issued_by=issuer, number=number).exists():
        raise Conflict(_("this issuer already recorded licence %(number)s") % {"number": number},
                       field="number")
    licence = Licence.objects.create(institution=holder, number=number, issued_by=issuer,
                                     services=_services("services", services),
                                     valid_from=valid_from, valid_until=valid_until)
    record(actor=actor, action="create", record_type="shelters.licence", records=[licence],
           fields=["number", "services", "valid_from", "valid_until"], acting=acting)
    return licence


PROVIDER_UNLICENSED = "provider_unlicensed"  # the case team's notice (33.3)


@transaction.atomic
def unlicensed_referrals_alert(*, on: dt.date | None = None) -> int:
    """Raise a notice on every case with an open referral to a provider that holds no
    licence in force on `on` (expired or suspended, 33.3): the team must find another
    provider. Run on a suspension, and daily for the licences that expire. Returns the
    number of cases alerted."""
    from nrm.cases.services import legal_notice_raise
    from nrm.referrals.models import SHARED_STATUSES, Referral

    day = on or _today()
    open_referrals = Referral.objects.filter(status__in=SHARED_STATUSES).select_related("case", "provider")
    alerted = set()
    for provider_id in set(open_referrals.values_list("provider_id", flat=True)):
        if selectors.provider_licensed(provider_id, day):
            continue
        for referral in open_referrals.filter(provider_id=provider_id):
            if referral.case_id not in alerted:
                legal_notice_raise(case=referral.case, code=PROVIDER_UNLICENSED,
                                   detail={"provider": referral.provider.code})
                alerted.add(referral.case_id)
    return len(alerted)


@transaction.atomic
def licence_suspend(*, actor: User, licence_id: int, expected_version: int | None,
                    suspended: bool) -> Licence:
    """Suspend (or reinstate) a licence; a suspension alerts the teams of the provider's open
    referrals at once."""
    acting = _national(actor)
    licence = Licence.objects.select_for_update().filter(pk=licence_id).first()
    if licence is None:
        raise NotFound(_("licence %(id)s not found") % {"id": licence_id})
    _expect_version(licence.version, expected_version)
    licence.suspended = suspended
    licence.version += 1
    licence.save(update_fields=["suspended", "version"])
    record(actor=actor, action="update", record_type="shelters.licence", records=[licence],
           fields=["suspended"], acting=acting)
    if suspended:
        unlicensed_referrals_alert()
    return licence


@transaction.atomic
def inspection_record(*, actor: User, institution: str, inspector: str, visited_on: dt.date,
                      findings: str, required_actions: str = "",
                      follow_up_due: dt.date | None = None) -> Inspection:
    """A monitoring or inspection visit (33.6): findings, and the actions it requires."""
    acting = _national(actor)
    _not_after_today("visited_on", visited_on)
    required_actions = _text("required_actions", required_actions, required=False)
    if required_actions and follow_up_due is None:
        raise Invalid("follow_up_due", _("required actions need a date to follow them up"))
    if follow_up_due is not None and follow_up_due < visited_on:
        raise Invalid("follow_up_due", _("the follow-up is due before the visit"))
    inspection = Inspection.objects.create(
        institution=_institution_code("institution", institution),
        inspector=_institution_code("inspector", inspector), visited_on=visited_on,
        findings=_text("findings", findings), required_actions=required_actions,
        follow_up_due=follow_up_due,
    )
    record(actor=actor, action="create", record_type="shelters.inspection", records=[inspection],
           fields=["findings", "required_actions", "follow_up_due"], acting=acting)
    return inspection


@transaction.atomic
def inspection_follow_up(*, actor: User, inspection_id: int, followed_up_on: dt.date,
                         note: str) -> Inspection:
    acting = _national(actor)
    inspection = Inspection.objects.select_for_update().filter(pk=inspection_id).first()
    if inspection is None:
        raise NotFound(_("inspection %(id)s not found") % {"id": inspection_id})
    if followed_up_on < inspection.visited_on:
        raise Invalid("followed_up_on", _("the follow-up is dated before the visit"))
    _not_after_today("followed_up_on", followed_up_on)
    inspection.followed_up_on, inspection.follow_up_note = followed_up_on, _text("note", note)
    inspection.save(update_fields=["followed_up_on", "follow_up_note"])
    record(actor=actor, action="update", record_type="shelters.inspection", records=[inspection],
           fields=["followed_up_on", "follow_up_note"], acting=acting)
    return inspection


@transaction.atomic
def contract_record(*, actor: User, buyer: str, provider: str, reference: str,
                    services: list[str], starts_on: dt.date, ends_on: dt.date) -> ServiceContract:
    """Services bought from a provider under public procurement (33.5)."""
    acting = _national(actor)
    if ends_on < starts_on:
        raise Invalid("ends_on", _("the contract ends before it begins"))
    contract = ServiceContract.objects.create(
        buyer=_institution_code("buyer", buyer), provider=_institution_code("provider", provider),
        reference=_text("reference", reference, limit=60),
        services=_services("services", services), starts_on=starts_on, ends_on=ends_on,
    )
    record(actor=actor, action="create", record_type="shelters.contract", records=[contract],
           fields=["services", "starts_on", "ends_on"], acting=acting)
    return contract
