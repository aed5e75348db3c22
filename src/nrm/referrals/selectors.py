"""Reads of consents, referrals and care plans; each starts from the access policy.

Two scopes meet here. The case side: officials on a case's team see its referrals,
consents and care plan as the policy lets them see the case. The provider side: members
of the institution a referral is addressed to see that referral and, of the person, only
the fields shared with it under the victim's consent (Art. 18.3), never the rest of the
case. Every read of personal data is audited with the fields shown.

A response to a write is built from these same reads (the `*_view` functions), so what an
official is shown after changing a record is exactly what they would be shown reading it.

Sharing follows the person's status today, not the day the referral was sent: a consent
counts only while it is in force and given by whom the law asks for now (the victim, or
for a child the legal representative, 18.3 and 38.5). A case that becomes a child's stops
sharing under the person's own consent until the legal representative consents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.cases.models import Case, Person
from nrm.errors import NotFound
from nrm.referrals.models import (
    SHARED_STATUSES,
    CarePlanGoal,
    Consent,
    ConsentGiver,
    Referral,
    ReferralStatus,
)

# Roles that work cases at an institution, and so may answer referrals addressed there.
PROVIDER_ROLES = frozenset(access.TEAM)


def consent_givers(case: Case) -> list[str]:
    """Whose consent counts for the person as they are today (18.3; for a child, 38.5)."""
    if case.child:
        return [ConsentGiver.LEGAL_REPRESENTATIVE]
    return list(ConsentGiver.values)


def consents_in_force(case_ids: set[int], on: Any) -> dict[int, list[Consent]]:
    """Consents not withdrawn and already given, by case, newest first: one query."""
    found: dict[int, list[Consent]] = {case_id: [] for case_id in case_ids}
    if not case_ids:
        return found
    for consent in Consent.objects.filter(case_id__in=case_ids, withdrawn_on__isnull=True,
                                          given_on__lte=on).order_by("-given_on", "-id"):
        found[consent.case_id].append(consent)
    return found


def valid_consent(case: Case, service: str, provider_id: int, in_force: list[Consent]) -> Consent | None:
    """The newest consent in force that counts for the person today and covers the sharing."""
    givers = consent_givers(case)
    return next((c for c in in_force if c.given_by in givers and c.covers(service, provider_id)), None)


def referral_case_scope(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Referral]:
    """Referrals of the cases the user may view (or change)."""
    return Referral.objects.filter(access.case_condition(user, action, Kind.CASE, case_ref="case"))


def referral_inbox_scope(*, user: Any) -> QuerySet[Referral]:
    """Referrals sent to the institutions the user works cases for (narrowed by the one they
    chose to act as); a proposal not yet sent is not theirs."""
    providers = access.institutions(user, roles=PROVIDER_ROLES)
    return Referral.objects.filter(provider_id__in=providers).exclude(
        status=ReferralStatus.PROPOSED
    )


@dataclass
class ReferralView:
    referral: Referral
    # The shared fields of the person, for the provider's eyes; None when not shown.
    person: dict[str, Any] | None
    # Whether the user may see the case itself (is on its team).
    case_visible: bool
    # For the provider, what it needs to accept the referral, while the referral shares:
    # the case's reference, whether the person is a child, the forms of exploitation.
    case_summary: dict[str, Any] | None = None


def _sharing(referrals: list[Referral]) -> set[int]:
    """The referrals that share the person's fields now: open to the provider, and covered
    by a consent in force that counts for the person as they are today (18.3, 38.5)."""
    candidates = [r for r in referrals if r.status in SHARED_STATUSES and r.shared_fields]
    if not candidates:
        return set()
    in_force = consents_in_force({r.case_id for r in candidates}, timezone.localdate())
    return {r.pk for r in candidates
            if valid_consent(r.case, r.service, r.provider_id, in_force[r.case_id]) is not None}


def _shared_people(referrals: list[Referral], sharing: set[int]) -> dict[int, Person]:
    """The persons behind referrals, loading (and decrypting) only the fields shared."""
    shared = [r for r in referrals if r.pk in sharing]
    if not shared:
        return {}
    fields = sorted({name for r in shared for name in r.shared_fields})
    ids = {r.case.person_id for r in shared}
    return {p.pk: p for p in Person.objects.filter(pk__in=ids).only("pk", *fields)}


def _person_view(referral: Referral, people: dict[int, Person], sharing: set[int]) -> dict[str, Any] | None:
    if referral.pk not in sharing:
        return None
    person = people[referral.case.person_id]
    return {name: getattr(person, name) for name in referral.shared_fields}


def _case_summary(referral: Referral, sharing: set[int]) -> dict[str, Any] | None:
    """Only under the consent the referral shares by (18.3); pseudonymous fields only."""
    if referral.pk not in sharing:
        return None
    case = referral.case
    return {"reference": case.reference, "child": case.child,
            "exploitation": list(case.facts.get("exploitation") or [])}


def _provider_rows(user: Any, referrals: list[Referral], purpose: str) -> list[ReferralView]:
    sharing = _sharing(referrals)
    people = _shared_people(referrals, sharing)
    views = [ReferralView(r, _person_view(r, people, sharing), False, _case_summary(r, sharing))
             for r in referrals]
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


def referral_inbox(*, user: Any, open_only: bool = False, limit: int | None = None,
                   offset: int = 0) -> list[ReferralView]:
    """The referrals addressed to the user's institutions, with only the shared fields."""
    queryset = _related(referral_inbox_scope(user=user))
    if open_only:
        queryset = queryset.filter(status__in=SHARED_STATUSES)
    rows = list(queryset[offset:offset + limit] if limit is not None else queryset[offset:])
    return _provider_rows(user, rows, purpose="referral inbox")


def referral_get(*, user: Any, referral_id: int | str, purpose: str = "referral view") -> ReferralView:
    """One referral as the user may see it: from the case's team, or as its provider."""
    pk = _pk("referral", referral_id)
    on_case = referral_case_scope(user=user).filter(pk=pk)
    provider = referral_inbox_scope(user=user).filter(pk=pk)
    referral = _related(Referral.objects.filter(Q(pk__in=on_case) | Q(pk__in=provider))).first()
    if referral is None:
        raise NotFound(f"referral {referral_id} not found")
    case_visible = on_case.exists()
    if provider.exists():
        view = _provider_rows(user, [referral], purpose=purpose)[0]
        view.case_visible = case_visible
    else:
        view = ReferralView(referral, None, case_visible)
    if not case_visible:
        # The provider, off the case's team, is shown no free text of the case.
        _blank([referral], ("decline_note",))
    else:
        _shown(user, referral.case, [referral], ("decline_note",), "referrals.referral", purpose)
    return view


def case_referrals(*, user: Any, case: Case, purpose: str = "case referrals") -> list[Referral]:
    """A case's referrals, for a user who may view the case."""
    referrals = list(_related(referral_case_scope(user=user).filter(case=case)))
    return _shown(user, case, referrals, ("decline_note",), "referrals.referral", purpose)


def _shown(user: Any, case: Case, records: list[Any], fields: tuple[str, ...], record_type: str,
           purpose: str) -> list[Any]:
    """The one field policy for free text, for reads and for the answers to writes alike:
    withheld from whoever may not see the identity, else shown and audited as shown."""
    if not records:
        return records
    if not free_text_visible(user, case):
        # Withheld reads as null on every record, so not even whether a note exists shows.
        _blank(records, fields)
        return records
    noted = [item for item in records if any(getattr(item, name) for name in fields)]
    if noted:
        record(actor=user, action="read", record_type=record_type, records=noted,
               fields=[name for name in fields if any(getattr(item, name) for item in noted)],
               purpose=purpose)
    return records


def _consent_scope(user: Any, action: Action) -> QuerySet[Consent]:
    return Consent.objects.filter(
        access.case_condition(user, action, Kind.CASE, case_ref="case")
    ).select_related("case", "recipient", "recorded_by_institution")


def _pk(kind: str, value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(f"{kind} {value} not found") from None


def case_consents(*, user: Any, case: Case, purpose: str = "case consents") -> list[Consent]:
    consents = list(_consent_scope(user, Action.VIEW).filter(case=case))
    return _shown(user, case, consents, ("note",), "referrals.consent", purpose)


def consent_get(*, user: Any, consent_id: int | str, action: Action = Action.VIEW) -> Consent:
    """One consent the user may see, to act on (nothing of it shown, so nothing audited)."""
    consent = _consent_scope(user, action).filter(pk=_pk("consent", consent_id)).first()
    if consent is None:
        raise NotFound(f"consent {consent_id} not found")
    return consent


def consent_view(*, user: Any, consent_id: int | str, purpose: str = "consent view") -> Consent:
    """One consent as the user may be shown it: the answer to a read or a write."""
    consent = consent_get(user=user, consent_id=consent_id)
    return _shown(user, consent.case, [consent], ("note",), "referrals.consent", purpose)[0]


def _goal_scope(user: Any, action: Action) -> QuerySet[CarePlanGoal]:
    return CarePlanGoal.objects.filter(
        access.case_condition(user, action, Kind.CASE, case_ref="case")
    ).select_related("case", "owner_institution", "owner_user")


GOAL_FREE_TEXT = ("description", "note")


def care_plan(*, user: Any, case: Case, purpose: str = "care plan") -> list[CarePlanGoal]:
    """The case's care plan goals (Art. 21, 22), for a user who may view the case."""
    goals = list(_goal_scope(user, Action.VIEW).filter(case=case))
    return _shown(user, case, goals, GOAL_FREE_TEXT, "referrals.careplangoal", purpose)


def goal_get(*, user: Any, goal_id: int | str, action: Action = Action.VIEW) -> CarePlanGoal:
    """One goal the user may see, to act on (nothing of it shown, so nothing audited)."""
    goal = _goal_scope(user, action).filter(pk=_pk("goal", goal_id)).first()
    if goal is None:
        raise NotFound(f"goal {goal_id} not found")
    return goal


def goal_view(*, user: Any, goal_id: int | str, purpose: str = "care plan goal") -> CarePlanGoal:
    """One goal as the user may be shown it: the answer to a read or a write."""
    goal = goal_get(user=user, goal_id=goal_id)
    return _shown(user, goal.case, [goal], GOAL_FREE_TEXT, "referrals.careplangoal", purpose)[0]
