"""API bearer tokens: made once, shown once, kept only as a hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from nrm.audit.services import record
from nrm.authorities.models import ApiToken, User

TOKEN_PREFIX = "nrm_"  # noqa: S105 - a public marker, not a secret


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str = "", days: int = 30, actor: User | None = None) -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        user=user, name=name, prefix=token[:12], key_hash=_digest(token),
        expires_at=timezone.now() + timedelta(days=days),
    )
    record(actor=actor or user, action="token.create", record_type="authorities.apitoken",
           records=[api_token], detail={"for": user.username, "days": days})
    return token


def token_user(token: str) -> User | None:
    """The active user a token belongs to, or None; expired and revoked tokens answer None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    api_token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_digest(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if api_token is None or not api_token.user.is_active:
        return None
    now = timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user
