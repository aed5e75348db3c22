"""Indicator lists (reference data, Art. 12.2) and screenings of a case against them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.crypto.fields import EncryptedTextField


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    RETIRED = "retired", _("Retired")


class Strength(models.TextChoices):
    STRONG = "strong", _("Strong")
    MEDIUM = "medium", _("Medium")
    WEAK = "weak", _("Weak")


class Audience(models.TextChoices):
    ADULT = "adult", _("Adult")
    CHILD = "child", _("Child")


class Exploitation(models.TextChoices):
    LABOUR = "labour", _("Labour exploitation")
    SEXUAL = "sexual", _("Sexual exploitation")


class IndicatorList(models.Model):
    """One version of the indicator list the Government adopts (Art. 12.2).

    In force from `adopted_on` until `retired_on` for each audience and form of exploitation
    it has indicators for; retired lists stay, because screenings made with them cite them.
    """

    code = models.SlugField(max_length=40)
    version = models.CharField(max_length=40)
    title = models.CharField(_("title"), max_length=300)
    title_sq = models.CharField(_("title in Albanian"), max_length=300, blank=True)
    title_sr = models.CharField(_("title in Serbian (Latin)"), max_length=300, blank=True)
    source = models.TextField(_("source"))
    adopted_on = models.DateField(_("adopted on"))
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=ListStatus.choices, default=ListStatus.DRAFT)
    # Dimension code -> {"en", "sq", "sr"} titles; the rule's parameters (see rule.py).
    dimensions = models.JSONField(default=dict)
    rule = models.JSONField(_("combination rule"), default=dict)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-adopted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="one_list_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"

    def localised_title(self, language: str) -> str:
        if language.startswith("sq") and self.title_sq:
            return self.title_sq
        if language.startswith("sr") and self.title_sr:
            return self.title_sr
        return self.title


class Indicator(models.Model):
    indicator_list = models.ForeignKey(
        IndicatorList, on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField(max_length=40)
    dimension = models.CharField(max_length=40)
    strength = models.CharField(max_length=10, choices=Strength.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    exploitation = models.CharField(max_length=10, choices=Exploitation.choices)
    text = models.TextField(_("text"))
    text_sq = models.TextField(_("text in Albanian"), blank=True)
    text_sr = models.TextField(_("text in Serbian (Latin)"), blank=True)

    class Meta:
        ordering = ["indicator_list", "code"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_list", "code"], name="one_indicator_code_per_list"),
        ]
        indexes = [models.Index(fields=["indicator_list", "audience", "exploitation"])]

    def __str__(self) -> str:
        return self.code

    def localised_text(self, language: str) -> str:
        if language.startswith("sq") and self.text_sq:
            return self.text_sq
        if language.startswith("sr") and self.text_sr:
            return self.text_sr
        return self.text


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    REASONABLE_GROUNDS = "reasonable_grounds", _("Reasonable grounds")
    NO_REASONABLE_GROUNDS = "no_reasonable_grounds", _("No reasonable grounds")


class Screening(models.Model):
    """A screening of a case against the list in force, and the official's decision on it.

    The computed result only advises; the decision is the official's (Art. 9.2, 20.5).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="screenings")
    indicator_list = models.ForeignKey(
        IndicatorList, on_delete=models.PROTECT, related_name="screenings"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices)
    exploitation = models.CharField(max_length=10, choices=Exploitation.choices)
    screened_on = models.DateField(_("screened on"))
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screenings"
    )
    institution = models.ForeignKey(
        "authorities.Institution", on_delete=models.PROTECT, related_name="screenings"
    )
    observed = models.JSONField(default=list, help_text="Codes of the indicators observed")
    # Element code -> {"positive", "required", "counts", "positive_dimensions"}.
    result = models.JSONField(default=dict)
    meets_threshold = models.BooleanField(default=False)
    decision = models.CharField(max_length=25, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="screening_decisions",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Free text about the victim: encrypted at rest, shown as identity is (Art. 18, 35.1.5).
    grounds = EncryptedTextField(_("grounds for the decision"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-screened_on", "-id"]

    def __str__(self) -> str:
        return f"screening #{self.pk} of {self.case_id}"
