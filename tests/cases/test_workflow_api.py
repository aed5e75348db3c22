"""The referral mechanism end to end through the API: an adult foreigner, and a child
without parental care, from first contact to identification, with the duties the law sets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nrm.authorities.models import Institution
from nrm.authorities.roles import Role
from nrm.cases.models import Capacity, Case, Duty
from nrm.cases.services import case_assign
from tests.api_client import ApiClient
from tests.factories import InstitutionFactory, official

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine) -> None:
    time_machine.move_to(datetime(2026, 5, 10, 10, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def team():
    police_station = InstitutionFactory(code="police-test")
    csw = InstitutionFactory(code="csw-test")
    foreigners = InstitutionFactory(code="dcam-test")
    return {
        "police": official(Role.POLICE_INVESTIGATOR, police_station),
        "social": official(Role.SOCIAL_WORKER, csw),
        "foreigners": official(Role.FOREIGNERS_OFFICER, foreigners),
        "health": official(Role.HEALTH_WORKER, InstitutionFactory(code="clinic-test")),
        "analyst": official(Role.SECRETARIAT_ANALYST, InstitutionFactory(code="sec-test")),
        "outsider": official(Role.POLICE_INVESTIGATOR, InstitutionFactory(code="other-police")),
    }


ADULT_FOREIGNER = {
    "person": {"given_name": "Mirela", "family_name": "Testescu", "birth_date": "1996-02-14",
               "sex": "female", "citizenship": "MD", "stay": "irregular", "lacks_means": True},
    "case": {"reasonable_grounds_on": "2026-05-01", "exploitation": ["sexual"],
             "reflection": {"start": "2026-05-01", "days": 60}},
}

CHILD_WITHOUT_CARE = {
    "person": {"given_name": "Dita", "family_name": "Provaj", "birth_date": "2012-08-08",
               "sex": "female", "citizenship": "XK", "parental_care": False},
    "case": {"reasonable_grounds_on": "2026-05-02", "exploitation": ["begging"]},
}


def codes(items: list[dict]) -> set[str]:
    return {item["code"] for item in items}


def test_an_adult_foreigner_is_registered_assessed_and_owed_the_foreigners_duties(team) -> None:
    police = ApiClient(team["police"])
    response = police.post("/cases", ADULT_FOREIGNER)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("NRM-2026-")
    assert body["stage"] == "presumed_victim"  # reasonable grounds at registration (3.1.17)
    assessment = body["assessment"]
    assert {"assistance", "reflection_period", "living_support"} <= codes(assessment["entitlements"])
    assert {"code": "deportation", "article": "31.3", "until": "2026-06-29"} in assessment["prohibitions"]
    duties = {d["code"]: d for d in body["duties"]}
    assert {"inform_of_rights", "offer_reflection_period", "inform_residence_options",
            "inform_safe_return"} <= set(duties)
    assert duties["inform_safe_return"]["due_on"] == "2026-05-01"  # 29.1.2: at the reflection's start
    assert all(d["institution"] == "police-test" for d in duties.values())

    # The residence duties move to the foreigners' office once it joins the team.
    case = Case.objects.get(pk=body["id"])
    case_assign(actor=team["police"], case=case, institution=Institution.objects.get(code="dcam-test"),
                capacity=Capacity.RESIDENCE)
    assert Duty.objects.get(case=case, code="offer_reflection_period").institution.code == "dcam-test"
    foreigners = ApiClient(team["foreigners"])
    mine = foreigners.get("/duties").json()
    assert {"offer_reflection_period", "inform_residence_options", "inform_safe_return"} <= codes(mine)
    overdue = [d for d in mine if d["code"] == "inform_safe_return"][0]
    assert overdue["overdue"] is True

    # Police identify (12.1); the identification date becomes a fact.
    decision = police.post(f"/cases/{case.pk}/decisions", {
        "to_stage": "identified", "decided_on": "2026-05-09", "grounds": "Interview and documents"})
    assert decision.status_code == 201, decision.content
    detail = police.get(f"/cases/{case.pk}").json()
    assert detail["stage"] == "identified" and detail["case"]["identified_on"] == "2026-05-09"

    # The foreigners' officer may change the case but not close it: closing belongs to the
    # institution that leads or manages the case (issue 10, item 4).
    refused = foreigners.post(f"/cases/{case.pk}/decisions", {
        "to_stage": "closed", "decided_on": "2026-05-09", "grounds": "x", "closure_reason": "returned"})
    assert refused.status_code == 403 and refused.json()["field"] == "to_stage"
    closed = police.post(f"/cases/{case.pk}/decisions", {
        "to_stage": "closed", "decided_on": "2026-05-09", "grounds": "x", "closure_reason": "returned"})
    assert closed.status_code == 201, closed.content


def test_a_child_without_parental_care_gets_the_child_duties_and_a_guarded_identity(team) -> None:
    social = ApiClient(team["social"])
    body = social.post("/cases", CHILD_WITHOUT_CARE).json()
    assert body["child"] is True
    assert {"refer_to_child_protection", "notify_guardianship_authority",
            "appoint_legal_guardian", "search_for_family"} <= codes(body["duties"])
    assert {"disclose_child_identity", "prosecution_for_status_offences"} <= codes(
        body["assessment"]["prohibitions"])
    assert body["identity"]["given_name"] == "Dita"

    case = Case.objects.get(pk=body["id"])
    # An institution on the team but not named: sees the case, never the child's identity (35.1.5).
    case_assign(actor=team["social"], case=case,
                institution=team["health"].memberships.get().institution,
                capacity=Capacity.SERVICE_PROVIDER)
    health_view = ApiClient(team["health"]).get(f"/cases/{case.pk}").json()
    assert health_view["identity"] is None and health_view["reference"] == body["reference"]
    # The analyst sees the pseudonymous case only; an outsider sees nothing.
    analyst_view = ApiClient(team["analyst"]).get(f"/cases/{case.pk}")
    assert analyst_view.status_code == 200 and analyst_view.json()["identity"] is None
    assert ApiClient(team["outsider"]).get(f"/cases/{case.pk}").status_code == 404

    # Rights must be explained to a child in a way a child understands (35.1.4).
    refused = social.post(f"/cases/{case.pk}/rights", {
        "rights": ["information"], "explained_on": "2026-05-03", "language": "sq"})
    assert refused.status_code == 400 and refused.json()["field"] == "child_appropriate"
    done = social.post(f"/cases/{case.pk}/rights", {
        "rights": ["information", "privacy"], "explained_on": "2026-05-03", "language": "sq",
        "child_appropriate": True})
    assert done.status_code == 201 and done.json()["explained"] == 2
    assert "information" not in social.get(f"/cases/{case.pk}").json()["rights_not_explained"]


def test_a_completed_duty_stays_completed_when_the_case_is_reassessed(team) -> None:
    police = ApiClient(team["police"])
    body = police.post("/cases", ADULT_FOREIGNER).json()
    duty = [d for d in body["duties"] if d["code"] == "inform_of_rights"][0]
    assert police.post(f"/duties/{duty['id']}/complete", {"note": "Explained in Romanian"}).status_code == 200
    patched = police.patch(f"/cases/{body['id']}", {"case": {"cooperating": False}},
                           HTTP_IF_MATCH='"1"')
    assert patched.status_code == 200, patched.content
    assert [d for d in patched.json()["duties"] if d["code"] == "inform_of_rights"][0]["status"] == "done"


def test_a_stale_write_is_refused_and_no_update_is_lost(team) -> None:
    police = ApiClient(team["police"])
    body = police.post("/cases", ADULT_FOREIGNER).json()
    first = police.patch(f"/cases/{body['id']}", {"case": {"cooperating": True}}, HTTP_IF_MATCH='"1"')
    assert first.status_code == 200 and first["ETag"] == '"2"'
    stale = police.patch(f"/cases/{body['id']}", {"case": {"risk_to_life": True}}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and stale.json()["field"] == "If-Match"
    assert police.patch(f"/cases/{body['id']}", {"case": {}}).status_code == 428
    assert Case.objects.get(pk=body["id"]).facts["cooperating"] is True


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"person": {"birth_date": "2030-01-01"}, "case": {}}, "person.birth_date"),
        ({"person": {"sex": "robot"}, "case": {}}, "person.sex"),
        ({"person": {}, "case": {"exploitation": ["smuggling"]}}, "case.exploitation"),
        ({"person": {}, "case": {"reasonable_grounds_on": "2026-05-05",
                                 "identified_on": "2026-05-01"}}, "case.identified_on"),
        ({"person": {}, "case": {"reflection": {"start": "2026-05-01", "days": -3}}}, "case.reflection.days"),
        ({"person": {"shoe_size": 42}, "case": {}}, "person.shoe_size"),
    ],
)
def test_impossible_facts_are_refused_naming_the_field_and_nothing_is_stored(team, payload, field) -> None:
    response = ApiClient(team["police"]).post("/cases", payload)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert Case.objects.count() == 0


def test_only_the_identifying_authorities_may_decide_identification(team) -> None:
    police = ApiClient(team["police"])
    body = police.post("/cases", ADULT_FOREIGNER).json()
    case = Case.objects.get(pk=body["id"])
    case_assign(actor=team["police"], case=case, institution=Institution.objects.get(code="dcam-test"),
                capacity=Capacity.RESIDENCE)
    response = ApiClient(team["foreigners"]).post(f"/cases/{case.pk}/decisions", {
        "to_stage": "identified", "decided_on": "2026-05-09", "grounds": "I think so"})
    assert response.status_code == 403 and "12.1" in response.json()["message"]
    assert Case.objects.get(pk=case.pk).stage == "presumed_victim"


def test_a_closed_case_can_be_reopened_and_both_decisions_are_recorded(team) -> None:
    police = ApiClient(team["police"])
    case_id = police.post("/cases", ADULT_FOREIGNER).json()["id"]
    no_reason = police.post(f"/cases/{case_id}/decisions", {
        "to_stage": "closed", "decided_on": "2026-05-09", "grounds": "gone"})
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "closure_reason"
    assert police.post(f"/cases/{case_id}/decisions", {
        "to_stage": "closed", "decided_on": "2026-05-09", "grounds": "gone",
        "closure_reason": "lost_contact"}).status_code == 201
    reopened = police.post(f"/cases/{case_id}/decisions", {
        "to_stage": "reopen", "decided_on": "2026-05-10", "grounds": "came back"})
    assert reopened.status_code == 201 and reopened.json()["to_stage"] == "presumed_victim"
    assert Case.objects.get(pk=case_id).decisions.count() == 3


def test_the_assessment_can_be_read_as_of_another_date(team) -> None:
    police = ApiClient(team["police"])
    case_id = police.post("/cases", ADULT_FOREIGNER).json()["id"]
    later = police.get(f"/cases/{case_id}", on="2026-07-01").json()["assessment"]
    assert "deportation" not in codes(later["prohibitions"])  # the reflection period ended 06-29


def test_every_endpoint_needs_a_token() -> None:
    from django.test import Client

    for path in ("/api/v1/cases", "/api/v1/duties", "/api/v1/me"):
        assert Client().get(path).status_code == 401


def test_a_second_institution_registering_the_same_person_is_warned_without_seeing_the_first(team) -> None:
    first = ApiClient(team["police"]).post("/cases", ADULT_FOREIGNER).json()
    assert first["duplicate_warning"] is None
    same_person = {**ADULT_FOREIGNER, "person": {**ADULT_FOREIGNER["person"],
                                                  "given_name": "MIRELA ", "family_name": "testescu"}}
    second = ApiClient(team["social"]).post("/cases", same_person).json()
    assert "National Anti-Trafficking Coordinator" in second["duplicate_warning"]
    assert first["reference"] not in str(second)


def test_a_violation_alerts_the_case_team_and_the_coordinator_but_no_one_else(team) -> None:
    police = ApiClient(team["police"])
    too_short = {**ADULT_FOREIGNER, "case": {**ADULT_FOREIGNER["case"],
                                              "reflection": {"start": "2026-05-01", "days": 20}}}
    case_id = police.post("/cases", too_short).json()["id"]
    mine = police.get("/alerts").json()
    assert {"code": "reflection_period_too_short", "case_id": case_id} in [
        {"code": a["code"], "case_id": a["case_id"]} for a in mine]
    coordinator = official(Role.NATIONAL_COORDINATOR, InstitutionFactory(code="coord-test"))
    assert [a["code"] for a in ApiClient(coordinator).get("/alerts").json()] == ["reflection_period_too_short"]
    assert ApiClient(team["outsider"]).get("/alerts").json() == []


def test_reasonable_grounds_in_the_future_are_refused(team) -> None:
    future = {**ADULT_FOREIGNER, "case": {"reasonable_grounds_on": "2026-06-01"}}
    response = ApiClient(team["police"]).post("/cases", future)
    assert response.status_code == 400 and response.json()["field"] == "case.reasonable_grounds_on"


def test_a_person_trafficked_again_gets_a_second_case_on_the_same_person(team) -> None:
    police = ApiClient(team["police"])
    first = police.post("/cases", ADULT_FOREIGNER).json()
    second = police.post("/cases", {"person_of_case": first["id"],
                                     "case": {"reasonable_grounds_on": "2026-05-09"}})
    assert second.status_code == 201, second.content
    body = second.json()
    assert body["reference"] != first["reference"]
    assert body["identity"]["given_name"] == "Mirela"
    assert Case.objects.get(pk=body["id"]).person_id == Case.objects.get(pk=first["id"]).person_id
    # An official who may not see the person's identity cannot open a case on them.
    outsider = ApiClient(team["outsider"]).post("/cases", {"person_of_case": first["id"], "case": {}})
    assert outsider.status_code == 404


def test_a_corrected_birth_date_makes_every_case_of_the_person_a_childs_case_at_once(team) -> None:
    police = ApiClient(team["police"])
    first = police.post("/cases", ADULT_FOREIGNER).json()
    second = police.post("/cases", {"person_of_case": first["id"],
                                     "case": {"reasonable_grounds_on": "2026-05-09"}}).json()
    corrected = police.patch(f"/cases/{first['id']}", {"person": {"birth_date": "2012-01-01"}},
                             HTTP_IF_MATCH=f'"{first["version"]}"')
    assert corrected.status_code == 200, corrected.content
    assert Case.objects.get(pk=first["id"]).child and Case.objects.get(pk=second["id"]).child


def test_opening_a_further_case_on_a_person_is_audited_as_reading_their_identity(team) -> None:
    from nrm.audit.models import AuditEvent

    police = ApiClient(team["police"])
    first = police.post("/cases", ADULT_FOREIGNER).json()
    police.post("/cases", {"person_of_case": first["id"], "case": {}})
    event = AuditEvent.objects.filter(record_type="cases.person").get()
    assert {"given_name", "family_name", "birth_date"} <= set(event.fields)
