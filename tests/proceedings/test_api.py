"""The proceedings API: allowed, refused and bad input on one setup."""

from __future__ import annotations

import pytest

from nrm.audit.models import AuditEvent
from nrm.cases.models import Duty
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


def _open(world, **extra):
    body = {"court_file_number": "PP-7/26", "case_ids": [world.adult.pk],
            "investigation_on": "2026-06-02", **extra}
    return ApiClient(world.prosecutor).post("/proceedings", body)


def test_a_prosecutor_opens_a_proceeding_and_reads_it_back(world):
    answer = _open(world)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["stage"] == "investigation" and body["institution"] == "prosecution"
    assert [v["case_id"] for v in body["victims"]] == [world.adult.pk]
    read = ApiClient(world.prosecutor).get(f"/proceedings/{body['id']}")
    assert read.json() == body and read["ETag"] == '"1"'


def test_a_role_without_the_grant_is_refused_and_an_outsider_finds_nothing(world):
    body = {"court_file_number": "PP-7/26", "case_ids": [world.adult.pk], "investigation_on": "2026-06-02"}
    assert ApiClient(world.social_worker).post("/proceedings", body).status_code == 403
    refused = ApiClient(world.outsider).post("/proceedings", body)
    assert refused.status_code == 404 and refused.json()["field"] == "case_ids"
    proceeding = _open(world).json()["id"]
    for user in (world.social_worker, world.outsider, world.coordinator):
        assert ApiClient(user).get(f"/proceedings/{proceeding}").status_code == 404
        assert ApiClient(user).get("/proceedings").json() == []


def test_a_trial_before_the_investigation_and_a_conclusion_without_outcome_name_their_field(world):
    created = _open(world)
    pid, api = created.json()["id"], ApiClient(world.prosecutor)
    early = api.patch(f"/proceedings/{pid}", {"stage": "trial", "prosecution_on": "2026-06-03",
                                              "trial_on": "2026-05-01"}, HTTP_IF_MATCH='"1"')
    assert early.status_code == 400 and early.json()["field"] == "trial_on"
    bare = api.patch(f"/proceedings/{pid}", {"stage": "concluded", "concluded_on": "2026-06-10"},
                     HTTP_IF_MATCH='"1"')
    assert bare.status_code == 400 and bare.json()["field"] == "outcome"
    assert api.patch(f"/proceedings/{pid}", {"stage": "prosecution"}).status_code == 428
    moved = api.patch(f"/proceedings/{pid}", {"stage": "prosecution", "prosecution_on": "2026-06-05"},
                      HTTP_IF_MATCH='"1"')
    assert moved.status_code == 200 and moved["ETag"] == '"2"'
    stale = api.patch(f"/proceedings/{pid}", {"stage": "trial", "trial_on": "2026-06-06"},
                      HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412


def test_a_withdrawn_statement_shows_the_duty_to_continue_on_the_case(world):
    pid = _open(world).json()["id"]
    api = ApiClient(world.prosecutor)
    answer = api.post(f"/proceedings/{pid}/withdrawals", {"case_id": world.adult.pk,
                                                          "withdrawn_on": "2026-06-10"})
    assert answer.status_code == 200
    assert answer.json()["victims"][0]["statement_withdrawn_on"] == "2026-06-10"
    case = api.get(f"/cases/{world.adult.pk}").json()
    assert {"code": "continue_prosecution", "article": "11.4"}.items() <= next(
        d for d in case["duties"] if d["code"] == "continue_prosecution").items()


def test_a_defendant_on_a_proceeding_you_cannot_see_is_not_found_like_a_missing_one(world):
    pid = _open(world).json()["id"]
    body = {"kind": "natural", "name": "Suspect One"}
    hidden = ApiClient(world.outsider).post(f"/proceedings/{pid}/defendants", body)
    missing = ApiClient(world.outsider).post("/proceedings/999999/defendants", body)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"] == missing.json()["error"] == "not_found"


def test_a_legal_person_needs_the_basis_of_its_liability(world):
    pid = _open(world).json()["id"]
    api = ApiClient(world.prosecutor)
    refused = api.post(f"/proceedings/{pid}/defendants", {"kind": "legal", "name": "Firm LLC"})
    assert refused.status_code == 400 and refused.json()["field"] == "liability"
    added = api.post(f"/proceedings/{pid}/defendants", {"kind": "legal", "name": "Firm LLC",
                                                        "liability": "14.2", "role": "defendant"})
    assert added.status_code == 201
    assert added.json()["defendants"][0] | {"id": 0} == {
        "id": 0, "kind": "legal", "role": "defendant", "name": "Firm LLC", "birth_date": None,
        "registration_number": "", "liability": "14.2", "custody": "at_liberty",
        "victim_case_id": None, "prohibition_articles": [], "override_recorded": False}
    read = AuditEvent.objects.filter(action="read", record_type="proceedings.proceeding").last()
    assert read.fields == sorted(["name", "birth_date", "registration_number", "victims"])


def test_prosecuting_a_presumed_victim_shows_the_prohibition_and_an_override_alerts(world):
    pid = _open(world).json()["id"]
    api = ApiClient(world.prosecutor)
    body = {"kind": "natural", "name": "Childa", "victim_case_id": world.child.pk}
    refused = api.post(f"/proceedings/{pid}/defendants", body)
    assert refused.status_code == 400 and refused.json()["field"] == "override_ground"
    assert "13.1" in refused.json()["message"] and "13.2" in refused.json()["message"]
    added = api.post(f"/proceedings/{pid}/defendants", {**body, "override_ground": "Offence unrelated"})
    assert added.status_code == 201
    defendant = added.json()["defendants"][0]
    assert defendant["prohibition_articles"] == ["13.1", "13.2"] and defendant["override_recorded"]
    alert = AuditEvent.objects.get(action="non_punishment.override")
    assert alert.detail["articles"] == ["13.1", "13.2"] and alert.institution == "prosecution"


def test_the_release_of_a_defendant_is_a_notice_due_today_until_the_victim_is_told(world):
    pid = _open(world).json()["id"]
    api = ApiClient(world.prosecutor)
    defendant = api.post(f"/proceedings/{pid}/defendants",
                         {"kind": "natural", "name": "Suspect One"}).json()["defendants"][0]["id"]
    bad = api.post(f"/proceedings/defendants/{defendant}/custody", {"custody": "gone", "on": "2026-06-14"})
    assert bad.status_code == 400 and bad.json()["field"] == "custody"
    released = api.post(f"/proceedings/defendants/{defendant}/custody",
                        {"custody": "released", "on": "2026-06-14"})
    assert released.status_code == 200
    notices = api.get("/proceedings/notices").json()
    assert [(n["event"], n["article"], n["due_on"], n["case_id"]) for n in notices] == [
        ("release", "20.2.13", "2026-06-14", world.adult.pk)]
    assert ApiClient(world.social_worker).get("/proceedings/notices").json() == []
    assert ApiClient(world.social_worker).post(f"/proceedings/notices/{notices[0]['id']}/inform",
                                               {"informed_on": "2026-06-15",
                                                "information": "Told by phone"}).status_code == 404
    empty = api.post(f"/proceedings/notices/{notices[0]['id']}/inform",
                     {"informed_on": "2026-06-15", "information": " "})
    assert empty.status_code == 400 and empty.json()["field"] == "information"
    told = api.post(f"/proceedings/notices/{notices[0]['id']}/inform",
                    {"informed_on": "2026-06-15", "information": "Told by phone"})
    assert told.status_code == 200 and told.json()["informed_on"] == "2026-06-15"
    assert api.get("/proceedings/notices").json() == []
    # The law's own duties are not touched: the notice is this app's, not a law code.
    assert not Duty.objects.filter(code__contains="release").exists()


def test_a_sentencing_session_is_owed_to_the_victims_a_week_before(world):
    pid = _open(world).json()["id"]
    api = ApiClient(world.prosecutor)
    past = api.post(f"/proceedings/{pid}/sentencing-sessions", {"session_on": "2026-06-01"})
    assert past.status_code == 400 and past.json()["field"] == "session_on"
    set_ = api.post(f"/proceedings/{pid}/sentencing-sessions", {"session_on": "2026-07-01"})
    assert set_.status_code == 201
    assert [(n["event"], n["due_on"]) for n in set_.json()] == [("sentencing", "2026-06-24")]
    assert ApiClient(world.social_worker).post(f"/proceedings/{pid}/sentencing-sessions",
                                               {"session_on": "2026-07-01"}).status_code == 404


def test_a_childs_second_interview_through_the_api_warns_then_records_the_ground(world):
    api = ApiClient(world.prosecutor)
    first = {"held_on": "2026-06-03", "interviewer": "Prosecutor A", "premises": "Child room",
             "child_appropriate_premises": True, "recorded_for_trial": True}
    no_premises = api.post(f"/cases/{world.child.pk}/interviews", {**first, "premises": ""})
    assert no_premises.status_code == 400 and no_premises.json()["field"] == "premises"
    assert api.post(f"/cases/{world.child.pk}/interviews", first).status_code == 201
    warned = api.post(f"/cases/{world.child.pk}/interviews", {**first, "held_on": "2026-06-05"})
    assert warned.status_code == 409 and warned.json()["field"] == "exceptional_ground"
    assert "16.1.5" in warned.json()["message"]
    grounded = api.post(f"/cases/{world.child.pk}/interviews",
                        {**first, "held_on": "2026-06-05", "exceptional_ground": "Complex network"})
    assert grounded.status_code == 201 and grounded.json()["exceptional"] is True
    log = api.get(f"/cases/{world.child.pk}/interviews").json()
    assert [i["held_on"] for i in log] == ["2026-06-03", "2026-06-05"]
    assert ApiClient(world.social_worker).get(f"/cases/{world.child.pk}/interviews").status_code == 404
    assert ApiClient(world.coordinator).get(f"/cases/{world.child.pk}/interviews").status_code == 404
    assert ApiClient(world.social_worker).post(f"/cases/{world.child.pk}/interviews",
                                               first).status_code == 403


def test_a_protection_measure_is_invisible_existence_included_to_roles_not_named(world):
    api = ApiClient(world.prosecutor)
    body = {"kind": "video_link", "article": "16.3", "ordered_on": "2026-06-10",
            "ended_on": "2026-12-31", "details": "Testimony from the child room"}
    bad = api.post(f"/cases/{world.child.pk}/protection-measures", {**body, "ended_on": "2026-06-01"})
    assert bad.status_code == 400 and bad.json()["field"] == "ended_on"
    court = api.post(f"/cases/{world.child.pk}/protection-measures", {**body, "kind": "identity_change",
                                                                      "article": "18.5"})
    assert court.status_code == 400 and court.json()["field"] == "decision_reference"
    unknown = api.post(f"/cases/{world.child.pk}/protection-measures", {**body, "ordered_by": "no-such"})
    assert unknown.status_code == 400 and unknown.json()["field"] == "ordered_by"
    by_police = api.post(f"/cases/{world.child.pk}/protection-measures",
                         {**body, "kind": "relocation", "article": "19", "ordered_by": "police-unit"})
    assert by_police.status_code == 201 and by_police.json()["ordered_by"] == "police-unit"
    made = api.post(f"/cases/{world.child.pk}/protection-measures", body)
    assert made.status_code == 201 and made.json()["ordered_by"] == "prosecution"
    assert sorted(m["kind"] for m in api.get(f"/cases/{world.child.pk}/protection-measures").json()) == [
        "relocation", "video_link"]
    for user in (world.social_worker, world.coordinator, world.colleague, world.outsider):
        with_measure = ApiClient(user).get(f"/cases/{world.child.pk}/protection-measures")
        without = ApiClient(user).get(f"/cases/{world.adult.pk}/protection-measures")
        assert with_measure.status_code == without.status_code == 404, user
        assert with_measure.json()["error"] == without.json()["error"] == "not_found"
        # Nothing of the case shows a measure either, not even a count.
        case = ApiClient(user).get(f"/cases/{world.child.pk}")
        assert b"video_link" not in case.content and b"measure" not in case.content


def test_an_override_reaches_the_coordinators_alerts_pseudonymously_and_no_one_else(world):
    pid = _open(world).json()["id"]
    ApiClient(world.prosecutor).post(f"/proceedings/{pid}/defendants", {
        "kind": "natural", "name": "Adulta Sample", "victim_case_id": world.adult.pk,
        "override_ground": "Offence against a third person"})
    answer = ApiClient(world.coordinator).get("/proceedings/non-punishment-alerts")
    assert answer.status_code == 200
    assert [(a["reference"], a["articles"], a["institution"]) for a in answer.json()] == [
        (world.adult.reference, ["13.1"], "prosecution")]
    assert b"Adulta" not in answer.content and b"third person" not in answer.content
    for user in (world.prosecutor, world.social_worker, world.outsider):
        assert ApiClient(user).get("/proceedings/non-punishment-alerts").status_code == 403


def test_ending_a_measure_needs_the_version_read_and_stays_hidden_from_others(world):
    api = ApiClient(world.prosecutor)
    made = api.post(f"/cases/{world.adult.pk}/protection-measures", {
        "kind": "witness_protection", "article": "19", "ordered_on": "2026-06-01"}).json()
    path = f"/protection-measures/{made['id']}"
    assert api.patch(path, {"ended_on": "2026-06-20"}).status_code == 428
    early = api.patch(path, {"ended_on": "2026-05-01"}, HTTP_IF_MATCH='"1"')
    assert early.status_code == 400 and early.json()["field"] == "ended_on"
    for user in (world.social_worker, world.coordinator, world.colleague):
        assert ApiClient(user).patch(path, {"ended_on": "2026-06-20"}, HTTP_IF_MATCH='"1"').status_code == 404
    ended = api.patch(path, {"ended_on": "2026-06-20"}, HTTP_IF_MATCH='"1"')
    assert ended.status_code == 200 and ended.json()["ended_on"] == "2026-06-20" and ended["ETag"] == '"2"'
    assert api.patch(path, {"ended_on": "2026-06-21"}, HTTP_IF_MATCH='"1"').status_code == 412


def test_a_victim_is_not_told_of_a_release_before_it_happened(world):
    pid = _open(world).json()["id"]
    api = ApiClient(world.prosecutor)
    defendant = api.post(f"/proceedings/{pid}/defendants",
                         {"kind": "natural", "name": "S"}).json()["defendants"][0]["id"]
    api.post(f"/proceedings/defendants/{defendant}/custody", {"custody": "escaped", "on": "2026-06-12"})
    notice = api.get("/proceedings/notices").json()[0]
    assert (notice["event"], notice["due_on"]) == ("escape", "2026-06-12")
    early = api.post(f"/proceedings/notices/{notice['id']}/inform",
                     {"informed_on": "2026-06-11", "information": "Told"})
    assert early.status_code == 400 and early.json()["field"] == "informed_on"
