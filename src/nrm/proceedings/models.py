from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.crypto.fields import EncryptedTextField


class MeasureKind(models.TextChoices):
    WITNESS_PROTECTION = "witness_protection", _("Witness protection (19.3)")
    ANONYMITY = "anonymity", _("Anonymity in proceedings")
    RESTRAINING_ORDER = "restraining_order", _("Restraining order")
    POLICE_SECURITY = "police_security", _("Police security at the shelter")
    IDENTITY_CHANGE = "identity_change", _("Change of identity (18.5)")


class ProtectionMeasure(models.Model):
    """A state protection measure: its existence and details are never disclosed (18.4, 18.6)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="protection_measures")
    kind = models.CharField(max_length=30, choices=MeasureKind.choices)
    ordered_on = models.DateField()
    ordered_by = models.ForeignKey(
        "authorities.Institution", on_delete=models.PROTECT, related_name="+"
    )
    details = EncryptedTextField(_("details"))
    ended_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"measure #{self.pk}"
