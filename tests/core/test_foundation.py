"""The foundation every app stands on: one acting identity, one write path, the law's facts
from every app, and the sweep's fixed cost (issue 8)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nrm.audit.models import AuditEvent
from nrm.authorities import access
from nrm.authorities.models import Membership
from nrm.authorities.roles import Role
from nrm.cases import decisions
from nrm.cases.legal import (
    PROVIDERS,
    FactProvider,
    fact_provider_register,
    fact_provider_unregister,
)
from nrm.cases.models import Capacity, Case
from nrm.cases.services import case_assign, case_update, legal_state_follow
from nrm.cases.sweep import sweep
from nrm.errors import ActingUnclear, Invalid
from tests.api_client import ApiClient
from tests.factories import IN_FORCE, InstitutionFactory, official, registered_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine) -> None:
    time_machine.move_to(datetime(2026, 5, 10, 10, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def two_hats():
    """A police investigator who is also a health worker elsewhere, on one case as both."""
    police, clinic = InstitutionFactory(code="police-a"), InstitutionFactory(code="clinic-b")
    user = official(Role.HEALTH_WORKER, clinic)
    Membership.objects.create(user=user, institution=police, role=Role.POLICE_INVESTIGATOR, **IN_FORCE)
    registrar = official(Role.POLICE_INVESTIGATOR, police)
    case = registered_case(registrar, case_facts={"reasonable_grounds_on": "2026-05-01"})
    case_assign(actor=registrar, case=case, institution=police, capacity=Capacity.IDENTIFICATION,
                user=user)
    case_assign(actor=registrar, case=case, institution=clinic, capacity=Capacity.SERVICE_PROVIDER)
    return user, case, police, clinic


def _fresh(user):
    """The same official as a new request sees them (no cached memberships or choice)."""
    return type(user).objects.get(pk=user.pk)


def test_an_official_acting_as_their_second_membership_is_audited_as_that_one(two_hats) -> None:
    user, case, police, _ = two_hats
    api = ApiClient(user)
    response = api.post(f"/cases/{case.pk}/decisions",
                        {"to_stage": "identified", "decided_on": "2026-05-09", "grounds": "Synthetic."},
                        HTTP_X_ACTING_AS=f"{police.code}:police_investigator")
    assert response.status_code == 201, response.content
    assert response.json()["institution"] == police.code
    event = AuditEvent.objects.filter(action="decide").latest("id")
    assert (event.institution, event.role) == (police.code, "police_investigator")
    decision = Case.objects.get(pk=case.pk).decisions.latest("id")
    assert (decision.institution_id, decision.role) == (police.pk, "police_investigator")


def test_the_role_that_may_decide_is_found_without_a_choice_when_only_one_fits(two_hats) -> None:
    user, case, police, _ = two_hats
    # Only the police membership may identify (12.1): nothing to choose, nothing guessed.
    decisions.case_decide(actor=_fresh(user), case_id=case.pk, to_stage="identified",
                          decided_on=date(2026, 5, 9), grounds="Synthetic.")
    event = AuditEvent.objects.filter(action="decide").latest("id")
    assert (event.institution, event.role) == (police.code, "police_investigator")


def test_several_memberships_that_could_act_and_no_choice_is_refused_not_guessed(two_hats) -> None:
    user, case, police, clinic = two_hats
    with pytest.raises(ActingUnclear):
        access.acting(_fresh(user), roles=None, case=case, action=access.Action.VIEW)
    chosen = _fresh(user)
    access.choose(chosen, f"{clinic.pk}:health_worker")
    assert access.acting(chosen, case=case, action=access.Action.VIEW).institution_id == clinic.pk
    # A membership one does not hold cannot be chosen.
    impostor = _fresh(user)
    access.choose(impostor, f"{InstitutionFactory().pk}:prosecutor")
    assert access.chosen(impostor) is None


def test_through_the_api_an_unclear_membership_answers_409_naming_acting_as(two_hats) -> None:
    user, case, police, _ = two_hats
    # Now the official may change the case as a social worker at a second institution too.
    csw = InstitutionFactory(code="csw-c")
    Membership.objects.create(user=user, institution=csw, role=Role.SOCIAL_WORKER, **IN_FORCE)
    registrar = case.assignments.filter(user__isnull=False).exclude(user=user).get().user
    case_assign(actor=registrar, case=case, institution=csw, capacity=Capacity.CASE_MANAGEMENT)
    api = ApiClient(user)
    body = {"to_stage": "identified", "decided_on": "2026-05-09", "grounds": "Synthetic."}
    response = api.post(f"/cases/{case.pk}/decisions", body)
    assert response.status_code == 409, response.content
    assert response.json()["field"] == "acting_as"
    assert not Case.objects.get(pk=case.pk).decisions.filter(to_stage="identified").exists()
    response = api.post(f"/cases/{case.pk}/decisions", body, HTTP_X_ACTING_AS="csw-c")
    assert response.status_code == 201, response.content
    assert response.json()["institution"] == "csw-c"


def test_a_read_by_an_official_of_several_memberships_names_none_rather_than_the_wrong_one(two_hats) -> None:
    user, case, _, _ = two_hats
    ApiClient(user).get(f"/cases/{case.pk}")
    event = AuditEvent.objects.filter(action="read", actor=user).latest("id")
    assert (event.institution, event.role) == ("", "")


def test_registering_and_assigning_check_the_policy() -> None:
    health = official(Role.HEALTH_WORKER)
    from nrm.errors import NotAllowed

    with pytest.raises(NotAllowed):
        registered_case(health)
    police = official(Role.POLICE_INVESTIGATOR)
    case = registered_case(police)
    outsider = official(Role.POLICE_INVESTIGATOR)
    with pytest.raises((NotAllowed, LookupError)):
        case_assign(actor=outsider, case=case, institution=outsider.memberships.get().institution,
                    capacity=Capacity.LEAD)
    assert not case.assignments.filter(institution=outsider.memberships.get().institution).exists()


# --- The law's facts from every app -------------------------------------------------------

RECORDED: dict[int, dict] = {}  # the stand-in app's own records


@pytest.fixture
def stays_provider():
    """A stand-in for the shelters app: stays kept outside Case.facts, read in bulk."""
    calls: list[int] = []

    def read(case_ids):
        calls.append(len(case_ids))
        return {case_id: RECORDED[case_id] for case_id in case_ids if case_id in RECORDED}

    # It stands in for the real shelters app, which owns the fact once installed.
    real = PROVIDERS.pop("shelters", None)
    fact_provider_register(FactProvider(name="test-shelters", facts=("accommodation",), read=read))
    yield calls
    fact_provider_unregister("test-shelters")
    if real is not None:
        fact_provider_register(real)
    RECORDED.clear()


def test_a_fact_recorded_by_another_app_changes_the_legal_state_at_once(stays_provider) -> None:
    police = official(Role.POLICE_INVESTIGATOR)
    case = registered_case(police, child=True, case_facts={"reasonable_grounds_on": "2026-05-01"})
    state = Case.objects.get(pk=case.pk).legal_state.assessment
    assert "accommodate_separately_from_adults" not in {o["code"] for o in state["obligations"]}
    # The shelters app records a child's stay in its own table and says so: the legal
    # state follows in the same transaction, not at the nightly sweep.
    RECORDED[case.pk] = {"accommodation": {"admitted_on": "2026-05-05"}}
    legal_state_follow(case_id=case.pk)
    case = Case.objects.get(pk=case.pk)
    state = case.legal_state.assessment
    assert "accommodate_separately_from_adults" in {o["code"] for o in state["obligations"]}
    assert case.duties.filter(code="accommodate_separately_from_adults", status="open").exists()


def test_a_provided_fact_cannot_also_be_written_on_the_case(stays_provider) -> None:
    police = official(Role.POLICE_INVESTIGATOR)
    case = registered_case(police)
    with pytest.raises(Invalid) as refused:
        case_update(actor=police, case_id=case.pk, expected_version=None,
                    case={"accommodation": {"admitted_on": "2026-05-01"}})
    assert refused.value.field == "case.accommodation"


def test_a_second_provider_of_the_same_fact_is_refused(stays_provider) -> None:
    with pytest.raises(ValueError, match="case.accommodation"):
        fact_provider_register(FactProvider(name="another", facts=("accommodation",),
                                            read=lambda ids: {}))


def _sweep_queries(count: int) -> int:
    police = official(Role.POLICE_INVESTIGATOR)
    for _ in range(count):
        registered_case(police, case_facts={"reasonable_grounds_on": "2026-05-01"})
    Case.objects.update(facts={"reasonable_grounds_on": "2026-05-02"})  # every state moves
    with CaptureQueriesContext(connection) as queries:
        sweep(date(2026, 5, 10), batch_size=1000)
    return len(queries)


def test_the_sweep_reads_every_provider_in_bulk_and_its_queries_stay_fixed_as_cases_grow(
        stays_provider) -> None:
    few = _sweep_queries(3)
    calls_few = len(stays_provider)
    Case.objects.all().delete()
    many = _sweep_queries(30)
    assert many == few, f"{few} queries for 3 cases, {many} for 30"
    assert len(stays_provider) - calls_few >= 1
    assert max(stays_provider[calls_few:]) >= 30, "one read for the whole batch, not one per case"


def test_every_obligation_names_an_owner_on_the_case_team() -> None:
    from nrm.law.codes import OBLIGATION_OWNERS, OBLIGATIONS

    assert set(OBLIGATION_OWNERS) == set(OBLIGATIONS)
    for code, capacities in OBLIGATION_OWNERS.items():
        assert capacities, code
        assert set(capacities) <= set(Capacity.values), code
