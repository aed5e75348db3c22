"""The pages render for an allowed official and refuse a forbidden one."""

from __future__ import annotations

import pytest
from django.test import Client

from nrm.referrals.models import CarePlanGoal, Consent, ConsentGiver, Referral, ReferralStatus
from nrm.referrals.services import consent_record, referral_create
from tests.referrals.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(settings, world):
    """A signed-in browser; demo users pass the second factor in demo mode only."""
    settings.NRM_DEMO = True

    def sign_in(user):
        user.is_demo = True
        user.save(update_fields=["is_demo"])
        client = Client()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def referral(world) -> Referral:
    consent_record(actor=world.worker, case=world.adult, given_by=ConsentGiver.VICTIM,
                   given_on=TODAY, scope=["all"])
    return referral_create(actor=world.worker, case=world.adult, service="shelter",
                           provider="shelter-ngo")


def test_the_case_page_renders_for_the_team_and_is_404_for_an_outsider(browser, world, referral):
    page = browser(world.worker).get(f"/cases/{world.adult.pk}/referrals/")
    assert page.status_code == 200
    assert "Shelter" in page.content.decode() and "Record consent" in page.content.decode()
    assert browser(world.outsider).get(f"/cases/{world.adult.pk}/referrals/").status_code == 404


def test_a_visitor_not_signed_in_is_sent_to_sign_in(world):
    response = Client().get(f"/cases/{world.adult.pk}/referrals/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_inbox_shows_the_provider_the_shared_fields_only(browser, world, referral):
    page = browser(world.shelter_staff).get("/referrals/inbox/").content.decode()
    assert "Adulta" in page and "+000 000" in page
    assert "Nowhere street" not in page and "DOC-0" not in page
    # What a provider needs to accept, while the referral shares (issue 10, item 8).
    assert world.adult.reference in page and "Service asked for" in page


def test_the_inbox_of_another_provider_is_empty_and_a_national_role_has_none(browser, world, referral):
    from nrm.authorities.roles import Role
    from tests.factories import official

    assert "Adulta" not in browser(world.nurse).get("/referrals/inbox/").content.decode()
    coordinator = official(Role.NATIONAL_COORDINATOR, username="coordinator")
    assert browser(coordinator).get("/referrals/inbox/").status_code == 403


def test_the_provider_accepts_from_the_inbox_and_an_outsider_cannot(browser, world, referral):
    url = f"/referrals/{referral.pk}/answer/"
    assert browser(world.outsider).post(url, {"action": "accept"}).status_code == 404
    assert browser(world.worker).post(url, {"action": "accept"}).status_code == 403
    response = browser(world.shelter_staff).post(url, {"action": "accept"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_the_provider_declines_from_the_inbox_with_a_reason(browser, world, referral):
    browser(world.shelter_staff).post(f"/referrals/{referral.pk}/answer/",
                                      {"action": "decline", "reason": "no_capacity"})
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (ReferralStatus.DECLINED, "no_capacity")


def test_the_team_records_consent_refers_and_plans_from_the_page(browser, world):
    client = browser(world.worker)
    base = f"/cases/{world.adult.pk}/referrals/"
    client.post(base + "consents/", {"given_by": "victim", "given_on": "2026-06-14",
                                     "scope": ["medical"]})
    client.post(base + "send/", {"service": "medical", "provider": "clinic"})
    client.post(base + "goals/", {"area": "health", "description": "treatment",
                                  "owner": "clinic", "due_on": "2026-07-01"})
    assert Consent.objects.count() == Referral.objects.count() == CarePlanGoal.objects.count() == 1
    goal = CarePlanGoal.objects.get()
    client.post(f"/referrals/goals/{goal.pk}/", {"status": "achieved", "version": 1})
    goal.refresh_from_db()
    assert goal.status == "achieved"


def test_a_refused_referral_on_the_page_says_why_and_stores_nothing(browser, world):
    response = browser(world.worker).post(
        f"/cases/{world.adult.pk}/referrals/send/", {"service": "shelter", "provider": "shelter-ngo"},
        follow=True)
    assert "consent:" in response.content.decode()
    assert not Referral.objects.exists()


def test_an_outsider_cannot_post_to_the_case_page_forms(browser, world):
    client = browser(world.outsider)
    base = f"/cases/{world.adult.pk}/referrals/"
    assert client.post(base + "consents/", {}).status_code == 404
    assert client.post(base + "send/", {}).status_code == 404
    assert client.post(base + "goals/", {}).status_code == 404


def test_consent_is_withdrawn_from_the_page_by_the_team_not_by_an_outsider(browser, world, referral):
    consent = Consent.objects.get()
    url = f"/referrals/consents/{consent.pk}/withdraw/"
    assert browser(world.outsider).post(url).status_code == 404
    assert browser(world.viewer).post(url).status_code == 403
    browser(world.worker).post(url)
    consent.refresh_from_db()
    referral.refresh_from_db()
    assert consent.withdrawn_on == TODAY and referral.status == ReferralStatus.CANCELLED


def test_an_outsider_cannot_change_a_goal_from_the_page(browser, world):
    from nrm.referrals.services import goal_add

    goal = goal_add(actor=world.worker, case=world.adult, area="health", description="x",
                    owner="clinic", due_on=TODAY)
    url = f"/referrals/goals/{goal.pk}/"
    assert browser(world.outsider).post(url, {"status": "dropped", "version": 1}).status_code == 404
    assert browser(world.viewer).post(url, {"status": "dropped", "version": 1}).status_code == 403


def test_a_provider_on_the_team_cannot_record_consent_from_the_page(browser, world, referral):
    from nrm.referrals.services import referral_accept

    referral_accept(actor=world.shelter_staff, referral=referral)
    response = browser(world.shelter_staff).post(
        f"/cases/{world.adult.pk}/referrals/consents/",
        {"given_by": "legal_representative", "given_on": "2026-06-14", "scope": ["all"]})
    assert response.status_code == 403
    assert Consent.objects.count() == 1  # the team's, from the fixture


def test_bad_consent_on_the_page_says_which_field_and_stores_nothing(browser, world):
    base = f"/cases/{world.child.pk}/referrals/"
    client = browser(world.worker)
    future = client.post(base + "consents/", {"given_by": "legal_representative",
                                              "given_on": "2026-07-01", "scope": ["all"]})
    page = future.content.decode()
    # The error sits next to its field, and what was typed stays (issue 10, item 3).
    assert future.status_code == 400
    assert "errorlist" in page[page.index('id="id_given_on"'):][:400]
    assert 'value="2026-07-01"' in page
    own = client.post(base + "consents/", {"given_by": "victim", "given_on": "2026-06-14",
                                           "scope": ["all"]})
    page = own.content.decode()
    assert own.status_code == 400  # a child's own consent does not count (18.3)
    assert "errorlist" in page[page.index('id="id_given_by"'):][:1200]
    assert not Consent.objects.exists()


def test_a_stale_goal_change_on_the_page_is_refused_naming_the_version(browser, world):
    from nrm.referrals.services import goal_add, goal_update

    goal = goal_add(actor=world.worker, case=world.adult, area="health", description="x",
                    owner="clinic", due_on=TODAY)
    goal_update(actor=world.worker, goal=goal, status="achieved")
    response = browser(world.worker).post(f"/referrals/goals/{goal.pk}/",
                                          {"status": "dropped", "version": 1}, follow=True)
    assert "version:" in response.content.decode()
    goal.refresh_from_db()
    assert goal.status == "achieved"


def test_a_note_over_its_limit_on_the_page_is_refused_by_its_field_and_kept(browser, world):
    client = browser(world.worker)
    response = client.post(f"/cases/{world.adult.pk}/referrals/consents/", {
        "given_by": "victim", "given_on": "2026-06-14", "scope": ["all"], "note": "n" * 2001})
    page = response.content.decode()
    assert response.status_code == 400
    field = page[page.index('id="id_note"'):]
    assert "errorlist" in field[:field.index("</div>")]
    assert "n" * 2001 in page  # what was typed stays, to be shortened
    assert 'maxlength="2000"' in page
    assert not Consent.objects.exists()
