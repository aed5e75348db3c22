from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.crypto.fields import EncryptedTextField


class Shelter(models.Model):
    """A shelter or centre run by a licensed NGO or the state (Art. 23, 33)."""

    operator = models.ForeignKey(
        "authorities.Institution", on_delete=models.PROTECT, related_name="shelters"
    )
    name = models.CharField(max_length=120, help_text=_("A working name that reveals no location"))
    # Where victims sleep: encrypted, and shown only to those who need it (18.4).
    address = EncryptedTextField(_("address"))
    capacity = models.PositiveIntegerField(default=0)
    accepts_children = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    """A victim's stay in a shelter (Art. 23; children 38.7-38.8)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="placements")
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="placements")
    admitted_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.case} in {self.shelter}"
