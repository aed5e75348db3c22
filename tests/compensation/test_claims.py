"""Claims are the law's `case.compensation` fact: the proposal is the engine's, to the cent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nrm.cases.legal import PROVIDERS, FactProvider, law_facts
from nrm.cases.models import Case, LegalState
from nrm.cases.services import case_update
from nrm.compensation import selectors, services
from nrm.compensation.facts import read
from nrm.compensation.models import Claim
from nrm.errors import Invalid


def proposal(claim: Claim) -> selectors.Proposal:
    return selectors.proposal_for(claim)


def test_a_claim_is_the_case_s_compensation_fact_in_exact_decimal_text(world):
    claim = world.claim(receipts=[{"source": "insurance", "amount": "100.05", "received_on": dt.date(2026, 5, 1)},
                                  {"source": "offender", "amount": "0.10", "received_on": dt.date(2026, 5, 2)}])
    assert read([world.adult.pk, world.child.pk]) == {world.adult.pk: {"compensation": {
        "assessed_harm": "1000.10", "paid_by_defendant": "0.10", "other_compensation": "100.05",
        "defendant": "unknown"}}}
    assert claim.pk


def test_filing_moves_the_stored_legal_state_at_once(world):
    world.claim()
    state = LegalState.objects.get(case=world.adult)
    assert state.assessment["compensation"]["decision"] == "full"
    assert state.assessment["compensation"]["article"] == "42.4.3"


@pytest.mark.parametrize(("defendant", "offender", "decision", "amount", "article"), [
    ("unknown", None, "full", "1000.10", "42.4.3"),
    ("identified", None, "full", "1000.10", "42.4.3"),
    ("prosecuted", None, "full", "1000.10", "42.4.3"),
    ("convicted", None, "full", "1000.10", "42.4.2"),
    ("unable_to_pay", None, "full", "1000.10", "42.4.2"),
    ("convicted", "250.03", "additional", "750.07", "42.4.1"),
    ("convicted", "1000.10", "none", "0.00", "42.2"),
    ("convicted", "2000.00", "none", "0.00", "42.2"),
])
def test_the_proposal_follows_the_contract_for_each_defendant_status(
        world, defendant, offender, decision, amount, article):
    receipts = [] if offender is None else [
        {"source": "offender", "amount": offender, "received_on": dt.date(2026, 5, 1)}]
    found = proposal(world.claim(defendant=defendant, receipts=receipts))
    assert (found.decision, found.amount, found.article) == (decision, Decimal(amount), article)
    assert isinstance(found.amount, Decimal)


def test_other_compensation_is_deducted_before_the_state_pays_44_3(world):
    found = proposal(world.claim(receipts=[
        {"source": "insurance", "amount": "300.00", "received_on": dt.date(2026, 5, 1)},
        {"source": "other", "amount": "0.05", "received_on": dt.date(2026, 5, 1)}]))
    assert (found.decision, found.amount) == ("full", Decimal("700.05"))
    if found.arithmetic is not None:  # the engine's arithmetic, where it gives it (issue 9)
        assert found.arithmetic == {"assessed_harm": Decimal("1000.10"),
                                    "other_compensation": Decimal("300.05"),
                                    "due": Decimal("700.05"), "paid_by_defendant": Decimal("0.00")}


def test_involvement_in_organised_crime_refuses_under_44_2(world):
    claim = world.claim()
    case_update(actor=world.advocate, case_id=world.adult.pk, expected_version=None,
                case={"organized_crime_involvement": True})
    found = proposal(claim)
    assert (found.decision, found.amount, found.article) == ("refused", Decimal("0.00"), "44.2")


def test_a_foreigner_who_has_returned_home_is_still_compensated_42_5(world, monkeypatch):
    # What another app records of a removal and a return reaches the engine as facts; here
    # they come from a stand-in for that app, whoever owns them in the tree.
    gone_home = {"located": "abroad", "deportation_ordered_on": "2026-04-01", "wants_to_return": True}
    monkeypatch.setitem(PROVIDERS, "returns", FactProvider(
        name="returns", facts=tuple(gone_home), read=lambda ids: {world.adult.pk: dict(gone_home)}))
    claim = world.claim()  # nothing asks for the residence status or the return
    assert law_facts(Case.objects.get(pk=world.adult.pk))["person"]["stay"] == "irregular"
    found = proposal(claim)
    assert (found.decision, found.amount) == ("full", Decimal("1000.10"))
    assert LegalState.objects.get(case=world.adult).assessment["compensation"]["decision"] == "full"


def test_the_filing_deadline_is_the_parameter_in_force_on_the_filing_day(world):
    from nrm.compensation.models import DeadlineName, DeadlineParameter

    DeadlineParameter.objects.create(name=DeadlineName.CLAIM, valid_from=dt.date(2026, 1, 1), days=30)
    late = world.claim(time_runs_from=dt.date(2026, 3, 1), filed_on=dt.date(2026, 6, 1))
    assert late.deadline_on == dt.date(2026, 3, 31) and late.filed_late
    early = world.claim(time_runs_from=dt.date(2025, 3, 1), filed_on=dt.date(2025, 6, 1))
    assert early.deadline_on == dt.date(2025, 8, 28) and not early.filed_late


@pytest.mark.parametrize(("change", "field"), [
    ({"harms": [{"kind": "material", "amount": "-1.00", "evidence": "x"}]}, "harms.0.amount"),
    ({"harms": [{"kind": "material", "amount": "1.001", "evidence": "x"}]}, "harms.0.amount"),
    ({"harms": [{"kind": "material", "amount": 1.5, "evidence": "x"}]}, "harms.0.amount"),
    ({"harms": [{"kind": "material", "amount": "10", "evidence": ""}]}, "harms.0.evidence"),
    ({"harms": [{"kind": "spiritual", "amount": "10", "evidence": "x"}]}, "harms.0.kind"),
    ({"harms": []}, "harms"),
    ({"receipts": [{"source": "offender", "amount": "-5", "received_on": dt.date(2026, 5, 1)}]},
     "receipts.0.amount"),
    ({"claimant": "neighbour"}, "claimant"),
    ({"basis": "lottery"}, "basis"),
    ({"commission": "advocates"}, "commission"),
    ({"filed_on": dt.date(2026, 7, 1)}, "filed_on"),
    ({"time_runs_from": dt.date(2026, 6, 2)}, "time_runs_from"),
    ({"defendant": "acquitted"}, "defendant"),
])
def test_bad_claims_are_refused_naming_the_field_and_store_nothing(world, change, field):
    with pytest.raises(Invalid) as refused:
        world.claim(**change)
    assert refused.value.field == field
    assert not Claim.objects.exists()


def test_a_child_s_claim_is_made_by_the_legal_representative_43(world):
    with pytest.raises(Invalid) as refused:
        world.claim(case=world.child, claimant="victim")
    assert refused.value.field == "claimant"
    claim = world.claim(case=world.child, claimant="legal_representative")
    assert proposal(claim).decision == "full"


def test_a_later_receipt_from_the_offender_turns_the_proposal_into_additional(world):
    claim = world.claim(defendant="convicted")
    services.claim_update(actor=world.advocate, claim=claim, version=1, receipts=[
        {"source": "offender", "amount": "0.10", "received_on": dt.date(2026, 6, 10)}])
    assert LegalState.objects.get(case=world.adult).assessment["compensation"]["decision"] == "additional"
    assert proposal(claim).amount == Decimal("1000.00")


def test_large_amounts_stay_exact_to_the_cent_both_ways(world):
    claim = world.claim(defendant="convicted", harms=[
        {"kind": kind, "amount": "333333333333.33", "evidence": "e"} for kind in ("material", "physical")],
        receipts=[{"source": "offender", "amount": "0.01", "received_on": dt.date(2026, 5, 1)},
                  {"source": "other", "amount": "0.10", "received_on": dt.date(2026, 5, 1)}])
    assert read([world.adult.pk])[world.adult.pk]["compensation"]["assessed_harm"] == "666666666666.66"
    found = proposal(claim)
    assert (found.decision, found.amount) == ("additional", Decimal("666666666666.55"))


def test_a_total_the_engine_would_find_impossible_is_refused_naming_harms(world):
    # Accepted, it would leave the whole case without a legal state.
    with pytest.raises(Invalid) as refused:
        world.claim(harms=[{"kind": kind, "amount": "999999999999.99", "evidence": "e"}
                           for kind in ("material", "physical")])
    assert refused.value.field == "harms"
    assert not Claim.objects.exists()
