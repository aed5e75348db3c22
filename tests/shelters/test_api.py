"""The API of shelters: allowed, refused (another role, a record out of scope) and bad input
on one setup; answers to writes built like the reads."""

from __future__ import annotations

import pytest

from nrm.audit.models import AuditEvent
from nrm.shelters.models import Placement
from tests.shelters.conftest import TODAY

pytestmark = pytest.mark.django_db


def admit(api, world, **body):
    return api(world.manager).post(f"/shelters/units/{world.adults.pk}/admissions",
                                   {"case_id": world.adult.pk, "admitted_on": TODAY.isoformat(),
                                    "days": 60, **body})


def test_a_manager_sees_their_shelter_with_its_address_and_units(world, api) -> None:
    answer = api(world.manager).get(f"/shelters/{world.shelter.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["address"] == "Hidden road 9" and answer["ETag"] == '"1"'
    assert {u["kind"] for u in body["units"]} == {"adults", "children"}
    read = AuditEvent.objects.filter(action="read", record_type="shelters.shelter").last()
    assert read.fields == ["address"]


def test_another_providers_manager_and_the_coordinator_get_not_found(world, api) -> None:
    for user in (world.other_manager, world.coordinator, world.worker):
        assert api(user).get(f"/shelters/{world.shelter.pk}").status_code == 404
        assert api(user).post(f"/shelters/units/{world.adults.pk}/admissions",
                              {"case_id": world.adult.pk, "admitted_on": TODAY.isoformat(),
                               "days": 60}).status_code == 404
    assert not Placement.objects.exists()


def test_admission_answers_201_with_the_engines_lawful_end_and_reason(world, api) -> None:
    answer = admit(api, world)
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["lawful_end"] == "2026-08-13" and body["lawful_end_article"] == "23.6"
    assert body["case_reference"] == world.adult.reference and "identity" not in body


def test_bad_input_names_the_field(world, api) -> None:
    assert admit(api, world, admitted_on="2026-05-01").json()["field"] == "admitted_on"
    assert admit(api, world, days=10).json()["field"] == "days"
    assert admit(api, world, days=-3).json()["field"] == "days"
    refused = api(world.manager).post(f"/shelters/{world.shelter.pk}/units",
                                      {"name": "x", "kind": "adults", "capacity": -1})
    assert refused.status_code == 400 and refused.json()["field"] == "capacity"
    child = api(world.manager).post(f"/shelters/units/{world.adults.pk}/admissions",
                                    {"case_id": world.child.pk, "admitted_on": TODAY.isoformat(), "days": 60})
    assert child.status_code == 400 and child.json()["field"] == "unit_id"
    assert "38.7" in child.json()["message"]


def test_extension_and_discharge_need_if_match_and_refuse_a_stale_one(world, api) -> None:
    stay = admit(api, world).json()
    path = f"/shelters/stays/{stay['id']}"
    body = {"basis": "doctor", "days": 60, "document": "MED-4"}
    assert api(world.manager).post(f"{path}/extensions", body).status_code == 428
    assert api(world.manager).post(f"{path}/extensions", body, HTTP_IF_MATCH='"9"').status_code == 412
    extended = api(world.manager).post(f"{path}/extensions", body, HTTP_IF_MATCH='"1"')
    assert extended.status_code == 201 and extended.json()["lawful_end_article"] == "23.7.1"
    assert extended.json()["lawful_end"] == "2026-10-12" and extended["ETag"] == '"2"'
    early = api(world.manager).post(f"{path}/discharge", {"left_on": "2026-06-01", "destination": "family"},
                                    HTTP_IF_MATCH='"2"')
    assert early.status_code == 400 and early.json()["field"] == "left_on"
    done = api(world.manager).post(f"{path}/discharge", {"left_on": TODAY.isoformat(), "destination": "family"},
                                   HTTP_IF_MATCH='"2"')
    assert done.status_code == 200 and done.json()["left_on"] == TODAY.isoformat()
    assert api(world.other_manager).get(path).status_code == 404


def test_the_board_counts_and_the_coordinator_sees_counts_only(world, api) -> None:
    admit(api, world)
    board = api(world.manager).get(f"/shelters/{world.shelter.pk}/board").json()
    assert (board["beds"], board["occupied"], board["free"], board["arrivals"]) == (3, 1, 2, 1)
    national = api(world.coordinator).get("/shelters/board")
    assert national.status_code == 200
    text = national.content.decode()
    assert national.json()["total"]["occupied"] == 1
    for hidden in ("Hidden road 9", "House North", world.adult.reference, "Adulta"):
        assert hidden not in text
    assert api(world.manager).get("/shelters/board").status_code == 403
    assert api(world.outsider).get("/shelters/board").status_code == 403


def test_police_see_the_address_only_while_their_security_request_is_open(world, api) -> None:
    asked = api(world.manager).post(f"/shelters/{world.shelter.pk}/security-requests",
                                    {"police": world.police.code, "reason": "a man waits outside"})
    assert asked.status_code == 201
    request_id = asked.json()["id"]
    seen = api(world.worker).get("/shelters/security-requests").json()
    assert [r["address"] for r in seen] == ["Hidden road 9"]
    answered = api(world.worker).post(f"/shelters/security-requests/{request_id}/response",
                                      {"response": "patrol tonight"})
    assert answered.status_code == 200 and answered.json()["address"] == "Hidden road 9"
    assert api(world.outsider).post(f"/shelters/security-requests/{request_id}/response",
                                    {"response": "x"}).status_code == 404
    closed = api(world.manager).post(f"/shelters/security-requests/{request_id}/close")
    assert closed.status_code == 200 and closed.json()["address"] == "Hidden road 9"
    after = api(world.worker).get("/shelters/security-requests").json()
    assert after[0]["status"] == "closed" and after[0]["address"] is None


def test_a_security_request_addressed_to_an_institution_that_is_not_the_police_is_refused(
        world, api) -> None:
    # The request would hand the shelter's address to whoever it names (23.5).
    for not_police in (world.coordinator.memberships.first().institution.code, world.ngo.code,
                       "no-such-unit"):
        refused = api(world.manager).post(f"/shelters/{world.shelter.pk}/security-requests",
                                          {"police": not_police, "reason": "a man waits outside"})
        assert refused.status_code == 400 and refused.json()["field"] == "police"
    from nrm.shelters.models import SecurityRequest

    assert not SecurityRequest.objects.exists()
    assert api(world.coordinator).get("/shelters/security-requests").json() == []


def test_licences_are_the_national_authoritys_and_an_expired_one_blocks_a_referral(world, api) -> None:
    body = {"institution": world.ngo.code, "number": "L-1", "issued_by": "coordination",
            "services": ["shelter"], "valid_from": "2025-01-01", "valid_until": "2026-06-01"}
    assert api(world.manager).post("/providers/licences", body).status_code == 403
    bad = api(world.coordinator).post("/providers/licences", {**body, "valid_until": "2024-01-01"})
    assert bad.status_code == 400 and bad.json()["field"] == "valid_until"
    made = api(world.coordinator).post("/providers/licences", body)
    assert made.status_code == 201 and made.json()["in_force"] is False
    # The case team tries to refer a new case to the unlicensed provider.
    from tests.factories import registered_case

    case = registered_case(world.worker, given_name="Newa")
    api(world.worker).post(f"/cases/{case.pk}/consents",
                           {"given_by": "victim", "given_on": TODAY.isoformat(), "scope": ["shelter"]})
    refused = api(world.worker).post(f"/cases/{case.pk}/referrals",
                                     {"service": "shelter", "provider": world.ngo.code})
    assert refused.status_code == 400 and refused.json()["field"] == "provider"
    assert "33.3" in refused.json()["message"]


def test_a_suspended_licence_blocks_and_reinstating_it_lets_referrals_through(world, api) -> None:
    from nrm.shelters.selectors import provider_licensed

    made = api(world.coordinator).post("/providers/licences", {
        "institution": world.ngo.code, "number": "L-2", "issued_by": "coordination",
        "services": ["shelter"], "valid_from": "2025-01-01", "valid_until": "2027-01-01"}).json()
    assert provider_licensed(world.ngo.pk, TODAY)
    path = f"/providers/licences/{made['id']}/suspension"
    assert api(world.coordinator).post(path, {"suspended": True}).status_code == 428
    suspended = api(world.coordinator).post(path, {"suspended": True}, HTTP_IF_MATCH='"1"')
    assert suspended.status_code == 200 and suspended.json()["in_force"] is False
    assert not provider_licensed(world.ngo.pk, TODAY)
    api(world.coordinator).post(path, {"suspended": False}, HTTP_IF_MATCH='"2"')
    assert provider_licensed(world.ngo.pk, TODAY)


def test_inspections_and_their_follow_up(world, api) -> None:
    body = {"institution": world.ngo.code, "inspector": "coordination", "visited_on": "2026-06-10",
            "findings": "fire exits blocked", "required_actions": "clear the exits"}
    missing = api(world.coordinator).post("/providers/inspections", body)
    assert missing.status_code == 400 and missing.json()["field"] == "follow_up_due"
    made = api(world.coordinator).post("/providers/inspections", {**body, "follow_up_due": "2026-07-01"})
    assert made.status_code == 201
    assert api(world.manager).post("/providers/inspections", body).status_code == 403
    followed = api(world.coordinator).post(f"/providers/inspections/{made.json()['id']}/follow-up",
                                           {"followed_up_on": "2026-06-14", "note": "exits clear"})
    assert followed.status_code == 200 and followed.json()["followed_up_on"] == "2026-06-14"


def test_contracts_record_their_period_and_services(world, api) -> None:
    body = {"buyer": "coordination", "provider": world.ngo.code, "reference": "PR-2026-3",
            "services": ["shelter"], "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    made = api(world.coordinator).post("/providers/contracts", body)
    assert made.status_code == 201 and made.json()["services"] == ["shelter"]
    bad = api(world.coordinator).post("/providers/contracts", {**body, "ends_on": "2025-01-01"})
    assert bad.json()["field"] == "ends_on"


def test_a_cases_stay_is_answered_to_its_team_and_not_found_to_others(world, api) -> None:
    none = api(world.worker).get(f"/cases/{world.adult.pk}/stay")
    assert none.status_code == 200 and none.json()["stay"] is None
    admit(api, world)
    answer = api(world.worker).get(f"/cases/{world.adult.pk}/stay")
    assert answer.status_code == 200
    body = answer.json()
    # The registering investigator is named on the case: police named on it see the address.
    assert body["shelter_name"] == "House North" and body["address"] == "Hidden road 9"
    assert body["stay"]["lawful_end"] == "2026-08-13"
    # A colleague of the same institution, on the team but not named, does not (18.4).
    from nrm.authorities.roles import Role
    from tests.factories import official

    colleague = official(Role.POLICE_INVESTIGATOR, world.police)
    unnamed = api(colleague).get(f"/cases/{world.adult.pk}/stay").json()
    assert unnamed["address"] is None and unnamed["stay"]["case_reference"] == world.adult.reference
    # Nor which shelter it is: a name locates a shelter as well as an address (found by the
    # attack on a running server).
    assert unnamed["shelter_name"] is None and unnamed["shelter_id"] is None
    # And not through the stay inside the answer: its shelter and unit ids name the shelter
    # too (found by the attack before stopping).
    assert body["stay"]["shelter_id"] is not None and body["stay"]["unit_id"] is not None
    nested = unnamed["stay"]
    assert nested["shelter_id"] is None and nested["unit_id"] is None and nested["unit_kind"] is None
    assert nested["admitted_on"] == body["stay"]["admitted_on"]
    assert api(world.outsider).get(f"/cases/{world.adult.pk}/stay").status_code == 404
    assert api(world.worker).get("/cases/0/stay").status_code == 400


def test_a_suspension_alerts_the_teams_of_the_providers_open_referrals(world, api) -> None:
    from django.core.management import call_command

    from nrm.cases.models import Alert
    from tests.factories import registered_case

    case = registered_case(world.worker, given_name="Opena")
    api(world.worker).post(f"/cases/{case.pk}/consents",
                           {"given_by": "victim", "given_on": TODAY.isoformat(), "scope": ["shelter"]})
    sent = api(world.worker).post(f"/cases/{case.pk}/referrals", {"service": "shelter", "provider": world.ngo.code})
    assert sent.status_code == 201
    made = api(world.coordinator).post("/providers/licences", {
        "institution": world.ngo.code, "number": "L-3", "issued_by": "coordination",
        "services": ["shelter"], "valid_from": "2025-01-01", "valid_until": "2027-01-01"}).json()
    call_command("licence_alerts")
    assert not Alert.objects.filter(code="provider_unlicensed").exists()  # in force: no alert
    api(world.coordinator).post(f"/providers/licences/{made['id']}/suspension", {"suspended": True},
                                HTTP_IF_MATCH='"1"')
    alert = Alert.objects.get(case=case, code="provider_unlicensed", resolved_on__isnull=True)
    assert alert.article == "33.3"
    case_view = api(world.worker).get(f"/cases/{case.pk}").json()
    assert "provider_unlicensed" in {a["code"] for a in case_view["alerts"]}


def test_the_coordinator_may_not_read_where_a_cases_victim_stays(world, api) -> None:
    admit(api, world)
    assert api(world.coordinator).get(f"/cases/{world.adult.pk}/stay").status_code == 404


def test_a_stay_whose_end_moves_with_the_birth_date_is_found_so(world, time_machine) -> None:
    """Admitted at seventeen, eighteen now: the child's 182 days (38.8) rest on the birth
    date, so a reader who may not see it is not shown the end; a child's own stay is not."""
    import datetime as dt

    from nrm.shelters import presenters, services
    from tests.factories import registered_case
    from tests.shelters.conftest import refer

    nearly = registered_case(world.worker, given_name="Nearla", birth_date=dt.date(2008, 6, 20), child=True,
                             case_facts={"reasonable_grounds_on": "2026-06-01"})
    refer(world.worker, world.manager, nearly, world.ngo, child=True)
    grown = services.placement_admit(actor=world.manager, unit_id=world.children.pk, case_id=nearly.pk,
                                     admitted_on=TODAY, days=60)
    time_machine.move_to(dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC))
    grown.refresh_from_db()
    assert presenters.stay_birth_derived(grown, dt.date(2026, 7, 1))
    assert presenters.stay_withheld({"lawful_end": "x"})["lawful_end"] is None
