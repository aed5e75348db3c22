"""Every endpoint: allowed, refused (another role, a record out of scope) and bad input, on
the same setup; answers to writes are the same official's read of the record."""

from __future__ import annotations

import pytest

from nrm.audit.models import AuditEvent
from nrm.cases.models import LegalState
from nrm.referrals.models import Consent
from tests.api_client import ApiClient

# (path under the case, a good body, a bad body and the field it names)
CASE_WRITES = {
    "reflection-periods": ({"start": "2026-06-01", "days": 30, "granted_by": "mia-dcam"},
                           ({"start": "2026-05-01", "days": 30, "granted_by": "mia-dcam"}, "start")),
    "removal-orders": ({"ordered_on": "2026-06-10", "issued_by": "mia-dcam"},
                       ({"ordered_on": "2026-06-10", "issued_by": "nowhere"}, "issued_by")),
    "residence-information": ({"informed_on": "2026-06-02", "language": "sq"},
                              ({"informed_on": "2026-06-02", "language": "Albanian!"}, "language")),
    "residence-permits": ({"kind": "short_term", "valid_from": "2026-06-02",
                           "valid_until": "2026-12-01", "issued_by": "mia-dcam"},
                          ({"kind": "short_term", "valid_from": "2026-06-02",
                            "valid_until": "2026-06-01", "issued_by": "mia-dcam"}, "valid_until")),
    "living-support": ({"from_on": "2026-06-02", "provided_by": "mia-dcam"},
                       ({"from_on": "2026-06-02", "until_on": "2026-06-01",
                         "provided_by": "mia-dcam"}, "until_on")),
    "returns": ({"destination": "AL", "planned_on": "2026-07-01", "wants_to_return": True},
                ({"destination": "A1", "planned_on": "2026-07-01", "wants_to_return": True},
                 "destination")),
    "cooperation-requests": ({"direction": "outgoing", "country": "AL", "authority": "Police",
                              "purpose": "missing_person", "sent_on": "2026-06-03"},
                             ({"direction": "outgoing", "country": "AL", "authority": "Police",
                               "purpose": "missing_person", "sent_on": "2026-06-03",
                               "shares_identity": True}, "legal_basis")),
}


@pytest.mark.parametrize("path", sorted(CASE_WRITES))
def test_each_write_is_allowed_to_the_team_refused_off_it_and_names_bad_input(world, path):
    good, (bad, field) = CASE_WRITES[path]
    url = f"/cases/{world.adult.pk}/{path}"
    created = ApiClient(world.officer).post(url, good)
    assert created.status_code == 201, created.json()
    assert ApiClient(world.officer).get(f"/cases/{world.adult.pk}/returns").status_code == 200
    for outsider in (world.stranger, world.nurse, world.border):
        assert ApiClient(outsider).post(url, good).status_code == 404
    refused = ApiClient(world.officer).post(url, bad)
    assert refused.status_code == 400
    assert refused.json()["field"] == field
    assert AuditEvent.objects.filter(action="denied", actor_username="nurse").exists()


def test_the_answer_to_a_write_is_the_read_of_the_record(world):
    client = ApiClient(world.officer)
    created = client.post(f"/cases/{world.child.pk}/returns",
                          {"destination": "AL", "planned_on": "2026-07-01", "wants_to_return": True,
                           "risk_assessed": True, "risk_found": False,
                           "risk_assessment": "family traced, safe"}).json()
    read = client.get(f"/cases/{world.child.pk}/returns").json()["returns"][0]
    assert created == read
    # The officer is on the child's team by institution, not named: the child's identity,
    # and free text about the child, are withheld (35.1.5).
    assert read["risk_assessment"] is None


def test_reading_a_case_s_returns_shows_the_bars_and_is_audited(world):
    client = ApiClient(world.officer)
    client.post(f"/cases/{world.adult.pk}/reflection-periods",
                {"start": "2026-06-01", "days": 30, "granted_by": "mia-dcam"})
    body = client.get(f"/cases/{world.adult.pk}/returns").json()
    assert {"code": "deportation", "article": "31.3", "until": "2026-06-30"} in body["bars"]
    assert body["reflection_periods"][0]["last_day"] == "2026-06-30"
    event = AuditEvent.objects.filter(action="read", record_type="returns.case").latest("id")
    assert event.record_ids == [str(world.adult.pk)]
    assert ApiClient(world.stranger).get(f"/cases/{world.adult.pk}/returns").status_code == 404
    assert ApiClient(world.nurse).get(f"/cases/{world.adult.pk}/returns").status_code == 404


def test_a_return_changes_only_with_the_etag_and_is_refused_naming_the_missing_step(world):
    client = ApiClient(world.officer)
    created = client.post(f"/cases/{world.child.pk}/returns",
                          {"destination": "AL", "planned_on": "2026-06-15", "wants_to_return": True,
                           "asylum_requested": False, "non_refoulement_checked": True,
                           "asylum_checked": True, "best_interests_determined": True})
    plan = created.json()
    url = f"/returns/{plan['id']}"
    assert client.patch(url, {"guardian_consent": True}).status_code == 428
    assert client.patch(url, {"guardian_consent": True}, HTTP_IF_MATCH='"99"').status_code == 412
    blocked = client.post(f"{url}/carried-out", {"carried_out_on": "2026-06-15"},
                          HTTP_IF_MATCH=created["ETag"])
    assert blocked.status_code == 409
    assert blocked.json()["field"] == "guardian_consent"
    assert "Art. 37.1" in blocked.json()["message"]
    changed = client.patch(url, {"guardian_consent": True, "risk_assessed": True, "risk_found": False},
                           HTTP_IF_MATCH=created["ETag"])
    assert changed.status_code == 200
    done = client.post(f"{url}/carried-out", {"carried_out_on": "2026-06-15"},
                       HTTP_IF_MATCH=changed["ETag"])
    assert done.status_code == 200 and done.json()["status"] == "carried_out"
    assert ApiClient(world.stranger).patch(url, {"guardian_consent": True},
                                           HTTP_IF_MATCH=done["ETag"]).status_code == 404


def test_a_consular_officer_records_help_abroad_and_a_travel_document(world):
    client = ApiClient(world.consul)
    created = client.post(f"/cases/{world.citizen.pk}/consular-assistance",
                          {"mission": "embassy-de", "country": "DE", "contacted_on": "2026-06-02",
                           "wants_to_return": True, "assistance": "met at the embassy"})
    assert created.status_code == 201
    duties = {d["code"] for d in LegalState.objects.get(case=world.citizen).assessment["obligations"]}
    assert "consular_assistance" in duties
    url = f"/consular-assistance/{created.json()['id']}"
    patched = client.patch(url, {"travel_document_issued_on": "2026-06-05"}, HTTP_IF_MATCH=created["ETag"])
    assert patched.status_code == 200
    assert patched.json()["travel_document_issued_on"] == "2026-06-05"
    bad = client.patch(url, {"repatriated_on": "2026-06-01"}, HTTP_IF_MATCH=patched["ETag"])
    assert bad.status_code == 400 and bad.json()["field"] == "repatriated_on"
    not_mission = client.post(f"/cases/{world.citizen.pk}/consular-assistance",
                              {"mission": "police-unit", "country": "DE", "contacted_on": "2026-06-02"})
    assert not_mission.json()["field"] == "mission"
    assert ApiClient(world.officer).post(f"/cases/{world.citizen.pk}/consular-assistance",
                                         {"mission": "embassy-de", "country": "DE",
                                          "contacted_on": "2026-06-02"}).status_code == 404


def test_identity_is_shared_abroad_under_the_victim_s_consent(world):
    consent = Consent.objects.create(case=world.adult, given_by="victim", given_on="2026-06-02",
                                     scope=["all"], recorded_by=world.registrar,
                                     recorded_by_institution=world.police)
    client = ApiClient(world.officer)
    created = client.post(f"/cases/{world.adult.pk}/cooperation-requests",
                          {"direction": "outgoing", "country": "AL", "authority": "State Police",
                           "purpose": "life_in_danger", "sent_on": "2026-06-03",
                           "shares_identity": True, "consent_id": consent.pk,
                           "shared": "name, photograph"})
    assert created.status_code == 201, created.json()
    answered = client.post(f"/cooperation-requests/{created.json()['id']}/answer",
                           {"answered_on": "2026-06-04", "answer": "protection arranged"})
    assert answered.json()["answer"] == "protection arranged"
    early = client.post(f"/cooperation-requests/{created.json()['id']}/answer",
                        {"answered_on": "2026-06-01", "answer": "x"})
    assert early.json()["field"] == "answered_on"
    assert ApiClient(world.stranger).post(f"/cooperation-requests/{created.json()['id']}/answer",
                                          {"answered_on": "2026-06-04", "answer": "x"}).status_code == 404


def test_the_reflection_periods_ending_soon_are_listed_for_the_team_only(world):
    client = ApiClient(world.officer)
    client.post(f"/cases/{world.adult.pk}/reflection-periods",
                {"start": "2026-06-01", "days": 30, "granted_by": "mia-dcam"})
    client.post(f"/cases/{world.child.pk}/reflection-periods",
                {"start": "2026-06-01", "days": 90, "granted_by": "mia-dcam"})
    ending = client.get("/reflection-periods/ending").json()
    assert ending == [{"case_id": world.adult.pk, "reference": world.adult.reference,
                       "last_day": "2026-06-30"}]
    assert len(client.get("/reflection-periods/ending", within_days=90).json()) == 2
    assert client.get("/reflection-periods/ending", within_days=91).status_code == 400
    assert ApiClient(world.stranger).get("/reflection-periods/ending").json() == []


def test_searches_for_missing_children_come_first(world):
    client = ApiClient(world.officer)
    for purpose in ("missing_child", "life_in_danger"):  # newest first would put it last
        client.post(f"/cases/{world.adult.pk}/cooperation-requests",
                    {"direction": "incoming", "country": "AL", "authority": "Police",
                     "purpose": purpose, "sent_on": "2026-06-03"})
    listed = client.get(f"/cases/{world.adult.pk}/returns").json()["cooperation"]
    assert [r["purpose"] for r in listed] == ["missing_child", "life_in_danger"]
