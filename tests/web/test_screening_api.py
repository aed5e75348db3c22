"""The screening API: each endpoint allowed for the case team and refused to others."""

from __future__ import annotations

import pytest

from nrm.authorities.models import User
from nrm.cases.models import Stage
from nrm.screening.models import Decision, Screening
from nrm.screening.services import screening_record
from tests.api_client import ApiClient
from tests.web.conftest import TODAY
from tests.web.screening_helpers import shipped, trafficked_adult

pytestmark = pytest.mark.django_db


def body(**changes):
    return {"audience": "adult", "exploitation": "labour", "observed": trafficked_adult(),
            "screened_on": TODAY.isoformat(), **changes}


@pytest.fixture
def screening(world) -> Screening:
    return screening_record(actor=world.worker, case=world.child, list=shipped(), observed=[],
                            screened_on=TODAY, audience="child", exploitation="labour")


def test_the_team_screens_a_case_against_the_list_in_force(world):
    response = ApiClient(world.worker).post(f"/cases/{world.adult.pk}/screenings",
                                            body(list_code="ilo-eu-2009"))
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["meets_threshold"] is True and made["decision"] == "pending"
    assert made["list"] == {"code": "ilo-eu-2009", "version": "2009-09"}
    assert set(made["result"]) == {"recruitment", "exploitation", "means"}


def test_an_outsider_or_a_viewer_screening_a_case_gets_404(world):
    assert ApiClient(world.outsider).post(f"/cases/{world.adult.pk}/screenings", body()).status_code == 404
    assert ApiClient(world.viewer).post(f"/cases/{world.adult.pk}/screenings", body()).status_code == 404
    assert not Screening.objects.exists()


def test_a_refused_screening_names_the_field_at_fault(world):
    api = ApiClient(world.worker)
    unknown = api.post(f"/cases/{world.adult.pk}/screenings", body(observed=["NO-SUCH-1"]))
    assert unknown.status_code == 400 and unknown.json()["field"] == "observed"
    wrong_list = api.post(f"/cases/{world.adult.pk}/screenings", body(list_code="some-other-list"))
    assert wrong_list.status_code == 400 and wrong_list.json()["field"] == "list_code"
    child = api.post(f"/cases/{world.child.pk}/screenings", body(observed=[]))
    assert child.status_code == 400 and child.json()["field"] == "audience"


def test_the_team_lists_a_cases_screenings_and_an_outsider_gets_404(world, screening):
    listed = ApiClient(world.worker).get(f"/cases/{world.child.pk}/screenings")
    assert listed.status_code == 200 and [s["id"] for s in listed.json()] == [screening.pk]
    assert "grounds" not in listed.json()[0]
    assert ApiClient(world.outsider).get(f"/cases/{world.child.pk}/screenings").status_code == 404


def test_the_team_decides_reasonable_grounds_and_an_outsider_gets_404(world, screening):
    decision = {"decision": Decision.REASONABLE_GROUNDS, "grounds": "Statement and documents"}
    assert ApiClient(world.outsider).post(f"/screenings/{screening.pk}/decision", decision).status_code == 404
    assert ApiClient(world.viewer).post(f"/screenings/{screening.pk}/decision", decision).status_code == 404
    response = ApiClient(world.worker).post(f"/screenings/{screening.pk}/decision", decision)
    assert response.status_code == 200 and response.json()["decision"] == "reasonable_grounds"
    world.child.refresh_from_db()
    assert world.child.stage == Stage.PRESUMED_VICTIM
    again = ApiClient(world.worker).post(f"/screenings/{screening.pk}/decision", decision)
    assert again.status_code == 400 and again.json()["field"] == "decision"


def test_any_official_reads_the_list_in_force_and_one_without_a_role_may_not(world):
    response = ApiClient(world.outsider).get("/indicator-lists/in-force", audience="child",
                                             exploitation="sexual", on="2026-01-01")
    assert response.status_code == 200
    listed = response.json()
    assert listed["code"] == "ilo-eu-2009" and listed["indicators"]
    assert {i["code"][:2] for i in listed["indicators"]} == {"CS"}
    assert ApiClient(world.outsider).get("/indicator-lists/in-force", audience="adult",
                                         exploitation="labour", on="2000-01-01").status_code == 404
    roleless = User.objects.create_user(username="no-role", password="long enough password 1")
    assert ApiClient(roleless).get("/indicator-lists/in-force", audience="adult",
                                   exploitation="labour").status_code == 403
