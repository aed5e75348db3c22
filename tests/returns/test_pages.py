"""The pages: the foreigners officer's page and a case's return records. Each form allowed,
refused (another role, a case out of scope) and bad input shown next to its field with the
input kept; what the official sees after the action asserted on the page."""

from __future__ import annotations

import pytest
from django.test import Client

from nrm.returns import services
from tests.returns.conftest import GROUNDS


@pytest.fixture
def sign_in(settings, world):
    settings.NRM_DEMO = True

    def _client(user) -> Client:
        user.is_demo = True  # demo users pass the second factor, in demo mode only
        user.save(update_fields=["is_demo"])
        client = Client()
        client.force_login(user)
        return client

    return _client


def test_the_officer_grants_a_reflection_period_and_sees_the_bar_on_the_page(world, sign_in):
    client = sign_in(world.officer)
    page = client.get(f"/cases/{world.adult.pk}/returns/")
    assert page.status_code == 200
    assert "No reflection period granted." in page.content.decode()
    done = client.post(f"/cases/{world.adult.pk}/returns/reflection/",
                       {"start": "2026-06-01", "days": "45", "granted_by": "mia-dcam"}, follow=True)
    html = done.content.decode()
    assert "Reflection period recorded." in html
    assert "No deportation during the reflection period" in html
    assert "until 2026-07-15" in html


def test_a_period_before_the_grounds_is_refused_next_to_its_field_keeping_the_input(world, sign_in):
    client = sign_in(world.officer)
    refused = client.post(f"/cases/{world.adult.pk}/returns/reflection/",
                          {"start": "2026-05-01", "days": "45", "granted_by": "mia-dcam"})
    assert refused.status_code == 400
    form = refused.context["forms"]["reflection"]
    assert "start" in form.errors and "reasonable grounds" in form.errors["start"][0]
    assert 'value="45"' in refused.content.decode()


def test_a_permit_ending_before_it_starts_is_refused_naming_valid_until(world, sign_in):
    refused = sign_in(world.officer).post(
        f"/cases/{world.adult.pk}/returns/permit/",
        {"kind": "short_term", "valid_from": "2026-06-10", "valid_until": "2026-06-01",
         "issued_by": "mia-dcam"})
    assert refused.status_code == 400
    assert "valid_until" in refused.context["forms"]["permit"].errors


def test_others_cannot_open_or_post_the_case_s_returns_page(world, sign_in):
    for user in (world.stranger, world.nurse):
        client = sign_in(user)
        assert client.get(f"/cases/{world.adult.pk}/returns/").status_code == 404
        assert client.post(f"/cases/{world.adult.pk}/returns/reflection/",
                           {"start": "2026-06-01", "days": "45",
                            "granted_by": "mia-dcam"}).status_code == 404


def test_a_blocked_return_shows_the_article_and_the_missing_step(world, sign_in):
    plan = services.return_plan(actor=world.officer, case_id=world.child.pk, destination="AL",
                                planned_on=GROUNDS, wants_to_return=True, asylum_requested=False,
                                non_refoulement_checked=True, asylum_checked=True,
                                best_interests_determined=True)
    refused = sign_in(world.officer).post(f"/returns/{plan.pk}/carried-out/",
                                          {"carried_out_on": "2026-06-15", "version": plan.version})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Art. 37.1" in html and "consent of the child" in html


def test_the_officer_page_lists_periods_ending_soon_and_answers_the_removal_check(world, sign_in):
    services.reflection_grant(actor=world.officer, case_id=world.adult.pk, start=GROUNDS, days=30,
                              granted_by="mia-dcam")
    services.reflection_grant(actor=world.officer, case_id=world.child.pk, start=GROUNDS, days=60,
                              granted_by="mia-dcam")
    client = sign_in(world.officer)
    page = client.get("/foreigners/")
    endings = page.context["endings"]
    # Today is the 15th: the adult's period ends on the 30th, the child's on 30 July.
    assert [(e.reference, str(e.last_day)) for e in endings] == [(world.adult.reference, "2026-06-30")]
    html = page.content.decode()
    assert "Foreigners and removals" in html  # the nav links it for the role
    answered = client.post("/foreigners/removal-check/",
                           {"on": "2026-06-20", "given_name": "Adulta", "family_name": "Sample",
                            "birth_date": "1996-02-03"})
    assert "No removal before 2026-07-01 (Art. 31.3)" in answered.content.decode()


def test_the_border_police_page_says_the_same_for_a_match_without_a_bar_and_for_no_match(world, sign_in):
    client = sign_in(world.border)
    matched = client.post("/foreigners/removal-check/",
                          {"on": "2026-06-20", "given_name": "Adulta", "family_name": "Sample",
                           "birth_date": "1996-02-03"})
    nobody = client.post("/foreigners/removal-check/",
                         {"on": "2026-06-20", "given_name": "Nobody", "family_name": "Known",
                          "birth_date": "1980-01-01"})
    assert "No bar recorded" in matched.content.decode()
    assert matched.context["answer"] == nobody.context["answer"] == "No bar recorded"
    assert world.adult.reference not in matched.content.decode()


def test_a_check_without_a_date_is_refused_next_to_the_date(world, sign_in):
    refused = sign_in(world.border).post("/foreigners/removal-check/",
                                         {"given_name": "Adulta", "family_name": "Sample",
                                          "birth_date": "1996-02-03"})
    assert refused.status_code == 400
    assert "on" in refused.context["form"].errors
    assert 'value="Adulta"' in refused.content.decode()


def test_roles_without_foreigners_work_get_no_page_and_no_link(world, sign_in):
    client = sign_in(world.nurse)
    assert client.get("/foreigners/").status_code == 403
    assert "Foreigners and removals" not in client.get("/").content.decode()


def test_a_consul_records_a_travel_document_on_the_page(world, sign_in):
    help_ = services.consular_open(actor=world.consul, case_id=world.citizen.pk, mission="embassy-de",
                                   country="DE", contacted_on=GROUNDS, wants_to_return=True)
    client = sign_in(world.consul)
    done = client.post(f"/consular-assistance/{help_.pk}/",
                       {"travel_document_issued_on": "2026-06-05", "version": help_.version},
                       follow=True)
    assert "Consular assistance updated." in done.content.decode()
    assert 'value="2026-06-05"' in done.content.decode()


def test_the_checks_recorded_on_the_page_lift_the_child_s_return_bars(world, sign_in):
    plan = services.return_plan(actor=world.officer, case_id=world.child.pk, destination="AL",
                                planned_on=GROUNDS, wants_to_return=True, asylum_requested=False)
    client = sign_in(world.officer)
    stale = client.post(f"/returns/{plan.pk}/checks/", {"version": plan.version + 5,
                                                        "guardian_consent": "on"})
    assert stale.status_code == 400
    assert "read it again" in stale.content.decode()
    saved = client.post(f"/returns/{plan.pk}/checks/", {
        "version": plan.version, "guardian_consent": "on", "risk_assessed": "on", "risk_found": "no",
        "non_refoulement_checked": "on", "asylum_checked": "on", "best_interests_determined": "on",
    }, follow=True)
    assert "Return checks recorded." in saved.content.decode()
    assert "No return of the child" not in saved.content.decode()
    plan.refresh_from_db()
    done = client.post(f"/returns/{plan.pk}/carried-out/",
                       {"carried_out_on": "2026-06-15", "version": plan.version}, follow=True)
    assert "Return marked carried out." in done.content.decode()


def test_an_answer_from_abroad_is_recorded_on_the_page_and_an_early_one_refused(world, sign_in):
    request = services.cooperation_record(actor=world.officer, case_id=world.adult.pk,
                                          direction="outgoing", country="AL", authority="Police",
                                          purpose="missing_person", sent_on=GROUNDS)
    client = sign_in(world.officer)
    early = client.post(f"/cooperation-requests/{request.pk}/answer/",
                        {"answered_on": "2026-05-01", "answer": "found"})
    assert early.status_code == 400
    assert "answered_on" in early.context["cooperation_rows"][0]["form"].errors
    done = client.post(f"/cooperation-requests/{request.pk}/answer/",
                       {"answered_on": "2026-06-05", "answer": "found in Durrës"}, follow=True)
    assert "found in Durrës" in done.content.decode()
    assert sign_in(world.nurse).post(f"/cooperation-requests/{request.pk}/answer/",
                                     {"answered_on": "2026-06-05", "answer": "x"}).status_code == 404
