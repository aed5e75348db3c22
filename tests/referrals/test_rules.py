"""The rules: consent before sharing (18.3), only what the service needs, and the answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nrm.audit.models import AuditEvent
from nrm.authorities import access
from nrm.authorities.roles import Role
from nrm.cases.models import Capacity, CaseAssignment
from nrm.errors import Invalid, NotAllowed
from nrm.referrals.models import Referral, ReferralStatus
from nrm.referrals.selectors import referral_inbox
from nrm.referrals.services import (
    consent_record,
    consent_withdraw,
    referral_accept,
    referral_create,
    referral_decline,
)
from tests.factories import official, registered_case
from tests.referrals.conftest import TODAY

pytestmark = pytest.mark.django_db


def consent(world, case=None, **kwargs):
    values = {"given_by": "victim", "given_on": TODAY, "scope": ["all"], **kwargs}
    return consent_record(actor=world.worker, case=case or world.adult, **values)


def refer(world, case=None, **kwargs):
    values = {"service": "shelter", "provider": "shelter-ngo", **kwargs}
    return referral_create(actor=world.worker, case=case or world.adult, **values)


def test_a_victims_own_consent_does_not_count_for_a_child(world):
    with pytest.raises(Invalid) as refused:
        consent(world, case=world.child)
    assert refused.value.field == "given_by"
    assert "legal representative" in refused.value.message


def test_a_legal_representatives_consent_lets_a_named_official_refer_a_child(world):
    consent(world, case=world.child, given_by="legal_representative")
    referral = refer(world, case=world.child)
    assert referral.status == ReferralStatus.SENT


def test_a_colleague_not_named_on_a_childs_case_may_not_share_the_childs_identity(world):
    consent(world, case=world.child, given_by="legal_representative")
    colleague = official(Role.POLICE_INVESTIGATOR, world.police, username="colleague")
    with pytest.raises(NotAllowed):
        referral_create(actor=colleague, case=world.child, service="shelter", provider="shelter-ngo")
    assert not Referral.objects.exists()


def test_withdrawn_consent_blocks_new_referrals_and_cancels_unanswered_ones(world):
    given = consent(world)
    open_referral = refer(world)
    consent_withdraw(actor=world.worker, consent=given)
    open_referral.refresh_from_db()
    assert open_referral.status == ReferralStatus.CANCELLED
    with pytest.raises(Invalid) as refused:
        refer(world)
    assert refused.value.field == "consent"
    assert referral_inbox(user=world.shelter_staff)[0].person is None


def test_a_consent_limited_to_other_services_or_another_recipient_does_not_cover_the_referral(world):
    consent(world, scope=["medical"])
    consent(world, scope=["shelter"], recipient="clinic")
    with pytest.raises(Invalid) as refused:
        refer(world)
    assert refused.value.field == "consent"


def test_consent_cannot_be_dated_in_the_future_nor_name_an_unknown_service(world):
    with pytest.raises(Invalid) as future:
        consent(world, given_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(Invalid) as unknown:
        consent(world, scope=["spa"])
    assert (future.value.field, unknown.value.field) == ("given_on", "scope")


def test_vocational_training_is_refused_for_a_victim_under_sixteen(world):
    consent(world, case=world.child, given_by="legal_representative")
    with pytest.raises(Invalid) as refused:
        refer(world, case=world.child, service="vocational_training")
    assert refused.value.field == "service"


def test_a_vocational_referral_is_no_oracle_for_a_childs_sixteenth_birthday(world):
    # The attack: an official on the team who may not see the children refers each for
    # vocational training; refused for the 13-year-old and accepted for the 17-year-old,
    # or the day the answer turns, would tell their ages and so their birth dates.
    older = registered_case(world.worker, given_name="Older", birth_date=dt.date(2009, 1, 1),
                            child=True)
    colleague = official(Role.POLICE_INVESTIGATOR, world.police, username="colleague")
    assert not access.allows(colleague, access.Action.VIEW, access.Kind.IDENTITY, older)
    answers = []
    for case in (world.child, older):
        consent(world, case=case, given_by="legal_representative")
        with pytest.raises(Invalid) as refused:
            referral_create(actor=colleague, case=case, service="vocational_training",
                            provider="shelter-ngo")
        answers.append((refused.value.field, str(refused.value)))
    assert answers[0] == answers[1] and answers[0][0] == "service"
    assert "sixteen" not in answers[0][1]
    # The named official, who sees the child, refers the older child; the younger is refused.
    assert referral_create(actor=world.worker, case=older, service="vocational_training",
                           provider="shelter-ngo").pk


def test_each_service_gets_only_its_fields_and_the_read_is_audited_with_them(world):
    consent(world)
    refer(world, service="medical", provider="clinic")
    refer(world, service="interpretation", provider="clinic", language="ro")
    rows = {v.referral.service: v for v in referral_inbox(user=world.nurse)}
    assert rows["medical"].person == {"given_name": "Adulta", "family_name": "Sample",
                                      "birth_date": dt.date(1996, 2, 3)}
    assert rows["interpretation"].person is None  # the interpreter needs the language only
    assert rows["interpretation"].referral.language == "ro"
    read = AuditEvent.objects.filter(action="read", record_type="referrals.referral").last()
    assert read.fields == ["birth_date", "family_name", "given_name"]
    assert read.actor == world.nurse


def test_the_provider_sees_nothing_else_of_the_case_until_it_accepts(world):
    consent(world)
    referral = refer(world)
    assert not access.cases(world.shelter_staff).filter(pk=world.adult.pk).exists()
    referral_accept(actor=world.shelter_staff, referral=referral)
    assert CaseAssignment.objects.filter(
        case=world.adult, institution=world.shelter, capacity=Capacity.SERVICE_PROVIDER,
        ended_at__isnull=True).exists()
    assert access.cases(world.shelter_staff).filter(pk=world.adult.pk).exists()


def test_a_referral_is_answered_once(world):
    consent(world)
    referral = refer(world)
    referral_accept(actor=world.shelter_staff, referral=referral)
    with pytest.raises(Invalid) as refused:
        referral_decline(actor=world.shelter_staff, referral=referral, reason="no_capacity")
    assert refused.value.field == "status"


def test_declining_keeps_the_reason_and_an_other_reason_needs_a_note(world):
    consent(world)
    referral = refer(world)
    with pytest.raises(Invalid) as refused:
        referral_decline(actor=world.shelter_staff, referral=referral, reason="other")
    assert refused.value.field == "note"
    referral_decline(actor=world.shelter_staff, referral=referral, reason="other", note="closing")
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.decline_reason, stored.decline_note) == ("other", "closing")


def test_the_due_date_defaults_by_service(world):
    consent(world)
    assert refer(world, service="medical", provider="clinic").due_on == dt.date(2026, 6, 18)
    assert refer(world, service="psycho_social").due_on == dt.date(2026, 6, 29)


def test_the_inbox_reads_in_a_fixed_number_of_queries_however_many_referrals(world):
    consent(world)

    def count() -> int:
        user = type(world.shelter_staff).objects.get(pk=world.shelter_staff.pk)
        with CaptureQueriesContext(connection) as queries:
            referral_inbox(user=user)
        return len(queries)

    refer(world)
    one = count()
    for _ in range(4):
        refer(world)
    assert count() == one


def test_withdrawing_consent_takes_an_accepted_provider_off_the_case_team(world):
    given = consent(world)
    referral = refer(world)
    referral_accept(actor=world.shelter_staff, referral=referral)
    provider_on_team = CaseAssignment.objects.filter(
        case=world.adult, capacity=Capacity.SERVICE_PROVIDER, ended_at__isnull=True)
    assert provider_on_team.exists()
    assert access.cases(world.shelter_staff).filter(pk=world.adult.pk).exists()
    consent_withdraw(actor=world.worker, consent=given)
    assert not provider_on_team.exists()
    assert not access.cases(world.shelter_staff).filter(pk=world.adult.pk).exists()
    assert AuditEvent.objects.filter(action="unassign").exists()


def test_the_national_coordinator_sees_a_cases_plan_but_none_of_its_free_text(world):
    from nrm.referrals.selectors import care_plan, case_consents
    from nrm.referrals.services import goal_add
    from tests.factories import InstitutionFactory

    consent(world, note="Reach her at the flat above the bakery")
    goal_add(actor=world.worker, case=world.adult, area="housing",
             description="Move to the safe flat at Rruga X 5", owner="police-unit",
             due_on=TODAY)
    coordinator = official(Role.NATIONAL_COORDINATOR, InstitutionFactory(code="coordination"))
    goals = care_plan(user=coordinator, case=world.adult)
    assert [g.area for g in goals] == ["housing"] and goals[0].description is None
    assert case_consents(user=coordinator, case=world.adult)[0].note is None
    # The team still reads them, and that read is audited.
    assert care_plan(user=world.worker, case=world.adult)[0].description.startswith("Move")
    assert AuditEvent.objects.filter(action="read", record_type="referrals.careplangoal").count() == 1
