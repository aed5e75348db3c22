from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nrm.authorities.roles import InstitutionKind, Role


class Institution(models.Model):
    """An institution with a duty under the law; reference data, never personal data."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_sq = models.CharField(_("name in Albanian"), max_length=200, blank=True)
    name_sr = models.CharField(_("name in Serbian"), max_length=200, blank=True)
    kind = models.CharField(max_length=30, choices=InstitutionKind.choices)
    article = models.CharField(
        max_length=20, blank=True, help_text=_("The article that names this institution, e.g. 6.1.2")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    services = models.JSONField(
        default=list, blank=True, help_text=_("Service codes this institution provides to victims")
    )
    licence_number = models.CharField(max_length=60, blank=True)
    licence_valid_until = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        # Shown in the language of the page being rendered (sq, sr-latn, en).
        return self.localised_name(get_language() or "en")

    def localised_name(self, language: str) -> str:
        if language.startswith("sq") and self.name_sq:
            return self.name_sq
        if language.startswith("sr") and self.name_sr:
            return self.name_sr
        return self.name


class User(AbstractUser):
    """An official. Demo users exist only on demo installations (NRM_DEMO=1)."""

    is_demo = models.BooleanField(default=False)
    preferred_language = models.CharField(max_length=10, blank=True)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=30, choices=Role.choices)
    since = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "institution", "role"], name="one_role_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.institution.code}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
