"""The age band and the region of a case (issue 15).

The age band derives from the encrypted birth date: the services keep it, statistics group by
it, and no response, page or export shows it to anyone (the derivation rule). Where the person
was identified is a quasi-identifier: it goes where the identity goes, and is changed only by
those who may change the identity, through the case's update path (If-Match), audited."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.test import Client

from nrm.audit.models import AuditEvent
from nrm.authorities.models import User
from nrm.authorities.roles import Role
from nrm.cases.models import Capacity, Case
from nrm.cases.services import case_assign, case_register, case_update
from nrm.errors import NotAllowed
from tests.api_client import ApiClient
from tests.factories import InstitutionFactory, official

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
ADULT_BAND = "35-49"  # born 1985-03-01, registered 2026-06-15: 41
CHILD_BAND = "12-17"  # born 2012-01-10: 14
REGION, REGION_LABEL = "gjakova", "Gjakovë/Đakovica"


@pytest.fixture(autouse=True)
def frozen(time_machine, settings) -> None:
    time_machine.move_to(NOW, tick=False)
    settings.NRM_DEMO = True  # demo officials pass the second factor on pages


@dataclass
class World:
    registrar: User  # police investigator, named on both cases: sees the identity
    colleague: User  # police investigator of the same unit, not named: not a child's identity
    provider: User  # shelter staff whose institution is on the team by referral
    coordinator: User
    analyst: User
    officials: list[User]  # one official of every role, named on the adult's case where a team role
    adult: Case
    child: Case


@pytest.fixture
def world() -> World:
    police = InstitutionFactory(code="police-unit")
    registrar = official(Role.POLICE_INVESTIGATOR, police, username="registrar", is_demo=True)
    colleague = official(Role.POLICE_INVESTIGATOR, police, username="colleague", is_demo=True)
    adult = case_register(actor=registrar, institution=police, region=REGION, sex="female",
                          identity={"given_name": "Adulta", "family_name": "Sample",
                                    "birth_date": dt.date(1985, 3, 1)},
                          case_facts={"exploitation": ["forced_labour"]})
    child = case_register(actor=registrar, institution=police, region=REGION, sex="male",
                          identity={"given_name": "Childa", "family_name": "Sample",
                                    "birth_date": dt.date(2012, 1, 10)}, child=True)
    shelter = InstitutionFactory(code="shelter-ngo")
    provider = official(Role.SHELTER_STAFF, shelter, username="provider", is_demo=True)
    for case in (adult, child):
        # On the team through an accepted referral: the case, not the identity (18.3).
        case_assign(actor=registrar, case=case, institution=shelter,
                    capacity=Capacity.SERVICE_PROVIDER)
    officials = [registrar, colleague, provider]
    for role in Role:
        person = official(role, InstitutionFactory(code=f"inst-{role.value}"),
                          username=f"every-{role.value}", is_demo=True)
        officials.append(person)
        if role not in (Role.NATIONAL_COORDINATOR, Role.SECRETARIAT_ANALYST, Role.AUDITOR,
                        Role.SYSTEM_ADMIN, Role.COMMISSION_MEMBER):
            case_assign(actor=registrar, case=adult, institution=person.memberships.get().institution,
                        capacity=Capacity.CASE_MANAGEMENT, user=person)
    by_name = {u.username: u for u in officials}
    adult.refresh_from_db()
    child.refresh_from_db()
    return World(registrar=registrar, colleague=colleague, provider=provider,
                 coordinator=by_name["every-national_coordinator"],
                 analyst=by_name["every-secretariat_analyst"], officials=officials,
                 adult=adult, child=child)


def page(user: User, url: str):
    client = Client()
    client.force_login(user)
    return client.get(url)


def etag(api: ApiClient, case: Case) -> str:
    return api.get(f"/cases/{case.pk}")["ETag"]


# --- The age band: kept by the services --------------------------------------------------

def test_registration_keeps_the_age_band_of_the_registration_day(world):
    assert Case.objects.get(pk=world.adult.pk).age_group == ADULT_BAND
    assert Case.objects.get(pk=world.child.pk).age_group == CHILD_BAND


def test_a_further_case_of_the_same_person_has_the_band_of_its_own_day(world, time_machine):
    time_machine.move_to(dt.datetime(2036, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False)
    again = case_register(actor=world.registrar, identity={}, person=world.adult.person,
                          case_facts={"exploitation": ["begging"]})
    assert Case.objects.get(pk=again.pk).age_group == "50+"  # 51 on the day of the new case
    assert Case.objects.get(pk=world.adult.pk).age_group == ADULT_BAND  # still 41 on its day


def test_a_corrected_birth_date_moves_the_band_of_every_case_of_the_person(world, time_machine):
    time_machine.move_to(dt.datetime(2030, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False)
    later = case_register(actor=world.registrar, identity={}, person=world.adult.person)
    assert Case.objects.get(pk=later.pk).age_group == "35-49"  # 45
    # The birth date was wrong by twenty years: the person was 21 at the first registration
    # and 25 at the second, each on its own day.
    case_update(actor=world.registrar, case_id=world.adult.pk, expected_version=None,
                person={"birth_date": "2005-03-01"})
    assert Case.objects.get(pk=world.adult.pk).age_group == "18-24"
    assert Case.objects.get(pk=later.pk).age_group == "25-34"
    # Removing it makes both unknown.
    case_update(actor=world.registrar, case_id=later.pk, expected_version=None,
                person={"birth_date": None})
    assert set(Case.objects.filter(person=world.adult.person).values_list("age_group", flat=True)) == {
        "unknown"}


def test_a_change_of_other_facts_leaves_the_band_as_it_was(world):
    case_update(actor=world.registrar, case_id=world.adult.pk, expected_version=None,
                person={"given_name": "Renamed"}, case={"cooperating": True})
    assert Case.objects.get(pk=world.adult.pk).age_group == ADULT_BAND


def test_the_migration_backfills_the_band_through_the_historical_model(world):
    """The historical Person decrypts the birth date: the backfill needs no real model."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("nrm.cases.migrations.0005_case_region_age_group")
    Case.objects.update(age_group="unknown")
    state = MigrationLoader(connection).project_state(("cases", "0005_case_region_age_group"))
    migration.age_groups_backfill(state.apps, None)
    assert Case.objects.get(pk=world.adult.pk).age_group == ADULT_BAND
    assert Case.objects.get(pk=world.child.pk).age_group == CHILD_BAND


# --- The age band: shown to no one ------------------------------------------------------

def test_no_role_finds_the_age_band_in_the_api_the_pages_or_the_export(world):
    world.adult.refresh_from_db()
    assert world.adult.age_group == ADULT_BAND and world.child.age_group == CHILD_BAND
    bands = (ADULT_BAND.encode(), CHILD_BAND.encode(), b"age_group")
    seen_a_case = 0
    for user in world.officials:
        api = ApiClient(user)
        answers = [api.get("/cases"), api.get("/exports/htcds", format="json"),
                   api.get("/exports/htcds", format="json", with_identity="true")]
        for case in (world.adult, world.child):
            detail = api.get(f"/cases/{case.pk}")
            seen_a_case += detail.status_code == 200
            answers += [detail, page(user, f"/cases/{case.pk}/"), page(user, f"/cases/{case.pk}/facts/")]
        answers += [page(user, "/cases/")]
        for answer in answers:
            for band in bands:
                assert band not in answer.content, (user.username, answer.status_code, band)
    assert seen_a_case >= 12  # the test read cases, not only refusals
    # Nor in the answers to writes.
    api = ApiClient(world.registrar)
    written = api.patch(f"/cases/{world.adult.pk}", {"case": {"cooperating": True}},
                        HTTP_IF_MATCH=etag(api, world.adult))
    created = api.post("/cases", {"person": {"given_name": "New", "birth_date": "1980-01-01"}})
    assert (written.status_code, created.status_code) == (200, 201)
    for answer in (written, created):
        assert b"age_group" not in answer.content and ADULT_BAND.encode() not in answer.content


# --- The region: where the identity goes --------------------------------------------------

def test_those_who_see_the_identity_see_the_region_in_the_api_and_on_the_page(world):
    prosecutor = next(u for u in world.officials if u.username == "every-prosecutor")
    for user in (world.registrar, prosecutor):
        body = ApiClient(user).get(f"/cases/{world.adult.pk}").json()
        assert body["identity"] is not None and body["region"] == REGION
        assert REGION_LABEL in page(user, f"/cases/{world.adult.pk}/").content.decode()
    # The read is audited with the region among the fields shown.
    event = AuditEvent.objects.filter(action="read", actor=prosecutor, purpose="case view").last()
    assert "region" in event.fields


@pytest.mark.parametrize("who", ["coordinator", "analyst", "provider"])
def test_a_pseudonymous_reader_gets_no_region_in_the_api_or_the_page(world, who):
    user = getattr(world, who)
    answer = ApiClient(user).get(f"/cases/{world.adult.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["identity"] is None and body["region"] is None
    assert REGION.encode() not in answer.content
    shown = page(user, f"/cases/{world.adult.pk}/")
    assert shown.status_code == 200 and world.adult.reference in shown.content.decode()
    assert REGION_LABEL not in shown.content.decode() and REGION not in shown.content.decode()
    event = AuditEvent.objects.filter(action="read", actor=user).last()
    assert "region" not in event.fields


def test_a_child_s_region_is_only_for_officials_named_on_the_case(world):
    # The colleague is on the team through the institution, not named.
    answer = ApiClient(world.colleague).get(f"/cases/{world.child.pk}")
    assert answer.status_code == 200 and answer.json()["region"] is None
    assert REGION.encode() not in answer.content
    assert ApiClient(world.registrar).get(f"/cases/{world.child.pk}").json()["region"] == REGION


def test_a_write_answers_no_region_to_someone_who_could_not_read_it(world):
    for user, case in ((world.provider, world.adult), (world.colleague, world.child)):
        api = ApiClient(user)
        answer = api.patch(f"/cases/{case.pk}", {"case": {"risk_to_life": True}},
                           HTTP_IF_MATCH=etag(api, case))
        assert answer.status_code == 200, answer.content
        assert answer.json()["region"] is None and REGION.encode() not in answer.content
        assert answer.json() == api.get(f"/cases/{case.pk}").json()


def test_someone_who_may_not_see_the_region_may_not_change_it(world):
    for user, case in ((world.provider, world.adult), (world.colleague, world.child)):
        api = ApiClient(user)
        version = Case.objects.get(pk=case.pk).version
        answer = api.patch(f"/cases/{case.pk}", {"region": "prizren"}, HTTP_IF_MATCH=etag(api, case))
        assert answer.status_code == 403 and answer.json()["field"] == "region"
        # The same refusal whatever the value: it says nothing of the region stored.
        again = api.patch(f"/cases/{case.pk}", {"region": REGION}, HTTP_IF_MATCH=etag(api, case))
        assert again.status_code == 403 and again.json() == answer.json()
        stored = Case.objects.get(pk=case.pk)
        assert (stored.region, stored.version) == (REGION, version)
    # Shelter staff named on the case see the identity but may not change it (docs/access.md):
    # nor the region.
    staff = next(u for u in world.officials if u.username == "every-shelter_staff")
    assert ApiClient(staff).get(f"/cases/{world.adult.pk}").json()["region"] == REGION
    with pytest.raises(NotAllowed):
        case_update(actor=staff, case_id=world.adult.pk, expected_version=None, region="prizren")
    assert Case.objects.get(pk=world.adult.pk).region == REGION


# --- The region: recorded and changed -----------------------------------------------------

def test_the_api_registers_the_region_and_refuses_an_unknown_one_by_its_field(world):
    api = ApiClient(world.registrar)
    made = api.post("/cases", {"person": {"given_name": "Regiona"}, "region": "abroad"})
    assert made.status_code == 201 and made.json()["region"] == "abroad"
    assert Case.objects.get(pk=made.json()["id"]).region == "abroad"
    event = AuditEvent.objects.filter(action="create", record_ids=[str(made.json()["id"])]).get()
    assert "region" in event.fields
    before = Case.objects.count()
    refused = api.post("/cases", {"person": {"given_name": "Regiona"}, "region": "atlantis"})
    assert refused.status_code == 400 and refused.json()["field"] == "region"
    assert Case.objects.count() == before


def test_the_region_changes_through_the_update_path_with_if_match_and_is_audited_by_name(world):
    api = ApiClient(world.registrar)
    path = f"/cases/{world.adult.pk}"
    assert api.patch(path, {"region": "prizren"}).status_code == 428
    stale = api.patch(path, {"region": "prizren"}, HTTP_IF_MATCH='"999"')
    assert stale.status_code == 412 and Case.objects.get(pk=world.adult.pk).region == REGION
    changed = api.patch(path, {"region": "prizren"}, HTTP_IF_MATCH=etag(api, world.adult))
    assert changed.status_code == 200 and changed.json()["region"] == "prizren"
    event = AuditEvent.objects.filter(action="update", record_ids=[str(world.adult.pk)]).last()
    assert event.fields == ["region"] and "prizren" not in json.dumps(event.detail or {})
    # Left out, it is kept; null makes it not known.
    kept = api.patch(path, {"case": {"cooperating": True}}, HTTP_IF_MATCH=etag(api, world.adult))
    assert kept.json()["region"] == "prizren"
    cleared = api.patch(path, {"region": None}, HTTP_IF_MATCH=etag(api, world.adult))
    assert cleared.json()["region"] is None and Case.objects.get(pk=world.adult.pk).region == ""
    bad = api.patch(path, {"region": "atlantis"}, HTTP_IF_MATCH=etag(api, world.adult))
    assert bad.status_code == 400 and bad.json()["field"] == "region"


def test_the_registration_form_records_the_region(world):
    client = Client()
    client.force_login(world.registrar)
    assert 'name="region"' in client.get("/cases/new/").content.decode()
    response = client.post("/cases/new/", {"given_name": "Formina", "sex": "female",
                                           "region": "mitrovica"})
    assert response.status_code == 302
    case = Case.objects.order_by("-id").first()
    assert case.region == "mitrovica"
    assert "Mitrovicë/Mitrovica" in client.get(f"/cases/{case.pk}/").content.decode()
    refused = client.post("/cases/new/", {"given_name": "Formina", "region": "atlantis"})
    assert refused.status_code == 400


def test_the_facts_form_changes_the_region_for_the_identity_s_readers_only(world):
    client = Client()
    client.force_login(world.registrar)
    url = f"/cases/{world.adult.pk}/facts/"
    form = client.get(url).content.decode()
    assert 'name="region"' in form and f'value="{REGION}" selected' in form
    version = Case.objects.get(pk=world.adult.pk).version
    saved = client.post(url, {"version": version, "region": "peja", "sex": "female",
                              "exploitation": ["forced_labour"]})
    assert saved.status_code == 302
    stored = Case.objects.get(pk=world.adult.pk)
    assert stored.region == "peja" and stored.version == version + 1
    # A save on the version read before is refused, and nothing changes.
    stale = client.post(url, {"version": version, "region": "prizren", "sex": "female",
                              "exploitation": ["forced_labour"]})
    assert stale.status_code == 412 and Case.objects.get(pk=world.adult.pk).region == "peja"
    # The provider may change the case's facts, but is not offered the region.
    provider = page(world.provider, url)
    assert provider.status_code == 200 and 'name="region"' not in provider.content.decode()
