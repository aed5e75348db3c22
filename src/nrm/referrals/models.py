"""Referrals to services, the victim's consent to share, and the care plan.

Art. 20, 21, 22, 31: victims are referred to protection and assistance services and
helped from rehabilitation to reintegration. Art. 18.3: nothing the victim tells a
professional reaches a third person without the victim's consent, or for a child the
legal representative's; a referral therefore shares only what the service needs, and
only under a recorded consent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.crypto.fields import EncryptedTextField


class Service(models.TextChoices):
    SHELTER = "shelter", _("Shelter")  # Art. 23
    MEDICAL = "medical", _("Medical care")  # Art. 31.2
    PSYCHO_SOCIAL = "psycho_social", _("Psycho-social support")  # Art. 21, 22
    LEGAL_AID = "legal_aid", _("Free legal aid")  # Art. 20.2.3
    INTERPRETATION = "interpretation", _("Interpretation and translation")  # Art. 20.2.4
    EDUCATION = "education", _("Education")  # Art. 38.10
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")  # Art. 24
    RETURN_ASSISTANCE = "return_assistance", _("Return assistance")  # Art. 29


SERVICE_ARTICLE: dict[str, str] = {
    Service.SHELTER: "23",
    Service.MEDICAL: "31.2",
    Service.PSYCHO_SOCIAL: "21",
    Service.LEGAL_AID: "20.2.3",
    Service.INTERPRETATION: "20.2.4",
    Service.EDUCATION: "38.10",
    Service.VOCATIONAL_TRAINING: "24",
    Service.RETURN_ASSISTANCE: "29",
}

# The person's identity fields each service needs, and no more (Art. 18.1, 18.3). No
# service gets the address, which is where the victim was found or lives; an interpreter
# needs no identity at all, only the language (Art. 20.2.4), kept on the referral.
SERVICE_FIELDS: dict[str, tuple[str, ...]] = {
    Service.SHELTER: ("given_name", "family_name", "birth_date", "contact"),
    Service.MEDICAL: ("given_name", "family_name", "birth_date"),
    Service.PSYCHO_SOCIAL: ("given_name", "family_name", "contact"),
    Service.LEGAL_AID: ("given_name", "family_name", "birth_date", "contact"),
    Service.INTERPRETATION: (),
    Service.EDUCATION: ("given_name", "family_name", "birth_date"),
    Service.VOCATIONAL_TRAINING: ("given_name", "family_name", "birth_date", "contact"),
    Service.RETURN_ASSISTANCE: ("given_name", "family_name", "birth_date", "document_number"),
}

# Days a provider has to answer, by service. The law sets no number: it asks for
# "immediate" referral (31.3, and for children 38.3), so these are operating defaults,
# not legal deadlines. A shelter place is needed the same night; a doctor within days.
DUE_DAYS: dict[str, int] = {
    Service.SHELTER: 1,
    Service.MEDICAL: 3,
}
DUE_DAYS_OTHERWISE = 14

# Vocational training is for victims over sixteen (Art. 24).
VOCATIONAL_TRAINING_MIN_AGE = 16

ALL_SERVICES = "all"


class ConsentGiver(models.TextChoices):
    VICTIM = "victim", _("The victim")
    # For a child, only the legal representative's consent counts (Art. 18.3, 38.5).
    LEGAL_REPRESENTATIVE = "legal_representative", _("The legal representative")


class Consent(models.Model):
    """Consent to share with a service provider (Art. 18.3); withdrawn, never deleted."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="consents")
    given_by = models.CharField(max_length=30, choices=ConsentGiver.choices)
    given_on = models.DateField()
    # Service codes, or ["all"].
    scope = models.JSONField(default=list)
    # When set, the consent covers sharing with this institution only.
    recipient = models.ForeignKey(
        "authorities.Institution", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_institution = models.ForeignKey(
        "authorities.Institution", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    note = EncryptedTextField(_("note"))

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"consent #{self.pk} on {self.case_id}"

    def covers(self, service: str, provider_id: int) -> bool:
        in_scope = ALL_SERVICES in self.scope or service in self.scope
        return in_scope and (self.recipient_id is None or self.recipient_id == provider_id)


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed (not yet sent; the provider sees nothing)")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses in which the provider still has the shared fields before it.
SHARED_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)
OPEN_STATUSES = (ReferralStatus.PROPOSED, ReferralStatus.SENT)


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible for this service")
    SERVICE_UNAVAILABLE = "service_unavailable", _("Service not available")
    VICTIM_UNREACHABLE = "victim_unreachable", _("The victim could not be reached")
    OTHER = "other", _("Other")


class Referral(models.Model):
    """One referral of a case to one service at one provider, with its decision."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    service = models.CharField(max_length=30, choices=Service.choices)
    provider = models.ForeignKey(
        "authorities.Institution", on_delete=models.PROTECT, related_name="referrals_received"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_by_institution = models.ForeignKey(
        "authorities.Institution", on_delete=models.PROTECT, related_name="referrals_made"
    )
    referred_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=30, choices=DeclineReason.choices, blank=True)
    decline_note = EncryptedTextField(_("reason for declining"))
    # What the provider may read of the person, fixed when the referral is sent.
    shared_fields = models.JSONField(default=list)
    # The language the victim understands, for interpretation (Art. 20.2.4); not identity.
    language = models.CharField(max_length=20, blank=True)
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["provider", "status"])]

    def __str__(self) -> str:
        return f"referral #{self.pk} ({self.service})"


class GoalArea(models.TextChoices):
    REHABILITATION = "rehabilitation", _("Rehabilitation")  # Art. 21
    REINTEGRATION = "reintegration", _("Reintegration")  # Art. 22
    EDUCATION = "education", _("Education")  # Art. 22, 38.10
    EMPLOYMENT = "employment", _("Employment")  # Art. 22, 24
    HOUSING = "housing", _("Housing")  # Art. 22
    HEALTH = "health", _("Health")  # Art. 21, 31.2
    LEGAL = "legal", _("Legal")  # Art. 20.2.3, 21
    FAMILY = "family", _("Family")  # Art. 23.1, 38.11


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class CarePlanGoal(models.Model):
    """A goal of the victim's plan from rehabilitation (Art. 21) to reintegration (Art. 22)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="care_plan")
    area = models.CharField(max_length=20, choices=GoalArea.choices)
    description = EncryptedTextField(_("description"))
    owner_institution = models.ForeignKey(
        "authorities.Institution", on_delete=models.PROTECT, related_name="+"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    note = EncryptedTextField(_("note"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised on each change; an update naming an older version is refused, not lost.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"goal #{self.pk} ({self.area})"
