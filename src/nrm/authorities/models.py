from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
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


# Roles whose grants open no victim's data (the audit log, reference data), so they may be
# held without an end date; every other role's grant ends on a date (Art. 18).
OPEN_ENDED_ROLES = frozenset({Role.AUDITOR, Role.SYSTEM_ADMIN})


class GrantQuerySet(models.QuerySet["Membership"]):
    """Grants by state. Expiry is by date alone: nothing has to run for a grant to end."""

    def pending(self) -> GrantQuerySet:
        return self.filter(approved_at__isnull=True, revoked_at__isnull=True)

    def revoked(self) -> GrantQuerySet:
        return self.filter(revoked_at__isnull=False)

    def expired(self, on: date) -> GrantQuerySet:
        return self.filter(revoked_at__isnull=True, expires_on__lt=on)

    def in_force(self, on: date) -> GrantQuerySet:
        """Approved, never revoked, and not past its last day (`expires_on` is inclusive)."""
        return self.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=on),
            approved_at__isnull=False, revoked_at__isnull=True,
        )

    def expiring(self, on: date, days: int) -> GrantQuerySet:
        return self.in_force(on).filter(expires_on__lte=on + timedelta(days=days))


class InForceManager(models.Manager["Membership"]):
    """The default manager, so `user.memberships` anywhere reads only grants in force today.

    A pending, expired or revoked grant is thus invisible to every check that asks what an
    official holds, not only to the access policy. Every grant, whatever its state, is
    read through `Membership.grants` (the admin, the review list, the grant services).
    """

    def get_queryset(self) -> GrantQuerySet:
        return GrantQuerySet(self.model, using=self._db).in_force(timezone.localdate())


class Membership(models.Model):
    """A role an official holds in an institution: a grant, in force once a second person
    approves it (see authorities/services.py), until it expires or is revoked."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=30, choices=Role.choices)
    heads_institution = models.BooleanField(
        _("heads the institution"), default=False,
        help_text=_("The head approves grants of roles in their own institution"),
    )
    since = models.DateField(auto_now_add=True)
    # Migrated grants have granted_at and approved_at of the migration and no one named.
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    granted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(
        _("last day in force"), null=True, blank=True,
        help_text=_("Required for every role that opens personal data"),
    )
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InForceManager()
    grants = GrantQuerySet.as_manager()

    class Meta:
        constraints = [
            # One open request per role; a renewal after expiry or revocation is a new grant.
            models.UniqueConstraint(
                fields=["user", "institution", "role"], name="one_pending_grant",
                condition=Q(approved_at__isnull=True, revoked_at__isnull=True),
            ),
            # Even written past the services, no grant is asked for or approved by its holder,
            # nor approved by whoever asked for it.
            models.CheckConstraint(
                condition=Q(granted_by__isnull=True) | ~Q(granted_by=F("user")),
                name="grant_not_requested_by_holder"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("user")),
                name="grant_not_approved_by_holder"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(granted_by__isnull=True)
                | ~Q(approved_by=F("granted_by")),
                name="grant_not_approved_by_requester"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=False) | Q(role__in=sorted(OPEN_ENDED_ROLES)),
                name="personal_data_grant_expires",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.institution.code}"

    def state(self, on: date) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_on is not None and self.expires_on < on:
            return "expired"
        if self.approved_at is None:
            return "pending"
        return "in_force"


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
