"""Role grants (issue 7, finding 3): nobody grants themselves a role, a second named person
approves every grant, grants end, and the auditor sees them all."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from nrm.audit.models import AuditEvent
from nrm.audit.services import verify
from nrm.authorities import access
from nrm.authorities.models import Institution, Membership, User
from nrm.authorities.roles import Role
from nrm.authorities.services import grant_approve, grant_request, grant_revoke
from nrm.errors import Invalid, NotAllowed
from tests.factories import InstitutionFactory, official, registered_case

PASSWORD = "correct horse battery"
TODAY = date(2026, 6, 1)
IN_90_DAYS = TODAY + timedelta(days=90)


@pytest.fixture(autouse=True)
def frozen(time_machine) -> None:
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def police() -> Institution:
    return Institution.objects.get(code="kosovo-police")


@pytest.fixture
def case(police):
    """An adult's case registered by Kosovo Police: any police investigator in force sees it."""
    return registered_case(official(Role.POLICE_INVESTIGATOR, police, username="registrar"))


@pytest.fixture
def admin(settings) -> User:
    settings.NRM_DEMO = True
    return official(Role.SYSTEM_ADMIN, InstitutionFactory(code="mia"), username="admin",
                    is_demo=True, is_staff=True)


@pytest.fixture
def second_admin() -> User:
    return official(Role.SYSTEM_ADMIN, InstitutionFactory(code="mia"), username="admin-2")


def fresh(user: User) -> User:
    """The user as a new request sees them (access.memberships caches per user object)."""
    return User.objects.get(pk=user.pk)


def sees_identities(user: User) -> bool:
    return access.identities(fresh(user)).exists()


def sign_in(client, user: User) -> None:
    assert client.post("/account/login/", {"username": user.username, "password": PASSWORD}).status_code == 302


def police_request(actor: User, user: User, police: Institution) -> Membership:
    return grant_request(actor=actor, user=user, institution=police,
                         role=Role.POLICE_INVESTIGATOR, expires_on=IN_90_DAYS)


@pytest.mark.django_db
def test_an_administrator_adding_police_to_their_own_account_in_the_admin_gets_nothing(
        client, admin, police, case) -> None:
    sign_in(client, admin)
    own = admin.memberships.get()
    page = client.get(f"/admin/authorities/user/{admin.pk}/change/")
    assert page.status_code == 200
    assert page.context["inline_admin_formsets"][0].formset.max_num == 0  # no row to add
    response = client.post(f"/admin/authorities/user/{admin.pk}/change/", {
        "username": admin.username, "first_name": "", "last_name": "", "email": "",
        "preferred_language": "", "is_active": "on", "is_staff": "on",
        "memberships-TOTAL_FORMS": "2", "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": own.pk, "memberships-0-user": admin.pk,
        "memberships-0-institution": own.institution_id, "memberships-0-role": "system_admin",
        "memberships-1-user": admin.pk, "memberships-1-institution": police.pk,
        "memberships-1-role": "police_investigator", "memberships-1-expires_on": IN_90_DAYS.isoformat(),
    })
    assert response.status_code == 302  # saved, but without the police row
    assert not Membership.grants.filter(user=admin, role=Role.POLICE_INVESTIGATOR).exists()
    assert not sees_identities(admin)


@pytest.mark.django_db
def test_nobody_may_ask_for_a_role_for_themselves(admin, police) -> None:
    with pytest.raises(NotAllowed):
        police_request(admin, admin, police)
    assert not Membership.grants.filter(user=admin, role=Role.POLICE_INVESTIGATOR).exists()


@pytest.mark.django_db
def test_a_self_grant_written_past_the_services_opens_nothing_until_a_different_person_approves(
        admin, second_admin, police, case) -> None:
    written = Membership.grants.create(user=admin, institution=police, role=Role.POLICE_INVESTIGATOR,
                                       expires_on=IN_90_DAYS, granted_at=timezone.now())
    assert not sees_identities(admin)
    with pytest.raises(NotAllowed):
        grant_approve(actor=admin, grant=written)
    # Nor can it be marked approved by its holder in the database itself.
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.grants.filter(pk=written.pk).update(approved_by=admin, approved_at=timezone.now())
    assert not sees_identities(admin)
    grant_approve(actor=second_admin, grant=written)
    assert sees_identities(admin)


@pytest.mark.django_db
def test_whoever_asked_for_a_grant_may_not_approve_it_nor_may_its_holder(
        admin, second_admin, police, case) -> None:
    clerk = official(Role.HEALTH_WORKER, username="clerk")
    grant = police_request(admin, clerk, police)
    for approver in (admin, clerk):
        with pytest.raises(NotAllowed):
            grant_approve(actor=fresh(approver), grant=grant)
    grant.refresh_from_db()
    assert grant.approved_at is None and not sees_identities(clerk)


@pytest.mark.django_db
def test_an_official_who_is_neither_an_administrator_nor_the_receiving_head_may_not_approve(
        admin, police, case) -> None:
    clerk = official(Role.HEALTH_WORKER, username="clerk")
    grant = police_request(admin, clerk, police)
    other_head = official(Role.PROSECUTOR, InstitutionFactory(code="state-prosecutor"),
                          username="chief-prosecutor")
    other_head.memberships.update(heads_institution=True)
    unrelated = [
        official(Role.POLICE_INVESTIGATOR, police, username="colleague"),  # police, not its head
        official(Role.AUDITOR, username="auditor"),
        official(Role.NATIONAL_COORDINATOR, username="coordinator"),
        other_head,  # the head of another institution
    ]
    for approver in unrelated:
        with pytest.raises(NotAllowed):
            grant_approve(actor=fresh(approver), grant=grant)
    assert not sees_identities(clerk)


@pytest.mark.django_db
def test_a_second_administrator_approves_and_the_role_is_in_force(admin, second_admin, police, case) -> None:
    clerk = official(Role.HEALTH_WORKER, username="clerk")
    grant = police_request(admin, clerk, police)
    assert not sees_identities(clerk)
    grant_approve(actor=second_admin, grant=grant)
    grant.refresh_from_db()
    assert grant.approved_by == second_admin and grant.state(TODAY) == "in_force"
    assert Role.POLICE_INVESTIGATOR in access.roles(fresh(clerk))
    assert list(access.identities(fresh(clerk))) == [case]


@pytest.mark.django_db
def test_the_head_of_the_receiving_institution_approves_its_roles_but_no_oversight_role(
        admin, police, case) -> None:
    head = official(Role.POLICE_INVESTIGATOR, police, username="police-chief")
    head.memberships.update(heads_institution=True)
    clerk = official(Role.HEALTH_WORKER, username="clerk")
    grant = police_request(admin, clerk, police)
    grant_approve(actor=fresh(head), grant=grant)
    assert sees_identities(clerk)
    # A head may not make an administrator, nor another head.
    admin_grant = grant_request(actor=admin, user=clerk, institution=police,
                                role=Role.SYSTEM_ADMIN, expires_on=None)
    with pytest.raises(NotAllowed):
        grant_approve(actor=fresh(head), grant=admin_grant)
    with pytest.raises(NotAllowed):
        grant_request(actor=fresh(head), user=clerk, institution=police,
                      role=Role.SOCIAL_WORKER, expires_on=IN_90_DAYS, heads_institution=True)


@pytest.mark.django_db
def test_a_grant_that_opens_personal_data_must_end_and_no_later_than_the_maximum(
        admin, police, settings) -> None:
    clerk = official(Role.HEALTH_WORKER, username="clerk")
    for expires_on in (None, TODAY - timedelta(days=1),
                       TODAY + timedelta(days=settings.NRM_GRANT_MAX_DAYS + 1)):
        with pytest.raises(Invalid) as refused:
            grant_request(actor=admin, user=clerk, institution=police,
                          role=Role.POLICE_INVESTIGATOR, expires_on=expires_on)
        assert refused.value.field == "expires_on"
    # The database holds to it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.grants.create(user=clerk, institution=police, role=Role.PROSECUTOR)


@pytest.mark.django_db
def test_an_expired_grant_opens_nothing(admin, second_admin, police, case, time_machine) -> None:
    clerk = official(Role.HEALTH_WORKER, username="clerk")
    grant_approve(actor=second_admin, grant=police_request(admin, clerk, police))
    time_machine.move_to(dt.datetime.combine(IN_90_DAYS, dt.time(12), tzinfo=dt.UTC), tick=False)
    assert sees_identities(clerk)  # the last day is still in force
    time_machine.move_to(dt.datetime.combine(IN_90_DAYS + timedelta(days=1), dt.time(9), tzinfo=dt.UTC),
                         tick=False)
    assert not sees_identities(clerk)
    assert Role.POLICE_INVESTIGATOR not in access.roles(fresh(clerk))
    assert not fresh(clerk).memberships.filter(role=Role.POLICE_INVESTIGATOR).exists()


@pytest.mark.django_db
def test_a_revoked_grant_opens_nothing_and_stays_for_review(admin, second_admin, police, case) -> None:
    clerk = official(Role.HEALTH_WORKER, username="clerk")
    grant = police_request(admin, clerk, police)
    grant_approve(actor=second_admin, grant=grant)
    assert sees_identities(clerk)
    grant_revoke(actor=admin, grant=grant)
    assert not sees_identities(clerk)
    grant.refresh_from_db()
    assert grant.state(TODAY) == "revoked" and grant.revoked_by == admin
    with pytest.raises(Invalid):
        grant_approve(actor=second_admin, grant=grant)


@pytest.mark.django_db
def test_a_second_administrator_approves_in_the_admin_and_the_auditor_sees_every_grant_read_only(
        client, admin, second_admin, police, case) -> None:
    clerk = official(Role.HEALTH_WORKER, username="clerk")
    approved = police_request(admin, clerk, police)
    pending = grant_request(actor=admin, user=clerk, institution=police, role=Role.SOCIAL_WORKER,
                            expires_on=IN_90_DAYS)
    revoked = grant_request(actor=admin, user=clerk, institution=police, role=Role.PROSECUTOR,
                            expires_on=IN_90_DAYS)
    grant_revoke(actor=admin, grant=revoked)
    second_admin.is_demo, second_admin.is_staff = True, True
    second_admin.save()
    sign_in(client, second_admin)
    response = client.post("/admin/authorities/membership/", {
        "action": "approve", "_selected_action": [approved.pk], "index": 0})
    assert response.status_code == 302
    assert sees_identities(clerk)
    client.logout()

    auditor = official(Role.AUDITOR, username="auditor", is_demo=True, is_staff=True)
    sign_in(client, auditor)
    page = client.get("/admin/authorities/membership/")
    assert page.status_code == 200
    listed = set(page.context["cl"].result_list)
    assert {approved, pending, revoked} <= listed
    assert listed == set(Membership.grants.all())  # every grant, whatever its state
    for state, grant in (("pending", pending), ("in_force", approved), ("revoked", revoked)):
        filtered = client.get(f"/admin/authorities/membership/?state={state}")
        assert grant in filtered.context["cl"].result_list, state
    assert page.context["action_form"] is None  # no approve or revoke for the auditor
    client.post("/admin/authorities/membership/", {
        "action": "approve", "_selected_action": [pending.pk], "index": 0})
    pending.refresh_from_db()
    assert pending.approved_at is None
    # The rest of the admin stays closed to the auditor.
    assert client.get("/admin/authorities/institution/").status_code == 403


@pytest.mark.django_db
def test_an_official_who_reviews_no_grant_is_kept_out_of_the_grant_list(client, settings) -> None:
    settings.NRM_DEMO = True
    clerk = official(Role.SOCIAL_WORKER, username="clerk", is_demo=True, is_staff=True)
    sign_in(client, clerk)
    assert client.get("/admin/authorities/membership/").status_code == 302


@pytest.mark.django_db
def test_every_grant_action_is_in_the_audit_chain(admin, second_admin, police) -> None:
    clerk = official(Role.HEALTH_WORKER, username="clerk")
    grant = police_request(admin, clerk, police)
    grant_approve(actor=second_admin, grant=grant)
    grant_revoke(actor=admin, grant=grant)
    events = list(AuditEvent.objects.filter(record_type="authorities.membership").order_by("id"))
    assert [(e.action, e.actor_username) for e in events] == [
        ("grant.request", "admin"), ("grant.approve", "admin-2"), ("grant.revoke", "admin")]
    assert all(e.record_ids == [str(grant.pk)] for e in events)
    assert events[0].detail == {"user": "clerk", "institution": "kosovo-police",
                                "role": "police_investigator", "heads_institution": False,
                                "expires_on": IN_90_DAYS.isoformat()}
    assert verify().ok



@pytest.mark.django_db
def test_a_grant_is_renewed_before_it_ends_but_not_asked_for_twice(admin, second_admin, police) -> None:
    clerk = official(Role.HEALTH_WORKER, username="clerk")
    grant_approve(actor=second_admin, grant=police_request(admin, clerk, police))
    with pytest.raises(Invalid):
        police_request(admin, clerk, police)  # held until that very day already
    renewal = grant_request(actor=admin, user=clerk, institution=police, role=Role.POLICE_INVESTIGATOR,
                            expires_on=IN_90_DAYS + timedelta(days=90))
    with pytest.raises(Invalid):
        grant_request(actor=admin, user=clerk, institution=police, role=Role.POLICE_INVESTIGATOR,
                      expires_on=IN_90_DAYS + timedelta(days=120))  # one request at a time
    assert renewal.state(TODAY) == "pending"


@pytest.mark.django_db
def test_an_administrator_cannot_set_another_officials_password_and_sign_in_as_them(client) -> None:
    """Found on a running server: the admin reset a police officer's password in the admin,
    signed in as them and read a child's identity, and the reset left no audit entry."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from nrm.audit.models import AuditEvent
    from nrm.authorities.models import User
    from tests.factories import official

    admin_user = official(Role.SYSTEM_ADMIN, is_staff=True)
    police = official(Role.POLICE_INVESTIGATOR)
    device = TOTPDevice.objects.create(user=admin_user, name="test", confirmed=True)
    client.force_login(admin_user)
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    old_hash = User.objects.get(pk=police.pk).password
    page = client.get(f"/admin/authorities/user/{police.pk}/password/")
    assert page.status_code == 403
    posted = client.post(f"/admin/authorities/user/{police.pk}/password/",
                         {"password1": "Owned-by-admin-2026!x", "password2": "Owned-by-admin-2026!x",
                          "usable_password": "true"})
    assert posted.status_code == 403
    assert User.objects.get(pk=police.pk).password == old_hash
    assert AuditEvent.objects.filter(action="denied", actor=admin_user,
                                     record_type="authorities.user").exists()
