from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.authorities.roles import Role
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


class AgeGroup(models.TextChoices):
    """The National Reporter's age bands (issue 15): the age on the day the case was registered."""

    UNDER_12 = "0-11", "0-11"
    UNDER_18 = "12-17", "12-17"
    UNDER_25 = "18-24", "18-24"
    UNDER_35 = "25-34", "25-34"
    UNDER_50 = "35-49", "35-49"
    OVER_50 = "50+", "50+"
    UNKNOWN = "unknown", _("Unknown")


class Region(models.TextChoices):
    """Where the person was identified: Kosovo's seven regions, or abroad; blank is unknown."""

    PRISHTINA = "prishtina", _("Prishtinë/Priština")
    MITROVICA = "mitrovica", _("Mitrovicë/Mitrovica")
    PEJA = "peja", _("Pejë/Peć")
    PRIZREN = "prizren", _("Prizren")
    FERIZAJ = "ferizaj", _("Ferizaj/Uroševac")
    GJILAN = "gjilan", _("Gjilan/Gnjilane")
    GJAKOVA = "gjakova", _("Gjakovë/Đakovica")
    ABROAD = "abroad", _("Abroad")


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
    # Where the person was identified: a quasi-identifier, shown only to those who may see
    # the person's identity (Art. 18); blank when not known.
    region = models.CharField(_("region where identified"), max_length=12, choices=Region.choices,
                              blank=True)
    # Derived from the encrypted birth date by nrm.cases.services (age_groups_follow) so
    # that national statistics may group by age in the database (issue 15). It moves with
    # the birth date, so no response, page or export shows it (the derivation rule,
    # docs/access.md): it is read only by the statistics' GROUP BY.
    age_group = models.CharField(max_length=7, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN,
                                 editable=False)
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

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ClosureReason(models.TextChoices):
    REINTEGRATED = "reintegrated", _("Reintegrated")
    RETURNED = "returned", _("Returned")
    TRANSFERRED = "transferred", _("Transferred")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    DECEASED = "deceased", _("Deceased")
    DECLINED_ASSISTANCE = "declined_assistance", _("Declined assistance")


class StageDecision(models.Model):
    """Every change of a case's stage: who decided, as which institution, when, on what grounds."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    decided_on = models.DateField()
    decided_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30, choices=Role.choices)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    grounds = EncryptedTextField(_("grounds"))

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_stage} -> {self.to_stage}"


class LegalState(models.Model):
    """The law engine's assessment of a case, as of the day it was last computed."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="legal_state")
    assessed_on = models.DateField()
    law_version = models.CharField(max_length=40)
    assessment = models.JSONField(default=dict)
    # A digest of the facts and the date, so that the nightly sweep rewrites only what changed.
    digest = models.CharField(max_length=64)
    error = models.TextField(blank=True, help_text=_("Why the facts could not be assessed"))
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"legal state of case {self.case_id} on {self.assessed_on}"


class DutyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    WITHDRAWN = "withdrawn", _("No longer owed")


class Duty(models.Model):
    """An obligation the law puts on a named institution for a case, with its due date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duties")
    code = models.CharField(max_length=40)
    article = models.CharField(max_length=20)
    institution = models.ForeignKey(
        "authorities.Institution", on_delete=models.PROTECT, related_name="duties"
    )
    due_on = models.DateField(null=True, blank=True, help_text=_("Empty: immediately"))
    status = models.CharField(max_length=10, choices=DutyStatus.choices, default=DutyStatus.OPEN)
    created_on = models.DateField()
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    note = EncryptedTextField(_("note"))

    class Meta:
        # One code may be owed under two articles (inform_of_rights: 20.2.1, and 35.1.4 for a child).
        constraints = [
            models.UniqueConstraint(fields=["case", "code", "article"], name="one_duty_per_provision")
        ]
        indexes = [models.Index(fields=["institution", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.code} ({self.article}) for case {self.case_id}"


class Alert(models.Model):
    """A violation the facts show: raised to the case team and the National Coordinator."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    code = models.CharField(max_length=40)
    article = models.CharField(max_length=20)
    raised_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "code", "article"], name="one_alert_per_provision")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.article}) on case {self.case_id}"


class Right(models.TextChoices):
    """The thirteen fundamental rights of Article 20.2 that must be explained (20.2.1, 35.1.4)."""

    INFORMATION = "information", _("Information on the proceedings and on all rights (20.2.1)")
    PARTY = "party", _("To be treated as a party in the procedure (20.2.2)")
    LEGAL_SERVICES = "legal_services", _("Free legal services (20.2.3)")
    TRANSLATION = "translation", _("Translation and interpretation in all phases (20.2.4)")
    PROTECTION = "protection", _("Protection of victims and witnesses (20.2.5)")
    PRIVACY = "privacy", _("Privacy and confidentiality (20.2.6)")
    LEGAL_REMEDIES = "legal_remedies", _("Legal remedies and assistance with them (20.2.7)")
    REFUGE = "refuge", _("Provisional refuge (20.2.8)")
    REFLECTION = "reflection", _("A reflection period of 30 to 90 days (20.2.9)")
    CARE = "care", _("Medical, psychological and social welfare services (20.2.10)")
    COMPENSATION = "compensation", _("Indemnity and compensation (20.2.11)")
    SENTENCING = "sentencing", _("Taking part in sentencing or being told the sentence (20.2.12)")
    RELEASE = "release", _("Being told of the defendant's release or escape (20.2.13)")


class RightsExplanation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rights_explained")
    right = models.CharField(max_length=20, choices=Right.choices)
    explained_on = models.DateField()
    explained_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=12, help_text=_("ISO 639 code of the language used"))
    interpreter = models.BooleanField(default=False)
    child_appropriate = models.BooleanField(
        default=False, help_text=_("Explained in a manner a child understands (35.1.4)")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.right} explained on case {self.case_id}"
