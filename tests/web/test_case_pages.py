"""The case pages: the list, registration, and one case with its legal state and decisions."""

from __future__ import annotations

import pytest
from django.test import Client

from nrm.audit.models import AuditEvent
from nrm.authorities.roles import Role
from nrm.cases.models import Capacity, Case, Duty, DutyStatus, RightsExplanation, Stage
from nrm.cases.services import case_assign
from nrm.law.text import article_text
from tests.factories import InstitutionFactory, official

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_a_visitor_not_signed_in_is_sent_to_sign_in(world):
    for url in ("/duties/", "/cases/", "/cases/new/", f"/cases/{world.adult.pk}/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_case_list_shows_names_only_to_those_the_policy_shows_them(browser, world):
    page = text(browser(world.worker).get("/cases/"))
    assert world.adult.reference in page and "Adulta Sample" in page and "Childa" in page
    national = text(browser(world.analyst).get("/cases/"))
    assert world.adult.reference in national and "Adulta" not in national and "not shown to you" in national
    outside = text(browser(world.outsider).get("/cases/"))
    assert world.adult.reference not in outside and "You may see no case." in outside


def test_the_case_list_is_audited_as_a_read_of_the_rows_shown(browser, world):
    browser(world.worker).get("/cases/")
    event = AuditEvent.objects.filter(action="read", purpose="case list").get()
    assert set(event.record_ids) == {str(world.adult.pk), str(world.child.pk)}


def test_the_case_list_is_paginated(browser, world, monkeypatch):
    monkeypatch.setattr("nrm.cases.views.PAGE_SIZE", 1)
    client = browser(world.worker)
    first, second = text(client.get("/cases/")), text(client.get("/cases/?page=2"))
    assert "Page 1 of 2" in first and world.child.reference in first and world.adult.reference not in first
    assert world.adult.reference in second


def test_a_case_page_shows_the_legal_state_with_each_articles_text(browser, world):
    response = browser(world.worker).get(f"/cases/{world.adult.pk}/")
    page = text(response)
    assert response.status_code == 200
    assert "Adulta" in page and "Presumed victim" in page
    assert "Inform the person of their rights" in page and "Art. 20.2.1" in page
    assert article_text("20.2.1")[:40] in page.replace("&#x27;", "'")
    assert "Record rights explained" in page and "Record the decision" in page
    assert AuditEvent.objects.filter(action="read", purpose="case view",
                                     record_ids=[str(world.adult.pk)]).exists()


def test_a_case_page_is_404_for_an_outsider_exactly_as_for_a_missing_case(browser, world):
    client = browser(world.outsider)
    assert client.get(f"/cases/{world.adult.pk}/").status_code == 404
    assert client.get("/cases/999999/").status_code == 404


def test_a_national_analyst_sees_the_case_but_not_the_person_and_no_forms(browser, world):
    page = text(browser(world.analyst).get(f"/cases/{world.adult.pk}/"))
    assert world.adult.reference in page and "Adulta" not in page
    assert "Record the decision" not in page


def test_registering_through_the_form_creates_a_case_and_opens_it(browser, world):
    response = browser(world.worker).post("/cases/new/", {
        "given_name": "Formina", "family_name": "Tested", "birth_date": "1999-09-09",
        "sex": "female", "citizenship": "al", "stay": "irregular",
        "reasonable_grounds_on": "2026-06-10", "exploitation": ["sexual", "begging"],
        "located": "kosovo", "cooperating": "yes",
    })
    assert response.status_code == 302
    case = Case.objects.order_by("-id").first()
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.stage == Stage.PRESUMED_VICTIM and case.person.given_name == "Formina"
    assert case.person.citizenship == "AL" and case.person.facts == {"stay": "irregular"}
    from nrm.cases.legal import PROVIDERS

    # Where the person is, once an app provides it, is recorded there, not at registration.
    owned = {fact for provider in PROVIDERS.values() for fact in provider.facts}
    located = {} if "located" in owned else {"located": "kosovo"}
    assert case.facts == {"reasonable_grounds_on": "2026-06-10", "exploitation": ["sexual", "begging"],
                          **located, "cooperating": True}


def test_a_refused_registration_names_the_field_and_keeps_what_was_typed(browser, world):
    before = Case.objects.count()
    response = browser(world.worker).post("/cases/new/", {
        "given_name": "Keepme", "family_name": "Typed", "birth_date": "2030-01-01", "sex": "male",
        "exploitation": ["forced_labour"]})
    page = text(response)
    assert response.status_code == 400 and Case.objects.count() == before
    # The law engine's refusal sits next to the date of birth, and nothing typed is lost.
    field = page[page.index('id="id_birth_date"'):]
    assert "is in the future" in field[:600]
    assert 'value="Keepme"' in page and 'value="2030-01-01"' in page
    assert 'value="forced_labour" id="id_exploitation_3" checked' in page


def test_a_registration_with_a_malformed_date_is_refused_by_the_form(browser, world):
    response = browser(world.worker).post("/cases/new/", {"sex": "unknown", "birth_date": "yesterday"})
    assert response.status_code == 400 and "Enter a valid date." in text(response)


def test_a_role_that_may_not_work_on_cases_may_not_register_one(browser, world):
    assert browser(world.analyst).get("/cases/new/").status_code == 403
    assert browser(world.analyst).post("/cases/new/", {"sex": "unknown"}).status_code == 403


def test_a_decision_through_the_form_moves_the_case_to_its_new_stage(browser, world):
    response = browser(world.worker).post(f"/cases/{world.adult.pk}/decisions/", {
        "to_stage": "identified", "decided_on": "2026-06-14", "grounds": "Interview and documents"})
    assert response.status_code == 302
    world.adult.refresh_from_db()
    assert world.adult.stage == Stage.IDENTIFIED and world.adult.facts["identified_on"] == "2026-06-14"
    page = text(browser(world.worker).get(f"/cases/{world.adult.pk}/"))
    assert "Interview and documents" in page and "Identified" in page


def test_a_decision_with_a_future_date_is_refused_next_to_the_date(browser, world):
    response = browser(world.worker).post(f"/cases/{world.adult.pk}/decisions/", {
        "to_stage": "identified", "decided_on": "2026-07-01", "grounds": "Too early"})
    page = text(response)
    assert response.status_code == 400
    assert "is in the future" in page[page.index('id="id_decided_on"'):][:400]
    assert "Too early</textarea>" in page


def test_a_role_that_may_not_identify_is_told_why_with_the_article(browser, world):
    foreigners = official(Role.FOREIGNERS_OFFICER, InstitutionFactory(code="dcam"), is_demo=True)
    case_assign(actor=world.worker, case=world.adult, institution=foreigners.memberships.get().institution,
                capacity=Capacity.RESIDENCE)
    response = browser(foreigners).post(f"/cases/{world.adult.pk}/decisions/", {
        "to_stage": "identified", "decided_on": "2026-06-14", "grounds": "Not mine to take"})
    assert response.status_code == 403 and "Art. 12.1" in text(response)
    world.adult.refresh_from_db()
    assert world.adult.stage == Stage.PRESUMED_VICTIM


def test_a_team_member_who_may_only_view_is_refused_a_decision(browser, world):
    response = browser(world.viewer).post(f"/cases/{world.adult.pk}/decisions/", {
        "to_stage": "closed", "decided_on": "2026-06-14", "grounds": "x", "closure_reason": "returned"})
    assert response.status_code == 403 and "may not change" in text(response)
    assert browser(world.outsider).post(f"/cases/{world.adult.pk}/decisions/", {}).status_code == 404


def test_rights_explained_to_a_child_must_be_explained_as_a_child_understands(browser, world):
    client = browser(world.worker)
    url = f"/cases/{world.child.pk}/rights/"
    refused = client.post(url, {"rights": ["information"], "explained_on": "2026-06-14", "language": "sq"})
    page = text(refused)
    assert refused.status_code == 400 and "35.1.4" in page[page.index('id="id_child_appropriate"'):]
    done = client.post(url, {"rights": ["information", "privacy"], "explained_on": "2026-06-14",
                             "language": "sq", "child_appropriate": "on"})
    assert done.status_code == 302
    assert set(RightsExplanation.objects.filter(case=world.child).values_list("right", flat=True)) == {
        "information", "privacy"}
    assert browser(world.outsider).post(url, {}).status_code == 404


def test_a_duty_is_completed_from_the_case_page(browser, world):
    duty = Duty.objects.filter(case=world.adult, code="inform_of_rights").first()
    response = browser(world.worker).post(f"/cases/{world.adult.pk}/duties/{duty.pk}/complete/",
                                          {"note": "Explained in Romanian"})
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.status == DutyStatus.DONE and duty.note == "Explained in Romanian"


def test_no_page_carries_inline_script_or_style_that_the_csp_would_block(browser, world):
    import re

    client = browser(world.worker)
    for url in ("/", "/duties/", "/cases/", "/cases/new/", f"/cases/{world.adult.pk}/",
                f"/cases/{world.adult.pk}/facts/", f"/cases/{world.adult.pk}/screening/",
                "/cases/999999/"):
        page = client.get(url).content.decode()
        assert " style=" not in page and "<style" not in page, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert re.search(r"\son[a-z]+=", page) is None, url
