"""Foreigners, safe return and cooperation (Art. 25-32, 37, 45, 48.3): the records.

These are the source of the law's facts `case.reflection`, `case.deportation_ordered_on`,
`case.return`, `case.wants_to_return` and `case.located` (nrm.returns.facts). Free text
about the person (the security assessment, what was shared abroad, an answer) is encrypted
and shown only where the person's identity is shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.crypto.fields import EncryptedTextField


class Recorded(models.Model):
    """Who recorded a row, as which institution, and when."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by_institution = models.ForeignKey(
        "authorities.Institution", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class ReflectionPeriod(Recorded):
    """A grant of a reflection period (20.2.9, 26, 31.3, 38.6); an extension is a grant too,
    following on from the one it extends."""

    start = models.DateField()
    days = models.PositiveSmallIntegerField()
    granted_by = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT, related_name="+")
    extends = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="extensions")

    class Meta:
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return f"reflection period of case {self.case_id} from {self.start}"


class RemovalOrder(Recorded):
    """A deportation or removal order applied to the person (31.3)."""

    ordered_on = models.DateField()
    issued_by = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["ordered_on", "id"]

    def __str__(self) -> str:
        return f"removal order on case {self.case_id}"


class ResidenceInformation(Recorded):
    """The person was told their residence options (Art. 25), and of safe return (29.1.2)."""

    informed_on = models.DateField()
    language = models.CharField(max_length=12, help_text=_("ISO 639 code of the language used"))
    interpreter = models.BooleanField(default=False)
    # 29.1.2: told also of a safe return and the help with it (a foreigner).
    safe_return = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"residence options told on case {self.case_id}"


class PermitKind(models.TextChoices):
    TEMPORARY_CHILD = "temporary_child", _("Temporary residence of a foreign child (37.6)")
    SHORT_TERM = "short_term", _("Short-term, while needed for proceedings (28.2)")
    HUMANITARIAN = "humanitarian", _("Humanitarian (27)")


PERMIT_ARTICLE = {PermitKind.TEMPORARY_CHILD: "37.6", PermitKind.SHORT_TERM: "28.2",
                  PermitKind.HUMANITARIAN: "27"}


class ResidencePermit(Recorded):
    kind = models.CharField(max_length=20, choices=PermitKind.choices)
    valid_from = models.DateField()
    valid_until = models.DateField()
    issued_by = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["valid_from", "id"]

    def __str__(self) -> str:
        return f"{self.kind} permit on case {self.case_id}"


class LivingSupport(Recorded):
    """Support for a foreigner without means of living (27.1)."""

    from_on = models.DateField()
    until_on = models.DateField(null=True, blank=True)
    provided_by = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"living support on case {self.case_id}"


class ReturnStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CARRIED_OUT = "carried_out", _("Carried out")
    CANCELLED = "cancelled", _("Cancelled")


class ReturnPlan(Recorded):
    """A planned return (29, 30, 37): where to, the person's wish, the checks made."""

    destination = models.CharField(max_length=2, help_text="ISO 3166 alpha-2")
    planned_on = models.DateField()
    wants_to_return = models.BooleanField()
    risk_assessed = models.BooleanField(default=False)
    risk_found = models.BooleanField(null=True, blank=True)
    risk_assessment = EncryptedTextField(_("risk and security assessment"))
    non_refoulement_checked = models.BooleanField(default=False)
    asylum_checked = models.BooleanField(default=False)
    # For a child (37): consent, and the best-interests determination (29.2).
    guardian_consent = models.BooleanField(default=False)
    receiving_authority_consent = models.BooleanField(default=False)
    best_interests_determined = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.PLANNED)
    carried_out_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return f"return plan #{self.pk} of case {self.case_id}"


class ConsularAssistance(Recorded):
    """A Kosovo citizen trafficked abroad, helped by a consular mission (Art. 32)."""

    mission = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT, related_name="+")
    country = models.CharField(max_length=2, help_text="ISO 3166 alpha-2 of where the person is")
    contacted_on = models.DateField()
    wants_to_return = models.BooleanField(null=True, blank=True)
    assistance = EncryptedTextField(_("assistance given"))
    travel_document_issued_on = models.DateField(null=True, blank=True)
    repatriated_on = models.DateField(null=True, blank=True)
    handed_over_to = models.ForeignKey("authorities.Institution", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["contacted_on", "id"]

    def __str__(self) -> str:
        return f"consular assistance #{self.pk} of case {self.case_id}"


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("To another country")
    INCOMING = "incoming", _("From another country")


class CooperationPurpose(models.TextChoices):
    LIFE_IN_DANGER = "life_in_danger", _("A presumed victim's life in danger abroad (45.3)")
    MISSING_PERSON = "missing_person", _("Search for a missing person (45.4)")
    MISSING_CHILD = "missing_child", _("Search for a missing child (45.4)")
    OTHER = "other", _("Other cooperation (45)")


class CooperationRequest(Recorded):
    """A request to or from another country's authority (Art. 45)."""

    direction = models.CharField(max_length=10, choices=Direction.choices)
    country = models.CharField(max_length=2, help_text="ISO 3166 alpha-2")
    authority = models.CharField(max_length=200)
    purpose = models.CharField(max_length=20, choices=CooperationPurpose.choices)
    sent_on = models.DateField()
    shares_identity = models.BooleanField(default=False)
    consent = models.ForeignKey("referrals.Consent", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    legal_basis = models.CharField(max_length=200, blank=True)
    shared = EncryptedTextField(_("what was shared"))
    answer = EncryptedTextField(_("answer"))
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"cooperation request #{self.pk} of case {self.case_id}"


class DocumentKey(models.Model):
    """Keyed hash of a person's document number, for the removal check to match by it
    without the number itself (kept by this app's services from the person's record)."""

    person = models.OneToOneField("cases.Person", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"document key of person #{self.person_id}"
