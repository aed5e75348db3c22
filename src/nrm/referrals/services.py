"""Writes: consent, referrals and their answers, and the care plan.

Each write is one transaction with its audit event. It first asks the access policy as
which membership the actor acts (access.acting), and names that membership on the audit
row; bad input is refused with nrm.errors.Invalid naming the field, before anything is
stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Acting, Action, Kind
from nrm.authorities.models import Institution, User
from nrm.cases.models import Capacity, Case, CaseAssignment
from nrm.cases.services import case_assign, case_unassign, text_plausible
from nrm.errors import Conflict, Invalid, NotAllowed
from nrm.referrals.models import (
    ALL_SERVICES,
    DUE_DAYS,
    DUE_DAYS_OTHERWISE,
    OPEN_STATUSES,
    SERVICE_ARTICLE,
    SERVICE_FIELDS,
    VOCATIONAL_TRAINING_MIN_AGE,
    CarePlanGoal,
    Consent,
    ConsentGiver,
    DeclineReason,
    GoalArea,
    GoalStatus,
    Referral,
    ReferralStatus,
    Service,
)
from nrm.referrals.selectors import PROVIDER_ROLES, consent_givers, consents_in_force, valid_consent
from nrm.shelters.selectors import provider_licensed

# Free text is kept encrypted and shown to few; a limit keeps a pasted document out of it and
# is said by the field at fault, like every other refusal.
NOTE_MAX_LENGTH = 2000
GOAL_MAX_LENGTH = 2000
LANGUAGE_MAX_LENGTH = Referral._meta.get_field("language").max_length


def _acting(actor: User, case: Case) -> Acting:
    """The membership through which the actor changes this case (its team's, with a grant to
    change it). Callers found the record through a selector first, so what is not visible
    has already answered as missing."""
    return access.acting(actor, case=case)


def _acting_for_the_team(actor: User, case: Case) -> Acting:
    """Consent is the case team's to record and withdraw, not a provider's: an institution
    on the case only through an accepted referral acts for the victim's own services, and
    must not be the one who says what the victim (or the legal representative) agreed to
    share with it (18.3)."""
    acting = _acting(actor, case)
    on_team = CaseAssignment.objects.filter(
        case=case, institution_id=acting.institution_id, ended_at__isnull=True,
    ).exclude(capacity=Capacity.SERVICE_PROVIDER).exists()
    if not on_team:
        raise NotAllowed(_("only the case team records or withdraws consent; a service "
                           "provider may not (Art. 18.3)"))
    return acting


def _institution(field: str, code: str) -> Institution:
    institution = Institution.objects.filter(code=code, active=True).first()
    if institution is None:
        raise Invalid(field, _("no active institution has the code %(code)s") % {"code": repr(code)})
    return institution


def _choice(field: str, value: str, choices: Any) -> str:
    if value not in choices.values:
        raise Invalid(field, _("unknown code %(code)s; one of: %(choices)s")
                            % {"code": repr(value), "choices": ", ".join(choices.values)})
    return value


def _today() -> dt.date:
    return timezone.localdate()


# -- Consent (Art. 18.3) ------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor: User,
    case: Case,
    given_by: str,
    given_on: dt.date,
    scope: list[str],
    recipient: str | None = None,
    note: str = "",
) -> Consent:
    """Record consent to share with service providers; for a child, the legal representative's."""
    acting = _acting_for_the_team(actor, case)
    _choice("given_by", given_by, ConsentGiver)
    if given_by not in consent_givers(case):
        raise Invalid("given_by", _("the victim is a child: only the legal representative's "
                                          "consent counts (Art. 18.3)"))
    if given_on > _today():
        raise Invalid("given_on", _("%(date)s is in the future") % {"date": given_on.isoformat()})
    if not scope:
        raise Invalid("scope", _("name the services the consent covers, or 'all'"))
    text_plausible("note", note, NOTE_MAX_LENGTH)
    for code in scope:
        if code != ALL_SERVICES and code not in Service.values:
            raise Invalid("scope", _("unknown service code %(code)s; one of: %(services)s, or 'all'")
                                % {"code": repr(code), "services": ", ".join(Service.values)})
    consent = Consent.objects.create(
        case=case, given_by=given_by, given_on=given_on, scope=sorted(set(scope)),
        recipient=_institution("recipient", recipient) if recipient else None,
        recorded_by=actor, recorded_by_institution_id=acting.institution_id, note=note,
    )
    record(actor=actor, action="create", record_type="referrals.consent", records=[consent],
           fields=["given_by", "given_on", "scope", "recipient"] + (["note"] if note else []),
           purpose="consent (Art. 18.3)", detail={"case": case.pk}, acting=acting)
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, withdrawn_on: dt.date | None = None) -> Consent:
    """Withdraw consent: kept as a record; referrals not yet answered are cancelled."""
    consent = Consent.objects.select_for_update().select_related("case").get(pk=consent.pk)
    acting = _acting_for_the_team(actor, consent.case)
    if consent.withdrawn_on is not None:
        raise Invalid("consent", _("consent #%(id)s was already withdrawn on %(date)s")
                            % {"id": consent.pk, "date": consent.withdrawn_on.isoformat()})
    withdrawn_on = withdrawn_on or _today()
    if withdrawn_on > _today() or withdrawn_on < consent.given_on:
        raise Invalid("withdrawn_on", _("must fall between the day consent was given and today"))
    consent.withdrawn_on, consent.withdrawn_by = withdrawn_on, actor
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    # Without consent nothing more may be shared (18.3): open referrals under it stop.
    cancelled = list(consent.referrals.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))
    Referral.objects.filter(pk__in=cancelled).update(status=ReferralStatus.CANCELLED)
    # A provider that accepted under this consent leaves the team, unless another consent in
    # force still covers its service.
    for referral in consent.referrals.filter(status=ReferralStatus.ACCEPTED).select_related("provider"):
        if consent_for(case=consent.case, service=referral.service, provider=referral.provider) is None:
            case_unassign(actor=actor, case=consent.case, institution=referral.provider,
                          capacity=Capacity.SERVICE_PROVIDER, reason="consent withdrawn (Art. 18.3)")
    record(actor=actor, action="withdraw", record_type="referrals.consent", records=[consent],
           fields=["withdrawn_on"], purpose="consent (Art. 18.3)",
           detail={"case": consent.case_id, "referrals_cancelled": cancelled}, acting=acting)
    return consent


def consent_for(*, case: Case, service: str, provider: Institution) -> Consent | None:
    """The latest consent in force, counting for the person as they are today, that covers
    sharing `service` data with `provider` (the same rule the provider's reads apply)."""
    in_force = consents_in_force({case.pk}, _today())[case.pk]
    return valid_consent(case, service, provider.pk, in_force)


# -- Referrals (Art. 20, 31) -----------------------------------------------------------------


def _age_on(birth_date: dt.date | None, day: dt.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _share(actor: User, referral: Referral, acting: Acting) -> None:
    """Fix what the provider may read, under a consent in force (Art. 18.3)."""
    case = referral.case
    consent = consent_for(case=case, service=referral.service, provider=referral.provider)
    if consent is None:
        message = (
            _("no consent from the legal representative covers sharing for %(service)s with "
              "%(provider)s: record it first (Art. 18.3)") if case.child
            else _("no consent from the victim covers sharing for %(service)s with %(provider)s: "
                   "record it first (Art. 18.3)"))
        raise Invalid("consent", message % {"service": referral.service,
                                                  "provider": referral.provider.code})
    fields = list(SERVICE_FIELDS[referral.service])
    if fields and not access.allows(actor, Action.VIEW, Kind.IDENTITY, case):
        # One does not pass on what one may not see oneself (a child's identity, 35.1.5).
        raise NotAllowed(_("you may not see this person's identity, so you may not share it"))
    referral.consent, referral.shared_fields = consent, fields
    referral.status, referral.sent_at = ReferralStatus.SENT, timezone.now()
    record(actor=actor, action="share", record_type="referrals.referral", records=[referral],
           fields=fields, purpose=f"referral for {referral.service} (Art. {SERVICE_ARTICLE[referral.service]})",
           detail={"case": case.pk, "provider": referral.provider.code, "consent": consent.pk},
           acting=acting)


@transaction.atomic
def referral_create(
    *,
    actor: User,
    case: Case,
    service: str,
    provider: str,
    due_on: dt.date | None = None,
    language: str = "",
    send: bool = True,
) -> Referral:
    """Refer the case to `service` at the institution coded `provider`; sent at once unless
    `send` is false (a proposal, which shares nothing)."""
    acting = _acting(actor, case)
    _choice("service", service, Service)
    target = _institution("provider", provider)
    if not provider_licensed(target.pk, _today()):  # an expired or suspended licence (33.3)
        raise Invalid("provider", _("%(provider)s holds no licence in force (Art. 33.3)") % {"provider": target.code})
    if service not in (target.services or []):
        raise Invalid("provider", _("%(provider)s does not provide %(service)s")
                            % {"provider": target.code, "service": service})
    today = _today()
    if due_on is None:
        due_on = today + dt.timedelta(days=DUE_DAYS.get(service, DUE_DAYS_OTHERWISE))
    elif due_on < today:
        raise Invalid("due_on", _("%(date)s is before today") % {"date": due_on.isoformat()})
    text_plausible("language", language.strip(), LANGUAGE_MAX_LENGTH)
    if service == Service.INTERPRETATION and not language.strip():
        raise Invalid("language", _("name the language the victim understands (Art. 20.2.4)"))
    if service == Service.VOCATIONAL_TRAINING:
        if access.allows(actor, access.Action.VIEW, access.Kind.IDENTITY, case):
            age = _age_on(case.person.birth_date, today)
            if age is not None and age < VOCATIONAL_TRAINING_MIN_AGE:
                raise Invalid("service", _("vocational training is for victims over sixteen (Art. 24)"))
        elif case.child:
            # Whether a child is sixteen yet is their birth date's to tell: refused or not,
            # asked day by day, would find the birthday (the derivation rule). So a child's
            # referral for it is made by an official who may see the child, whatever the age.
            raise Invalid("service", _("only an official who may see this child's identity may "
                                       "refer them for vocational training, which depends on "
                                       "their age (Art. 24)"))
    referral = Referral(
        case=case, service=service, provider=target, referred_by=actor,
        referred_by_institution_id=acting.institution_id, referred_on=today, due_on=due_on,
        status=ReferralStatus.PROPOSED, language=language.strip(),
    )
    if send:
        referral.save()
        _share(actor, referral, acting)
        referral.save(update_fields=["consent", "shared_fields", "status", "sent_at"])
    else:
        referral.save()
    record(actor=actor, action="create", record_type="referrals.referral", records=[referral],
           detail={"case": case.pk, "service": service, "provider": target.code,
                   "status": referral.status}, acting=acting)
    return referral


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().select_related("case", "provider").get(pk=referral.pk)


def _expect(referral: Referral, *statuses: str) -> None:
    if referral.status not in statuses:
        raise Invalid("status", _("referral #%(id)s is %(status)s, not %(expected)s")
                            % {"id": referral.pk, "status": referral.status,
                               "expected": " or ".join(statuses)})


@transaction.atomic
def referral_send(*, actor: User, referral: Referral) -> Referral:
    referral = _locked(referral)
    acting = _acting(actor, referral.case)
    _expect(referral, ReferralStatus.PROPOSED)
    _share(actor, referral, acting)
    referral.save(update_fields=["consent", "shared_fields", "status", "sent_at"])
    return referral


def _as_provider(actor: User, referral: Referral) -> Acting:
    """The membership at the provider through which the actor answers its referral."""
    try:
        return access.acting(actor, roles=PROVIDER_ROLES, institution_id=referral.provider_id)
    except NotAllowed:
        raise NotAllowed(_("only %(provider)s may answer this referral")
                         % {"provider": referral.provider.code}) from None


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral) -> Referral:
    """The provider accepts, and joins the case's team to work it."""
    referral = _locked(referral)
    acting = _as_provider(actor, referral)
    _expect(referral, ReferralStatus.SENT)
    referral.status, referral.decided_by, referral.decided_at = (
        ReferralStatus.ACCEPTED, actor, timezone.now())
    referral.save(update_fields=["status", "decided_by", "decided_at"])
    already = CaseAssignment.objects.filter(
        case=referral.case, institution=referral.provider, user__isnull=True,
        capacity=Capacity.SERVICE_PROVIDER, ended_at__isnull=True,
    ).exists()
    if not already:
        case_assign(actor=actor, case=referral.case, institution=referral.provider,
                    capacity=Capacity.SERVICE_PROVIDER, acting=acting)
    record(actor=actor, action="accept", record_type="referrals.referral", records=[referral],
           detail={"case": referral.case_id, "provider": referral.provider.code}, acting=acting)
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str, note: str = "") -> Referral:
    referral = _locked(referral)
    acting = _as_provider(actor, referral)
    _choice("reason", reason, DeclineReason)
    if reason == DeclineReason.OTHER and not note.strip():
        raise Invalid("note", _("say why, when the reason is 'other'"))
    text_plausible("note", note.strip(), NOTE_MAX_LENGTH)
    _expect(referral, ReferralStatus.SENT)
    referral.status, referral.decided_by, referral.decided_at = (
        ReferralStatus.DECLINED, actor, timezone.now())
    referral.decline_reason, referral.decline_note = reason, note.strip()
    referral.save(update_fields=["status", "decided_by", "decided_at", "decline_reason",
                                 "decline_note"])
    record(actor=actor, action="decline", record_type="referrals.referral", records=[referral],
           fields=["decline_reason"] + (["decline_note"] if note.strip() else []),
           detail={"case": referral.case_id, "reason": reason}, acting=acting)
    return referral


@transaction.atomic
def referral_complete(*, actor: User, referral: Referral) -> Referral:
    """The provider reports the service given."""
    referral = _locked(referral)
    acting = _as_provider(actor, referral)
    _expect(referral, ReferralStatus.ACCEPTED)
    referral.status = ReferralStatus.COMPLETED
    referral.save(update_fields=["status"])
    record(actor=actor, action="complete", record_type="referrals.referral", records=[referral],
           detail={"case": referral.case_id}, acting=acting)
    return referral


@transaction.atomic
def referral_cancel(*, actor: User, referral: Referral) -> Referral:
    """The case's team withdraws a referral not yet answered."""
    referral = _locked(referral)
    acting = _acting(actor, referral.case)
    _expect(referral, *OPEN_STATUSES)
    referral.status = ReferralStatus.CANCELLED
    referral.save(update_fields=["status"])
    record(actor=actor, action="cancel", record_type="referrals.referral", records=[referral],
           detail={"case": referral.case_id}, acting=acting)
    return referral


# -- Care plan (Art. 21, 22) -----------------------------------------------------------------


def _owner_user(owner: Institution, username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True,
                               memberships__institution=owner).first()
    if user is None:
        raise Invalid("owner_user", _("%(user)s is not an official of %(institution)s")
                            % {"user": repr(username), "institution": owner.code})
    return user


@transaction.atomic
def goal_add(
    *,
    actor: User,
    case: Case,
    area: str,
    description: str,
    owner: str,
    due_on: dt.date,
    owner_user: str | None = None,
    note: str = "",
) -> CarePlanGoal:
    acting = _acting(actor, case)
    _choice("area", area, GoalArea)
    if not description.strip():
        raise Invalid("description", _("describe the goal"))
    text_plausible("description", description.strip(), GOAL_MAX_LENGTH)
    text_plausible("note", note, NOTE_MAX_LENGTH)
    institution = _institution("owner", owner)
    person = _owner_user(institution, owner_user)
    if due_on < _today():
        raise Invalid("due_on", _("%(date)s is before today") % {"date": due_on.isoformat()})
    goal = CarePlanGoal.objects.create(
        case=case, area=area, description=description.strip(), owner_institution=institution,
        owner_user=person, due_on=due_on, note=note, created_by=actor,
    )
    record(actor=actor, action="create", record_type="referrals.careplangoal", records=[goal],
           fields=["area", "description", "owner", "due_on"] + (["note"] if note else []),
           detail={"case": case.pk}, acting=acting)
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: User,
    goal: CarePlanGoal,
    version: int | None = None,
    status: str | None = None,
    due_on: dt.date | None = None,
    description: str | None = None,
    owner: str | None = None,
    owner_user: str | None = None,
    note: str | None = None,
) -> CarePlanGoal:
    """Change a goal; None leaves a field as it is. A stale `version` is refused (409)."""
    goal = CarePlanGoal.objects.select_for_update().select_related("case", "owner_institution").get(pk=goal.pk)
    acting = _acting(actor, goal.case)
    if version is not None and version != goal.version:
        raise Conflict(_("goal #%(id)s was changed meanwhile (now version %(version)s); reload "
                         "it and try again") % {"id": goal.pk, "version": goal.version},
                       field="version")
    changed: list[str] = []
    if status is not None:
        goal.status = _choice("status", status, GoalStatus)
        changed.append("status")
    if due_on is not None:
        if due_on < timezone.localdate(goal.created_at):
            raise Invalid("due_on", _("%(date)s is before the goal was set") % {"date": due_on.isoformat()})
        goal.due_on = due_on
        changed.append("due_on")
    if description is not None:
        if not description.strip():
            raise Invalid("description", _("describe the goal"))
        text_plausible("description", description.strip(), GOAL_MAX_LENGTH)
        goal.description = description.strip()
        changed.append("description")
    if owner is not None:
        goal.owner_institution = _institution("owner", owner)
        goal.owner_user = None
        changed.append("owner_institution")
    if owner_user is not None:
        goal.owner_user = _owner_user(goal.owner_institution, owner_user)
        changed.append("owner_user")
    if note is not None:
        text_plausible("note", note, NOTE_MAX_LENGTH)
        goal.note = note
        changed.append("note")
    if not changed:
        raise Invalid("status", _("nothing to change"))
    goal.version += 1
    goal.save(update_fields=[*changed, "version", "updated_at"])
    record(actor=actor, action="update", record_type="referrals.careplangoal", records=[goal],
           fields=changed, detail={"case": goal.case_id, "version": goal.version}, acting=acting)
    return goal
