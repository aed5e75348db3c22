"""The services: reflection periods reach the legal state at once, bad input names its
field, a child's return waits for its checks, a citizen abroad gets consular duties."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.cases.models import Duty, LegalState
from nrm.errors import Conflict, Invalid, NotFound
from nrm.returns import services
from tests.returns.conftest import GROUNDS


def _state(case):
    return LegalState.objects.get(case=case).assessment


def _prohibitions(case):
    return {(p["code"], p["article"]): p["until"] for p in _state(case)["prohibitions"]}


def test_a_reflection_period_bars_deportation_on_the_case_at_once(world):
    services.reflection_grant(actor=world.officer, case_id=world.adult.pk, start=GROUNDS,
                              days=60, granted_by="mia-dcam")
    assert _prohibitions(world.adult)[("deportation", "31.3")] == "2026-07-30"


def test_the_records_complete_the_duties_they_carry_out_for_the_institution_that_owes_them(world):
    def status(case, code):
        return Duty.objects.get(case=case, code=code).status

    assert status(world.adult, "offer_reflection_period") == "open"
    assert status(world.adult, "inform_residence_options") == "open"
    services.reflection_grant(actor=world.officer, case_id=world.adult.pk, start=GROUNDS,
                              days=60, granted_by="mia-dcam")
    assert status(world.adult, "inform_safe_return") == "open"
    services.residence_informed(actor=world.officer, case_id=world.adult.pk,
                                informed_on=dt.date(2026, 6, 2), language="sq", safe_return=True)
    assert status(world.adult, "offer_reflection_period") == "done"
    assert status(world.adult, "inform_residence_options") == "done"
    assert status(world.adult, "inform_safe_return") == "done"
    assert Duty.objects.get(case=world.adult, code="offer_reflection_period").completed_by == world.officer


def test_an_extension_is_a_grant_that_moves_the_bar_s_end(world):
    first = services.reflection_grant(actor=world.officer, case_id=world.adult.pk, start=GROUNDS,
                                      days=30, granted_by="mia-dcam")
    services.reflection_grant(actor=world.officer, case_id=world.adult.pk,
                              start=dt.date(2026, 7, 1), days=30, granted_by="mia-dcam",
                              extends_id=first.pk)
    assert _prohibitions(world.adult)[("deportation", "31.3")] == "2026-07-30"


@pytest.mark.parametrize(("start", "days", "field"), [
    (dt.date(2026, 5, 31), 30, "start"),  # before the reasonable grounds
    (GROUNDS, 0, "days"),
])
def test_a_bad_reflection_period_is_refused_naming_the_field(world, start, days, field):
    with pytest.raises(Invalid) as refused:
        services.reflection_grant(actor=world.officer, case_id=world.adult.pk, start=start,
                                  days=days, granted_by="mia-dcam")
    assert refused.value.field == field
    assert "deportation" not in {p["code"] for p in _state(world.adult)["prohibitions"]}


def test_a_second_grant_must_be_an_extension_following_on(world):
    first = services.reflection_grant(actor=world.officer, case_id=world.adult.pk, start=GROUNDS,
                                      days=30, granted_by="mia-dcam")
    with pytest.raises(Invalid) as refused:
        services.reflection_grant(actor=world.officer, case_id=world.adult.pk, start=GROUNDS,
                                  days=30, granted_by="mia-dcam")
    assert refused.value.field == "extends"
    with pytest.raises(Invalid) as gap:
        services.reflection_grant(actor=world.officer, case_id=world.adult.pk,
                                  start=dt.date(2026, 7, 5), days=30, granted_by="mia-dcam",
                                  extends_id=first.pk)
    assert gap.value.field == "start"


def test_officials_off_the_team_or_in_another_role_cannot_grant(world):
    for user in (world.stranger, world.nurse, world.border):
        with pytest.raises(NotFound):
            services.reflection_grant(actor=user, case_id=world.adult.pk, start=GROUNDS, days=30,
                                      granted_by="mia-dcam")


def test_a_permit_ending_before_it_starts_is_refused_naming_valid_until(world):
    with pytest.raises(Invalid) as refused:
        services.permit_issue(actor=world.officer, case_id=world.adult.pk, kind="short_term",
                              valid_from=dt.date(2026, 6, 10), valid_until=dt.date(2026, 6, 9),
                              issued_by="mia-dcam")
    assert refused.value.field == "valid_until"
    permit = services.permit_issue(actor=world.officer, case_id=world.adult.pk, kind="short_term",
                                   valid_from=dt.date(2026, 6, 10), valid_until=dt.date(2026, 12, 9),
                                   issued_by="mia-dcam")
    assert permit.pk


def test_a_child_s_return_is_blocked_until_the_risk_assessment_and_the_consent_exist(world):
    plan = services.return_plan(actor=world.officer, case_id=world.child.pk, destination="AL",
                                planned_on=dt.date(2026, 6, 14), wants_to_return=True,
                                asylum_requested=False, non_refoulement_checked=True,
                                asylum_checked=True, best_interests_determined=True)
    with pytest.raises(Conflict) as blocked:
        services.return_carry_out(actor=world.officer, plan_id=plan.pk, carried_out_on=dt.date(2026, 6, 15),
                                  expected_version=plan.version)
    assert blocked.value.field == "guardian_consent"
    assert "37.1" in blocked.value.message
    plan = services.return_update(actor=world.officer, plan_id=plan.pk, expected_version=plan.version,
                                  guardian_consent=True)
    with pytest.raises(Conflict) as still:
        services.return_carry_out(actor=world.officer, plan_id=plan.pk, carried_out_on=dt.date(2026, 6, 15),
                                  expected_version=plan.version)
    assert still.value.field == "risk_assessed"
    assert "37.5" in still.value.message
    plan = services.return_update(actor=world.officer, plan_id=plan.pk, expected_version=plan.version,
                                  risk_assessed=True, risk_found=False)
    done = services.return_carry_out(actor=world.officer, plan_id=plan.pk,
                                     carried_out_on=dt.date(2026, 6, 15), expected_version=plan.version)
    assert done.status == "carried_out"


def test_asylum_requested_goes_through_the_case_and_bars_the_return(world):
    plan = services.return_plan(actor=world.officer, case_id=world.adult.pk, destination="AL",
                                planned_on=dt.date(2026, 6, 14), wants_to_return=False,
                                asylum_requested=True, non_refoulement_checked=True, asylum_checked=True)
    world.adult.person.refresh_from_db()
    assert world.adult.person.facts["asylum_requested"] is True
    assert ("refoulement", "29.3") in _prohibitions(world.adult)
    with pytest.raises(Conflict) as blocked:
        services.return_carry_out(actor=world.officer, plan_id=plan.pk, carried_out_on=dt.date(2026, 6, 15),
                                  expected_version=plan.version)
    assert blocked.value.field == "asylum_requested"


def test_a_citizen_abroad_gets_consular_duties_and_a_travel_document(world):
    help_ = services.consular_open(actor=world.consul, case_id=world.citizen.pk, mission="embassy-de",
                                   country="DE", contacted_on=dt.date(2026, 6, 2), wants_to_return=True)
    duty = Duty.objects.get(case=world.citizen, code="consular_assistance")
    assert (duty.institution, duty.status) == (world.mission, "done")  # taken up by the mission
    assert "free_travel_documents" in {e["code"] for e in _state(world.citizen)["entitlements"]}
    help_ = services.consular_update(actor=world.consul, assistance_id=help_.pk,
                                     expected_version=help_.version,
                                     travel_document_issued_on=dt.date(2026, 6, 10),
                                     repatriated_on=dt.date(2026, 6, 12), handed_over_to="police-unit")
    assert help_.travel_document_issued_on == dt.date(2026, 6, 10)
    # Home again: no longer abroad, so the consular duty is no longer owed.
    assert "consular_assistance" not in {o["code"] for o in _state(world.citizen)["obligations"]}


def test_sharing_identity_abroad_needs_consent_or_a_legal_basis(world):
    with pytest.raises(Invalid) as refused:
        services.cooperation_record(actor=world.officer, case_id=world.adult.pk, direction="outgoing",
                                    country="AL", authority="Police of Albania",
                                    purpose="life_in_danger", sent_on=dt.date(2026, 6, 14),
                                    shares_identity=True)
    assert refused.value.field == "legal_basis"
    request = services.cooperation_record(
        actor=world.officer, case_id=world.adult.pk, direction="outgoing", country="AL",
        authority="Police of Albania", purpose="life_in_danger", sent_on=dt.date(2026, 6, 14),
        shares_identity=True, legal_basis="Art. 45.3: her life is in danger")
    assert request.legal_basis.startswith("Art. 45.3")


def test_an_official_not_named_on_a_child_s_case_records_a_return_today_only(world):
    # Whether the child's bar stood on a chosen past day would tell the birth date (35.1.5).
    from nrm.errors import NotAllowed

    plan = services.return_plan(actor=world.officer, case_id=world.child.pk, destination="AL",
                                planned_on=GROUNDS, wants_to_return=True, asylum_requested=False)
    with pytest.raises(NotAllowed) as refused:
        services.return_carry_out(actor=world.officer, plan_id=plan.pk,
                                  carried_out_on=dt.date(2026, 6, 1), expected_version=plan.version)
    assert refused.value.field == "carried_out_on"
