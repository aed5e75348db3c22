"""Related offences, joinder (10.3-10.6) and joint investigative teams (11.2)."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.proceedings import facts
from nrm.proceedings.services import proceeding_open, proceeding_update, statement_withdraw
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


def test_a_joined_proceeding_takes_its_victims_into_the_other_and_the_law_follows_it(world):
    api = ApiClient(world.prosecutor)
    first = api.post("/proceedings", {"court_file_number": "PP-10", "case_ids": [world.adult.pk],
                                      "investigation_on": "2026-06-02",
                                      "related_offences": ["CC 165 money laundering"],
                                      "joint_team_states": ["al", "MK"]}).json()
    assert first["related_offences"] == ["CC 165 money laundering"] and first["joint_team_states"] == ["AL", "MK"]
    second = api.post("/proceedings", {"court_file_number": "PP-11", "case_ids": [world.child.pk],
                                       "investigation_on": "2026-06-03"}).json()
    self_join = api.post(f"/proceedings/{first['id']}/join", {"into": first["id"]})
    assert self_join.status_code == 400 and self_join.json()["field"] == "into"
    joined = api.post(f"/proceedings/{first['id']}/join", {"into": second["id"]})
    assert joined.status_code == 200 and joined.json()["joined_into"] == second["id"]
    target = api.get(f"/proceedings/{second['id']}").json()
    assert {v["case_id"] for v in target["victims"]} == {world.adult.pk, world.child.pk}
    # The joined proceeding's victims now follow the other's stage.
    proceeding_update(actor=world.prosecutor, proceeding_id=second["id"], stage="trial",
                      prosecution_on=dt.date(2026, 6, 4), trial_on=dt.date(2026, 6, 5))
    assert facts.read([world.adult.pk])[world.adult.pk]["proceedings"]["status"] == "trial"
    assert ApiClient(world.outsider).post(f"/proceedings/{first['id']}/join",
                                          {"into": second["id"]}).status_code == 404


def test_a_joint_team_state_that_is_not_a_country_code_is_refused_naming_the_field(world):
    bad = ApiClient(world.prosecutor).post("/proceedings", {
        "court_file_number": "PP-12", "case_ids": [world.adult.pk], "investigation_on": "2026-06-02",
        "joint_team_states": ["Albania"]})
    assert bad.status_code == 400 and bad.json()["field"] == "joint_team_states"
    future = ApiClient(world.prosecutor).post("/proceedings", {
        "court_file_number": "PP-12", "case_ids": [world.adult.pk], "investigation_on": "2026-07-02"})
    assert future.status_code == 400 and future.json()["field"] == "investigation_on"


def test_proceedings_under_way_keep_the_victim_under_way_whatever_another_concluded(world):
    done = proceeding_open(actor=world.prosecutor, court_file_number="PP-13", case_ids=[world.adult.pk],
                           investigation_on=dt.date(2026, 6, 1))
    statement_withdraw(actor=world.prosecutor, proceeding_id=done.pk, case_id=world.adult.pk,
                       withdrawn_on=dt.date(2026, 6, 2))
    proceeding_update(actor=world.prosecutor, proceeding_id=done.pk, stage="concluded",
                      concluded_on=dt.date(2026, 6, 3), outcome="dismissed")
    proceeding_open(actor=world.prosecutor, court_file_number="PP-14", case_ids=[world.adult.pk],
                    investigation_on=dt.date(2026, 6, 4))
    # Only the statement withdrawn in a proceeding under way counts for 11.4.
    assert facts.read([world.adult.pk])[world.adult.pk]["proceedings"] == {
        "status": "investigation", "statement_withdrawn": False}


def test_separating_a_proceeding_moves_the_victims_named_and_keeps_one_in_the_original(world):
    api = ApiClient(world.prosecutor)
    pid = api.post("/proceedings", {"court_file_number": "PP-15", "case_ids": [world.adult.pk, world.child.pk],
                                    "investigation_on": "2026-06-02"}).json()["id"]
    everyone = api.post(f"/proceedings/{pid}/separations", {"case_ids": [world.adult.pk, world.child.pk],
                                                            "court_file_number": "PP-15/A"})
    assert everyone.status_code == 400 and everyone.json()["field"] == "case_ids"
    split = api.post(f"/proceedings/{pid}/separations", {"case_ids": [world.child.pk],
                                                         "court_file_number": "PP-15/A"})
    assert split.status_code == 201
    assert split.json()["separated_from"] == pid and [v["case_id"] for v in split.json()["victims"]] == [world.child.pk]
    assert [v["case_id"] for v in api.get(f"/proceedings/{pid}").json()["victims"]] == [world.adult.pk]
    assert ApiClient(world.social_worker).post(f"/proceedings/{pid}/separations", {
        "case_ids": [world.child.pk], "court_file_number": "X"}).status_code == 404
