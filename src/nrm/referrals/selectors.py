"""Reads of consents, referrals and care plans; each starts from the access policy.

Two scopes meet here. The case side: officials on a case's team see its referrals,
consents and care plan as the policy lets them see the case. The provider side: members
of the institution a referral is addressed to see that referral and, of the person, only
the fields shared with it under the victim's consent (Art. 18.3), never the rest of the
case. Every read of personal data is audited with the fields shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.cases.models import Case, Person
from nrm.referrals.errors import RecordNotFound
from nrm.referrals.models import (
    SHARED_STATUSES,
    CarePlanGoal,
    Consent,
    Referral,
    ReferralStatus,
)


def provider_institutions(user: Any) -> list[int]:
    """Institutions where the user works cases, and so may answer referrals addressed there."""
    return sorted({inst for inst, role in access.memberships(user) if role in access.TEAM})


def referral_case_scope(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Referral]:
    """Referrals of the cases the user may view (or change)."""
    return Referral.objects.filter(access.case_condition(user, action, Kind.CASE, case_ref="case"))


def referral_inbox_scope(*, user: Any) -> QuerySet[Referral]:
    """Referrals sent to the user's institutions; a proposal not yet sent is not theirs."""
    return Referral.objects.filter(provider_id__in=provider_institutions(user)).exclude(
        status=ReferralStatus.PROPOSED
    )


@dataclass
class ReferralView:
    referral: Referral
    # The shared fields of the person, for the provider's eyes; None when not shown.
    person: dict[str, Any] | None
    # Whether the user may see the case itself (is on its team).
    case_visible: bool


def _shares(referral: Referral) -> bool:
    consent = referral.consent
    return (
        referral.status in SHARED_STATUSES
        and consent is not None
        and consent.withdrawn_on is None
        and bool(referral.shared_fields)
    )


def _shared_people(referrals: list[Referral]) -> dict[int, Person]:
    """The persons behind referrals, loading (and decrypting) only the fields shared."""
    sharing = [r for r in referrals if _shares(r)]
    fields = sorted({name for r in sharing for name in r.shared_fields})
    if not sharing:
        return {}
    ids = {r.case.person_id for r in sharing}
    return {p.pk: p for p in Person.objects.filter(pk__in=ids).only("pk", *fields)}


def _person_view(referral: Referral, people: dict[int, Person]) -> dict[str, Any] | None:
    if not _shares(referral):
        return None
    person = people[referral.case.person_id]
    return {name: getattr(person, name) for name in referral.shared_fields}


def _provider_rows(user: Any, referrals: list[Referral], purpose: str) -> list[ReferralView]:
    people = _shared_people(referrals)
    views = [ReferralView(r, _person_view(r, people), False) for r in referrals]
    shown = [v for v in views if v.person is not None]
    if shown:
        record(actor=user, action="read", record_type="referrals.referral",
               records=[v.referral for v in shown],
               fields={name for v in shown for name in v.person or {}}, purpose=purpose)
    return views


def free_text_visible(user: Any, case: Case) -> bool:
    """Notes and descriptions speak of the person: shown only with the person's identity.

    The National Coordinator and analysts may view every case, pseudonymously; a note can
    name a place or a phone number, so it goes where the identity goes (18.1, 35.1.5).
    """
    return access.allows(user, Action.VIEW, Kind.IDENTITY, case)


def _blank(records: list[Any], fields: tuple[str, ...]) -> None:
    """Withhold free text from records read for display (never saved afterwards)."""
    for item in records:
        for name in fields:
            setattr(item, name, None)


def _related(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    return queryset.select_related(
        "case", "provider", "referred_by_institution", "consent", "decided_by"
    )


def referral_inbox(*, user: Any, open_only: bool = False) -> list[ReferralView]:
    """The referrals addressed to the user's institutions, with only the shared fields."""
    queryset = _related(referral_inbox_scope(user=user))
    if open_only:
        queryset = queryset.filter(status__in=SHARED_STATUSES)
    return _provider_rows(user, list(queryset), purpose="referral inbox")


def referral_get(*, user: Any, referral_id: int | str, purpose: str = "referral view") -> ReferralView:
    """One referral as the user may see it: from the case's team, or as its provider."""
    try:
        pk = int(referral_id)
    except (TypeError, ValueError):
        raise RecordNotFound(f"referral {referral_id} not found") from None
    on_case = referral_case_scope(user=user).filter(pk=pk)
    provider = referral_inbox_scope(user=user).filter(pk=pk)
    referral = _related(Referral.objects.filter(Q(pk__in=on_case) | Q(pk__in=provider))).first()
    if referral is None:
        raise RecordNotFound(f"referral {referral_id} not found")
    case_visible = on_case.exists()
    if provider.exists():
        view = _provider_rows(user, [referral], purpose=purpose)[0]
        view.case_visible = case_visible
    else:
        view = ReferralView(referral, None, case_visible)
    if referral.decline_note:
        if case_visible and free_text_visible(user, referral.case):
            record(actor=user, action="read", record_type="referrals.referral", records=[referral],
                   fields=["decline_note"], purpose=purpose)
        else:
            _blank([referral], ("decline_note",))
    return view


def case_referrals(*, user: Any, case: Case, purpose: str = "case referrals") -> list[Referral]:
    """A case's referrals, for a user who may view the case."""
    referrals = list(_related(referral_case_scope(user=user).filter(case=case)))
    noted = [r for r in referrals if r.decline_note]
    if noted and not free_text_visible(user, case):
        _blank(noted, ("decline_note",))
    elif noted:
        record(actor=user, action="read", record_type="referrals.referral", records=noted,
               fields=["decline_note"], purpose=purpose)
    return referrals


def case_consents(*, user: Any, case: Case, purpose: str = "case consents") -> list[Consent]:
    consents = list(
        Consent.objects.filter(access.case_condition(user, Action.VIEW, Kind.CASE, case_ref="case"))
        .filter(case=case)
        .select_related("recipient", "recorded_by_institution")
    )
    noted = [c for c in consents if c.note]
    if noted and not free_text_visible(user, case):
        _blank(noted, ("note",))
    elif noted:
        record(actor=user, action="read", record_type="referrals.consent", records=noted,
               fields=["note"], purpose=purpose)
    return consents


def consent_get(*, user: Any, consent_id: int | str, action: Action = Action.VIEW) -> Consent:
    try:
        pk = int(consent_id)
    except (TypeError, ValueError):
        raise RecordNotFound(f"consent {consent_id} not found") from None
    consent = (
        Consent.objects.filter(access.case_condition(user, action, Kind.CASE, case_ref="case"))
        .select_related("case", "recipient").filter(pk=pk).first()
    )
    if consent is None:
        raise RecordNotFound(f"consent {consent_id} not found")
    return consent


def _goal_scope(user: Any, action: Action) -> QuerySet[CarePlanGoal]:
    return CarePlanGoal.objects.filter(
        access.case_condition(user, action, Kind.CASE, case_ref="case")
    ).select_related("owner_institution", "owner_user")


def care_plan(*, user: Any, case: Case, purpose: str = "care plan") -> list[CarePlanGoal]:
    """The case's care plan goals (Art. 21, 22), for a user who may view the case."""
    goals = list(_goal_scope(user, Action.VIEW).filter(case=case))
    if goals and not free_text_visible(user, case):
        _blank(goals, ("description", "note"))
    elif goals:
        record(actor=user, action="read", record_type="referrals.careplangoal", records=goals,
               fields=["description", "note"], purpose=purpose)
    return goals


def goal_get(*, user: Any, goal_id: int | str, action: Action = Action.VIEW) -> CarePlanGoal:
    try:
        pk = int(goal_id)
    except (TypeError, ValueError):
        raise RecordNotFound(f"goal {goal_id} not found") from None
    goal = _goal_scope(user, action).select_related("case").filter(pk=pk).first()
    if goal is None:
        raise RecordNotFound(f"goal {goal_id} not found")
    return goal
