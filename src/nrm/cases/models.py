from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.crypto.fields import EncryptedDateField, EncryptedTextField

# Fields of Person that identify someone; encrypted at rest and shown only as the access
# policy allows (Art. 18, 35.1.5).
IDENTITY_FIELDS = (
    "given_name", "family_name", "birth_date", "contact", "document_number", "address",
)


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Person(models.Model):
    """A presumed or identified victim. One person may have several cases."""

    given_name = EncryptedTextField(_("given name"))
    family_name = EncryptedTextField(_("family name"))
    birth_date = EncryptedDateField(_("date of birth"))
    contact = EncryptedTextField(_("contact details"))
    document_number = EncryptedTextField(_("identity document number"))
    address = EncryptedTextField(_("address"))
    # Pseudonymous attributes: enough for the law engine and statistics, never a name.
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    citizenship = models.CharField(max_length=2, blank=True, help_text="ISO 3166 alpha-2; XK = Kosovo")
    facts = models.JSONField(default=dict, blank=True, help_text="The contract's other person facts")
    # Keyed hash of normalised name and birth date: finds the same person registered twice
    # without revealing who (never the name itself).
    match_key = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"person #{self.pk}"


class Stage(models.TextChoices):
    SCREENING = "screening", _("Screening")
    PRESUMED_VICTIM = "presumed_victim", _("Presumed victim")
    IDENTIFIED = "identified", _("Identified")
    DECLINED = "declined", _("Identification declined")
    ASSISTED = "assisted", _("Assisted")
    REINTEGRATED = "reintegrated", _("Reintegrated")
    RETURNED = "returned", _("Returned")
    CLOSED = "closed", _("Closed")


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    registered_by = models.ForeignKey(
        "authorities.Institution", on_delete=models.PROTECT, related_name="registered_cases"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SCREENING)
    # Kept current from the law engine's assessment; drives the child rules of access.
    child = models.BooleanField(default=False)
    facts = models.JSONField(default=dict, blank=True, help_text="The contract's case facts")
    testimony = EncryptedTextField(_("testimony"))
    # Set when this case was found to be the same person's case as another and merged
    # into it; the merged case stays, read-only, as the record of what was registered.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases"
    )
    # Demo and training cases never reach national statistics.
    demo = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class Capacity(models.TextChoices):
    LEAD = "lead", _("Lead agency")
    IDENTIFICATION = "identification", _("Identification")
    CASE_MANAGEMENT = "case_management", _("Case management")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    PROCEEDINGS = "proceedings", _("Criminal proceedings")
    RESIDENCE = "residence", _("Residence and return")
    CONSULAR = "consular", _("Consular assistance")
    COMPENSATION = "compensation", _("Compensation")


class CaseAssignment(models.Model):
    """Who is on a case's team: an institution as a whole, or one named official in it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    institution = models.ForeignKey(
        "authorities.Institution", on_delete=models.PROTECT, related_name="assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="assignments",
    )
    capacity = models.CharField(max_length=20, choices=Capacity.choices)
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["institution", "case"]), models.Index(fields=["user", "case"])]

    def __str__(self) -> str:
        return f"{self.case} — {self.institution.code} ({self.capacity})"


class ReferenceCounter(models.Model):
    """The last case number given in a year: NRM-2026-000123 says nothing about the person."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)
