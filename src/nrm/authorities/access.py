"""The one access policy: who may do what to which record, and which fields they see.

Every query for personal data starts from a scope here; views, the API and commands never
filter cases, persons, shelters or protection measures themselves. Anything not granted
below is denied. The tables are the matrix in docs/access.md, and the tests walk every
role through every record kind and action.

Four rules come from the law itself:
- a child's identity is shown only to officials named on the child's case team (35.1.5);
- a shelter's address and any protection measure only to those who need them (18.4):
  the shelter's own staff, and officials named on a case placed there or protected so;
- the National Coordinator and analysts see pseudonymous records only (8.5, 18.1);
- a provider institution on a case through an accepted referral sees of the person only
  the fields the referral shared, with the victim's consent (18.3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from nrm.authorities.roles import Role
from nrm.errors import ActingUnclear, NotAllowed, NotFound


class Kind(StrEnum):
    CASE = "case"  # the pseudonymous case record: reference, stage, facts, legal state
    IDENTITY = "identity"  # a person's names, birth date, contact, documents, address; testimony
    SHELTER_LOCATION = "shelter_location"
    PROTECTION_MEASURE = "protection_measure"
    RETURNS = "returns"  # reflection periods, residence, returns, consular help, cooperation (25-32, 45)
    REMOVAL_CHECK = "removal_check"  # "may a removal be carried out on D?", answered without a case (31.3)
    PROCEEDING = "proceeding"  # criminal proceedings: defendants' identities, assets, notices to the victim
    INTERVIEW = "interview"  # the log of a victim's interviews in proceedings (15.2, Art. 16)
    NON_PUNISHMENT_ALERT = "non_punishment_alert"  # a victim prosecuted despite 13.1/13.2, on a recorded ground
    AUDIT_LOG = "audit_log"
    REFERENCE_DATA = "reference_data"  # institutions, roles, indicator lists
    STATISTICS = "statistics"  # aggregates with disclosure control
    ACTION_PLAN = "action_plan"  # the national strategy and action plan, training (8.4.2, 9.5, 11.6)
    COMPENSATION_CLAIM = "compensation_claim"  # a claim, its sessions, decisions, appeals, payments (39-44)
    LICENCE = "licence"  # providers' licences, inspections and contracts (33.3-33.6)


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"


V = frozenset({Action.VIEW})
VC = frozenset({Action.VIEW, Action.CHANGE})
NONE: frozenset[Action] = frozenset()

# What a role may do to a case on whose team its institution, or the official, is.
TEAM: dict[Role, dict[Kind, frozenset[Action]]] = {
    Role.POLICE_INVESTIGATOR: {Kind.CASE: VC, Kind.IDENTITY: VC, Kind.PROTECTION_MEASURE: VC,
                               Kind.SHELTER_LOCATION: V, Kind.PROCEEDING: VC, Kind.INTERVIEW: VC},
    Role.PROSECUTOR: {Kind.CASE: VC, Kind.IDENTITY: VC, Kind.PROTECTION_MEASURE: VC,
                      Kind.PROCEEDING: VC, Kind.INTERVIEW: VC},
    Role.JUDGE: {Kind.CASE: V, Kind.IDENTITY: V, Kind.PROTECTION_MEASURE: VC,
                 Kind.PROCEEDING: VC, Kind.INTERVIEW: VC},
    Role.VICTIM_ADVOCATE: {Kind.CASE: VC, Kind.IDENTITY: VC, Kind.PROTECTION_MEASURE: V,
                           Kind.SHELTER_LOCATION: V, Kind.PROCEEDING: V, Kind.INTERVIEW: V},
    Role.SOCIAL_WORKER: {Kind.CASE: VC, Kind.IDENTITY: VC, Kind.SHELTER_LOCATION: V,
                         Kind.RETURNS: VC},
    Role.SHELTER_STAFF: {Kind.CASE: VC, Kind.IDENTITY: V},
    Role.HEALTH_WORKER: {Kind.CASE: V, Kind.IDENTITY: V},
    Role.LABOUR_INSPECTOR: {Kind.CASE: V, Kind.IDENTITY: V},
    Role.FOREIGNERS_OFFICER: {Kind.CASE: VC, Kind.IDENTITY: VC, Kind.RETURNS: VC},
    Role.CONSULAR_OFFICER: {Kind.CASE: VC, Kind.IDENTITY: VC, Kind.RETURNS: VC},
}

# A claim for compensation (39-44) is the case team's to file and follow. The Commission is
# never on a case team: it sees a case only through a claim filed with it (COMMISSION).
CLAIMS_TEAM: dict[Role, frozenset[Action]] = {
    Role.VICTIM_ADVOCATE: VC, Role.SOCIAL_WORKER: VC, Role.PROSECUTOR: V,
    Role.POLICE_INVESTIGATOR: V, Role.JUDGE: V,
}
for _role, _actions in CLAIMS_TEAM.items():
    TEAM[_role] = {**TEAM.get(_role, {}), Kind.COMPENSATION_CLAIM: _actions}

# The Compensation Commission's members see and decide the claims filed with their
# Commission, and of the case only what the claim needs: its reference and the law's
# proposal; never the case's facts, the person's identity or the legal state (42, 18).
COMMISSION: dict[Role, frozenset[Action]] = {Role.COMMISSION_MEMBER: VC}

# What a role may do whatever the case team: national and technical roles.
NATIONAL: dict[Role, dict[Kind, frozenset[Action]]] = {
    # The National Authority approves, licenses and monitors providers (23.2, 33.3, 33.6).
    Role.NATIONAL_COORDINATOR: {Kind.CASE: V, Kind.STATISTICS: V, Kind.ACTION_PLAN: VC, Kind.LICENCE: VC},
    Role.SECRETARIAT_ANALYST: {Kind.CASE: V, Kind.STATISTICS: V, Kind.ACTION_PLAN: V, Kind.LICENCE: V},
    Role.AUDITOR: {Kind.AUDIT_LOG: V},
    Role.SYSTEM_ADMIN: {Kind.REFERENCE_DATA: VC},
    # The ministry for foreigners and the border police ask the removal check of anyone
    # they are to remove; it answers a bar or none and discloses nothing else (31.3).
    Role.FOREIGNERS_OFFICER: {Kind.REMOVAL_CHECK: V},
    Role.POLICE_INVESTIGATOR: {Kind.REMOVAL_CHECK: V},
}

# The National Coordinator is alerted when a prosecution of a presumed or identified victim
# goes on despite the prohibition of 13.1/13.2, on a ground the prosecutor recorded.
NATIONAL[Role.NATIONAL_COORDINATOR] = {**NATIONAL[Role.NATIONAL_COORDINATOR], Kind.NON_PUNISHMENT_ALERT: V}

# Shelter staff manage their own operator's shelters, addresses included (23, 33).
OWN_SHELTERS: dict[Role, frozenset[Action]] = {Role.SHELTER_STAFF: VC}
# The police institution a shelter asked for security sees its address while the request is
# open (23.5), and no longer.
SECURITY_REQUESTED: dict[Role, frozenset[Action]] = {Role.POLICE_INVESTIGATOR: V}

# Kinds that only officials named personally on the case may see (18.4); a child's
# identity joins them (35.1.5).
NEED_TO_KNOW = frozenset({Kind.SHELTER_LOCATION, Kind.PROTECTION_MEASURE})
# Kinds granted to the case team as a whole (an institution on it, or the official named).
TEAM_KINDS = frozenset({Kind.CASE, Kind.PROCEEDING, Kind.INTERVIEW})


def memberships(user: Any) -> tuple[tuple[int, Role], ...]:
    """The memberships the official acts with now: all they hold, or only the one they
    chose to act as. Every scope reads this, so an official acting as one institution sees
    what that institution may see, and the audit row that names it is true."""
    held = all_memberships(user)
    choice = chosen(user)
    if choice is None:
        return held
    return tuple((inst, role) for inst, role in held
                 if inst == choice[0] and choice[1] in (None, role))


def all_memberships(user: Any) -> tuple[tuple[int, Role], ...]:
    """(institution id, role) pairs of an active user's grants in force today (approved by a
    second person, not expired, not revoked), read once per user object."""
    from django.utils import timezone

    from nrm.authorities.models import Membership

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached: tuple[tuple[int, Role], ...] | None = getattr(user, "_nrm_memberships", None)
    if cached is None:
        in_force = Membership.grants.in_force(timezone.localdate()).filter(user=user)
        cached = tuple(
            (institution_id, Role(role))
            for institution_id, role in in_force.values_list("institution_id", "role")
        )
        user._nrm_memberships = cached
    return cached


def roles(user: Any) -> frozenset[Role]:
    return frozenset(role for _, role in memberships(user))


def national_allows(user: Any, action: Action, kind: Kind) -> bool:
    """Grants that do not depend on a record: national roles, and reference data for all."""
    if kind is Kind.REFERENCE_DATA and action is Action.VIEW and memberships(user):
        return True
    return any(action in NATIONAL.get(role, {}).get(kind, NONE) for role in roles(user))


def _team_institutions(user: Any, action: Action, kind: Kind) -> list[int]:
    return [inst for inst, role in memberships(user) if action in TEAM.get(role, {}).get(kind, NONE)]


def _on_team(user: Any, action: Action, kind: Kind, case_ref: str, *, personal: bool) -> Exists:
    from nrm.cases.models import Capacity, CaseAssignment

    if personal:
        who = Q(user=user)
    elif kind is Kind.IDENTITY:
        # A provider institution that accepted a referral works the case, but sees of the
        # person only what the referral shared (18.3); a named official sees the identity.
        who = Q(user=user) | (Q(user__isnull=True) & ~Q(capacity=Capacity.SERVICE_PROVIDER))
    else:
        who = Q(user=user) | Q(user__isnull=True)
    return Exists(
        CaseAssignment.objects.filter(
            who,
            case=OuterRef(case_ref),
            institution_id__in=_team_institutions(user, action, kind),
            ended_at__isnull=True,
        )
    )


def case_condition(user: Any, action: Action = Action.VIEW, kind: Kind = Kind.CASE,
                   case_ref: str = "pk") -> Q:
    """A filter on Case (or, through case_ref, on a model pointing at a case)."""
    if not memberships(user):
        return Q(pk__in=[])
    prefix = "" if case_ref == "pk" else case_ref + "__"
    if kind is Kind.CASE and national_allows(user, action, kind):
        return Q()
    if kind is Kind.IDENTITY:
        adult = Q(Q(**{prefix + "child": False}), _on_team(user, action, kind, case_ref, personal=False))
        return Q(_on_team(user, action, kind, case_ref, personal=True)) | adult
    if kind in NEED_TO_KNOW:
        return Q(_on_team(user, action, kind, case_ref, personal=True))
    if kind is Kind.COMPENSATION_CLAIM:
        return Q(_on_team(user, action, kind, case_ref, personal=False))
    if kind in TEAM_KINDS:
        return Q(_on_team(user, action, kind, case_ref, personal=False))
    if kind is Kind.RETURNS:
        return Q(_on_team(user, action, kind, case_ref, personal=False))
    return Q(pk__in=[])


def cases(user: Any, action: Action = Action.VIEW) -> QuerySet[Any]:
    """The cases a user may view or change (pseudonymous fields)."""
    from nrm.cases.models import Case

    return Case.objects.filter(case_condition(user, action))


def identities(user: Any, action: Action = Action.VIEW) -> QuerySet[Any]:
    """The cases whose person's identity the user may view or change."""
    from nrm.cases.models import Case

    return Case.objects.filter(case_condition(user, action, Kind.IDENTITY))


def with_identity_flag(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """Annotate `identity_visible` on a case queryset in the same query (no N+1)."""
    from django.db.models import BooleanField, ExpressionWrapper

    condition = case_condition(user, Action.VIEW, Kind.IDENTITY)
    annotated: QuerySet[Any] = queryset.annotate(
        identity_visible=ExpressionWrapper(condition, output_field=BooleanField())
    )
    return annotated


def protection_measures(user: Any, action: Action = Action.VIEW) -> QuerySet[Any]:
    from nrm.proceedings.models import ProtectionMeasure

    return ProtectionMeasure.objects.filter(
        case_condition(user, action, Kind.PROTECTION_MEASURE, case_ref="case")
    )


def proceedings(user: Any, action: Action = Action.VIEW) -> QuerySet[Any]:
    """Proceedings led by one of the user's institutions whose role has the grant, or
    concerning a victim on whose case team the user is with it."""
    from nrm.proceedings.models import Proceeding, ProceedingVictim

    if not memberships(user):
        return Proceeding.objects.none()
    concerning = ProceedingVictim.objects.filter(
        case_condition(user, action, Kind.PROCEEDING, case_ref="case"), proceeding=OuterRef("pk"))
    leading = _team_institutions(user, action, Kind.PROCEEDING)
    return Proceeding.objects.filter(Q(institution_id__in=leading) | Q(Exists(concerning)))


def interviews(user: Any, action: Action = Action.VIEW) -> QuerySet[Any]:
    from nrm.proceedings.models import Interview

    return Interview.objects.filter(case_condition(user, action, Kind.INTERVIEW, case_ref="case"))


def returns_cases(user: Any, action: Action = Action.VIEW) -> QuerySet[Any]:
    """The cases whose foreigners' and return records (nrm.returns) the user may view or
    change: the case team's foreigners, consular and social work officials."""
    from nrm.cases.models import Case

    return Case.objects.filter(case_condition(user, action, Kind.RETURNS))


def shelter_locations(user: Any, action: Action = Action.VIEW) -> QuerySet[Any]:
    """Shelters whose address the user may see or change."""
    from nrm.shelters.models import OPEN_SECURITY_REQUEST, Placement, SecurityRequest, Shelter

    own = [inst for inst, role in memberships(user) if action in OWN_SHELTERS.get(role, NONE)]
    placed = Placement.objects.filter(
        case_condition(user, action, Kind.SHELTER_LOCATION, case_ref="case"),
        shelter=OuterRef("pk"),
        left_on__isnull=True,
    )
    if not memberships(user):
        return Shelter.objects.none()
    asked = Exists(SecurityRequest.objects.filter(
        shelter=OuterRef("pk"), status__in=OPEN_SECURITY_REQUEST,
        police_id__in=[inst for inst, role in memberships(user)
                       if action in SECURITY_REQUESTED.get(role, NONE)],
    ))
    return Shelter.objects.filter(Q(operator_id__in=own) | Q(Exists(placed)) | Q(asked))


def shelters_managed(user: Any, action: Action = Action.VIEW) -> QuerySet[Any]:
    """Shelters whose units, stays and requests the user keeps: their operator's (23, 33)."""
    from nrm.shelters.models import Shelter

    own = [inst for inst, role in memberships(user) if action in OWN_SHELTERS.get(role, NONE)]
    return Shelter.objects.filter(operator_id__in=own)


def compensation_claims(user: Any, action: Action = Action.VIEW) -> QuerySet[Any]:
    """Claims the user may see or act on: as the case team, or as a member of the
    Commission the claim was filed with."""
    from nrm.compensation.models import Claim

    if not memberships(user):
        return Claim.objects.none()
    return Claim.objects.filter(
        Q(commission_id__in=commissions(user, action))
        | case_condition(user, action, Kind.COMPENSATION_CLAIM, case_ref="case"))


def commissions(user: Any, action: Action = Action.VIEW) -> list[int]:
    """The Commissions whose claims, sessions and members the user sees as a member."""
    return sorted({inst for inst, role in memberships(user) if action in COMMISSION.get(role, NONE)})


def allows(user: Any, action: Action, kind: Kind, obj: Any = None) -> bool:
    """May `user` do `action` to `obj` (a record of `kind`), or to `kind` at all?"""
    if obj is None:
        return national_allows(user, action, kind)
    scope = {
        Kind.CASE: lambda: cases(user, action),
        Kind.IDENTITY: lambda: identities(user, action),
        Kind.PROTECTION_MEASURE: lambda: protection_measures(user, action),
        Kind.SHELTER_LOCATION: lambda: shelter_locations(user, action),
        Kind.COMPENSATION_CLAIM: lambda: compensation_claims(user, action),
        Kind.RETURNS: lambda: returns_cases(user, action),
        Kind.PROCEEDING: lambda: proceedings(user, action),
        Kind.INTERVIEW: lambda: interviews(user, action),
    }.get(kind)
    if scope is None:
        return national_allows(user, action, kind)
    return bool(scope().filter(pk=obj.pk).exists())


# Who may move a case to each stage. Official identification, and declining it, belong to
# the police, the prosecution, victim advocates and centres for social work (12.1).
IDENTIFYING_ROLES = frozenset({
    Role.POLICE_INVESTIGATOR, Role.PROSECUTOR, Role.VICTIM_ADVOCATE, Role.SOCIAL_WORKER,
})
CASE_WORKING_ROLES = frozenset(role for role, kinds in TEAM.items() if Action.CHANGE in kinds.get(Kind.CASE, NONE))
# Registering a person writes their identity: only roles that may change identities may.
REGISTERING_ROLES = frozenset(
    role for role, kinds in TEAM.items() if Action.CHANGE in kinds.get(Kind.IDENTITY, NONE)
)
# Closing and reopening end or revive the whole case: they belong to the authorities that
# lead it or manage it (police, prosecution, victim advocates, centres for social work,
# 12.1, 20), never to a provider of one service (a shelter) or an office that helps with
# one matter (foreigners, consular).
CASE_MANAGING_ROLES = IDENTIFYING_ROLES
DECISIONS: dict[str, frozenset[Role]] = {
    "presumed_victim": CASE_WORKING_ROLES,  # reasonable grounds: any front-line official (9.2, 20.9)
    "identified": IDENTIFYING_ROLES,
    "declined": IDENTIFYING_ROLES,
    "assisted": CASE_WORKING_ROLES,
    "reintegrated": CASE_WORKING_ROLES,
    "returned": CASE_WORKING_ROLES,
    "closed": CASE_MANAGING_ROLES,
    "reopen": CASE_MANAGING_ROLES,
}
# The capacity on the case team a decision is taken in; a decision not named here may be
# taken in any capacity. Closing and reopening: only the case's lead or case-management
# institution.
DECISION_CAPACITIES: dict[str, frozenset[str]] = {
    "closed": frozenset({"lead", "case_management"}),
    "reopen": frozenset({"lead", "case_management"}),
}


# --- The acting identity ---------------------------------------------------------------
# An official may hold several memberships (institution and role). Every write, and the
# audit row it leaves, names the one membership the official acted as (Art. 18): this is
# the only place that works it out.

@dataclass(frozen=True)
class Acting:
    """The membership an official acts as: an institution and a role in it."""

    institution_id: int
    role: Role


def choose(user: Any, choice: str | None) -> None:
    """Remember which membership the official chose to act as ("<institution id>:<role>",
    or an institution id alone); one the official does not hold is ignored."""
    user._nrm_acting_choice = None
    if not choice:
        return
    institution, _, role = str(choice).partition(":")
    held = all_memberships(user)
    for institution_id, held_role in held:
        if str(institution_id) == institution.strip() and role.strip() in ("", held_role):
            user._nrm_acting_choice = (institution_id, Role(role) if role.strip() else None)
            return


def chosen(user: Any) -> tuple[int, Role | None] | None:
    choice: tuple[int, Role | None] | None = getattr(user, "_nrm_acting_choice", None)
    return choice


def _team_of(case: Any, user: Any, *, personal: bool,
             capacities: Iterable[str] | None = None) -> set[int]:
    from nrm.cases.models import CaseAssignment

    who = Q(user=user) if personal else Q(user=user) | Q(user__isnull=True)
    rows = CaseAssignment.objects.filter(who, case=case, ended_at__isnull=True)
    if capacities is not None:
        rows = rows.filter(capacity__in=list(capacities))
    return set(rows.values_list("institution_id", flat=True))


def acting(
    user: Any,
    *,
    roles: Iterable[Role] | None = None,
    case: Any = None,
    kind: Kind = Kind.CASE,
    action: Action = Action.CHANGE,
    personal: bool = False,
    institution_id: int | None = None,
    capacities: Iterable[str] | None = None,
) -> Acting:
    """As which membership does `user` act here?

    The candidates are the memberships whose role is among `roles` (any, if None) and, for
    a case, whose institution is on the case's team with a grant of `action` on `kind`
    (with `personal`, only if the official is named on the team). The official's choice,
    when made, narrows them. With `institution_id` only that institution may act (the one
    that owes a duty completes it); with `capacities` only an institution on the team in
    one of them (the lead or case manager closes a case). One candidate is the answer;
    none refuses; several with no choice refuse as unclear, never guessing which
    institution the official meant.
    """
    allowed = frozenset(roles) if roles is not None else None
    candidates = [(inst, role) for inst, role in memberships(user)
                  if (allowed is None or role in allowed)
                  and institution_id in (None, inst)]
    if case is not None:
        team = _team_of(case, user, personal=personal, capacities=capacities)
        candidates = [(inst, role) for inst, role in candidates
                      if inst in team and action in TEAM.get(role, {}).get(kind, NONE)]
    choice = chosen(user)
    if choice is not None:
        candidates = [(inst, role) for inst, role in candidates
                      if inst == choice[0] and choice[1] in (None, role)]
    distinct = sorted(set(candidates))
    if not distinct:
        if case is not None and not memberships(user):
            raise NotFound("not found")
        raise NotAllowed("the membership you act as may not do this")
    if len(distinct) > 1:
        raise ActingUnclear(
            "you hold several memberships that could act here: choose the institution and "
            "role you act as", field="acting_as")
    return Acting(*distinct[0])


def held(user: Any) -> list[Acting]:
    """Every membership in force of an official, to show them (the header, /me)."""
    return [Acting(inst, role) for inst, role in sorted(set(all_memberships(user)))]


def acting_for_record(user: Any) -> Acting | None:
    """What an audit row of a read names when no write decided it: the official's choice,
    else their only membership; never a guess among several."""
    held = sorted(set(all_memberships(user)))
    choice = chosen(user)
    if choice is not None:
        matching = [(inst, role) for inst, role in held
                    if inst == choice[0] and choice[1] in (None, role)]
        if len(matching) == 1:
            return Acting(*matching[0])
    if len(held) == 1:
        return Acting(*held[0])
    return None


def institutions(user: Any, *, roles: Iterable[Role] | None = None) -> list[int]:
    """The institutions a user works for (in `roles`), narrowed by their choice if made."""
    allowed = frozenset(roles) if roles is not None else None
    held = [(inst, role) for inst, role in memberships(user) if allowed is None or role in allowed]
    choice = chosen(user)
    if choice is not None:
        held = [(inst, role) for inst, role in held if inst == choice[0] and choice[1] in (None, role)]
    return sorted({inst for inst, _ in held})
