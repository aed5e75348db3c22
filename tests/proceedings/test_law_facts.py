"""The law's facts come from the records: a withdrawn statement, a child's interviews."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.cases.models import Alert, Duty, DutyStatus, LegalState
from nrm.errors import Conflict, Invalid
from nrm.proceedings import facts
from nrm.proceedings.protection import interview_record
from nrm.proceedings.services import proceeding_open, proceeding_update, statement_withdraw

pytestmark = pytest.mark.django_db


def _codes(case, name):
    return {item["code"] for item in LegalState.objects.get(case=case).assessment[name]}


def test_a_withdrawn_statement_gives_the_prosecution_the_duty_to_continue(world):
    proceeding = proceeding_open(actor=world.prosecutor, court_file_number="PP-1/26",
                                 case_ids=[world.adult.pk], investigation_on=dt.date(2026, 6, 2))
    assert "continue_prosecution" not in _codes(world.adult, "obligations")
    statement_withdraw(actor=world.prosecutor, proceeding_id=proceeding.pk, case_id=world.adult.pk,
                       withdrawn_on=dt.date(2026, 6, 10))
    duty = Duty.objects.get(case=world.adult, code="continue_prosecution")
    assert (duty.article, duty.institution_id, duty.status) == ("11.4", world.prosecution.pk, DutyStatus.OPEN)
    # Concluded, nothing is left to continue: the duty is withdrawn by the law, not by hand.
    proceeding_update(actor=world.prosecutor, proceeding_id=proceeding.pk, stage="concluded",
                      prosecution_on=dt.date(2026, 6, 11), trial_on=dt.date(2026, 6, 12),
                      concluded_on=dt.date(2026, 6, 14), outcome="conviction")
    duty.refresh_from_db()
    assert duty.status == DutyStatus.WITHDRAWN
    assert facts.read([world.adult.pk])[world.adult.pk]["proceedings"] == {
        "status": "concluded", "concluded_on": "2026-06-14", "statement_withdrawn": True}


def test_a_childs_second_interview_warns_records_the_ground_or_shows_the_violation(world):
    first = {"actor": world.investigator, "case_id": world.child.pk, "interviewer": "Officer A",
             "premises": "Child interview room", "child_appropriate_premises": True}
    interview_record(held_on=dt.date(2026, 6, 3), **first)
    assert "repeat_child_interview" in _codes(world.child, "prohibitions")
    with pytest.raises(Conflict) as warning:
        interview_record(held_on=dt.date(2026, 6, 5), **first)
    assert warning.value.field == "exceptional_ground" and "16.1.5" in warning.value.message
    interview_record(held_on=dt.date(2026, 6, 5), exceptional_ground="Complex: a network of 9",
                     **first)
    assert "child_interviewed_more_than_once" not in _codes(world.child, "violations")
    interview_record(held_on=dt.date(2026, 6, 8), acknowledge_repeat=True, **first)
    assert "child_interviewed_more_than_once" in _codes(world.child, "violations")
    assert Alert.objects.filter(case=world.child, code="child_interviewed_more_than_once",
                                article="16.1.5", resolved_on__isnull=True).exists()


def test_an_interview_of_a_child_without_premises_is_refused_naming_the_field(world):
    with pytest.raises(Invalid) as refused:
        interview_record(actor=world.investigator, case_id=world.child.pk, interviewer="Officer A",
                         held_on=dt.date(2026, 6, 3), child_appropriate_premises=True)
    assert refused.value.field == "premises"


def test_the_provider_reads_many_cases_in_two_queries(world, django_assert_num_queries):
    proceeding_open(actor=world.prosecutor, court_file_number="PP-2/26",
                    case_ids=[world.adult.pk, world.child.pk], investigation_on=dt.date(2026, 6, 2))
    with django_assert_num_queries(2):
        found = facts.read([world.adult.pk, world.child.pk])
    assert found[world.child.pk]["proceedings"]["status"] == "investigation"
