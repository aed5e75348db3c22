from __future__ import annotations

from django.conf import settings
from django.db import models

from nrm.crypto.fields import EncryptedTextField


class HtcdsFields(models.Model):
    """HTCDS fields a sending system gave that NRM's case model does not hold yet.

    Kept so that an import loses nothing. Picklists, dates and organisations go in
    `values`; free text and officials' names may identify someone, so they are encrypted
    in `text` and exported only with identity (Art. 18).
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
