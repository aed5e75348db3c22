"""Issue 10, items 1-4: registration records what the law needs, the facts form with the
page's If-Match, plausibility limits on pages and API alike, errors next to their field
with the input kept, and the rights to close, reopen and complete duties by role."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from nrm.authorities.roles import Role
from nrm.cases.models import Capacity, Case, Duty, DutyStatus, Stage
from nrm.cases.services import case_assign
from tests.api_client import ApiClient
from tests.factories import InstitutionFactory, official, registered_case

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def near(page: str, anchor: str, size: int = 700) -> str:
    """The page just after `anchor` (an input's id): where its error must sit."""
    return page[page.index(anchor):][:size]


def open_codes(case: Case) -> set[str]:
    return set(Duty.objects.filter(case=case, status=DutyStatus.OPEN).values_list("code", flat=True))


# --- 1. Registration and the facts form ---------------------------------------------------

def test_a_child_registered_without_parental_care_shows_the_guardianship_duties_at_once(browser, world):
    client = browser(world.worker)
    response = client.post("/cases/new/", {
        "given_name": "Arta", "birth_date": "2014-03-03", "sex": "female",
        "parental_care": "no", "reasonable_grounds_on": "2026-06-10"})
    assert response.status_code == 302
    case = Case.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))
    assert case.person.facts["parental_care"] is False
    page = text(client.get(response["Location"]))
    assert "Appoint a legal guardian" in page and "Art. 38.5" in page
    assert "Search urgently for the child&#x27;s family" in page and "Art. 38.11" in page
    assert "Without parental care (unaccompanied or separated child)" in page


def test_the_registration_form_offers_parental_care(browser, world):
    page = text(browser(world.worker).get("/cases/new/"))
    assert 'name="parental_care"' in page and "unaccompanied or separated child" in page


def test_the_facts_form_changes_a_fact_and_the_duties_follow(browser, world):
    child = registered_case(world.worker, given_name="Drita", birth_date=dt.date(2013, 5, 1), child=True,
                            case_facts={"reasonable_grounds_on": "2026-06-01"})
    client = browser(world.worker)
    url = f"/cases/{child.pk}/facts/"
    form = text(client.get(url))
    assert f'name="version" value="{child.version}"' in form
    assert 'name="parental_care"' in form and 'name="risk_to_life"' in form
    assert {"appoint_legal_guardian", "search_for_family"}.isdisjoint(open_codes(child))
    saved = client.post(url, {"version": child.version, "birth_date": "2013-05-01",
                              "sex": "unknown", "parental_care": "no", "risk_to_life": "yes"})
    assert saved.status_code == 302 and saved["Location"] == f"/cases/{child.pk}/"
    child.refresh_from_db()
    assert child.person.facts["parental_care"] is False and child.facts["risk_to_life"] is True
    assert {"appoint_legal_guardian", "search_for_family"} <= open_codes(child)
    page = text(client.get(saved["Location"]))
    assert "Facts saved" in page and "Appoint a legal guardian" in page


def test_choosing_not_known_removes_a_fact(browser, world):
    client = browser(world.worker)
    response = client.post(f"/cases/{world.adult.pk}/facts/", {
        "version": world.adult.version, "birth_date": "1996-02-03", "sex": "female",
        "citizenship": "MD", "stay": "", "exploitation": ["forced_labour"]})
    assert response.status_code == 302
    world.adult.refresh_from_db()
    assert "stay" not in world.adult.person.facts
    assert world.adult.facts["exploitation"] == ["forced_labour"]


def test_a_stale_facts_form_is_refused_with_a_clear_message_and_the_input_kept(browser, world):
    client = browser(world.worker)
    url = f"/cases/{world.adult.pk}/facts/"
    read = world.adult.version
    # Someone else saves first.
    ApiClient(world.worker).patch(f"/cases/{world.adult.pk}", {"case": {"risk_to_life": True}},
                                  HTTP_IF_MATCH=f'"{read}"')
    response = client.post(url, {"version": read, "birth_date": "1996-02-03", "sex": "female",
                                 "citizenship": "MD", "stay": "irregular", "cooperating": "yes",
                                 "exploitation": ["forced_labour"]})
    page = text(response)
    assert response.status_code == 412
    assert "someone else changed this case" in page
    assert re.search(r'<option value="yes" selected>Yes</option>', near(page, 'id="id_cooperating"'))
    world.adult.refresh_from_db()
    assert "cooperating" not in world.adult.facts and world.adult.facts["risk_to_life"] is True
    # Next to each fact where the two differ, what is stored now.
    assert "Stored now by someone else: Yes" in near(page, 'id="id_risk_to_life"')
    assert "Stored now by someone else: Not known" in near(page, 'id="id_cooperating"')
    assert "Stored now" not in near(page, 'id="id_stay"', 300)
    # The kept form now carries the version stored: saving again is taken.
    assert f'name="version" value="{world.adult.version}"' in page
    again = client.post(url, {"version": world.adult.version, "birth_date": "1996-02-03", "sex": "female",
                              "citizenship": "MD", "stay": "irregular", "risk_to_life": "yes",
                              "cooperating": "yes", "exploitation": ["forced_labour"]})
    assert again.status_code == 302
    world.adult.refresh_from_db()
    assert world.adult.facts["cooperating"] is True and world.adult.facts["risk_to_life"] is True


def test_the_facts_form_is_refused_to_a_viewer_and_hidden_from_an_outsider(browser, world):
    url = f"/cases/{world.adult.pk}/facts/"
    assert browser(world.viewer).get(url).status_code == 403
    refused = browser(world.viewer).post(url, {"version": world.adult.version, "risk_to_life": "yes"})
    assert refused.status_code == 403 and "may not change" in text(refused)
    assert browser(world.outsider).get(url).status_code == 404
    world.adult.refresh_from_db()
    assert "risk_to_life" not in world.adult.facts
    assert "Change the facts" not in text(browser(world.viewer).get(f"/cases/{world.adult.pk}/"))


def test_bad_input_on_the_facts_form_sits_next_to_its_field(browser, world):
    client = browser(world.worker)
    response = client.post(f"/cases/{world.adult.pk}/facts/", {
        "version": world.adult.version, "birth_date": "1800-01-01", "sex": "female",
        "citizenship": "MD", "pregnant": "yes", "exploitation": ["forced_labour"]})
    page = text(response)
    assert response.status_code == 400
    assert "before 1900-01-01" in near(page, 'id="id_birth_date"')
    assert re.search(r'<option value="yes" selected>Yes</option>', near(page, 'id="id_pregnant"'))
    world.adult.refresh_from_db()
    assert world.adult.person.birth_date.year == 1996 and "pregnant" not in world.adult.person.facts


# --- 2. Plausibility, on the pages and in the API ---------------------------------------------

def test_an_empty_registration_is_refused(browser, world):
    before = Case.objects.count()
    response = browser(world.worker).post("/cases/new/", {"sex": "unknown"})
    assert response.status_code == 400 and "nothing to register" in text(response)
    assert Case.objects.count() == before
    api = ApiClient(world.worker).post("/cases", {})
    assert api.status_code == 400 and api.json()["field"] == "person"
    assert Case.objects.count() == before


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"given_name": "Old", "birth_date": "1800-01-01"}, "birth_date", "before 1900-01-01"),
    ({"given_name": "Early", "birth_date": "2000-01-01", "reasonable_grounds_on": "1999-01-01"},
     "reasonable_grounds_on", "before the person&#x27;s date of birth"),
    ({"given_name": "N" * 5000}, "given_name", "at most 100 characters"),
    ({"given_name": "Far", "address": "A" * 301}, "address", "at most 300 characters"),
])
def test_implausible_registrations_are_refused_next_to_the_field_with_the_input_kept(
        browser, world, data, field, message):
    before = Case.objects.count()
    response = browser(world.worker).post("/cases/new/", {"sex": "unknown", **data})
    page = text(response)
    assert response.status_code == 400 and Case.objects.count() == before
    assert message in near(page, f'id="id_{field}"', 800 if len(data.get("given_name", "")) < 200 else 6000)
    assert f'value="{data["given_name"]}"' in page


@pytest.mark.parametrize(("body", "field"), [
    ({"person": {"given_name": "Old", "birth_date": "1800-01-01"}}, "person.birth_date"),
    ({"person": {"given_name": "Soon", "birth_date": "2030-01-01"}}, "person.birth_date"),
    ({"person": {"given_name": "Early", "birth_date": "2000-01-01"},
      "case": {"reasonable_grounds_on": "1999-12-31"}}, "case.reasonable_grounds_on"),
    ({"person": {"given_name": "N" * 5000}}, "person.given_name"),
    ({"person": {"given_name": "Doc", "document_number": "9" * 51}}, "person.document_number"),
])
def test_the_api_refuses_the_same_implausible_input_naming_the_field(world, body, field):
    before = Case.objects.count()
    response = ApiClient(world.worker).post("/cases", body)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert Case.objects.count() == before


def test_the_api_refuses_a_patch_with_grounds_before_birth(world):
    api = ApiClient(world.worker)
    response = api.patch(f"/cases/{world.adult.pk}", {"case": {"reasonable_grounds_on": "1990-01-01"}},
                         HTTP_IF_MATCH=f'"{world.adult.version}"')
    assert response.status_code == 400 and response.json()["field"] == "case.reasonable_grounds_on"


def test_a_decision_dated_before_the_persons_birth_is_refused_next_to_the_date(browser, world):
    response = browser(world.worker).post(f"/cases/{world.adult.pk}/decisions/", {
        "to_stage": "identified", "decided_on": "1990-01-01", "grounds": "Keep these grounds"})
    page = text(response)
    assert response.status_code == 400
    assert "before the person&#x27;s date of birth" in near(page, 'id="id_decided_on"')
    assert "Keep these grounds</textarea>" in page


# --- 3. A duty note over the limit is refused, never dropped -------------------------------

@pytest.mark.parametrize("where", ["case", "duties"])
def test_a_duty_note_over_the_limit_refuses_the_completion_and_keeps_the_note(browser, world, where):
    duty = Duty.objects.filter(case=world.adult, status=DutyStatus.OPEN).first()
    url = (f"/cases/{world.adult.pk}/duties/{duty.pk}/complete/" if where == "case"
           else f"/duties/{duty.pk}/complete/")
    note = "Long account. " * 200
    response = browser(world.worker).post(url, {"note": note})
    page = text(response)
    assert response.status_code == 400
    duty.refresh_from_db()
    assert duty.status == DutyStatus.OPEN and duty.note is None
    after = near(page, f'id="note-{duty.pk}"', 4000)
    assert note.strip() in after and "at most 2000 characters" in after


# --- 4. Rights by role ------------------------------------------------------------------------

def _shelter_on_the_team(world) -> object:
    shelter = InstitutionFactory(code="shelter-ngo", name="Shelter NGO")
    staff = official(Role.SHELTER_STAFF, shelter, username="staff", is_demo=True)
    case_assign(actor=world.worker, case=world.adult, institution=shelter,
                capacity=Capacity.SERVICE_PROVIDER)
    return staff


def test_shelter_staff_on_the_team_may_not_close_the_case_but_the_lead_may(browser, world):
    staff = _shelter_on_the_team(world)
    closing = {"to_stage": "closed", "decided_on": "2026-06-14", "grounds": "Shelter says so",
               "closure_reason": "returned"}
    refused = browser(staff).post(f"/cases/{world.adult.pk}/decisions/", closing)
    assert refused.status_code == 403
    assert "only the institution that leads or manages the case may close" in text(refused)
    world.adult.refresh_from_db()
    assert world.adult.stage == Stage.PRESUMED_VICTIM
    api = ApiClient(staff).post(f"/cases/{world.adult.pk}/decisions", closing)
    assert api.status_code == 403 and api.json()["field"] == "to_stage"
    lead = browser(world.worker)
    done = lead.post(f"/cases/{world.adult.pk}/decisions/", closing)
    assert done.status_code == 302
    world.adult.refresh_from_db()
    assert world.adult.stage == Stage.CLOSED
    page = text(lead.get(f"/cases/{world.adult.pk}/"))
    assert "Decision recorded." in page and "Closed" in page
    reopened = browser(staff).post(f"/cases/{world.adult.pk}/decisions/", {
        "to_stage": "reopen", "decided_on": "2026-06-15", "grounds": "x"})
    assert reopened.status_code == 403


def test_a_case_manager_institution_may_close_and_reopen(browser, world):
    csw = InstitutionFactory(code="csw-manager")
    social = official(Role.SOCIAL_WORKER, csw, is_demo=True)
    case_assign(actor=world.worker, case=world.adult, institution=csw, capacity=Capacity.CASE_MANAGEMENT)
    client = browser(social)
    assert client.post(f"/cases/{world.adult.pk}/decisions/", {
        "to_stage": "closed", "decided_on": "2026-06-14", "grounds": "Recovered",
        "closure_reason": "returned"}).status_code == 302
    assert client.post(f"/cases/{world.adult.pk}/decisions/", {
        "to_stage": "reopen", "decided_on": "2026-06-15", "grounds": "New facts"}).status_code == 302
    world.adult.refresh_from_db()
    assert world.adult.stage == Stage.PRESUMED_VICTIM


def test_a_duty_is_completed_only_by_an_official_of_the_institution_that_owes_it(browser, world):
    staff = _shelter_on_the_team(world)
    duty = Duty.objects.filter(case=world.adult, status=DutyStatus.OPEN, institution=world.police).first()
    refused = browser(staff).post(f"/cases/{world.adult.pk}/duties/{duty.pk}/complete/", {"note": "mine"})
    assert refused.status_code == 403
    assert "only an official of the institution that owes this duty" in near(
        text(refused), f'id="note-{duty.pk}"', 2000)
    api = ApiClient(staff).post(f"/duties/{duty.pk}/complete", {"note": "mine"})
    assert api.status_code in (403, 404)
    duty.refresh_from_db()
    assert duty.status == DutyStatus.OPEN
    done = browser(world.worker).post(f"/cases/{world.adult.pk}/duties/{duty.pk}/complete/", {"note": "ok"})
    assert done.status_code == 302
    duty.refresh_from_db()
    assert duty.status == DutyStatus.DONE and duty.completed_by == world.worker
