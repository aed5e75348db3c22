"""The exchange endpoints, each with an allowed and a forbidden request on the same setup."""

from __future__ import annotations

import json

import pytest

from nrm.authorities.roles import Role
from nrm.cases.models import Case
from nrm.cases.services import case_assign
from nrm.exchange.jobs import import_job_run
from nrm.exchange.models import ImportJob
from tests.factories import official, registered_case

pytestmark = pytest.mark.django_db
ROW = {"cas_CaseNumber": "EXT-1", "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
       "prs_FirstName": "Apia", "prs_SecondName": "Testa", "prs_Birthdate": "1990-01-01"}


@pytest.fixture
def setup():
    worker = official(Role.SOCIAL_WORKER)
    analyst = official(Role.SECRETARIAT_ANALYST)
    case = registered_case(worker, given_name="Apia", family_name="Testa")
    return worker, analyst, case


def test_a_case_worker_downloads_the_export_with_identities(setup, api):
    worker, _, case = setup
    response = api(worker).get("/api/v1/exports/htcds?format=json&with_identity=true")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('nrm-htcds.json"')
    (row,) = json.loads(response.content)["cases"]
    assert row["cas_CaseNumber"] == case.reference and row["prs_FirstName"] == "Apia"


def test_an_analyst_gets_a_pseudonymous_csv_but_a_403_when_asking_for_identity(setup, api):
    _, analyst, case = setup
    client = api(analyst)
    response = client.get("/api/v1/exports/htcds?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert case.reference in response.content.decode()
    assert "Apia" not in response.content.decode()
    refused = client.get("/api/v1/exports/htcds?format=csv&with_identity=true")
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden" and refused.json()["field"] == "with_identity"


def test_an_import_starts_a_job_whose_owner_follows_it_to_the_cases_it_made(setup, api):
    worker, analyst, _ = setup
    client = api(worker)
    response = client.post("/api/v1/imports/htcds", {"rows": [ROW]},
                           content_type="application/json")
    assert response.status_code == 202
    job = response.json()
    assert (job["status"], job["rows"], job["rows_done"], job["created"]) == ("queued", 1, 0, None)
    assert Case.objects.count() == 1  # nothing registered until the job runs
    import_job_run(job_id=job["id"])
    done = client.get(f"/api/v1/imports/htcds/{job['id']}").json()
    assert (done["status"], done["rows_done"]) == ("done", 1)
    (created,) = done["created"]
    assert created["source"] == "EXT-1" and created["reference"].startswith("NRM-")
    assert created["possible_duplicates"] == 0
    # Nobody else learns of the job: not found, as for a job that does not exist.
    other = api(official(Role.SOCIAL_WORKER)).get(f"/api/v1/imports/htcds/{job['id']}")
    assert other.status_code == 404 and other.json()["error"] == "not_found"
    assert api(analyst).get(f"/api/v1/imports/htcds/{job['id']}").status_code == 404
    # The auditor sees its progress, not the sender's numbers or the cases made.
    seen = api(official(Role.AUDITOR)).get(f"/api/v1/imports/htcds/{job['id']}")
    assert seen.status_code == 200 and seen.json()["rows_done"] == 1
    assert seen.json()["created"] is None and "EXT-1" not in seen.content.decode()


def test_a_bad_import_answers_400_with_every_row_and_field(setup, api):
    worker, *_ = setup
    response = api(worker).post(
        "/api/v1/imports/htcds",
        {"rows": [ROW, {**ROW, "prs_Birthdate": "yesterday", "prs_Gender": "F"}]},
        content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["row"], e["field"]) for e in errors} == {(2, "prs_Birthdate"), (2, "prs_Gender")}
    assert Case.objects.count() == 1


def test_an_analyst_may_not_import(setup, api):
    _, analyst, _ = setup
    response = api(analyst).post("/api/v1/imports/htcds", {"rows": [ROW]},
                                 content_type="application/json")
    assert response.status_code == 403 and Case.objects.count() == 1
    assert not ImportJob.objects.exists()


def test_a_duplicate_check_answers_a_count_and_whom_to_ask_never_the_case(setup, api):
    worker, analyst, case = setup
    other = official(Role.POLICE_INVESTIGATOR)
    own = registered_case(other, given_name="Apia", family_name="Testa")
    body = {"case": own.pk, "given_name": "apia", "family_name": "TESTA",
            "birth_date": "1990-01-01"}
    response = api(other).post("/api/v1/duplicates/check", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["possible_duplicates"] == 1
    assert case.reference not in response.content.decode()
    forbidden = api(analyst).post("/api/v1/duplicates/check", body,
                                  content_type="application/json")
    assert forbidden.status_code == 404 and forbidden.json()["error"] == "not_found"
    # A case the official may not change is no ground for a check either.
    theirs = api(other).post("/api/v1/duplicates/check", {**body, "case": case.pk},
                             content_type="application/json")
    assert theirs.status_code == 404


def test_merge_is_allowed_to_an_official_on_both_teams_and_not_found_for_others(setup, api):
    worker, analyst, case = setup
    police = official(Role.POLICE_INVESTIGATOR)
    other = registered_case(police, given_name="Apia", family_name="Testa")
    body = {"into": case.pk, "grounds": "Same documents"}
    refused = api(police).post(f"/api/v1/cases/{other.pk}/merge", body,
                               content_type="application/json")
    assert refused.status_code == 404 and refused.json()["field"] == "into"
    case_assign(actor=worker, case=case, institution=police.memberships.get().institution,
                capacity="identification")
    response = api(police).post(f"/api/v1/cases/{other.pk}/merge", body,
                                content_type="application/json")
    assert response.status_code == 200
    assert response.json()["merged"] == other.reference
    assert response.json()["into"] == case.reference
    again = api(police).post(f"/api/v1/cases/{other.pk}/merge", body,
                             content_type="application/json")
    assert again.status_code == 400 and "already merged" in again.json()["message"]
