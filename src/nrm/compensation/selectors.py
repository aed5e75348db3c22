"""Reads: every one starts from the access policy's scope of claims.

The Commission sees a case only through a claim: its reference and the law engine's
proposal for the claim, never the case's facts, identity or legal state (42, 18). The case
team sees the claim and its decision; the claim's personal text (the claimant's name, the
evidence, the reasons) only where the policy shows it the person's identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.cases.legal import assessment_of
from nrm.cases.models import Case
from nrm.compensation.models import (
    Appeal,
    Basis,
    Claim,
    ClaimDecision,
    ClaimStatus,
    CommissionMember,
    Payment,
    PaymentKind,
    Session,
    Source,
)
from nrm.compensation.money import ZERO, from_cents
from nrm.errors import NotFound
from nrm.law import LawError

PERSONAL_FIELDS = ("claimant_name", "evidence", "documents", "reason", "appeal grounds")


@dataclass(frozen=True)
class Proposal:
    """The law engine's decision for a claim (42.4, 44), in exact euro; `error` names the
    fact that kept the engine from assessing (its field alone, never the value)."""

    decision: str | None
    amount: Decimal | None
    article: str | None
    arithmetic: dict[str, Decimal] | None = None
    error: str | None = None

    @property
    def label(self) -> str:
        from nrm.compensation.models import Decision

        return str(Decision(self.decision).label) if self.decision else ""


def proposal_for(claim: Claim, on: date | None = None) -> Proposal:
    """What the engine proposes today for the claim that is the case's `compensation` fact."""
    case = Case.objects.select_related("person").get(pk=claim.case_id)
    try:
        result = assessment_of(case, on or timezone.localdate()).compensation
    except LawError as exc:
        return Proposal(None, None, None, error=exc.field)
    if result is None:
        return Proposal(None, None, None)
    sums = getattr(result, "arithmetic", None)  # the engine's arithmetic, where it gives it
    arithmetic = None if sums is None else {
        "assessed_harm": from_cents(sums.assessed_harm_cents),
        "other_compensation": from_cents(sums.other_compensation_cents),
        "due": from_cents(sums.due_cents),
        "paid_by_defendant": from_cents(sums.paid_by_defendant_cents),
    }
    return Proposal(result.decision, from_cents(result.amount_cents), str(result.article), arithmetic)


def claims_scope(user: Any, action: Action = Action.VIEW) -> QuerySet[Claim]:
    return access.compensation_claims(user, action).select_related("case", "commission")


def claim_get(*, user: Any, claim_id: int, action: Action = Action.VIEW) -> Claim:
    claim = claims_scope(user, action).filter(pk=claim_id).first()
    if claim is None:
        raise NotFound("not found")
    return claim


def personal_visible(user: Any, claim: Claim) -> bool:
    """The Commission needs the claim's personal text to decide it; the case team sees it
    where it sees the person's identity (a child's only when named, 35.1.5)."""
    if claim.commission_id in access.commissions(user):
        return True
    return access.allows(user, Action.VIEW, Kind.IDENTITY, claim.case)


@dataclass
class PaymentSummary:
    due: Decimal
    ordered: Decimal
    paid: Decimal
    outstanding: Decimal  # never below zero
    overpaid: Decimal  # shown, never as a negative payment


def payment_summary(decision: ClaimDecision | None, payments: list[Payment]) -> PaymentSummary:
    due = decision.amount if decision is not None else ZERO
    ordered = sum((p.amount for p in payments if p.kind == PaymentKind.ORDERED), ZERO)
    paid = sum((p.amount for p in payments if p.kind == PaymentKind.MADE), ZERO)
    return PaymentSummary(due, ordered, paid, max(due - paid, ZERO), max(paid - due, ZERO))


@dataclass
class Allocation:
    """The offender's payments applied to court-ordered restitution before fines (40.2)."""

    restitution_ordered: Decimal
    restitution_paid: Decimal
    fines_ordered: Decimal
    fines_paid: Decimal


def allocate(paid: Decimal, restitution: Decimal, fines: Decimal) -> Allocation:
    to_restitution = min(paid, restitution)
    return Allocation(restitution, to_restitution, fines, min(paid - to_restitution, fines))


@dataclass
class ClaimView:
    claim: Claim
    personal: bool
    proposal: Proposal | None
    decision: ClaimDecision | None  # the one in force
    decisions: list[ClaimDecision]
    appeals: list[Appeal]
    payments: list[Payment]
    summary: PaymentSummary
    harm_total: Decimal
    received: dict[str, Decimal]
    allocation: Allocation | None
    fields: list[str] = field(default_factory=list)


def claim_view(*, user: Any, claim: Claim, audit: bool = True, purpose: str = "claim view",
               personal_shown: bool = True) -> ClaimView:
    """The claim as `user` may see it, audited as a read of exactly the fields shown
    (`personal_shown` False: the caller shows none of its personal text, as the case page)."""
    claim = (Claim.objects.filter(pk=claim.pk).select_related("case", "commission")
             .prefetch_related("harms", "receipts", "documents",
                               Prefetch("decisions", ClaimDecision.objects.order_by("pk")
                                        .select_related("replaced_by")))
             .get())
    decisions = list(claim.decisions.all())
    in_force = next((d for d in reversed(decisions) if d.in_force), None)
    appeals = list(Appeal.objects.filter(decision__claim=claim).order_by("pk"))
    payments = list(Payment.objects.filter(decision__claim=claim).order_by("on", "pk"))
    received = {source: sum((r.amount for r in claim.receipts.all() if r.source == source), ZERO)
                for source in Source.values}
    allocation = None
    if claim.restitution_ordered is not None or claim.fines_ordered is not None:
        allocation = allocate(received[Source.OFFENDER], claim.restitution_ordered or ZERO,
                              claim.fines_ordered or ZERO)
    personal = personal_visible(user, claim)
    proposal = proposal_for(claim) if claim.basis == Basis.STATE_COMPENSATION else None
    fields = ["claimant", "basis", "filed_on", "deadline_on", "harms.amount", "receipts",
              "decision", "payments", "proposal"]
    if personal and personal_shown:
        fields += list(PERSONAL_FIELDS)
    if audit:
        record(actor=user, action="read", record_type="compensation.claim", records=[claim],
               fields=fields, purpose=purpose)
    return ClaimView(claim, personal, proposal, in_force, decisions, appeals, payments,
                     payment_summary(in_force, payments),
                     sum((h.amount for h in claim.harms.all()), ZERO), received, allocation, fields)


def case_claims(*, user: Any, case: Case, personal_shown: bool = True,
                purpose: str = "case claims") -> list[ClaimView]:
    """A case's claims as the case team sees them."""
    return [claim_view(user=user, claim=c, purpose=purpose, personal_shown=personal_shown)
            for c in claims_scope(user).filter(case=case).order_by("pk")]


def queue(*, user: Any, status: str | None = None, limit: int = 200, offset: int = 0) -> list[Claim]:
    """The claims before the user's Commissions, by status (pseudonymous: no personal text,
    so no read of personal data to audit)."""
    rows = claims_scope(user).filter(commission_id__in=access.commissions(user))
    if status:
        rows = rows.filter(status=status)
    return list(rows.order_by("status", "filed_on", "pk")[offset:offset + limit])


def sessions_scope(user: Any) -> QuerySet[Session]:
    return Session.objects.filter(commission_id__in=access.commissions(user))


def session_get(*, user: Any, session_id: int) -> Session:
    session = (sessions_scope(user).filter(pk=session_id)
               .prefetch_related("present__user", "items__claim__case", "items__votes__member__user")
               .first())
    if session is None:
        raise NotFound("not found")
    return session


def next_session(*, user: Any) -> Session | None:
    return (sessions_scope(user).filter(held_on__gte=timezone.localdate()).order_by("held_on", "pk")
            .prefetch_related("items__claim__case", "items__votes__member__user", "present__user")
            .first())


def members_serving(commission_id: int, on: date) -> list[CommissionMember]:
    from django.db.models import Q

    return list(CommissionMember.objects.filter(commission_id=commission_id, term_start__lte=on)
                .filter(Q(term_end__isnull=True) | Q(term_end__gte=on)).select_related("user"))


def quorum(session: Session) -> int:
    """More than half of the members serving on the session's day, each person once."""
    return len({m.user_id for m in members_serving(session.commission_id, session.held_on)}) // 2 + 1


OPEN_STATUSES = (ClaimStatus.FILED, ClaimStatus.ON_AGENDA, ClaimStatus.APPEALED)


def item_get(*, user: Any, item_id: int, action: Action = Action.VIEW) -> Any:
    from nrm.compensation.models import AgendaItem

    item = (AgendaItem.objects.filter(pk=item_id, session__commission_id__in=access.commissions(user, action))
            .select_related("session", "claim").first())
    if item is None:
        raise NotFound("not found")
    return item


def decision_get(*, user: Any, decision_id: int, action: Action = Action.VIEW) -> ClaimDecision:
    decision = (ClaimDecision.objects.filter(pk=decision_id, claim__in=claims_scope(user, action))
                .select_related("claim").first())
    if decision is None:
        raise NotFound("not found")
    return decision


def appeal_get(*, user: Any, appeal_id: int, action: Action = Action.VIEW) -> Appeal:
    appeal = (Appeal.objects.filter(pk=appeal_id, decision__claim__in=claims_scope(user, action))
              .select_related("decision__claim").first())
    if appeal is None:
        raise NotFound("not found")
    return appeal
