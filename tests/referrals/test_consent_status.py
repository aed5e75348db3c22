"""Consent follows the person's status today, and only the case team records it (issue 7,
finding 12; Art. 18.3: for a child victim, the legal representative's consent; 38.5).
"""

from __future__ import annotations

import pytest

from nrm.audit.models import AuditEvent
from nrm.cases.models import Case
from nrm.cases.services import case_update
from nrm.errors import NotAllowed
from nrm.referrals.models import Consent, ConsentGiver
from nrm.referrals.services import (
    consent_record,
    consent_withdraw,
    referral_accept,
    referral_create,
)
from tests.referrals.conftest import TODAY

pytestmark = pytest.mark.django_db


def _shared_referral(world):
    consent_record(actor=world.worker, case=world.adult, given_by=ConsentGiver.VICTIM,
                   given_on=TODAY, scope=["all"])
    return referral_create(actor=world.worker, case=world.adult, service="shelter",
                           provider="shelter-ngo")


def _become_a_child(world) -> None:
    case_update(actor=world.worker, case_id=world.adult.pk, expected_version=None,
                person={"birth_date": "2012-01-01"})  # a corrected birth date
    assert Case.objects.get(pk=world.adult.pk).child


def test_a_referral_stops_sharing_under_the_persons_own_consent_once_the_case_is_a_childs(api, world):
    referral = _shared_referral(world)
    provider = api(world.shelter_staff)
    assert provider.get(f"/referrals/{referral.pk}").json()["person"]["given_name"] == "Adulta"

    _become_a_child(world)
    reads_before = AuditEvent.objects.filter(action="read", record_type="referrals.referral").count()
    one = provider.get(f"/referrals/{referral.pk}")
    inbox = provider.get("/referrals/inbox")
    assert one.status_code == 200 and one.json()["person"] is None
    assert [row["person"] for row in inbox.json()] == [None]
    assert "Adulta" not in one.content.decode() + inbox.content.decode()
    # Nothing shown, so no read of the person is audited either.
    assert AuditEvent.objects.filter(action="read", record_type="referrals.referral").count() == reads_before

    # The legal representative's consent makes the sharing lawful again.
    consent_record(actor=world.worker, case=world.adult, given_by=ConsentGiver.LEGAL_REPRESENTATIVE,
                   given_on=TODAY, scope=["shelter"])
    assert provider.get(f"/referrals/{referral.pk}").json()["person"]["given_name"] == "Adulta"


def test_an_accepted_referral_stops_sharing_too_when_the_case_becomes_a_childs(api, world):
    referral = referral_accept(actor=world.shelter_staff, referral=_shared_referral(world))
    _become_a_child(world)
    answer = api(world.shelter_staff).get(f"/referrals/{referral.pk}")
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    assert answer.json()["person"] is None


def test_once_a_child_no_new_referral_goes_under_the_persons_own_consent(api, world):
    _shared_referral(world)
    _become_a_child(world)
    response = api(world.worker).post(f"/cases/{world.adult.pk}/referrals",
                                      {"service": "psycho_social", "provider": "shelter-ngo"})
    assert response.status_code == 400 and response.json()["field"] == "consent"
    assert "legal representative" in response.json()["message"]


def test_a_provider_on_the_team_may_not_record_a_legal_representatives_consent(api, world):
    """The attack: a provider that joined by accepting records the consent it needs itself."""
    referral_accept(actor=world.shelter_staff, referral=_shared_referral(world))
    _become_a_child(world)
    response = api(world.shelter_staff).post(f"/cases/{world.adult.pk}/consents", {
        "given_by": "legal_representative", "given_on": TODAY.isoformat(), "scope": ["all"]})
    assert response.status_code == 403
    assert "case team" in response.json()["message"]
    assert not Consent.objects.filter(given_by=ConsentGiver.LEGAL_REPRESENTATIVE).exists()
    # And so the provider still sees nothing of the child.
    assert api(world.shelter_staff).get("/referrals/inbox").json()[0]["person"] is None


def test_a_provider_on_the_team_may_not_withdraw_consent_either(world):
    referral = referral_accept(actor=world.shelter_staff, referral=_shared_referral(world))
    with pytest.raises(NotAllowed):
        consent_withdraw(actor=world.shelter_staff, consent=referral.consent)
    assert Consent.objects.get(pk=referral.consent_id).withdrawn_on is None


def test_the_case_team_records_the_legal_representatives_consent_for_a_child(api, world):
    response = api(world.worker).post(f"/cases/{world.child.pk}/consents", {
        "given_by": "legal_representative", "given_on": TODAY.isoformat(), "scope": ["all"]})
    assert response.status_code == 201
    assert response.json()["recorded_by_institution"] == "police-unit"
    event = AuditEvent.objects.filter(action="create", record_type="referrals.consent").get()
    assert event.institution == "police-unit" and event.role == "police_investigator"
