"""Writes for foreigners, safe return and cooperation: one function per change, audited.

Each works out the membership it acts as (access.acting, on the `returns` kind), writes
this app's own rows, and lets the case's legal state follow in the same transaction
(nrm.cases.services.legal_state_follow): the deportation bar a reflection period raises is
on the case the moment the grant is stored (31.3). The law's dates, duties and
prohibitions are the engine's; nothing here recomputes them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.authorities.models import Institution, User
from nrm.authorities.roles import InstitutionKind
from nrm.cases.decisions import duty_complete
from nrm.cases.legal import assessment_of
from nrm.cases.models import Case, Duty, DutyStatus
from nrm.cases.services import case_update, legal_state_follow
from nrm.crypto.keyring import keyed_hash
from nrm.errors import CaseNotFound, Conflict, Invalid, NotAllowed, NotFound, PreconditionFailed
from nrm.returns.models import (
    ConsularAssistance,
    CooperationPurpose,
    CooperationRequest,
    Direction,
    DocumentKey,
    LivingSupport,
    PermitKind,
    ReflectionPeriod,
    RemovalOrder,
    ResidenceInformation,
    ResidencePermit,
    ReturnPlan,
    ReturnStatus,
)

MAX_REFLECTION_DAYS = 365  # input bound only: 30..90 is the law's, and the engine's (20.2.9)
COUNTRY = re.compile(r"^[A-Z]{2}$")
DOCUMENT = re.compile(r"^[A-Z0-9]{5,20}$")


def document_normalise(number: str) -> str:
    """A document number as the removal check compares it: upper case, no spaces or dashes."""
    return re.sub(r"[\s\-/.]", "", number or "").upper()


def document_key(number: str) -> str:
    return keyed_hash("travel-document", document_normalise(number))


def _locked(actor: User, case_id: int) -> tuple[Case, access.Acting]:
    case = (access.returns_cases(actor, Action.CHANGE).select_for_update()
            .select_related("person").filter(pk=case_id).first())
    if case is None:
        raise CaseNotFound(case_id)
    return case, access.acting(actor, case=case, kind=Kind.RETURNS, action=Action.CHANGE)


def _institution(code: str | None, field: str, *, kind: str | None = None) -> Institution:
    found = Institution.objects.filter(code=code or "", active=True).first()
    if found is None:
        raise Invalid(field, _("no institution %(code)s") % {"code": repr(code)})
    if kind is not None and found.kind != kind:
        raise Invalid(field, _("%(code)s is not a consular mission (Art. 32)") % {"code": code})
    return found


def _country(value: str, field: str) -> str:
    code = (value or "").strip().upper()
    if not COUNTRY.match(code):
        raise Invalid(field, _("give the country as two letters (ISO 3166), e.g. AL"))
    return code


def _recorded(actor: User, case: Case, acting: access.Acting) -> dict[str, Any]:
    return {"case": case, "recorded_by": actor, "recorded_by_institution_id": acting.institution_id}


def _follow(case: Case) -> None:
    """The case's legal state follows (20.5); the removal check keeps the person's document
    number as a keyed hash, from the person's own record."""
    number = document_normalise(case.person.document_number or "")
    if DOCUMENT.match(number):
        DocumentKey.objects.update_or_create(person_id=case.person_id,
                                             defaults={"key": document_key(number)})
    else:
        DocumentKey.objects.filter(person_id=case.person_id).delete()
    legal_state_follow(case_id=case.pk)


def _duty_done(actor: User, case: Case, acting: access.Acting, code: str) -> None:
    """The record is the act the duty asks for: an open duty of that code, owed by the
    institution acted as, is completed through the cases' own service (one write path)."""
    owed = Duty.objects.filter(case=case, code=code, status=DutyStatus.OPEN,
                               institution_id=acting.institution_id).values_list("pk", flat=True)
    for duty_id in owed:
        duty_complete(actor=actor, duty_id=duty_id, note="")


def _audit(actor: User, acting: access.Acting, action: str, row: Any, fields: list[str],
           case: Case) -> None:
    record(actor=actor, action=action, record_type=f"returns.{type(row).__name__.lower()}",
           records=[row, case.pk], fields=fields, purpose="foreigners and returns", acting=acting)


def _version(row: Any, expected: int | None) -> None:
    if expected is not None and row.version != expected:
        raise PreconditionFailed(_("the record is at version %(version)s; read it again")
                                 % {"version": row.version}, field="If-Match")


# --- Reflection periods (20.2.9, 26, 31.3, 38.6) ----------------------------------------

@transaction.atomic
def reflection_grant(*, actor: User, case_id: int, start: dt.date, days: int,
                     granted_by: str, extends_id: int | None = None) -> ReflectionPeriod:
    """Grant a reflection period, or extend one (`extends_id`): an extension starts within
    the period it extends or the day after its last day."""
    case, acting = _locked(actor, case_id)
    if not 1 <= days <= MAX_REFLECTION_DAYS:
        raise Invalid("days", _("give the days granted, from 1 to %(max)s") % {"max": MAX_REFLECTION_DAYS})
    grounds = case.facts.get("reasonable_grounds_on")
    if grounds and start < dt.date.fromisoformat(str(grounds)):
        raise Invalid("start", _("a reflection period cannot start before the reasonable grounds "
                                 "(%(grounds)s)") % {"grounds": grounds})
    existing = ReflectionPeriod.objects.filter(case=case)
    extends = None
    if extends_id is not None:
        extends = existing.filter(pk=extends_id).first()
        if extends is None:
            raise Invalid("extends", _("no reflection period %(id)s on this case") % {"id": extends_id})
        last = extends.start + dt.timedelta(days=extends.days - 1)
        if not extends.start <= start <= last + dt.timedelta(days=1):
            raise Invalid("start", _("an extension starts within the period it extends or on "
                                     "%(next)s") % {"next": (last + dt.timedelta(days=1)).isoformat()})
    elif existing.exists():
        raise Invalid("extends", _("a reflection period is already granted: record an extension of it"))
    grant = ReflectionPeriod.objects.create(
        **_recorded(actor, case, acting), start=start, days=days, extends=extends,
        granted_by=_institution(granted_by, "granted_by"))
    _audit(actor, acting, "reflection.grant", grant, ["start", "days", "granted_by", "extends"], case)
    _follow(case)
    _duty_done(actor, case, acting, "offer_reflection_period")  # 26.1: offered, and granted
    return grant


@transaction.atomic
def removal_order_record(*, actor: User, case_id: int, ordered_on: dt.date, issued_by: str) -> RemovalOrder:
    """A removal order applied (31.3): the engine tells whether it fell in the period."""
    case, acting = _locked(actor, case_id)
    if ordered_on > timezone.localdate():
        raise Invalid("ordered_on", _("record an order once it is applied, not before"))
    order = RemovalOrder.objects.create(**_recorded(actor, case, acting), ordered_on=ordered_on,
                                        issued_by=_institution(issued_by, "issued_by"))
    _audit(actor, acting, "removal_order.record", order, ["ordered_on", "issued_by"], case)
    _follow(case)
    return order


# --- Residence (25, 27, 28, 37.6) ---------------------------------------------------------

@transaction.atomic
def residence_informed(*, actor: User, case_id: int, informed_on: dt.date, language: str,
                       interpreter: bool = False, safe_return: bool = False) -> ResidenceInformation:
    case, acting = _locked(actor, case_id)
    if informed_on > timezone.localdate():
        raise Invalid("informed_on", _("the day the person was told cannot be in the future"))
    if not re.match(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$", language or ""):
        raise Invalid("language", _("give the language as an ISO 639 code, e.g. sq"))
    told = ResidenceInformation.objects.create(**_recorded(actor, case, acting), informed_on=informed_on,
                                               language=language, interpreter=interpreter,
                                               safe_return=safe_return)
    _audit(actor, acting, "residence.informed", told,
           ["informed_on", "language", "interpreter", "safe_return"], case)
    _follow(case)
    _duty_done(actor, case, acting, "inform_residence_options")  # 25
    if safe_return:
        _duty_done(actor, case, acting, "inform_safe_return")  # 29.1.2
    return told


@transaction.atomic
def permit_issue(*, actor: User, case_id: int, kind: str, valid_from: dt.date, valid_until: dt.date,
                 issued_by: str) -> ResidencePermit:
    case, acting = _locked(actor, case_id)
    if kind not in PermitKind.values:
        raise Invalid("kind", _("unknown permit kind %(kind)s") % {"kind": repr(kind)})
    if valid_until < valid_from:
        raise Invalid("valid_until", _("a permit cannot end (%(until)s) before it starts (%(from)s)")
                      % {"until": valid_until.isoformat(), "from": valid_from.isoformat()})
    permit = ResidencePermit.objects.create(
        **_recorded(actor, case, acting), kind=kind, valid_from=valid_from, valid_until=valid_until,
        issued_by=_institution(issued_by, "issued_by"))
    _audit(actor, acting, "permit.issue", permit, ["kind", "valid_from", "valid_until", "issued_by"], case)
    _follow(case)
    return permit


@transaction.atomic
def living_support_record(*, actor: User, case_id: int, from_on: dt.date, until_on: dt.date | None,
                          provided_by: str) -> LivingSupport:
    case, acting = _locked(actor, case_id)
    if until_on is not None and until_on < from_on:
        raise Invalid("until_on", _("support cannot end before it starts"))
    support = LivingSupport.objects.create(**_recorded(actor, case, acting), from_on=from_on,
                                           until_on=until_on,
                                           provided_by=_institution(provided_by, "provided_by"))
    _audit(actor, acting, "living_support.record", support, ["from_on", "until_on", "provided_by"], case)
    _follow(case)
    return support


# --- Returns (29, 30, 37) -----------------------------------------------------------------

RETURN_CHECKS = ("risk_assessed", "risk_found", "risk_assessment", "non_refoulement_checked",
                 "asylum_checked", "guardian_consent", "receiving_authority_consent",
                 "best_interests_determined", "wants_to_return", "planned_on", "destination")


def _asylum(actor: User, case: Case, asylum_requested: bool | None) -> None:
    # person.asylum_requested is a person fact: it goes through the case's one write path.
    if asylum_requested is not None and case.person.facts.get("asylum_requested") != asylum_requested:
        case_update(actor=actor, case_id=case.pk, expected_version=None,
                    person={"asylum_requested": asylum_requested}, purpose="return: asylum check")


@transaction.atomic
def return_plan(*, actor: User, case_id: int, destination: str, planned_on: dt.date,
                wants_to_return: bool, asylum_requested: bool | None = None,
                **checks: Any) -> ReturnPlan:
    """Plan a return: where to, the person's wish, and the checks made so far."""
    case, acting = _locked(actor, case_id)
    unknown = sorted(set(checks) - set(RETURN_CHECKS))
    if unknown:
        raise Invalid(unknown[0], _("not a field of a return"))
    plan = ReturnPlan(**_recorded(actor, case, acting), destination=_country(destination, "destination"),
                      planned_on=planned_on, wants_to_return=wants_to_return)
    for name, value in checks.items():
        setattr(plan, name, value if name != "risk_assessment" else (value or ""))
    if plan.risk_found is not None and not plan.risk_assessed:
        raise Invalid("risk_found", _("a risk can be found only by a risk assessment"))
    plan.save()
    _audit(actor, acting, "return.plan", plan, ["destination", "planned_on", "wants_to_return",
                                                  *sorted(checks)], case)
    _asylum(actor, case, asylum_requested)
    _follow(case)
    if plan.risk_assessed:
        _duty_done(actor, case, acting, "return_risk_assessment")  # 29.2, 37.5
    return plan


def _plan_locked(actor: User, plan_id: int) -> tuple[ReturnPlan, Case, access.Acting]:
    plan = ReturnPlan.objects.select_for_update().filter(
        pk=plan_id, case__in=access.returns_cases(actor, Action.CHANGE)).first()
    if plan is None:
        raise NotFound(_("return %(id)s not found") % {"id": plan_id})
    case, acting = _locked(actor, plan.case_id)
    return plan, case, acting


@transaction.atomic
def return_update(*, actor: User, plan_id: int, expected_version: int | None,
                  asylum_requested: bool | None = None, **changes: Any) -> ReturnPlan:
    """Record a check made since (a risk assessment, a consent, the best interests)."""
    plan, case, acting = _plan_locked(actor, plan_id)
    _version(plan, expected_version)
    if plan.status != ReturnStatus.PLANNED:
        raise Conflict(_("the return is %(status)s; it can no longer change") % {"status": plan.status},
                       field="status")
    unknown = sorted(set(changes) - set(RETURN_CHECKS))
    if unknown:
        raise Invalid(unknown[0], _("not a field of a return"))
    for name, value in changes.items():
        if name == "destination":
            value = _country(value, "destination")
        setattr(plan, name, value if name != "risk_assessment" else (value or ""))
    if plan.risk_found is not None and not plan.risk_assessed:
        raise Invalid("risk_found", _("a risk can be found only by a risk assessment"))
    plan.version += 1
    plan.save()
    _audit(actor, acting, "return.update", plan, sorted(changes) + (
        ["person.asylum_requested"] if asylum_requested is not None else []), case)
    _asylum(actor, case, asylum_requested)
    _follow(case)
    if plan.risk_assessed:
        _duty_done(actor, case, acting, "return_risk_assessment")  # 29.2, 37.5
    return plan


def _missing_step(code: str, article: str, until: str | None) -> tuple[str, str]:
    """For a prohibition that stands, the field to record and the step missing."""
    if code == "deportation":
        return "carried_out_on", _("the reflection period runs until %(until)s") % {"until": until}
    if code == "refoulement":
        return "asylum_requested", _("the person asked or may ask for asylum: the request must "
                                     "be decided first")
    if article == "37.1":
        return "guardian_consent", _("the consent of the child's guardian or of the receiving "
                                     "country's child protection authority")
    if article == "37.5":
        return "risk_assessed", _("a risk and security assessment that found the child and "
                                  "family safe")
    return "risk_found", _("the assessment found return not in the child's best interest")


RETURN_PROHIBITIONS = ("deportation", "refoulement", "child_return")


def return_blocks(*, case: Case, on: dt.date, plan: ReturnPlan) -> list[tuple[str, str, str]]:
    """What stands in the way of carrying out `plan` on `on`: the engine's prohibitions on
    that day (field, article, missing step), then the checks this app requires."""
    blocks: list[tuple[str, str, str]] = []
    assessment = assessment_of(case, on).to_dict()
    for item in assessment["prohibitions"]:
        if item["code"] in RETURN_PROHIBITIONS:
            field, step = _missing_step(item["code"], item["article"], item["until"])
            blocks.append((field, item["article"], step))
    if not plan.non_refoulement_checked:
        blocks.append(("non_refoulement_checked", "29.3", _("the non-refoulement check")))
    if not plan.asylum_checked:
        blocks.append(("asylum_checked", "48.3", _("the asylum check")))
    if assessment["child"] and not plan.best_interests_determined:
        blocks.append(("best_interests_determined", "29.2", _("the best-interests determination")))
    return blocks


@transaction.atomic
def return_carry_out(*, actor: User, plan_id: int, carried_out_on: dt.date,
                     expected_version: int | None) -> ReturnPlan:
    """Mark a return carried out; refused while a prohibition of the law stands on that day,
    naming its article and the step missing (29, 31.3, 37, 48.3)."""
    plan, case, acting = _plan_locked(actor, plan_id)
    _version(plan, expected_version)
    if plan.status != ReturnStatus.PLANNED:
        raise Conflict(_("the return is %(status)s") % {"status": plan.status}, field="status")
    if carried_out_on > timezone.localdate():
        raise Invalid("carried_out_on", _("a return is marked carried out once it was"))
    if carried_out_on != timezone.localdate() and not access.allows(
            actor, Action.VIEW, Kind.IDENTITY, case):
        # Whether a child's bar stood on a day chosen moves with the birth date: only an
        # official who may see it may record a return on another day (35.1.5, as `on`).
        raise NotAllowed(_("only officials who may see the person's identity may record a "
                           "return on another day than today"), field="carried_out_on")
    blocks = return_blocks(case=case, on=carried_out_on, plan=plan)
    if blocks:
        field, article, step = blocks[0]
        raise Conflict(_("the return may not be carried out (Art. %(article)s): missing %(step)s")
                       % {"article": article, "step": step}, field=field)
    plan.status, plan.carried_out_on = ReturnStatus.CARRIED_OUT, carried_out_on
    plan.version += 1
    plan.save(update_fields=["status", "carried_out_on", "version"])
    _audit(actor, acting, "return.carry_out", plan, ["status", "carried_out_on"], case)
    _follow(case)
    return plan


# --- Consular missions (32) -----------------------------------------------------------------

@transaction.atomic
def consular_open(*, actor: User, case_id: int, mission: str, country: str, contacted_on: dt.date,
                  wants_to_return: bool | None = None, assistance: str = "") -> ConsularAssistance:
    """A mission takes up a Kosovo citizen trafficked abroad: the person is located abroad,
    and the engine owes them consular assistance (32.1.1)."""
    case, acting = _locked(actor, case_id)
    help_ = ConsularAssistance.objects.create(
        **_recorded(actor, case, acting), mission=_institution(mission, "mission",
                                                                kind=InstitutionKind.CONSULAR_MISSION),
        country=_country(country, "country"), contacted_on=contacted_on,
        wants_to_return=wants_to_return, assistance=assistance or "")
    _audit(actor, acting, "consular.open", help_, ["mission", "country", "contacted_on",
                                                    "wants_to_return", "assistance"], case)
    _follow(case)
    _duty_done(actor, case, acting, "consular_assistance")  # 32.1.1: the mission took it up
    return help_


CONSULAR_CHANGES = ("wants_to_return", "assistance", "travel_document_issued_on", "repatriated_on",
                    "handed_over_to")


@transaction.atomic
def consular_update(*, actor: User, assistance_id: int, expected_version: int | None,
                    **changes: Any) -> ConsularAssistance:
    """Travel documents issued free (32.1.2), the repatriation and the handover home."""
    help_ = ConsularAssistance.objects.select_for_update().filter(
        pk=assistance_id, case__in=access.returns_cases(actor, Action.CHANGE)).first()
    if help_ is None:
        raise NotFound(_("consular assistance %(id)s not found") % {"id": assistance_id})
    case, acting = _locked(actor, help_.case_id)
    _version(help_, expected_version)
    unknown = sorted(set(changes) - set(CONSULAR_CHANGES))
    if unknown:
        raise Invalid(unknown[0], _("not a field of consular assistance"))
    for name, value in changes.items():
        if name == "handed_over_to":
            help_.handed_over_to = _institution(value, "handed_over_to") if value else None
        else:
            setattr(help_, name, value if name != "assistance" else (value or ""))
    for name in ("travel_document_issued_on", "repatriated_on"):
        day = getattr(help_, name)
        if day is not None and day < help_.contacted_on:
            raise Invalid(name, _("cannot be before the mission's first contact"))
    if help_.handed_over_to_id and not help_.repatriated_on:
        raise Invalid("handed_over_to", _("the handover to the case team at home follows the "
                                          "repatriation: give its date"))
    help_.version += 1
    help_.save()
    _audit(actor, acting, "consular.update", help_, sorted(changes), case)
    _follow(case)
    return help_


# --- International cooperation (45) ---------------------------------------------------------

COOPERATION_CONSENT_SCOPES = ("all", "international_cooperation")


@transaction.atomic
def cooperation_record(*, actor: User, case_id: int, direction: str, country: str, authority: str,
                       purpose: str, sent_on: dt.date, shares_identity: bool = False,
                       consent_id: int | None = None, legal_basis: str = "",
                       shared: str = "") -> CooperationRequest:
    """A request to or from another country's authority; sharing the victim's identity
    needs the victim's consent in force or a recorded legal basis (18.3, 45)."""
    from nrm.referrals.selectors import consents_in_force

    case, acting = _locked(actor, case_id)
    if direction not in Direction.values:
        raise Invalid("direction", _("unknown direction %(value)s") % {"value": repr(direction)})
    if purpose not in CooperationPurpose.values:
        raise Invalid("purpose", _("unknown purpose %(value)s") % {"value": repr(purpose)})
    if not (authority or "").strip():
        raise Invalid("authority", _("name the other country's authority"))
    consent = None
    if consent_id is not None:
        in_force = consents_in_force({case.pk}, timezone.localdate())[case.pk]
        consent = next((c for c in in_force if c.pk == consent_id), None)
        if consent is None or not set(consent.scope) & set(COOPERATION_CONSENT_SCOPES):
            raise Invalid("consent_id", _("no consent in force on this case covers sharing abroad"))
    if shares_identity and direction == Direction.OUTGOING and consent is None and not legal_basis.strip():
        raise Invalid("legal_basis", _("sharing the victim's identity with another country needs the "
                                       "victim's consent or a recorded legal basis (Art. 18.3)"))
    request = CooperationRequest.objects.create(
        **_recorded(actor, case, acting), direction=direction, country=_country(country, "country"),
        authority=authority.strip(), purpose=purpose, sent_on=sent_on, shares_identity=shares_identity,
        consent=consent, legal_basis=legal_basis.strip(), shared=shared or "")
    _audit(actor, acting, "cooperation.record", request,
           ["direction", "country", "authority", "purpose", "sent_on", "shares_identity", "consent",
            "legal_basis", "shared"], case)
    return request


@transaction.atomic
def cooperation_answer(*, actor: User, request_id: int, answered_on: dt.date, answer: str) -> CooperationRequest:
    request = CooperationRequest.objects.select_for_update().filter(
        pk=request_id, case__in=access.returns_cases(actor, Action.CHANGE)).first()
    if request is None:
        raise NotFound(_("cooperation request %(id)s not found") % {"id": request_id})
    case, acting = _locked(actor, request.case_id)
    if answered_on < request.sent_on:
        raise Invalid("answered_on", _("an answer cannot come before the request"))
    request.answered_on, request.answer = answered_on, answer or ""
    request.save(update_fields=["answered_on", "answer"])
    _audit(actor, acting, "cooperation.answer", request, ["answered_on", "answer"], case)
    return request
