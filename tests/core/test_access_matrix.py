"""Every role, through every record kind and action, allowed and denied, on one setup.

The expected grants are written out here, apart from the policy's own tables, so that a
change of policy shows up as a change of this file in review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.authorities.models import Institution
from nrm.authorities.roles import InstitutionKind, Role
from nrm.cases.models import Capacity, Case, CaseAssignment
from nrm.proceedings.models import MeasureKind, ProtectionMeasure
from nrm.shelters.models import Placement, Shelter
from tests.factories import InstitutionFactory, official, registered_case

TEAM_ROLES = [
    Role.POLICE_INVESTIGATOR, Role.PROSECUTOR, Role.JUDGE, Role.VICTIM_ADVOCATE,
    Role.SOCIAL_WORKER, Role.SHELTER_STAFF, Role.HEALTH_WORKER, Role.LABOUR_INSPECTOR,
    Role.FOREIGNERS_OFFICER, Role.CONSULAR_OFFICER, Role.COMMISSION_MEMBER,
]
NATIONAL_ROLES = [
    Role.NATIONAL_COORDINATOR, Role.SECRETARIAT_ANALYST, Role.AUDITOR, Role.SYSTEM_ADMIN,
]

# What each team role may do to a case its institution or the official is on.
# V = view, C = change; "-" = nothing.
TEAM_EXPECTED: dict[Role, dict[Kind, str]] = {
    Role.POLICE_INVESTIGATOR: {Kind.CASE: "VC", Kind.IDENTITY: "VC", Kind.PROTECTION_MEASURE: "VC", Kind.SHELTER_LOCATION: "V"},
    Role.PROSECUTOR: {Kind.CASE: "VC", Kind.IDENTITY: "VC", Kind.PROTECTION_MEASURE: "VC", Kind.SHELTER_LOCATION: "-"},
    Role.JUDGE: {Kind.CASE: "V", Kind.IDENTITY: "V", Kind.PROTECTION_MEASURE: "VC", Kind.SHELTER_LOCATION: "-"},
    Role.VICTIM_ADVOCATE: {Kind.CASE: "VC", Kind.IDENTITY: "VC", Kind.PROTECTION_MEASURE: "V", Kind.SHELTER_LOCATION: "V"},
    Role.SOCIAL_WORKER: {Kind.CASE: "VC", Kind.IDENTITY: "VC", Kind.PROTECTION_MEASURE: "-", Kind.SHELTER_LOCATION: "V"},
    # Shelter staff see and keep their own shelter's address whatever the case (23, 33).
    Role.SHELTER_STAFF: {Kind.CASE: "VC", Kind.IDENTITY: "V", Kind.PROTECTION_MEASURE: "-", Kind.SHELTER_LOCATION: "VC"},
    Role.HEALTH_WORKER: {Kind.CASE: "V", Kind.IDENTITY: "V", Kind.PROTECTION_MEASURE: "-", Kind.SHELTER_LOCATION: "-"},
    Role.LABOUR_INSPECTOR: {Kind.CASE: "V", Kind.IDENTITY: "V", Kind.PROTECTION_MEASURE: "-", Kind.SHELTER_LOCATION: "-"},
    Role.FOREIGNERS_OFFICER: {Kind.CASE: "VC", Kind.IDENTITY: "VC", Kind.PROTECTION_MEASURE: "-", Kind.SHELTER_LOCATION: "-"},
    Role.CONSULAR_OFFICER: {Kind.CASE: "VC", Kind.IDENTITY: "VC", Kind.PROTECTION_MEASURE: "-", Kind.SHELTER_LOCATION: "-"},
    # The Commission sees a case only through a claim filed with it (tests/compensation).
    Role.COMMISSION_MEMBER: {Kind.CASE: "-", Kind.IDENTITY: "-", Kind.PROTECTION_MEASURE: "-", Kind.SHELTER_LOCATION: "-"},
}

# Record-free grants of every role.
NATIONAL_EXPECTED: dict[Role, dict[Kind, str]] = {
    Role.NATIONAL_COORDINATOR: {Kind.STATISTICS: "V", Kind.AUDIT_LOG: "-", Kind.REFERENCE_DATA: "V"},
    Role.SECRETARIAT_ANALYST: {Kind.STATISTICS: "V", Kind.AUDIT_LOG: "-", Kind.REFERENCE_DATA: "V"},
    Role.AUDITOR: {Kind.STATISTICS: "-", Kind.AUDIT_LOG: "V", Kind.REFERENCE_DATA: "V"},
    Role.SYSTEM_ADMIN: {Kind.STATISTICS: "-", Kind.AUDIT_LOG: "-", Kind.REFERENCE_DATA: "VC"},
    **{role: {Kind.STATISTICS: "-", Kind.AUDIT_LOG: "-", Kind.REFERENCE_DATA: "V"} for role in TEAM_ROLES},
}

RECORD_KINDS = [Kind.CASE, Kind.IDENTITY, Kind.PROTECTION_MEASURE, Kind.SHELTER_LOCATION]


@dataclass
class World:
    adult: Case
    child: Case
    shelter: Shelter
    measure: ProtectionMeasure
    institutions: dict[Role, Institution]


def build_world() -> World:
    """An adult's and a child's case, each with every team role's institution on the team."""
    registrar_institution = InstitutionFactory(code="registrar")
    registrar = official(Role.POLICE_INVESTIGATOR, registrar_institution, username="registrar")
    institutions = {
        role: InstitutionFactory(code=f"team-{role.value}", kind=InstitutionKind.AUTHORITY)
        for role in TEAM_ROLES + NATIONAL_ROLES
    }
    adult = registered_case(registrar, given_name="Adulta")
    child = registered_case(registrar, given_name="Childa", birth_date=date(2014, 1, 1), child=True)
    for case in (adult, child):
        for role in TEAM_ROLES:
            CaseAssignment.objects.create(
                case=case, institution=institutions[role], capacity=Capacity.CASE_MANAGEMENT
            )
    shelter = Shelter.objects.create(
        operator=institutions[Role.SHELTER_STAFF], name="S", address="Secret lane 7"
    )
    Placement.objects.create(case=adult, shelter=shelter, admitted_on=date(2026, 1, 1))
    measure = ProtectionMeasure.objects.create(
        case=adult, kind=MeasureKind.WITNESS_PROTECTION, ordered_on=date(2026, 1, 2),
        ordered_by=institutions[Role.PROSECUTOR], details="relocation",
    )
    return World(adult, child, shelter, measure, institutions)


def official_in(world: World, role: Role, relation: str) -> object:
    """relation: 'named' on both cases, 'institution' only (not named), or 'outside'."""
    if relation == "outside":
        return official(role, InstitutionFactory(code=f"outside-{role.value}"))
    user = official(role, world.institutions[role])
    if relation == "named":
        for case in (world.adult, world.child):
            CaseAssignment.objects.create(
                case=case, institution=world.institutions[role], user=user,
                capacity=Capacity.CASE_MANAGEMENT,
            )
    return user


def grants(user: object, world: World) -> dict[tuple[str, Kind], str]:
    """What the policy actually lets `user` do, per record and kind."""
    records = {
        ("adult", Kind.CASE): world.adult, ("child", Kind.CASE): world.child,
        ("adult", Kind.IDENTITY): world.adult, ("child", Kind.IDENTITY): world.child,
        ("adult", Kind.PROTECTION_MEASURE): world.measure,
        ("adult", Kind.SHELTER_LOCATION): world.shelter,
    }
    result = {}
    for key, obj in records.items():
        letters = "".join(
            letter for letter, action in (("V", Action.VIEW), ("C", Action.CHANGE))
            if access.allows(user, action, key[1], obj)
        )
        result[key] = letters or "-"
    return result


def expected_team(role: Role, relation: str) -> dict[tuple[str, Kind], str]:
    table = TEAM_EXPECTED[role]
    own_shelter = role is Role.SHELTER_STAFF and relation != "outside"
    if relation == "outside":
        expected = {key: "-" for key in (
            ("adult", Kind.CASE), ("child", Kind.CASE), ("adult", Kind.IDENTITY),
            ("child", Kind.IDENTITY), ("adult", Kind.PROTECTION_MEASURE),
            ("adult", Kind.SHELTER_LOCATION))}
    else:
        named = relation == "named"
        expected = {
            ("adult", Kind.CASE): table[Kind.CASE],
            ("child", Kind.CASE): table[Kind.CASE],
            ("adult", Kind.IDENTITY): table[Kind.IDENTITY],
            # 35.1.5: a child's identity only to officials named on the child's team.
            ("child", Kind.IDENTITY): table[Kind.IDENTITY] if named else "-",
            # 18.4: protection measures and shelter addresses are need-to-know.
            ("adult", Kind.PROTECTION_MEASURE): table[Kind.PROTECTION_MEASURE] if named else "-",
            ("adult", Kind.SHELTER_LOCATION): table[Kind.SHELTER_LOCATION] if named else "-",
        }
    if own_shelter:
        expected[("adult", Kind.SHELTER_LOCATION)] = "VC"
    return expected


@pytest.mark.django_db
@pytest.mark.parametrize("relation", ["named", "institution", "outside"])
@pytest.mark.parametrize("role", TEAM_ROLES, ids=lambda r: r.value)
def test_team_roles_get_exactly_what_the_matrix_grants(role: Role, relation: str) -> None:
    world = build_world()
    user = official_in(world, role, relation)
    assert grants(user, world) == expected_team(role, relation)


@pytest.mark.django_db
@pytest.mark.parametrize("role", NATIONAL_ROLES, ids=lambda r: r.value)
def test_national_roles_never_see_identities_measures_or_addresses(role: Role) -> None:
    world = build_world()
    user = official_in(world, role, "institution")
    pseudonymous = "V" if role in (Role.NATIONAL_COORDINATOR, Role.SECRETARIAT_ANALYST) else "-"
    assert grants(user, world) == {
        ("adult", Kind.CASE): pseudonymous, ("child", Kind.CASE): pseudonymous,
        ("adult", Kind.IDENTITY): "-", ("child", Kind.IDENTITY): "-",
        ("adult", Kind.PROTECTION_MEASURE): "-", ("adult", Kind.SHELTER_LOCATION): "-",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", TEAM_ROLES + NATIONAL_ROLES, ids=lambda r: r.value)
def test_record_free_grants_follow_the_matrix(role: Role) -> None:
    user = official(role)
    for kind, letters in NATIONAL_EXPECTED[role].items():
        assert access.allows(user, Action.VIEW, kind) is ("V" in letters), (kind, "view")
        assert access.allows(user, Action.CHANGE, kind) is ("C" in letters), (kind, "change")


@pytest.mark.django_db
def test_a_user_with_no_role_and_an_anonymous_visitor_are_denied_everything() -> None:
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import UserFactory

    world = build_world()
    for user in (UserFactory(), AnonymousUser()):
        assert set(grants(user, world).values()) == {"-"}
        for kind in Kind:
            assert not access.allows(user, Action.VIEW, kind)


@pytest.mark.django_db
def test_an_ended_assignment_ends_access() -> None:
    world = build_world()
    user = official_in(world, Role.SOCIAL_WORKER, "named")
    from django.utils import timezone

    CaseAssignment.objects.filter(user=user).update(ended_at=timezone.now())
    CaseAssignment.objects.filter(institution=world.institutions[Role.SOCIAL_WORKER]).update(
        ended_at=timezone.now()
    )
    assert set(grants(user, world).values()) == {"-"}


@pytest.mark.django_db
def test_a_deactivated_official_loses_every_grant() -> None:
    world = build_world()
    user = official_in(world, Role.PROSECUTOR, "named")
    user.is_active = False
    user.save()
    user = type(user).objects.get(pk=user.pk)
    assert set(grants(user, world).values()) == {"-"}


@pytest.mark.django_db
def test_the_identity_flag_is_computed_in_the_same_query_as_the_list() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = build_world()
    user = official_in(world, Role.VICTIM_ADVOCATE, "institution")
    with CaptureQueriesContext(connection) as queries:
        rows = {c.pk: c.identity_visible for c in access.with_identity_flag(access.cases(user), user)}
    assert rows == {world.adult.pk: True, world.child.pk: False}
    assert len(queries) == 2  # the user's memberships, then the list


@pytest.mark.django_db
def test_a_provider_institution_works_the_case_but_does_not_see_the_identity() -> None:
    world = build_world()
    shelter = world.institutions[Role.SHELTER_STAFF]
    CaseAssignment.objects.filter(case=world.adult, institution=shelter).update(
        capacity=Capacity.SERVICE_PROVIDER)
    staff = official_in(world, Role.SHELTER_STAFF, "institution")
    assert access.allows(staff, Action.CHANGE, Kind.CASE, world.adult)
    assert not access.allows(staff, Action.VIEW, Kind.IDENTITY, world.adult)
    named = official_in(world, Role.SHELTER_STAFF, "named")
    assert access.allows(named, Action.VIEW, Kind.IDENTITY, world.adult)


# Who may take each decision on a case (docs/access.md, "Decisions"), written out apart
# from access.DECISIONS and access.DECISION_CAPACITIES.
CASE_MANAGERS = {Role.POLICE_INVESTIGATOR, Role.PROSECUTOR, Role.VICTIM_ADVOCATE, Role.SOCIAL_WORKER}
CASE_WORKERS = CASE_MANAGERS | {Role.SHELTER_STAFF, Role.FOREIGNERS_OFFICER, Role.CONSULAR_OFFICER}
DECISIONS_EXPECTED: dict[str, tuple[set[Role], set[str] | None]] = {
    "presumed_victim": (CASE_WORKERS, None),
    "identified": (CASE_MANAGERS, None),
    "declined": (CASE_MANAGERS, None),
    "assisted": (CASE_WORKERS, None),
    "reintegrated": (CASE_WORKERS, None),
    "returned": (CASE_WORKERS, None),
    "closed": (CASE_MANAGERS, {Capacity.LEAD, Capacity.CASE_MANAGEMENT}),
    "reopen": (CASE_MANAGERS, {Capacity.LEAD, Capacity.CASE_MANAGEMENT}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("decision", sorted(DECISIONS_EXPECTED))
@pytest.mark.parametrize("role", TEAM_ROLES, ids=lambda r: r.value)
@pytest.mark.parametrize("capacity", [Capacity.LEAD, Capacity.CASE_MANAGEMENT, Capacity.SERVICE_PROVIDER,
                                      Capacity.RESIDENCE])
def test_each_decision_is_taken_only_by_the_roles_and_capacities_the_law_gives_it(
        decision: str, role: Role, capacity: str) -> None:
    registrar = official(Role.POLICE_INVESTIGATOR, InstitutionFactory(code="registrar"))
    case = registered_case(registrar, given_name="Decida")
    institution = InstitutionFactory(code=f"decider-{role.value}")
    CaseAssignment.objects.create(case=case, institution=institution, capacity=capacity)
    user = official(role, institution)
    roles, capacities = DECISIONS_EXPECTED[decision]
    expected = role in roles and (capacities is None or capacity in capacities)
    try:
        access.acting(user, roles=access.DECISIONS[decision], case=case,
                      capacities=access.DECISION_CAPACITIES.get(decision))
    except access.NotAllowed:
        allowed = False
    else:
        allowed = True
    assert allowed is expected
