"""The shelter's duty before a stay's lawful end (docs/law-readings.md): raised on
admission, moved by an extension, withdrawn by an open end or a discharge, done stays done;
the sweep writes what the refresh writes; only the owing institution's officials see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from nrm.cases import decisions
from nrm.cases.models import Alert, Duty, DutyStatus, LegalState
from nrm.shelters import services
from nrm.shelters.duties import PREPARE_DAYS, PREPARE_END_OF_STAY
from tests.shelters.conftest import GROUNDS, TODAY

GROUNDS_EARLY = GROUNDS  # reasonable grounds found before the admission

pytestmark = pytest.mark.django_db


def admit(world, case=None, unit=None, days=30):
    return services.placement_admit(actor=world.manager, unit_id=(unit or world.adults).pk,
                                    case_id=(case or world.adult).pk, admitted_on=TODAY, days=days)


def lawful_end(case) -> dt.date:
    state = LegalState.objects.get(case=case)
    return dt.date.fromisoformat(next(e["until"] for e in state.assessment["entitlements"]
                                      if e["code"] == "shelter_accommodation"))


def duty(case) -> Duty:
    return Duty.objects.get(case=case, code=PREPARE_END_OF_STAY)


def test_an_admission_raises_the_duty_for_the_shelters_institution(world) -> None:
    admit(world)
    found = duty(world.adult)
    assert (found.status, found.institution, found.article) == (DutyStatus.OPEN, world.ngo, "23.6")
    assert found.due_on == lawful_end(world.adult) - dt.timedelta(days=PREPARE_DAYS)


def test_an_extension_moves_it_and_a_discharge_withdraws_it(world) -> None:
    placement = admit(world)
    before = duty(world.adult).due_on
    services.placement_extend(actor=world.manager, placement_id=placement.pk, expected_version=None,
                              basis="victim_request", days=20, document="request 1")
    assert duty(world.adult).due_on == before + dt.timedelta(days=20)
    assert duty(world.adult).due_on == lawful_end(world.adult) - dt.timedelta(days=PREPARE_DAYS)
    placement.refresh_from_db()
    services.placement_discharge(actor=world.manager, placement_id=placement.pk, expected_version=None,
                                 left_on=TODAY, destination="family")
    assert duty(world.adult).status == DutyStatus.WITHDRAWN


def test_a_proceedings_extension_with_an_open_end_withdraws_it(world, proceedings_are) -> None:
    placement = admit(world)
    proceedings_are(world.adult, status="investigation")
    services.placement_extend(actor=world.manager, placement_id=placement.pk, expected_version=None,
                              basis="proceedings", days=30, document="prosecutor 1")
    assert duty(world.adult).status == DutyStatus.WITHDRAWN


def test_a_childs_stay_cites_38_8(world, proceedings_are) -> None:
    proceedings_are(world.child, status="none")  # else a child's stay has no fixed end (38.8)
    admit(world, case=world.child, unit=world.children)
    assert duty(world.child).article == "38.8"


def test_a_done_duty_stays_done_after_an_extension(world) -> None:
    placement = admit(world)
    decisions.duty_complete(actor=world.manager, duty_id=duty(world.adult).pk, note="planned")
    services.placement_extend(actor=world.manager, placement_id=placement.pk, expected_version=None,
                              basis="doctor", days=30, document="doctor 1")
    assert duty(world.adult).status == DutyStatus.DONE


def signed_in(user) -> Client:
    user.is_demo = True  # demo officials skip the second factor
    user.save(update_fields=["is_demo"])
    client = Client()
    client.force_login(user)
    return client


def rows(case):
    return (sorted(Duty.objects.filter(case=case).values_list("code", "article", "institution_id",
                                                              "due_on", "status")),
            sorted(Alert.objects.filter(case=case).values_list("code", "article")),
            LegalState.objects.get(case=case).digest)


def test_the_sweep_writes_what_the_refresh_writes(world) -> None:
    from nrm.cases.sweep import sweep

    admit(world)
    refreshed = rows(world.adult)
    Duty.objects.filter(case=world.adult).delete()
    Alert.objects.filter(case=world.adult).delete()
    LegalState.objects.filter(case=world.adult).delete()
    sweep(TODAY)
    assert rows(world.adult) == refreshed
    assert any(code == PREPARE_END_OF_STAY for code, *_ in refreshed[0])


def test_the_shelter_sees_it_in_my_duties_and_another_institution_does_not(world, api,
                                                                          settings) -> None:
    settings.NRM_DEMO = True  # the users pass the second factor in demo mode only
    admit(world)
    found = duty(world.adult)
    page = signed_in(world.manager).get("/duties/").content.decode()
    assert "Prepare the end of the stay, or seek its extension" in page and "23.6" in page
    listed = api(world.manager).get("/duties").json()
    assert [(d["code"], d["article"]) for d in listed if d["id"] == found.pk] == [
        (PREPARE_END_OF_STAY, "23.6")]
    for stranger in (world.other_manager, world.outsider):
        assert all(d["id"] != found.pk for d in api(stranger).get("/duties").json())
        other = signed_in(stranger).get("/duties/")
        assert other.status_code == 200
        assert "Prepare the end of the stay" not in other.content.decode()
        assert api(stranger).post(f"/duties/{found.pk}/complete", {"note": "x"}).status_code in (403, 404)
    assert duty(world.adult).status == DutyStatus.OPEN


def test_a_due_date_that_moves_with_the_birth_date_is_withheld_wherever_it_is_listed(
        world, api, settings, proceedings_are) -> None:
    """The attack before stopping: a child admitted the day before turning 18 has a stay
    end (38.8 rather than 23.6) that tells the birth date, and the stay withheld it, but
    the duty before that end showed its due date on every list. The shelter's staff, who
    may not see this person's identity, must not read the date from a duty either."""
    import time_machine

    from nrm.authorities import access
    from nrm.cases.sweep import sweep
    from nrm.referrals import services as referrals
    from tests.factories import registered_case

    settings.NRM_DEMO = True
    admitted = TODAY - dt.timedelta(days=10)
    with time_machine.travel(dt.datetime.combine(admitted, dt.time(10), tzinfo=dt.UTC), tick=False):
        near = registered_case(world.worker, given_name="Neara",
                               birth_date=admitted + dt.timedelta(days=1) - dt.timedelta(days=18 * 365 + 4),
                               case_facts={"reasonable_grounds_on": GROUNDS_EARLY})
        referrals.consent_record(actor=world.worker, case=near, given_by="legal_representative",
                                 given_on=admitted, scope=["shelter"])
        referral = referrals.referral_create(actor=world.worker, case=near, service="shelter",
                                             provider=world.ngo.code)
        referrals.referral_accept(actor=world.manager, referral=referral)
        proceedings_are(near, status="none")
        services.placement_admit(actor=world.manager, unit_id=world.children.pk, case_id=near.pk,
                                 admitted_on=admitted, days=30)
    sweep(TODAY)
    owed = duty(near)
    assert owed.article == "38.8" and owed.due_on is not None
    assert not access.allows(world.manager, access.Action.VIEW, access.Kind.IDENTITY, near)
    admit(world)  # an adult's stay beside it: its date does not move with a birth date
    adults = duty(world.adult)

    listed = {d["id"]: d for d in api(world.manager).get("/duties").json()}
    assert listed[owed.pk]["due_on"] is None and listed[owed.pk]["due_withheld"] is True
    assert listed[owed.pk]["overdue"] is None
    assert listed[adults.pk]["due_on"] == adults.due_on.isoformat()
    # A filter on the date cannot sort it in or out either.
    late = api(world.manager).get(f"/duties?due_before={(owed.due_on - dt.timedelta(days=1)).isoformat()}")
    assert owed.pk in {d["id"] for d in late.json()}
    case = api(world.manager).get(f"/cases/{near.pk}").json()
    assert [(d["due_on"], d["due_withheld"]) for d in case["duties"] if d["id"] == owed.pk] == [(None, True)]
    assert api(world.manager).get(f"/cases/{near.pk}/stay").json()["stay"]["withheld"] is True
    done = api(world.manager).post(f"/duties/{owed.pk}/complete", {"note": "planned"}).json()
    assert done["due_on"] is None and done["due_withheld"] is True  # a write's answer too

    owed.status = DutyStatus.OPEN
    owed.save(update_fields=["status"])
    page = signed_in(world.manager).get("/duties/").content.decode()
    assert "Due date not shown to you" in page and "not shown to you" in page
    for shown in (owed.due_on.isoformat(), owed.due_on.strftime("%m/%d/%Y"),
                  owed.due_on.strftime("%d.%m.%Y"), owed.due_on.strftime("%b. %d, %Y")):
        assert shown not in page
    assert adults.due_on.strftime("%m/%d/%Y") in page
