"""Every endpoint, allowed and forbidden, on one setup (Art. 18.3, 20, 21, 22, 31)."""

from __future__ import annotations

import pytest

from nrm.referrals.models import Consent, Referral
from tests.referrals.conftest import TODAY

pytestmark = pytest.mark.django_db


def consent(api, world, case=None, **body):
    case = case or world.adult
    body = {"given_by": "victim", "given_on": TODAY.isoformat(), "scope": ["all"], **body}
    return api(world.worker).post(f"/cases/{case.pk}/consents", body)


def refer(api, world, user=None, case=None, **body):
    case = case or world.adult
    body = {"service": "shelter", "provider": "shelter-ngo", **body}
    return api(user or world.worker).post(f"/cases/{case.pk}/referrals", body)


def sent(api, world, **body):
    assert consent(api, world).status_code == 201
    response = refer(api, world, **body)
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_a_case_worker_records_consent_and_an_outsider_gets_404(api, world):
    assert consent(api, world).status_code == 201
    response = api(world.outsider).post(f"/cases/{world.adult.pk}/consents", {
        "given_by": "victim", "given_on": TODAY.isoformat(), "scope": ["all"]})
    assert response.status_code == 404
    assert Consent.objects.count() == 1


def test_a_viewer_may_not_record_consent(api, world):
    response = api(world.viewer).post(f"/cases/{world.adult.pk}/consents", {
        "given_by": "victim", "given_on": TODAY.isoformat(), "scope": ["all"]})
    assert response.status_code == 403
    assert not Consent.objects.exists()


def test_consents_are_listed_for_the_team_only(api, world):
    consent(api, world, note="said yes in Romanian")
    listed = api(world.viewer).get(f"/cases/{world.adult.pk}/consents")
    assert listed.status_code == 200
    assert listed.json()[0]["note"] == "said yes in Romanian"
    assert api(world.outsider).get(f"/cases/{world.adult.pk}/consents").status_code == 404


def test_withdrawing_consent_is_recorded_and_refused_to_an_outsider(api, world):
    consent_id = consent(api, world).json()["id"]
    assert api(world.outsider).post(f"/consents/{consent_id}/withdraw").status_code == 404
    assert api(world.viewer).post(f"/consents/{consent_id}/withdraw").status_code == 403
    response = api(world.worker).post(f"/consents/{consent_id}/withdraw")
    assert response.status_code == 200
    assert response.json()["withdrawn_on"] == TODAY.isoformat()
    assert Consent.objects.filter(pk=consent_id).exists()  # withdrawn, never deleted


def test_a_referral_is_sent_by_the_team_and_refused_to_an_outsider(api, world):
    consent(api, world)
    assert refer(api, world, user=world.outsider).status_code == 404
    assert refer(api, world, user=world.viewer).status_code == 403
    response = refer(api, world)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "sent"
    assert body["due_on"] == "2026-06-16"  # a shelter place is needed the same night
    assert body["shared_fields"] == ["given_name", "family_name", "birth_date", "contact"]
    assert Referral.objects.count() == 1


def test_a_referral_without_consent_is_refused_naming_consent_and_nothing_is_stored(api, world):
    response = refer(api, world)
    assert response.status_code == 400
    assert response.json()["field"] == "consent"
    assert "18.3" in response.json()["message"]
    assert not Referral.objects.exists()


@pytest.mark.parametrize(("body", "field"), [
    ({"service": "massage"}, "service"),
    ({"provider": "no-such-place"}, "provider"),
    ({"provider": "clinic"}, "provider"),  # the clinic runs no shelter
    ({"due_on": "2026-02-30"}, "due_on"),
    ({"due_on": "2026-06-01"}, "due_on"),
    ({"service": "interpretation", "provider": "clinic"}, "language"),
    ({"language": "x" * 21}, "language"),  # longer than the column: a 400, not a 500
])
def test_bad_referral_input_answers_400_naming_the_field(api, world, body, field):
    consent(api, world)
    response = refer(api, world, **body)
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert not Referral.objects.exists()


def test_the_case_team_lists_referrals_and_an_outsider_gets_404(api, world):
    sent(api, world)
    listed = api(world.viewer).get(f"/cases/{world.adult.pk}/referrals")
    assert listed.status_code == 200 and len(listed.json()) == 1
    assert listed.json()[0]["person"] is None  # the team reads the person on the case itself
    assert api(world.outsider).get(f"/cases/{world.adult.pk}/referrals").status_code == 404


def test_the_inbox_shows_the_provider_only_its_referrals_with_only_the_shared_fields(api, world):
    sent(api, world)
    inbox = api(world.shelter_staff).get("/referrals/inbox").json()
    assert len(inbox) == 1
    assert inbox[0]["case_id"] is None
    assert inbox[0]["person"] == {"given_name": "Adulta", "family_name": "Sample",
                                  "birth_date": "1996-02-03", "contact": "+000 000"}
    assert api(world.nurse).get("/referrals/inbox").json() == []
    assert api(world.outsider).get("/referrals/inbox").json() == []


def test_one_referral_is_shown_to_its_provider_and_the_team_but_not_to_others(api, world):
    referral_id = sent(api, world)
    provider = api(world.shelter_staff).get(f"/referrals/{referral_id}")
    assert provider.status_code == 200
    assert set(provider.json()["person"]) == {"given_name", "family_name", "birth_date", "contact"}
    assert api(world.worker).get(f"/referrals/{referral_id}").json()["case_id"] == world.adult.pk
    assert api(world.nurse).get(f"/referrals/{referral_id}").status_code == 404
    assert api(world.outsider).get(f"/referrals/{referral_id}").status_code == 404


def test_the_provider_accepts_and_the_referrer_may_not(api, world):
    referral_id = sent(api, world)
    assert api(world.worker).post(f"/referrals/{referral_id}/accept").status_code == 403
    assert api(world.nurse).post(f"/referrals/{referral_id}/accept").status_code == 404
    response = api(world.shelter_staff).post(f"/referrals/{referral_id}/accept")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["case_id"] == world.adult.pk  # now on the team


def test_the_provider_declines_with_a_reason_and_an_outsider_may_not(api, world):
    referral_id = sent(api, world)
    body = {"reason": "no_capacity", "note": "full until July"}
    assert api(world.outsider).post(f"/referrals/{referral_id}/decline", body).status_code == 404
    assert api(world.worker).post(f"/referrals/{referral_id}/decline", body).status_code == 403
    bad = api(world.shelter_staff).post(f"/referrals/{referral_id}/decline", {"reason": "bored"})
    assert bad.status_code == 400 and bad.json()["field"] == "reason"
    response = api(world.shelter_staff).post(f"/referrals/{referral_id}/decline", body)
    assert response.status_code == 200
    seen = api(world.worker).get(f"/cases/{world.adult.pk}/referrals").json()[0]
    assert (seen["status"], seen["decline_reason"], seen["decline_note"]) == (
        "declined", "no_capacity", "full until July")


def test_a_proposal_is_sent_by_the_team_not_by_the_provider(api, world):
    consent(api, world)
    referral_id = refer(api, world, send=False).json()["id"]
    assert api(world.shelter_staff).get("/referrals/inbox").json() == []
    assert api(world.shelter_staff).post(f"/referrals/{referral_id}/send").status_code == 404
    assert api(world.viewer).post(f"/referrals/{referral_id}/send").status_code == 403
    response = api(world.worker).post(f"/referrals/{referral_id}/send")
    assert response.status_code == 200 and response.json()["status"] == "sent"


def test_the_provider_completes_an_accepted_referral_and_the_team_may_not(api, world):
    referral_id = sent(api, world)
    api(world.shelter_staff).post(f"/referrals/{referral_id}/accept")
    assert api(world.viewer).post(f"/referrals/{referral_id}/complete").status_code == 403
    response = api(world.shelter_staff).post(f"/referrals/{referral_id}/complete")
    assert response.json()["status"] == "completed"


def test_the_team_cancels_an_open_referral_and_the_provider_may_not(api, world):
    referral_id = sent(api, world)
    assert api(world.shelter_staff).post(f"/referrals/{referral_id}/cancel").status_code == 403
    response = api(world.worker).post(f"/referrals/{referral_id}/cancel")
    assert response.json()["status"] == "cancelled"


def goal(api, world, user=None, **body):
    body = {"area": "rehabilitation", "description": "weekly counselling", "owner": "shelter-ngo",
            "due_on": "2026-09-01", **body}
    return api(user or world.worker).post(f"/cases/{world.adult.pk}/care-plan", body)


def test_the_team_adds_care_plan_goals_and_others_may_not(api, world):
    assert goal(api, world, user=world.outsider).status_code == 404
    assert goal(api, world, user=world.viewer).status_code == 403
    response = goal(api, world, owner_user="shelter-staff")
    assert response.status_code == 201
    assert response.json()["owner_user"] == "shelter-staff"


@pytest.mark.parametrize(("body", "field"), [
    ({"area": "fun"}, "area"),
    ({"owner": "nobody"}, "owner"),
    ({"owner_user": "nurse"}, "owner_user"),  # the nurse works at the clinic, not the shelter
    ({"due_on": "2026-01-01"}, "due_on"),
    ({"due_on": "2026-13-01"}, "due_on"),
    ({"description": " "}, "description"),
    ({"description": "x" * 2001}, "description"),
    ({"note": "x" * 2001}, "note"),
])
def test_bad_goals_answer_400_naming_the_field(api, world, body, field):
    response = goal(api, world, **body)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_the_care_plan_is_read_by_the_team_and_not_by_others(api, world):
    goal(api, world)
    plan = api(world.viewer).get(f"/cases/{world.adult.pk}/care-plan")
    assert plan.status_code == 200 and plan.json()[0]["description"] == "weekly counselling"
    assert api(world.outsider).get(f"/cases/{world.adult.pk}/care-plan").status_code == 404
    assert api(world.shelter_staff).get(f"/cases/{world.adult.pk}/care-plan").status_code == 404


def test_a_goal_is_changed_by_the_team_and_a_stale_version_is_refused(api, world):
    goal_id = goal(api, world).json()["id"]
    assert api(world.outsider).patch(f"/care-plan/{goal_id}", {"status": "achieved"}).status_code == 404
    assert api(world.viewer).patch(f"/care-plan/{goal_id}", {"status": "achieved"}).status_code == 403
    response = api(world.worker).patch(f"/care-plan/{goal_id}", {"status": "achieved", "version": 1})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("achieved", 2)
    stale = api(world.worker).patch(f"/care-plan/{goal_id}", {"status": "open", "version": 1})
    assert stale.status_code == 409 and stale.json()["field"] == "version"


def test_the_referral_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/referrals/inbox", "/api/v1/cases/{case_id}/referrals",
            "/api/v1/care-plan/{goal_id}"} <= set(paths)


@pytest.mark.parametrize(("path", "field"), [
    ("/referrals/inbox?offset=-1", "offset"),
    ("/referrals/inbox?offset=1e20", "offset"),
    ("/referrals/inbox?offset=100000000000000000000", "offset"),
    ("/referrals/inbox?limit=0", "limit"),
    ("/referrals/inbox?limit=501", "limit"),
    ("/referrals/inbox?open_only=perhaps", "open_only"),
    ("/referrals/100000000000000000000", "referral_id"),
    ("/referrals/-1", "referral_id"),
    ("/cases/100000000000000000000/referrals", "case_id"),
    ("/cases/1e20/consents", "case_id"),
    ("/cases/0/care-plan", "case_id"),
    ("/consents/9223372036854775808", "consent_id"),
    ("/care-plan/1e20", "goal_id"),
])
def test_every_parameter_out_of_bounds_answers_400_naming_it(api, world, path, field):
    response = api(world.shelter_staff).get(path)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field


def test_a_goal_version_too_large_for_the_database_answers_400_naming_it(api, world):
    goal_id = goal(api, world).json()["id"]
    response = api(world.worker).patch(f"/care-plan/{goal_id}", {"status": "open", "version": 10**30})
    assert response.status_code == 400 and response.json()["field"] == "version"


def test_the_inbox_pages_within_its_bounds(api, world):
    sent(api, world)
    refer(api, world, service="psycho_social")
    provider = api(world.shelter_staff)
    assert len(provider.get("/referrals/inbox?limit=1").json()) == 1
    assert len(provider.get("/referrals/inbox?offset=1").json()) == 1
    assert provider.get("/referrals/inbox?offset=2").json() == []


def test_an_official_of_two_institutions_answers_a_referral_as_the_provider_and_is_audited_so(api, world):
    from nrm.audit.models import AuditEvent
    from nrm.authorities.models import Membership
    from nrm.authorities.roles import Role
    from tests.factories import IN_FORCE

    referral_id = sent(api, world)
    # The worker also works at the shelter: accepting, they can act only as the shelter.
    Membership.objects.create(user=world.worker, institution=world.shelter,
                              role=Role.SHELTER_STAFF, **IN_FORCE)
    response = api(world.worker).post(f"/referrals/{referral_id}/accept")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    accepted = AuditEvent.objects.get(action="accept")
    assert (accepted.institution, accepted.role) == ("shelter-ngo", "shelter_staff")
    assigned = AuditEvent.objects.filter(action="assign").last()
    assert assigned.institution == "shelter-ngo"


def test_choosing_another_institution_in_x_acting_as_is_refused_for_the_providers_answer(api, world):
    from nrm.authorities.models import Membership
    from nrm.authorities.roles import Role
    from tests.factories import IN_FORCE

    referral_id = sent(api, world)
    Membership.objects.create(user=world.worker, institution=world.shelter,
                              role=Role.SHELTER_STAFF, **IN_FORCE)
    as_police = api(world.worker)
    as_police.headers["HTTP_X_ACTING_AS"] = "police-unit"
    response = as_police.post(f"/referrals/{referral_id}/accept")
    assert response.status_code in (403, 404)
    assert Referral.objects.get(pk=referral_id).status == "sent"


def test_a_lone_surrogate_in_free_text_answers_400_naming_the_field_and_stores_nothing(api, world):
    user = api(world.worker)
    response = user.client.post(
        f"/api/v1/cases/{world.adult.pk}/consents",
        '{"given_by": "victim", "given_on": "2026-06-14", "scope": ["all"], "note": "a\\ud800b"}',
        content_type="application/json", **user.headers)
    assert response.status_code == 400 and response.json()["field"] == "note"
    assert not Consent.objects.exists()


def test_free_text_over_its_limit_is_refused_naming_the_field_and_nothing_is_stored(api, world):
    too_long = consent(api, world, note="x" * 2001)
    assert (too_long.status_code, too_long.json()["field"]) == (400, "note")
    assert "2000" in too_long.json()["message"]
    assert not Consent.objects.exists()
    referral_id = sent(api, world)
    declined = api(world.shelter_staff).post(f"/referrals/{referral_id}/decline",
                                            {"reason": "other", "note": "y" * 2001})
    assert (declined.status_code, declined.json()["field"]) == (400, "note")
    assert Referral.objects.get(pk=referral_id).status != "declined"
    goal_id = goal(api, world).json()["id"]
    changed = api(world.worker).patch(f"/care-plan/{goal_id}", {"note": "z" * 2001, "version": 1})
    assert (changed.status_code, changed.json()["field"]) == (400, "note")
