"""Claims for compensation and the Commission that decides them (Chapter VI, Art. 39-44).

A claim is the source of the law engine's `case.compensation` fact; the engine proposes the
decision (42.4, 44) and the Commission adopts one in a session, by a recorded vote. Amounts
are Decimal to the cent, never floats.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nrm.crypto.fields import EncryptedTextField

CENT = Decimal("0.01")


class DeadlineName(models.TextChoices):
    CLAIM = "claim", _("Filing a claim (Art. 44.1, by the Criminal Procedure Code)")
    APPEAL = "appeal", _("Appealing a decision (Art. 42.9.4)")


class DeadlineParameter(models.Model):
    """A deadline in days, in force from a date: the law leaves it to other acts (44.1,
    42.9.4), so it is configured with the date an amendment takes effect, never a constant."""

    name = models.CharField(max_length=20, choices=DeadlineName.choices)
    valid_from = models.DateField()
    days = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True, help_text=_("The act that sets it"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "valid_from"], name="compensation_deadline_once")]

    def __str__(self) -> str:
        return f"{self.name} {self.days} days from {self.valid_from}"


class CommissionMember(models.Model):
    """A member of the Commission and the term they serve (42.7, 42.8)."""

    commission = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                   related_name="commission_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="commission_terms")
    term_start = models.DateField()
    term_end = models.DateField(null=True, blank=True)
    chair = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commission", "user", "term_start"],
                                               name="compensation_member_term_once")]

    def __str__(self) -> str:
        return f"{self.user} on {self.commission} from {self.term_start}"

    def serves_on(self, day: object) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)  # type: ignore[operator]


class Claimant(models.TextChoices):
    VICTIM = "victim", _("The victim")
    LEGAL_REPRESENTATIVE = "legal_representative", _("A child's legal representative (43)")
    DEPENDANT = "dependant", _("A dependant of a victim who died (42.2)")


class Basis(models.TextChoices):
    COURT_RESTITUTION = "court_restitution", _("Restitution ordered by a court (39.2.1, 40)")
    CIVIL_DAMAGES = "civil_damages", _("Damages in civil proceedings (39.2.2, 41)")
    STATE_COMPENSATION = "state_compensation", _("State compensation (39.2.3, 42)")


class Defendant(models.TextChoices):
    # The contract's codes for case.compensation.defendant (42.4).
    UNKNOWN = "unknown", _("Not identified")
    IDENTIFIED = "identified", _("Identified")
    PROSECUTED = "prosecuted", _("Prosecuted")
    CONVICTED = "convicted", _("Convicted")
    UNABLE_TO_PAY = "unable_to_pay", _("Unable to pay")


class ClaimStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    ON_AGENDA = "on_agenda", _("On a session's agenda")
    DECIDED = "decided", _("Decided")
    APPEALED = "appealed", _("Under appeal")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Claim(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="compensation_claims")
    commission = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                   related_name="compensation_claims")
    claimant = models.CharField(max_length=30, choices=Claimant.choices)
    claimant_name = EncryptedTextField(_("claimant's name"))
    basis = models.CharField(max_length=30, choices=Basis.choices)
    defendant = models.CharField(max_length=20, choices=Defendant.choices, blank=True)
    filed_on = models.DateField()
    # The day the filing deadline starts to run (the Criminal Procedure Code's event).
    time_runs_from = models.DateField()
    deadline_on = models.DateField(null=True, blank=True)
    # Restitution ordered by a court and the fines ordered on the same offender (40.2).
    restitution_ordered = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    fines_ordered = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.FILED)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_by_institution = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                             related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"claim {self.pk} on case {self.case_id}"

    @property
    def filed_late(self) -> bool:
        return self.deadline_on is not None and self.filed_on > self.deadline_on


class HarmKind(models.TextChoices):
    MATERIAL = "material", _("Material")
    PHYSICAL = "physical", _("Physical")
    EMOTIONAL = "emotional", _("Emotional")


class HarmItem(models.Model):
    """One harm assessed (41.1, 42.6), with its amount and the evidence for it."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="harms")
    kind = models.CharField(max_length=20, choices=HarmKind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    evidence = EncryptedTextField(_("evidence"))

    def __str__(self) -> str:
        return f"{self.kind} harm on claim {self.claim_id}"


class ClaimDocument(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    description = EncryptedTextField(_("document"))
    received_on = models.DateField()

    def __str__(self) -> str:
        return f"document {self.pk} of claim {self.claim_id}"


class Source(models.TextChoices):
    OFFENDER = "offender", _("The offender")
    INSURANCE = "insurance", _("Insurance")
    OTHER = "other", _("Another source")


class Receipt(models.Model):
    """What was already received (42.4.1 from the offender; 44.3 from any other source)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="receipts")
    source = models.CharField(max_length=20, choices=Source.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    received_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.source} receipt on claim {self.claim_id}"


class Session(models.Model):
    commission = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                   related_name="compensation_sessions")
    held_on = models.DateField()
    present = models.ManyToManyField(CommissionMember, blank=True, related_name="sessions_attended")

    def __str__(self) -> str:
        return f"session of {self.commission} on {self.held_on}"


class Decision(models.TextChoices):
    # The contract's codes for the engine's `compensation.decision` (42.4, 44).
    REFUSED = "refused", _("Refused")
    FULL = "full", _("Full compensation")
    ADDITIONAL = "additional", _("Additional compensation")
    NONE = "none", _("Nothing to pay")


class AgendaItem(models.Model):
    """A claim before a session, and the motion put to the vote: the engine's proposal,
    or a departure from it with its reason."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField()
    motion_decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    motion_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    motion_reason = EncryptedTextField(_("reason for departing from the proposal"))
    motion_grounds = models.JSONField(default=list, blank=True)
    proposed_decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    proposed_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    proposed_article = models.CharField(max_length=20, blank=True)
    proposed_arithmetic = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "claim"], name="compensation_item_once")]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"claim {self.claim_id} at session {self.session_id}"


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(CommissionMember, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(max_length=10, choices=VoteChoice.choices)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # One vote per member on each claim, kept by the database whatever the race.
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="compensation_vote_once")]

    def __str__(self) -> str:
        return f"vote of member {self.member_id} on item {self.item_id}"


class Ground(models.TextChoices):
    ORGANISED_CRIME = "organised_crime", _("Involvement in organised crime (44.2)")
    VIOLENT_ORGANISATION = "violent_organisation", _(
        "Membership of an organisation involved in crimes of violence (44.2)")
    DOUBLE_COMPENSATION = "double_compensation", _("Compensation received from another source (44.3)")
    LATE = "late", _("Filed after the deadline (44.1)")


GROUND_ARTICLE: dict[str, str] = {
    Ground.ORGANISED_CRIME: "44.2", Ground.VIOLENT_ORGANISATION: "44.2",
    Ground.DOUBLE_COMPENSATION: "44.3", Ground.LATE: "44.1",
}
REFUSAL_GROUNDS = frozenset({Ground.ORGANISED_CRIME, Ground.VIOLENT_ORGANISATION, Ground.LATE})
REDUCTION_GROUNDS = frozenset({Ground.DOUBLE_COMPENSATION})


class ClaimDecision(models.Model):
    """A decision adopted on a claim; an appeal that succeeds replaces it with a new one."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="decisions")
    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="decision")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    article = models.CharField(max_length=20)
    proposed_decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    proposed_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    departs = models.BooleanField(default=False)
    reason = EncryptedTextField(_("reason"))
    grounds = models.JSONField(default=list, blank=True)
    decided_on = models.DateField()
    appeal_deadline_on = models.DateField(null=True, blank=True)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by")
    decided_by_institution = models.ForeignKey("authorities.Institution", on_delete=models.PROTECT,
                                               related_name="+")
    # When the decision was entered (a session may be recorded days after it was held): the
    # published sums go by its year, which no later entry can back-date
    # (nrm.statistics.dashboard._awarded).
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.decision} on claim {self.claim_id} ({self.decided_on})"

    @property
    def in_force(self) -> bool:
        return not hasattr(self, "replaced_by")


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    REJECTED = "rejected", _("Rejected")
    SUCCEEDED = "succeeded", _("Succeeded")


class Appeal(models.Model):
    decision = models.ForeignKey(ClaimDecision, on_delete=models.PROTECT, related_name="appeals")
    lodged_on = models.DateField()
    grounds = EncryptedTextField(_("grounds of the appeal"))
    outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, default=AppealOutcome.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    new_decision = models.OneToOneField(ClaimDecision, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="from_appeal")

    def __str__(self) -> str:
        return f"appeal against decision {self.decision_id}"


class PaymentKind(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    MADE = "made", _("Made")


class Payment(models.Model):
    """An instalment ordered, or a payment made, on a decision."""

    decision = models.ForeignKey(ClaimDecision, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=10, choices=PaymentKind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    on = models.DateField()
    instalment = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} on decision {self.decision_id}"
