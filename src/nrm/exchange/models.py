from __future__ import annotations

from django.conf import settings
from django.db import models

from nrm.crypto.fields import EncryptedTextField


class HtcdsFields(models.Model):
    """HTCDS fields a sending system gave that NRM's case model does not hold yet.

    Kept so that an import loses nothing. Picklists, dates and checkboxes go in `values`;
    every free-text field (names, places, organisations, details) may point to someone, so
    it is encrypted in `text` and exported only with identity (Art. 18), whatever the path
    it came in by.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="htcds")
    values = models.JSONField(default=dict, blank=True)
    text = EncryptedTextField("free-text HTCDS fields (JSON)")

    def __str__(self) -> str:
        return f"HTCDS fields of case #{self.case_id}"


class MergeDecision(models.Model):
    """The decision that two cases are the same person's: who decided, when, and why.

    A merge is a recorded decision, never a silent update (Art. 18: the merged case stays,
    read-only, as the record of what was registered).
    """

    kept = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="merge_decision"
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="merge_decisions")
    institution = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                    related_name="merge_decisions")
    decided_at = models.DateTimeField(auto_now_add=True)
    grounds = EncryptedTextField("grounds for the merge")

    def __str__(self) -> str:
        return f"case #{self.merged_id} merged into #{self.kept_id}"


class ImportJob(models.Model):
    """A large HTCDS import, run in the background batch by batch (each batch its own short
    transaction, so pages and the API keep answering), resumable from the last batch
    committed. The file was checked whole before the job was created."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="import_jobs")
    institution = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                    related_name="import_jobs")
    role = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # The validated rows as JSON: personal data, so encrypted like any identity.
    rows = EncryptedTextField("the file's rows (JSON)")
    rows_total = models.PositiveIntegerField()
    rows_done = models.PositiveIntegerField(default=0)
    batch_size = models.PositiveIntegerField()
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"import job #{self.pk} ({self.status}, {self.rows_done}/{self.rows_total})"

    def results(self) -> list[dict[str, object]]:
        return [{"source": r.source, "reference": r.case.reference,
                 "possible_duplicates": r.possible_duplicates}
                for r in self.registered.select_related("case").order_by("row")]


class ImportJobRow(models.Model):
    """A row an import job registered, committed in the same batch as its case."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="registered")
    row = models.PositiveIntegerField()
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    source = EncryptedTextField("the sender's case number")
    possible_duplicates = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "row"], name="import_row_once")]

    def __str__(self) -> str:
        return f"row {self.row} of import job #{self.job_id}"
