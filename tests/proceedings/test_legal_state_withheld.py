"""The legal state tells no one of a proceeding, an interview or a claim they may not see:
what the law owes to those records is withheld from the case's other readers (the
derivation rule), and shown to those who may see them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.html import escape

from nrm.cases.models import Duty
from nrm.cases.views import label
from nrm.proceedings.protection import interview_record
from nrm.proceedings.services import proceeding_open
from tests.api_client import ApiClient
from tests.proceedings.conftest import page_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_second_factor(settings):
    settings.NRM_DEMO = True  # the page test's officials pass the second factor


def _seen(user, case):
    body = ApiClient(user).get(f"/cases/{case.pk}").json()
    return body["assessment"], [(d["code"], d["article"]) for d in body["duties"]]


def _page(user, case) -> str:
    response = page_client(user).get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_opening_a_proceeding_changes_nothing_in_the_legal_state_those_who_may_not_see_it_read(world):
    # The attack: read the case's legal state, and again after a proceeding is opened; the
    # prosecutor's duty (15.1) appearing, and the missing proceedings' status going, told
    # the Coordinator, and any team official outside the justice team, that it exists.
    readers = (world.coordinator, world.social_worker)
    before = [_seen(user, world.adult) for user in readers]
    proceeding_open(actor=world.prosecutor, court_file_number="PP-9/26", case_ids=[world.adult.pk],
                    investigation_on=dt.date(2026, 6, 2))
    assert [_seen(user, world.adult) for user in readers] == before
    for user in readers:
        assessment, duties = _seen(user, world.adult)
        assert "individual_risk_assessment" not in {code for code, _ in duties}
        assert not any(name.startswith("case.proceedings") for name in assessment["missing_facts"])
        assert "items that depend on records you may not see" in assessment["withheld"]
        assert escape(label("individual_risk_assessment")) not in _page(user, world.adult)
    assessment, duties = _seen(world.prosecutor, world.adult)
    assert "individual_risk_assessment" in {item["code"] for item in assessment["obligations"]}
    assert ("individual_risk_assessment", "15.1") in duties
    assert escape(label("individual_risk_assessment")) in _page(world.prosecutor, world.adult)


def test_a_childs_interview_shows_its_prohibition_only_to_the_justice_team(world):
    before = _seen(world.coordinator, world.child)
    interview_record(actor=world.investigator, case_id=world.child.pk, interviewer="Officer A",
                     held_on=dt.date(2026, 6, 3), premises="Child interview room",
                     child_appropriate_premises=True)
    assert _seen(world.coordinator, world.child) == before
    # A second and a third, acknowledged: the violation's alert goes to the justice team.
    for day, ground in ((5, "Complex: a network of 9"), (8, "")):
        interview_record(actor=world.investigator, case_id=world.child.pk, interviewer="Officer A",
                         held_on=dt.date(2026, 6, day), premises="Child interview room",
                         child_appropriate_premises=True, acknowledge_repeat=True,
                         exceptional_ground=ground)

    def alerts(user):
        return {a["code"] for a in ApiClient(user).get(f"/cases/{world.child.pk}").json()["alerts"]}

    assert "child_interviewed_more_than_once" in alerts(world.prosecutor)
    assert "child_interviewed_more_than_once" not in alerts(world.coordinator)
    assert _seen(world.coordinator, world.child) == before
    assert "repeat_child_interview" not in {
        item["code"] for item in _seen(world.social_worker, world.child)[0]["prohibitions"]}
    assert "repeat_child_interview" in {
        item["code"] for item in _seen(world.prosecutor, world.child)[0]["prohibitions"]}


def test_the_alerts_and_duties_lists_tell_no_more_than_the_case_page(world):
    # The attack on a running server: the case page withheld the interview's alert, but
    # GET /alerts listed it, to the Coordinator and to a social worker on the team.
    for day, ground in ((3, ""), (5, "Complex: a network of 9"), (8, "")):
        interview_record(actor=world.investigator, case_id=world.child.pk, interviewer="Officer A",
                         held_on=dt.date(2026, 6, day), premises="Child interview room",
                         child_appropriate_premises=True, acknowledge_repeat=day > 3,
                         exceptional_ground=ground)

    def listed(user):
        return {a["code"] for a in ApiClient(user).get("/alerts").json()}

    assert "child_interviewed_more_than_once" in listed(world.prosecutor)
    assert "child_interviewed_more_than_once" not in listed(world.coordinator)
    assert "child_interviewed_more_than_once" not in listed(world.social_worker)
    # A duty a proceeding brings: to one on the team who may not see proceedings, completing
    # it by its id answers as for a duty that does not exist, not "not your institution's".
    proceeding_open(actor=world.prosecutor, court_file_number="PP-9/26", case_ids=[world.adult.pk],
                    investigation_on=dt.date(2026, 6, 2))
    duty = Duty.objects.get(case=world.adult, code="individual_risk_assessment")
    hidden = ApiClient(world.social_worker).post(f"/duties/{duty.pk}/complete", {"note": ""})
    missing = ApiClient(world.social_worker).post("/duties/999999/complete", {"note": ""})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["message"].replace(str(duty.pk), "N") == missing.json()["message"].replace(
        "999999", "N")
