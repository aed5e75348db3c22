"""Assets in euros to the cent (11.3) and the closure of premises, decided by a judge (Art. 17)."""

from __future__ import annotations

import pytest

from nrm.authorities.roles import Role
from nrm.cases.models import Capacity
from nrm.cases.services import case_assign
from tests.api_client import ApiClient
from tests.factories import InstitutionFactory, official

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(world):
    body = {"court_file_number": "PP-3/26", "case_ids": [world.adult.pk], "investigation_on": "2026-06-02"}
    return ApiClient(world.prosecutor).post("/proceedings", body).json()["id"]


def test_assets_keep_their_amount_to_the_cent_and_bad_amounts_name_the_field(world, opened):
    api = ApiClient(world.prosecutor)
    for amount in ("0", "-5", "10.001", "NaN"):
        bad = api.post(f"/proceedings/{opened}/assets", {"action": "frozen", "amount": amount, "on": "2026-06-05"})
        assert bad.status_code == 400 and bad.json()["field"] == "amount", amount
    early = api.post(f"/proceedings/{opened}/assets", {"action": "seized", "amount": "10", "on": "2026-06-01"})
    assert early.status_code == 400 and early.json()["field"] == "on"
    made = api.post(f"/proceedings/{opened}/assets", {"action": "confiscated", "amount": "12500.10",
                                                      "on": "2026-06-05", "description": "Bank account"})
    assert made.status_code == 201
    assert [(a["action"], a["amount"]) for a in made.json()["assets"]] == [("confiscated", "12500.10")]
    assert ApiClient(world.social_worker).post(f"/proceedings/{opened}/assets", {
        "action": "frozen", "amount": "1", "on": "2026-06-05"}).status_code == 404


def test_only_a_judge_decides_on_closing_premises(world, opened):
    court = InstitutionFactory(code="court")
    judge = official(Role.JUDGE, court, username="judge")
    case_assign(actor=world.investigator, case=world.adult, institution=court,
                capacity=Capacity.PROCEEDINGS, user=judge)
    api = ApiClient(world.prosecutor)
    asked = api.post(f"/proceedings/{opened}/closures", {"premises": "Bar Nowhere", "requested_on": "2026-06-06"})
    assert asked.status_code == 201
    closure = asked.json()["closures"][0]
    assert closure["decision"] == "pending"
    path = f"/proceedings/closures/{closure['id']}/decision"
    assert api.post(path, {"decision": "granted", "decided_on": "2026-06-07"}).status_code == 403
    bad = ApiClient(judge).post(path, {"decision": "granted", "decided_on": "2026-06-01"})
    assert bad.status_code == 400 and bad.json()["field"] == "decided_on"
    decided = ApiClient(judge).post(path, {"decision": "granted", "decided_on": "2026-06-07"})
    assert decided.status_code == 200 and decided.json()["closures"][0]["decision"] == "granted"
    again = ApiClient(judge).post(path, {"decision": "refused", "decided_on": "2026-06-08"})
    assert again.status_code == 409
    assert ApiClient(world.outsider).post(path, {"decision": "refused",
                                                 "decided_on": "2026-06-08"}).status_code == 404
