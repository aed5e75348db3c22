"""A shelter's address (18.4), both ways: every role in every relation to the shelter sees it
exactly when this table says so, through the policy and through every answer of the API.

The table is written out here, apart from the policy's own, so that a change of policy shows
up as a change of this file in review.
"""

from __future__ import annotations

import pytest

from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.authorities.roles import Role
from nrm.cases.models import Capacity, CaseAssignment
from nrm.shelters import services
from nrm.shelters.models import SecurityRequest
from tests.factories import InstitutionFactory, official
from tests.shelters.conftest import TODAY

pytestmark = pytest.mark.django_db

RELATIONS = ("operator", "police_asked", "named_on_placed_case", "team_of_placed_case", "outside")

# Who sees the address of a shelter, by relation: its own staff keep it (23, 33); the police
# institution the shelter asked while the request is open (23.5); police, victim advocates and
# social workers named personally on the case of someone staying there (18.4). No one else.
EXPECTED: dict[str, dict[Role, str]] = {
    "operator": {Role.SHELTER_STAFF: "VC"},
    "police_asked": {Role.POLICE_INVESTIGATOR: "V"},
    "named_on_placed_case": {Role.POLICE_INVESTIGATOR: "V", Role.VICTIM_ADVOCATE: "V",
                             Role.SOCIAL_WORKER: "V"},
    "team_of_placed_case": {},
    "outside": {},
}


def official_as(world, role: Role, relation: str):
    if relation == "operator":
        return official(role, world.ngo)
    if relation == "police_asked":
        return official(role, world.police)
    institution = InstitutionFactory(code=f"{relation}-{role.value}"[:40])
    user = official(role, institution)
    if relation in ("named_on_placed_case", "team_of_placed_case"):
        CaseAssignment.objects.create(
            case=world.adult, institution=institution, capacity=Capacity.CASE_MANAGEMENT,
            user=user if relation == "named_on_placed_case" else None)
    return user


@pytest.fixture
def placed(world):
    services.placement_admit(actor=world.manager, unit_id=world.adults.pk, case_id=world.adult.pk,
                             admitted_on=TODAY, days=60)
    request = services.security_request(actor=world.manager, shelter_id=world.shelter.pk,
                                        police=world.police.code, reason="threat reported")
    return request


def letters(user, shelter) -> str:
    found = "".join(letter for letter, action in (("V", Action.VIEW), ("C", Action.CHANGE))
                    if access.allows(user, action, Kind.SHELTER_LOCATION, shelter))
    return found or "-"


def addresses_in_api(api, user, world) -> set[str]:
    """Every address any shelter endpoint shows this official."""
    client = api(user)
    shown = set()
    for path in ("/shelters", f"/shelters/{world.shelter.pk}", "/shelters/security-requests",
                 "/shelters/board", f"/shelters/{world.shelter.pk}/stays",
                 f"/cases/{world.adult.pk}/stay"):
        answer = client.get(path)
        if answer.status_code == 200 and "Hidden road 9" in answer.content.decode():
            shown.add(path)
    return shown


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_the_address_is_shown_exactly_to_whom_the_table_grants_it(world, placed, api, role, relation) -> None:
    user = official_as(world, role, relation)
    expected = EXPECTED[relation].get(role, "-")
    assert letters(user, world.shelter) == expected
    shown = addresses_in_api(api, user, world)
    if expected == "-":
        assert shown == set()
    else:
        assert shown  # seen through some answer, and audited as a read of the address
        from nrm.audit.models import AuditEvent

        assert AuditEvent.objects.filter(actor=user, action="read", record_type="shelters.shelter",
                                         fields=["address"]).exists()


def test_the_police_lose_the_address_when_the_request_is_closed(world, placed, api) -> None:
    police = official_as(world, Role.POLICE_INVESTIGATOR, "police_asked")
    assert letters(police, world.shelter) == "V"
    services.security_close(actor=world.manager, request_id=placed.pk)
    assert SecurityRequest.objects.get(pk=placed.pk).status == "closed"
    assert letters(police, world.shelter) == "-"
    assert addresses_in_api(api, police, world) == set()


def test_a_discharge_ends_the_named_teams_view_of_the_address(world, placed) -> None:
    advocate = official_as(world, Role.VICTIM_ADVOCATE, "named_on_placed_case")
    assert letters(advocate, world.shelter) == "V"
    stay = world.adult.placements.get()
    services.placement_discharge(actor=world.manager, placement_id=stay.pk, expected_version=1,
                                 left_on=TODAY, destination="family")
    assert letters(advocate, world.shelter) == "-"


def test_the_address_and_a_security_requests_reason_are_stored_encrypted(world, placed) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM shelters_shelter WHERE id = %s", [world.shelter.pk])
        (address,) = cursor.fetchone()
        cursor.execute("SELECT reason FROM shelters_securityrequest WHERE id = %s", [placed.pk])
        (reason,) = cursor.fetchone()
    assert "Hidden road" not in str(address) and "threat" not in str(reason)
    assert world.shelter.__class__.objects.get(pk=world.shelter.pk).address == "Hidden road 9"
