from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nrm.authorities.roles import Role
from tests.factories import official

PASSWORD = "correct horse battery"


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post("/account/login/", {"username": username, "password": password})


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_outside_tests() -> None:
    from nrm.conf import settings as base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_a_signed_in_official_must_enrol_a_second_factor_before_seeing_anything(client) -> None:
    user = official(Role.SOCIAL_WORKER)
    assert sign_in(client, user.username).status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/account/two-factor/"
    page = client.get("/account/two-factor/")
    assert b"Set up your second factor" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/two-factor/", {"token": "000000" if current_code(device) != "000000" else "111111"})
    assert b"That code is not right" in response.content
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post("/account/two-factor/", {"token": current_code(device)})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed


@pytest.mark.django_db
def test_an_enrolled_official_is_asked_for_a_code_at_every_sign_in(client) -> None:
    user = official(Role.PROSECUTOR)
    device = TOTPDevice.objects.create(user=user, confirmed=True, name="phone")
    sign_in(client, user.username)
    page = client.get("/account/two-factor/")
    assert b"Enter the six-digit code" in page.content
    client.post("/account/two-factor/", {"token": current_code(device)})
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_demo_users_skip_the_second_factor_only_in_demo_mode(client, settings) -> None:
    user = official(Role.POLICE_INVESTIGATOR, is_demo=True)
    settings.NRM_DEMO = True
    sign_in(client, user.username)
    assert client.get("/").status_code == 200
    settings.NRM_DEMO = False
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account_out(client, settings) -> None:
    user = official(Role.VICTIM_ADVOCATE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, user.username, "wrong password")
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    # Even the right password is refused while the lockout lasts.
    assert sign_in(client, user.username).status_code == 429


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_and_secure_headers(client) -> None:
    response = client.get("/account/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_sign_in_form_is_protected_against_cross_site_requests() -> None:
    client = Client(enforce_csrf_checks=True)
    user = official(Role.SOCIAL_WORKER)
    assert sign_in(client, user.username).status_code == 403


def test_sessions_end_after_the_idle_limit(settings) -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 20 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_the_admin_signs_in_through_the_same_door(client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url.startswith("/account/login/")


@pytest.mark.django_db
def test_only_a_system_administrator_may_use_the_admin(client, settings) -> None:
    settings.NRM_DEMO = True
    admin = official(Role.SYSTEM_ADMIN, is_demo=True, is_staff=True)
    other = official(Role.SOCIAL_WORKER, is_demo=True, is_staff=True)
    sign_in(client, other.username)
    assert client.get("/admin/authorities/institution/").status_code == 302
    client.logout()
    sign_in(client, admin.username)
    assert client.get("/admin/authorities/institution/").status_code == 200


def test_the_admin_registers_no_model_that_holds_victims_data() -> None:
    from django.contrib import admin

    from nrm.crypto.fields import encrypted_fields

    for model in admin.site._registry:
        assert not encrypted_fields(model), model
        assert model._meta.app_label not in {"cases", "shelters", "proceedings", "audit"}, model


@pytest.mark.django_db
def test_the_admin_can_revoke_a_token_but_never_point_it_at_another_official(client, settings) -> None:
    from nrm.audit.models import AuditEvent
    from nrm.authorities.models import ApiToken
    from nrm.authorities.tokens import token_create

    settings.NRM_DEMO = True
    admin = official(Role.SYSTEM_ADMIN, is_demo=True, is_staff=True)
    investigator = official(Role.POLICE_INVESTIGATOR)
    token_create(user=admin)
    token = ApiToken.objects.get(user=admin)
    sign_in(client, admin.username)
    url = f"/admin/authorities/apitoken/{token.pk}/change/"
    assert client.get(url).status_code == 200
    client.post(url, {"user": investigator.pk, "expires_at_0": "2099-01-01",
                      "expires_at_1": "00:00:00", "revoke": "on"})
    token.refresh_from_db()
    assert token.user == admin  # the user field is not editable
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="token.revoke").exists()


@pytest.mark.django_db
def test_a_role_asked_for_in_the_admin_is_an_audited_request_that_opens_nothing_yet(
        client, settings) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from nrm.audit.models import AuditEvent
    from nrm.authorities import access
    from nrm.authorities.models import Membership
    from tests.factories import InstitutionFactory

    settings.NRM_DEMO = True
    admin = official(Role.SYSTEM_ADMIN, is_demo=True, is_staff=True)
    clerk = official(Role.HEALTH_WORKER)
    prosecution = InstitutionFactory(code="prosecution-x")
    membership = clerk.memberships.get()
    sign_in(client, admin.username)
    ends = (timezone.localdate() + timedelta(days=90)).isoformat()
    response = client.post(f"/admin/authorities/user/{clerk.pk}/change/", {
        "username": clerk.username, "first_name": "", "last_name": "", "email": "",
        "preferred_language": "", "is_active": "on", "is_staff": "",
        "memberships-TOTAL_FORMS": "2", "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": membership.pk, "memberships-0-user": clerk.pk,
        "memberships-1-user": clerk.pk, "memberships-1-institution": prosecution.pk,
        "memberships-1-role": "prosecutor", "memberships-1-expires_on": ends,
    })
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.filter(action="grant.request").get()
    assert event.detail["institution"] == "prosecution-x" and event.detail["role"] == "prosecutor"
    grant = Membership.grants.get(user=clerk, role=Role.PROSECUTOR)
    assert grant.granted_by == admin and grant.approved_at is None
    assert access.roles(type(clerk).objects.get(pk=clerk.pk)) == {Role.HEALTH_WORKER}
