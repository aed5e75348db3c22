"""The provider answers for many cases in a fixed number of queries, in the contract's
shapes (law/CONTRACT.md), and owns its facts: the case's own facts may not hold them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nrm.cases.services import case_update
from nrm.errors import Invalid
from nrm.returns import facts, services
from tests.returns.conftest import GROUNDS


def _queries(case_ids) -> int:
    with CaptureQueriesContext(connection) as captured:
        facts.read(case_ids)
    return len(captured)


def test_the_provider_reads_many_cases_in_as_many_queries_as_one(world):
    for case in (world.adult, world.child):
        services.reflection_grant(actor=world.officer, case_id=case.pk, start=GROUNDS, days=30,
                                  granted_by="mia-dcam")
        services.return_plan(actor=world.officer, case_id=case.pk, destination="AL",
                             planned_on=dt.date(2026, 7, 1), wants_to_return=True)
    services.consular_open(actor=world.consul, case_id=world.citizen.pk, mission="embassy-de",
                           country="DE", contacted_on=GROUNDS, wants_to_return=True)
    one = _queries([world.adult.pk])
    assert _queries([world.adult.pk, world.child.pk, world.citizen.pk]) == one


def test_the_facts_come_in_the_contract_s_shapes(world):
    first = services.reflection_grant(actor=world.officer, case_id=world.adult.pk, start=GROUNDS,
                                      days=30, granted_by="mia-dcam")
    services.reflection_grant(actor=world.officer, case_id=world.adult.pk, start=dt.date(2026, 7, 1),
                              days=15, granted_by="mia-dcam", extends_id=first.pk)
    services.removal_order_record(actor=world.officer, case_id=world.adult.pk,
                                  ordered_on=dt.date(2026, 6, 10), issued_by="mia-dcam")
    services.return_plan(actor=world.officer, case_id=world.adult.pk, destination="AL",
                         planned_on=dt.date(2026, 7, 20), wants_to_return=False, risk_assessed=True,
                         risk_found=False)
    services.consular_open(actor=world.consul, case_id=world.citizen.pk, mission="embassy-de",
                           country="DE", contacted_on=GROUNDS)
    found = facts.read([world.adult.pk, world.citizen.pk, world.child.pk])
    assert found[world.adult.pk] == {
        "reflection": {"start": "2026-06-01", "days": 45},
        "deportation_ordered_on": "2026-06-10",
        "return": {"risk_assessed": True, "risk_found": False, "guardian_consent": False,
                   "receiving_authority_consent": False},
        "wants_to_return": False,
    }
    assert found[world.citizen.pk] == {"located": "abroad"}
    assert world.child.pk not in found


def test_the_case_s_own_facts_may_not_hold_a_fact_this_app_records(world):
    with pytest.raises(Invalid) as refused:
        case_update(actor=world.registrar, case_id=world.adult.pk, expected_version=None,
                    case={"reflection": {"start": "2026-06-01", "days": 30}})
    assert refused.value.field == "case.reflection"


def test_the_document_keys_command_lets_the_check_find_anyone_by_document_number(world):
    from django.core.management import call_command

    from tests.api_client import ApiClient

    # The child's case was never written by this app: no key until the command runs.
    world.child.person.document_number = "CX-778899"
    world.child.person.save()
    client = ApiClient(world.border)
    before = client.post("/removal-check", {"on": "2026-06-20", "document_number": "CX778899"})
    assert before.json()["answer"] == "no bar recorded"
    out = io.StringIO()
    call_command("returns_document_keys", stdout=out)
    assert "document keys kept" in out.getvalue()
    after = client.post("/removal-check", {"on": "2026-06-20", "document_number": "CX778899"})
    assert after.json()["answer"].startswith("no removal (Art. 37.1")
