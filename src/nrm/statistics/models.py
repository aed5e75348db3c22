from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Release(models.Model):
    """Every publication of statistics: what left the system, to whom, how it was protected.

    The hash is of the exact bytes written, so a table found in the wild can be traced to
    the release it came from, and a release's parameters (k, rounding) can be checked.
    """

    released_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    what = models.CharField(max_length=200, help_text=_("The tables or product released"))
    recipient = models.CharField(max_length=200, help_text=_("To whom it was released"))
    channel = models.CharField(max_length=40, help_text=_("stats table, dashboard, report, ctdc export"))
    source = models.CharField(max_length=20)
    parameters = models.JSONField(default=dict)
    cells = models.PositiveIntegerField(default=0)
    suppressed = models.PositiveIntegerField(default=0)
    output_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-released_at", "-id"]

    def __str__(self) -> str:
        return f"release {self.pk}: {self.what} to {self.recipient}"


class AnalysisImport(models.Model):
    """One CTDC file loaded into the analysis store. Its records are anonymous, never cases."""

    sha256 = models.CharField(max_length=64, unique=True, help_text=_("Of the file's bytes"))
    name = models.CharField(max_length=255)
    layout = models.CharField(max_length=20)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rejections = models.JSONField(default=dict, help_text=_("Reason: number of rows"))

    def __str__(self) -> str:
        return f"{self.name} ({self.layout})"


class AnalysisRecord(models.Model):
    """An anonymous victim record from a CTDC file, in the CTDC's own vocabulary.

    Multi-valued CTDC fields (typeOfExploit) are kept as the one label the CTDC tables
    use, `;`-joined where a record has several, so a table counts each person once.
    """

    batch = models.ForeignKey(AnalysisImport, on_delete=models.CASCADE, related_name="records")
    line = models.PositiveIntegerField()
    year = models.CharField(max_length=12, blank=True)
    gender = models.CharField(max_length=20, blank=True)
    age_broad = models.CharField(max_length=12, blank=True)
    majority = models.CharField(max_length=10, blank=True)
    citizenship = models.CharField(max_length=40, blank=True)
    exploitation_country = models.CharField(max_length=40, blank=True)
    exploit = models.CharField(max_length=60, blank=True)
    extra = models.JSONField(default=dict, blank=True, help_text=_("The layout's other columns"))

    class Meta:
        indexes = [models.Index(fields=["batch", "year"])]

    def __str__(self) -> str:
        return f"record {self.line} of {self.batch_id}"
