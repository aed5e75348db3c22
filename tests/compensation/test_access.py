"""The Commission sees a case only through a claim filed with it, and only what the claim
needs; the case team sees its claims. Every role, both ways, on one setup; the expected
grants are written out here, apart from the policy's tables."""

from __future__ import annotations

import json

import pytest

from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.authorities.roles import Role
from nrm.cases.models import Capacity, CaseAssignment
from tests.api_client import ApiClient
from tests.factories import InstitutionFactory, official

TEAM_ROLES = [
    Role.POLICE_INVESTIGATOR, Role.PROSECUTOR, Role.JUDGE, Role.VICTIM_ADVOCATE,
    Role.SOCIAL_WORKER, Role.SHELTER_STAFF, Role.HEALTH_WORKER, Role.LABOUR_INSPECTOR,
    Role.FOREIGNERS_OFFICER, Role.CONSULAR_OFFICER, Role.COMMISSION_MEMBER,
    Role.NATIONAL_COORDINATOR, Role.SECRETARIAT_ANALYST, Role.AUDITOR, Role.SYSTEM_ADMIN,
]
# A claim, to a role whose institution is on the case's team.
CLAIM_ON_TEAM = {
    Role.VICTIM_ADVOCATE: "VC", Role.SOCIAL_WORKER: "VC", Role.PROSECUTOR: "V",
    Role.POLICE_INVESTIGATOR: "V", Role.JUDGE: "V",
}


def letters(user, kind, obj) -> str:
    found = "".join(letter for letter, action in (("V", Action.VIEW), ("C", Action.CHANGE))
                    if access.allows(user, action, kind, obj))
    return found or "-"


@pytest.mark.parametrize("role", TEAM_ROLES)
def test_each_role_on_the_team_sees_the_claim_as_the_matrix_says(world, role):
    claim = world.claim()
    institution = InstitutionFactory(code=f"team-{role.value}")
    CaseAssignment.objects.create(case=world.adult, institution=institution, capacity=Capacity.CASE_MANAGEMENT)
    on_team = official(role, institution)
    outside = official(role, InstitutionFactory(code=f"outside-{role.value}"))
    assert letters(on_team, Kind.COMPENSATION_CLAIM, claim) == CLAIM_ON_TEAM.get(role, "-")
    assert letters(outside, Kind.COMPENSATION_CLAIM, claim) == "-"


def test_a_commission_member_sees_the_claim_filed_with_their_commission_and_no_case(world):
    claim = world.claim()
    member = world.members[0]
    assert letters(member, Kind.COMPENSATION_CLAIM, claim) == "VC"
    for case in (world.adult, world.child):
        assert letters(member, Kind.CASE, case) == "-"
        assert letters(member, Kind.IDENTITY, case) == "-"
    assert not access.cases(member).exists()
    assert list(access.compensation_claims(member)) == [claim]


def test_a_commission_on_a_case_team_still_sees_nothing_of_the_case(world):
    # The Commission is never a case's team: even an assignment gives its members nothing.
    CaseAssignment.objects.create(case=world.adult, institution=world.commission,
                                  capacity=Capacity.CASE_MANAGEMENT)
    member = world.members[0]
    assert letters(member, Kind.CASE, world.adult) == "-"
    assert letters(member, Kind.IDENTITY, world.adult) == "-"
    assert not access.compensation_claims(member).exists()


def test_a_member_of_another_commission_and_an_outsider_see_no_claim(world):
    claim = world.claim()
    for user in (world.other_commission_member, world.outsider):
        assert letters(user, Kind.COMPENSATION_CLAIM, claim) == "-"
        assert not access.compensation_claims(user).exists()


def test_a_member_whose_grant_ended_sees_no_claim(world):
    claim = world.claim()
    member = world.members[0]
    member.memberships.update(revoked_at="2026-06-01T00:00:00Z")
    member = type(member).objects.get(pk=member.pk)  # memberships are read once per user object
    assert letters(member, Kind.COMPENSATION_CLAIM, claim) == "-"


def test_the_legal_state_shows_a_claims_proposal_only_to_those_who_may_see_the_claim(world):
    # The attack: the Coordinator, and a provider on the team, read the case's legal state;
    # its compensation decision gave the claim's harm (1,000.10) they may not see.
    coordinator = official(Role.NATIONAL_COORDINATOR, username="coordinator-c")
    before = ApiClient(coordinator).get(f"/cases/{world.adult.pk}").json()["assessment"]
    world.claim()
    after = ApiClient(coordinator).get(f"/cases/{world.adult.pk}").json()["assessment"]
    assert after == before and after["compensation"] is None
    assert "1000.1" not in json.dumps(after)
    shown = ApiClient(world.advocate).get(f"/cases/{world.adult.pk}").json()["assessment"]
    assert shown["compensation"]["amount"] == 1000.1
