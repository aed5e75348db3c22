"""The returns kind and the removal check, through every role, both ways: what the policy
grants is written out here apart from access.py's tables."""

from __future__ import annotations

import pytest

from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.authorities.roles import Role
from nrm.cases.models import Capacity, CaseAssignment
from tests.core.test_access_matrix import NATIONAL_ROLES, TEAM_ROLES
from tests.factories import InstitutionFactory, official, registered_case

RETURNS_EXPECTED = {
    Role.FOREIGNERS_OFFICER: "VC", Role.CONSULAR_OFFICER: "VC", Role.SOCIAL_WORKER: "VC",
}
REMOVAL_CHECKERS = {Role.FOREIGNERS_OFFICER, Role.POLICE_INVESTIGATOR}


def _letters(user, case) -> str:
    return "".join(letter for letter, action in (("V", Action.VIEW), ("C", Action.CHANGE))
                   if access.allows(user, action, Kind.RETURNS, case)) or "-"


@pytest.mark.django_db
@pytest.mark.parametrize("role", TEAM_ROLES + NATIONAL_ROLES, ids=lambda r: r.value)
def test_each_role_on_the_team_gets_exactly_the_returns_grant_and_none_off_it(role):
    registrar = official(Role.POLICE_INVESTIGATOR, InstitutionFactory(code="registrar"))
    case = registered_case(registrar)
    team = InstitutionFactory(code=f"team-{role.value}")
    CaseAssignment.objects.create(case=case, institution=team, capacity=Capacity.RESIDENCE)
    on_team = official(role, team)
    outside = official(role, InstitutionFactory(code=f"outside-{role.value}"))
    assert _letters(on_team, case) == RETURNS_EXPECTED.get(role, "-")
    assert _letters(outside, case) == "-"
    assert set(access.returns_cases(outside)) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("role", TEAM_ROLES + NATIONAL_ROLES, ids=lambda r: r.value)
def test_only_the_ministry_for_foreigners_and_the_police_make_removal_checks(role):
    user = official(role)
    assert access.allows(user, Action.VIEW, Kind.REMOVAL_CHECK) is (role in REMOVAL_CHECKERS)
    assert access.allows(user, Action.CHANGE, Kind.REMOVAL_CHECK) is False


@pytest.mark.django_db
def test_an_ended_assignment_ends_access_to_the_returns_records():
    registrar = official(Role.POLICE_INVESTIGATOR, InstitutionFactory(code="registrar"))
    case = registered_case(registrar)
    ministry = InstitutionFactory(code="ministry")
    assignment = CaseAssignment.objects.create(case=case, institution=ministry,
                                               capacity=Capacity.RESIDENCE)
    officer = official(Role.FOREIGNERS_OFFICER, ministry)
    assert _letters(officer, case) == "VC"
    from django.utils import timezone

    assignment.ended_at = timezone.now()
    assignment.save()
    officer = type(officer).objects.get(pk=officer.pk)  # memberships are read once per object
    assert _letters(officer, case) == "-"
