"""Centres and shelters, their units and the stays in them; licensed providers (Art. 23, 33).

Where a victim sleeps is protection data (18.4): a shelter's address is encrypted and shown
only through access.shelter_locations(). A stay (Placement) is the source of the law's
`case.accommodation` fact (nrm.shelters.facts): its lawful end is the law engine's, never
computed here.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.crypto.fields import EncryptedTextField


class Founder(models.TextChoices):
    """Who established the centre or shelter (23.2.1-23.2.4)."""

    GOVERNMENT = "government", _("Government, on the National Authority's proposal (23.2.1)")
    NATIONAL_AUTHORITY = "national_authority", _("National Authority (23.2.2)")
    NGO = "ngo", _("Non-governmental or international organisation (23.2.3)")
    JOINT = "joint", _("Authorities of Article 6 under a joint agreement (23.2.4)")


class ShelterService(models.TextChoices):
    """What a centre provides (23.1)."""

    ACCOMMODATION = "accommodation", _("Accommodation")
    HYGIENE = "hygiene", _("Personal hygiene")
    FOOD = "food", _("Food")
    URGENT_CARE = "urgent_care", _("Urgent care")
    LEGAL = "legal", _("Legal assistance")
    SOCIAL = "social", _("Social care")
    PSYCHOLOGICAL = "psychological", _("Psychological care")
    MEDICAL = "medical", _("Medical care")
    SAFETY = "safety", _("Safety and protection")
    FAMILY_CONTACT = "family_contact", _("Mediation and contact with family")


class Shelter(models.Model):
    """A shelter or centre run by a licensed NGO or the state (Art. 23, 33)."""

    operator = models.ForeignKey(
        "authorities.Institution", on_delete=models.PROTECT, related_name="shelters"
    )
    name = models.CharField(max_length=120, help_text=_("A working name that reveals no location"))
    # Where victims sleep: encrypted, and shown only to those who need it (18.4).
    address = EncryptedTextField(_("address"))
    # Kept for the records made before units: the beds are the units' capacities.
    capacity = models.PositiveIntegerField(default=0)
    accepts_children = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    founder = models.CharField(max_length=30, choices=Founder.choices, blank=True)
    # The National Authority's approval (23.2.3, 23.2.4): its date and reference.
    approved_on = models.DateField(null=True, blank=True)
    approval_reference = models.CharField(max_length=60, blank=True)
    services = models.JSONField(default=list)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    ADULTS = "adults", _("Adults")
    CHILDREN = "children", _("Children, apart from adults (38.7)")
    MOTHERS_WITH_CHILDREN = "mothers_with_children", _("Mothers with children")


class Unit(models.Model):
    """Beds of one kind in a shelter; children are accommodated apart from adults (38.7)."""

    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=30, choices=UnitKind.choices)
    capacity = models.PositiveIntegerField()
    # Beds taken, moved only by a conditional UPDATE in the admission and discharge services:
    # of two admissions to the last bed, the database lets exactly one through.
    occupied = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(occupied__lte=models.F("capacity")),
                                   name="shelters_unit_not_over_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.shelter} / {self.name}"


class Placement(models.Model):
    """A victim's stay in a shelter (Art. 23; children 38.7-38.8)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="placements")
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="placements")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="placements")
    admitted_on = models.DateField()
    # The assessed stay of 30 to 90 days (23.6); the lawful end is the law engine's.
    days = models.PositiveIntegerField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    destination = models.CharField(max_length=30, blank=True)
    referral = models.ForeignKey("referrals.Referral", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    admitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["case", "left_on"])]

    def __str__(self) -> str:
        return f"{self.case} in {self.shelter}"


class Destination(models.TextChoices):
    FAMILY = "family", _("Family")
    INDEPENDENT = "independent", _("Independent living")
    OTHER_SHELTER = "other_shelter", _("Another shelter")
    RETURN = "return", _("Return to the country of origin (Art. 29)")
    FOSTER_CARE = "foster_care", _("Foster or residential care (38.12)")
    LEFT_ON_OWN = "left_on_own", _("Left of own will")
    OTHER = "other", _("Other")


class ExtensionBasis(models.TextChoices):
    """The contract's bases of an extension (23.7.1-23.7.3)."""

    DOCTOR = "doctor", _("A doctor's recommendation during treatment (23.7.1)")
    PROCEEDINGS = "proceedings", _("A request of the prosecution or the court (23.7.2)")
    VICTIM_REQUEST = "victim_request", _("The victim's request (23.7.3)")


class Extension(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="extensions")
    basis = models.CharField(max_length=20, choices=ExtensionBasis.choices)
    days = models.PositiveIntegerField()
    # The recommendation or the request it rests on: a reference, never the document's text.
    document = models.CharField(max_length=120)
    granted_on = models.DateField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["granted_on", "id"]

    def __str__(self) -> str:
        return f"{self.basis} +{self.days}"


class SecurityRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# A request the police have not closed: asked, or answered and still running.
OPEN_SECURITY_REQUEST = (SecurityRequestStatus.OPEN, SecurityRequestStatus.ANSWERED)


class SecurityRequest(models.Model):
    """A shelter asks the police for assistance and safety (23.5); while it is open the police
    institution asked may see the shelter's address, and no longer."""

    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="security_requests")
    police = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                               related_name="shelter_security_requests")
    requested_on = models.DateField()
    reason = EncryptedTextField(_("reason"))
    status = models.CharField(max_length=10, choices=SecurityRequestStatus.choices,
                              default=SecurityRequestStatus.OPEN)
    response = EncryptedTextField(_("response"))
    answered_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")

    def __str__(self) -> str:
        return f"security request #{self.pk} ({self.status})"


class Licence(models.Model):
    """A provider's licence (33.3): new referrals need one in force."""

    institution = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                    related_name="licences")
    number = models.CharField(max_length=60)
    issued_by = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                  related_name="licences_issued")
    services = models.JSONField(default=list)
    valid_from = models.DateField()
    valid_until = models.DateField()
    suspended = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issued_by", "number"],
                                               name="shelters_licence_number_unique")]

    def __str__(self) -> str:
        return self.number


class Inspection(models.Model):
    """A monitoring or inspection visit to a provider (33.6), and the follow-up of its actions."""

    institution = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                    related_name="inspections")
    visited_on = models.DateField()
    inspector = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                  related_name="inspections_made")
    findings = models.TextField()
    required_actions = models.TextField(blank=True)
    follow_up_due = models.DateField(null=True, blank=True)
    followed_up_on = models.DateField(null=True, blank=True)
    follow_up_note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"inspection of {self.institution_id} on {self.visited_on}"


class ServiceContract(models.Model):
    """Services bought from a provider under public procurement (33.5)."""

    buyer = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                              related_name="service_contracts_bought")
    provider = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                 related_name="service_contracts")
    reference = models.CharField(max_length=60)
    services = models.JSONField(default=list)
    starts_on = models.DateField()
    ends_on = models.DateField()

    def __str__(self) -> str:
        return self.reference
