"""Admissions, extensions and discharges: the refusals name the article, the law engine
gives the lawful end, and the stay is the law's `case.accommodation`."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.cases.models import Case
from nrm.errors import Conflict, Invalid, NotFound, PreconditionFailed
from nrm.shelters import selectors, services
from nrm.shelters.facts import stays_read
from nrm.shelters.models import Placement, Unit
from tests.shelters.conftest import TODAY

pytestmark = pytest.mark.django_db


def admit(world, case=None, unit=None, **kwargs):
    return services.placement_admit(
        actor=world.manager, unit_id=(unit or world.adults).pk, case_id=(case or world.adult).pk,
        admitted_on=kwargs.pop("admitted_on", TODAY), days=kwargs.pop("days", 60), **kwargs)


def test_a_child_is_admitted_only_to_a_childrens_unit(world) -> None:
    with pytest.raises(Invalid) as refused:
        admit(world, case=world.child, unit=world.adults)
    assert refused.value.field == "unit_id" and "38.7" in refused.value.message
    assert not Placement.objects.exists()
    placement = admit(world, case=world.child, unit=world.children)
    assert placement.unit == world.children


def test_an_adult_is_refused_a_childrens_unit(world) -> None:
    with pytest.raises(Invalid) as refused:
        admit(world, unit=world.children)
    assert refused.value.field == "unit_id" and "38.7" in refused.value.message


def test_a_full_unit_refuses_an_admission_and_writes_nothing(world) -> None:
    admit(world, case=world.child, unit=world.children)
    world.child.refresh_from_db()
    other = Case.objects.get(pk=world.child.pk)
    with pytest.raises(Conflict):  # the same child twice: already staying
        admit(world, case=other, unit=world.children)
    Unit.objects.filter(pk=world.adults.pk).update(capacity=0)
    with pytest.raises(Conflict) as full:
        admit(world)
    assert full.value.field == "unit_id" and "23.1" in full.value.message
    assert Unit.objects.get(pk=world.adults.pk).occupied == 0
    assert not Placement.objects.filter(case=world.adult).exists()


def test_of_two_admissions_to_the_last_bed_the_later_writer_is_refused_and_writes_nothing(
        world, monkeypatch) -> None:
    # Both managers found the bed free; the other's admission takes it between this one's
    # checks and its write. The conditional UPDATE, not the earlier read, decides: this one
    # is refused, and its transaction leaves no stay behind. (The test runs on one database
    # connection, so the other's bed is stood in for by the UPDATE its admission makes.)
    from django.db.models import F

    Unit.objects.filter(pk=world.adults.pk).update(capacity=1)
    checks = services._overstay

    def the_other_manager_is_faster(case, stay, field):
        checks(case, stay, field)
        Unit.objects.filter(pk=world.adults.pk).update(occupied=F("occupied") + 1)

    monkeypatch.setattr(services, "_overstay", the_other_manager_is_faster)
    with pytest.raises(Conflict) as refused:
        admit(world)
    assert refused.value.field == "unit_id" and "full" in refused.value.message
    assert not Placement.objects.filter(case=world.adult).exists()
    monkeypatch.setattr(services, "_overstay", checks)
    assert admit(world).unit == world.adults  # with the bed free again, the admission goes in


def test_bad_dates_and_days_are_refused_naming_the_field(world) -> None:
    for kwargs, field in (({"admitted_on": dt.date(2026, 6, 1)}, "admitted_on"),  # before the referral
                          ({"admitted_on": TODAY + dt.timedelta(days=1)}, "admitted_on"),
                          ({"days": 20}, "days"), ({"days": 120}, "days")):
        with pytest.raises(Invalid) as refused:
            admit(world, **kwargs)
        assert refused.value.field == field, kwargs
    with pytest.raises(Invalid) as negative:
        services.unit_add(actor=world.manager, shelter_id=world.shelter.pk, name="x", kind="adults",
                          capacity=-1)
    assert negative.value.field == "capacity"


def test_an_unreferred_case_and_another_shelters_unit_are_refused(world) -> None:
    with pytest.raises(NotFound):
        services.placement_admit(actor=world.other_manager, unit_id=world.adults.pk,
                                 case_id=world.adult.pk, admitted_on=TODAY, days=60)


def test_the_stay_is_the_laws_accommodation_and_the_legal_state_follows(world) -> None:
    placement = admit(world, case=world.child, unit=world.children)
    assert stays_read([world.child.pk]) == {world.child.pk: {"accommodation": {
        "admitted_on": TODAY.isoformat(), "days": 60, "extensions": []}}}
    state = Case.objects.get(pk=world.child.pk).legal_state.assessment
    assert "accommodate_separately_from_adults" in {o["code"] for o in state["obligations"]}
    assert any(e["code"] == "shelter_accommodation" for e in state["entitlements"])
    services.placement_discharge(actor=world.manager, placement_id=placement.pk, expected_version=1,
                                 left_on=TODAY, destination="family")
    assert Unit.objects.get(pk=world.children.pk).occupied == 0


def test_the_provider_reads_in_two_queries_whatever_the_number_of_cases(world, django_assert_num_queries) -> None:
    admit(world)
    admit(world, case=world.child, unit=world.children)
    with django_assert_num_queries(2):
        found = stays_read([world.adult.pk, world.child.pk])
    assert set(found) == {world.adult.pk, world.child.pk}


def lawful_end(world, placement):
    placement = selectors.placement_get(user=world.manager, placement_id=placement.pk)
    return selectors.stays_of([placement], TODAY)[placement.pk]


@pytest.mark.parametrize(("basis", "days", "until", "article"), [
    # 23.6: the base stay, admitted_on + days - 1.
    (None, None, dt.date(2026, 6, 15) + dt.timedelta(days=59), "23.6"),
    # 23.7.1: a doctor takes the stay to at most 182 days from admission.
    ("doctor", 200, dt.date(2026, 6, 15) + dt.timedelta(days=181), "23.7.1"),
    # 23.7.3: the victim's request adds at most 90 days beyond the base end.
    ("victim_request", 30, dt.date(2026, 6, 15) + dt.timedelta(days=89), "23.7.3"),
])
def test_each_extension_basis_gives_the_contracts_lawful_end(world, basis, days, until, article) -> None:
    placement = admit(world)
    if basis:
        services.placement_extend(actor=world.manager, placement_id=placement.pk, expected_version=1,
                                  basis=basis, days=days, document="DOC-1")
    stay = lawful_end(world, placement)
    assert stay.until == until
    if stay.reason:  # the engine names the provision that set the end, and says why
        assert stay.article == article and f"Art. {article}" in stay.reason
    assert not stay.overstay


@pytest.fixture
def proceedings_under_way(world):
    """Proceedings are another app's fact: a stand-in provider says they are under way."""
    from nrm.cases.legal import (
        PROVIDERS,
        FactProvider,
        fact_provider_register,
        fact_provider_unregister,
    )

    real = [p for p in PROVIDERS.values() if "proceedings" in p.facts]
    for provider in real:
        fact_provider_unregister(provider.name)
    fact_provider_register(FactProvider(
        name="test-proceedings", facts=("proceedings",),
        read=lambda ids: {pk: {"proceedings": {"status": "investigation"}}
                          for pk in ids if pk == world.adult.pk}))
    yield
    fact_provider_unregister("test-proceedings")
    for provider in real:
        fact_provider_register(provider)


def test_a_proceedings_extension_leaves_the_end_open_while_proceedings_run(
        world, proceedings_under_way) -> None:
    placement = admit(world)
    services.placement_extend(actor=world.manager, placement_id=placement.pk, expected_version=1,
                              basis="proceedings", days=30, document="PROSECUTION-REQ-7")
    stay = lawful_end(world, placement)
    assert stay.until is None and stay.open_end and stay.assessed


def test_a_stale_version_and_a_closed_stay_are_refused(world) -> None:
    placement = admit(world)
    with pytest.raises(PreconditionFailed):
        services.placement_extend(actor=world.manager, placement_id=placement.pk, expected_version=7,
                                  basis="doctor", days=30, document="D")
    with pytest.raises(Invalid) as before:
        services.placement_discharge(actor=world.manager, placement_id=placement.pk,
                                     expected_version=1, left_on=TODAY - dt.timedelta(days=1),
                                     destination="family")
    assert before.value.field == "left_on"
    services.placement_discharge(actor=world.manager, placement_id=placement.pk, expected_version=1,
                                 left_on=TODAY, destination="family")
    with pytest.raises(Conflict):
        services.placement_extend(actor=world.manager, placement_id=placement.pk, expected_version=2,
                                  basis="doctor", days=30, document="D")


def test_an_admission_that_would_already_be_past_its_lawful_end_is_refused(world, time_machine) -> None:
    # Referred and admitted long ago but recorded only now: 30 days from 2026-06-15 end on
    # 2026-07-14; recorded on 2026-08-01 with no extension, it would be an overstay at once.
    time_machine.move_to(dt.datetime(2026, 8, 1, 10, 0, tzinfo=dt.UTC))
    with pytest.raises(Invalid) as refused:
        admit(world, days=30)
    assert refused.value.field == "admitted_on" and "23" in refused.value.message
    assert Unit.objects.get(pk=world.adults.pk).occupied == 0


def test_the_board_reads_a_fixed_number_of_queries_as_stays_grow(world) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.boards([world.shelter], TODAY)
        return len(captured)

    before = queries()
    admit(world)
    admit(world, case=world.child, unit=world.children)
    assert queries() == before
