"""Writes: claims, the Commission's sessions and votes, decisions, appeals and payments.

Each write is one transaction with its audit event, acting as the membership
access.acting() answers. A write that changes the claim the law engine reads (its harm,
what was received, the defendant) makes the case's legal state follow at once. Bad input is
refused with Invalid naming the field, before anything is stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Acting, Action, Kind
from nrm.authorities.models import Institution, User
from nrm.authorities.roles import InstitutionKind, Role
from nrm.cases.models import Case
from nrm.cases.services import legal_state_follow
from nrm.compensation.models import (
    GROUND_ARTICLE,
    REDUCTION_GROUNDS,
    REFUSAL_GROUNDS,
    AgendaItem,
    Appeal,
    AppealOutcome,
    Basis,
    Claim,
    Claimant,
    ClaimDecision,
    ClaimDocument,
    ClaimStatus,
    CommissionMember,
    DeadlineName,
    DeadlineParameter,
    Decision,
    Defendant,
    Ground,
    HarmItem,
    HarmKind,
    Payment,
    PaymentKind,
    Receipt,
    Session,
    Source,
    Vote,
    VoteChoice,
)
from nrm.compensation.money import LAW_MAX_EURO, ZERO, euro
from nrm.compensation.selectors import Proposal, members_serving, proposal_for, quorum
from nrm.errors import Conflict, Invalid, NotAllowed

COMMISSION_ROLES = (Role.COMMISSION_MEMBER,)


def _today() -> dt.date:
    return timezone.localdate()


def _choice(field: str, value: str, choices: Any) -> str:
    if value not in choices.values:
        raise Invalid(field, _("unknown code %(code)s; one of: %(choices)s")
                      % {"code": repr(value), "choices": ", ".join(choices.values)})
    return value


def _not_future(field: str, day: dt.date) -> dt.date:
    if day > _today():
        raise Invalid(field, _("%(date)s is in the future") % {"date": day.isoformat()})
    return day


def _text(field: str, value: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(field, _("this is required"))
    if len(value) > 4000:
        raise Invalid(field, _("at most 4000 characters"))
    return value


def deadline(name: str, on: dt.date) -> DeadlineParameter | None:
    """The deadline parameter in force on a day (44.1, 42.9.4), if one is configured."""
    return DeadlineParameter.objects.filter(name=name, valid_from__lte=on).order_by("-valid_from").first()


def _as_commission(actor: User, commission_id: int) -> Acting:
    return access.acting(actor, roles=COMMISSION_ROLES, institution_id=commission_id)


def _acting_on_claim(actor: User, claim: Claim) -> Acting:
    """A member of the claim's Commission acts as it; anyone else as the case team."""
    if claim.commission_id in access.commissions(actor, Action.CHANGE):
        return _as_commission(actor, claim.commission_id)
    return access.acting(actor, case=claim.case, kind=Kind.COMPENSATION_CLAIM)


def _follow(claim: Claim) -> None:
    # The claim is the law's `case.compensation` fact: the legal state follows at once.
    legal_state_follow(case_id=claim.case_id)


# -- Claims (39, 41, 42, 43, 44.1) ---------------------------------------------------------------


def _harms(items: list[dict[str, Any]]) -> list[HarmItem]:
    rows = []
    for n, item in enumerate(items):
        kind = _choice(f"harms.{n}.kind", item.get("kind", ""), HarmKind)
        amount = euro(f"harms.{n}.amount", item.get("amount"))
        evidence = _text(f"harms.{n}.evidence", item.get("evidence", ""))
        rows.append(HarmItem(kind=kind, amount=amount, evidence=evidence))
    return rows


def _receipt(field: str, item: dict[str, Any]) -> Receipt:
    return Receipt(source=_choice(f"{field}.source", item.get("source", ""), Source),
                   amount=euro(f"{field}.amount", item.get("amount")),
                   received_on=_not_future(f"{field}.received_on", item["received_on"]))


@transaction.atomic
def claim_file(
    *,
    actor: User,
    case: Case,
    commission: str,
    claimant: str,
    claimant_name: str,
    basis: str,
    filed_on: dt.date,
    time_runs_from: dt.date,
    harms: list[dict[str, Any]],
    receipts: list[dict[str, Any]] | None = None,
    documents: list[dict[str, Any]] | None = None,
    defendant: str = "",
    restitution_ordered: Any = None,
    fines_ordered: Any = None,
) -> Claim:
    """File a claim with the Commission. Nothing here asks for the claimant's immigration
    status or whether they returned home: neither prevents compensation (42.5)."""
    acting = access.acting(actor, case=case, kind=Kind.COMPENSATION_CLAIM)
    _choice("claimant", claimant, Claimant)
    if case.child and claimant == Claimant.VICTIM:
        raise Invalid("claimant", _("a child's claim is made by the legal representative (43.2)"))
    name = _text("claimant_name", claimant_name)
    _choice("basis", basis, Basis)
    if defendant:
        _choice("defendant", defendant, Defendant)
    _not_future("filed_on", filed_on)
    if time_runs_from > filed_on:
        raise Invalid("time_runs_from", _("the deadline cannot start after the claim was filed"))
    body = Institution.objects.filter(code=commission, active=True,
                                      kind=InstitutionKind.COMPENSATION_COMMISSION).first()
    if body is None:
        raise Invalid("commission", _("no active Compensation Commission has the code %(code)s")
                      % {"code": repr(commission)})
    if not harms:
        raise Invalid("harms", _("name at least one harm assessed, with its evidence (42.6)"))
    harm_rows = _harms(harms)
    receipt_rows = [_receipt(f"receipts.{n}", r) for n, r in enumerate(receipts or [])]
    _within_the_law("harms", [h.amount for h in harm_rows])
    _within_the_law("receipts", [r.amount for r in receipt_rows])
    document_rows = [
        ClaimDocument(description=_text(f"documents.{n}.description", d.get("description", "")),
                      received_on=_not_future(f"documents.{n}.received_on", d["received_on"]))
        for n, d in enumerate(documents or [])
    ]
    restitution = None if restitution_ordered in (None, "") else euro("restitution_ordered", restitution_ordered)
    fines = None if fines_ordered in (None, "") else euro("fines_ordered", fines_ordered)
    parameter = deadline(DeadlineName.CLAIM, filed_on)
    claim = Claim.objects.create(
        case=case, commission=body, claimant=claimant, claimant_name=name, basis=basis,
        defendant=defendant, filed_on=filed_on, time_runs_from=time_runs_from,
        deadline_on=None if parameter is None else time_runs_from + dt.timedelta(days=parameter.days),
        restitution_ordered=restitution, fines_ordered=fines,
        filed_by=actor, filed_by_institution_id=acting.institution_id,
    )
    for row in [*harm_rows, *receipt_rows, *document_rows]:
        row.claim = claim
    HarmItem.objects.bulk_create(harm_rows)
    Receipt.objects.bulk_create(receipt_rows)
    ClaimDocument.objects.bulk_create(document_rows)
    record(actor=actor, action="create", record_type="compensation.claim", records=[claim],
           fields=["claimant", "claimant_name", "basis", "filed_on", "time_runs_from", "harms"]
           + (["receipts"] if receipt_rows else []) + (["documents"] if document_rows else [])
           + (["defendant"] if defendant else []), acting=acting)
    _follow(claim)
    return claim


def _within_the_law(field: str, amounts: list[Decimal]) -> None:
    # A total the law engine would reject as impossible would leave the whole case without a
    # legal state (no duties, no prohibitions): refuse it here, naming the field.
    if sum(amounts, ZERO) > LAW_MAX_EURO:
        raise Invalid(field, _("the total is not a possible amount"))


def _check_version(claim: Claim, version: int | None) -> None:
    if version is not None and version != claim.version:
        raise Conflict(_("the claim changed since you read it; reload it"), field="version")


@transaction.atomic
def claim_update(*, actor: User, claim: Claim, version: int | None = None, defendant: str | None = None,
                 receipts: list[dict[str, Any]] | None = None) -> Claim:
    """Record the defendant's status as it becomes known, or a further amount received."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    acting = _acting_on_claim(actor, claim)
    _check_version(claim, version)
    if claim.status == ClaimStatus.WITHDRAWN:
        raise Conflict(_("the claim was withdrawn"), field="status")
    fields = []
    if defendant is not None:
        claim.defendant = _choice("defendant", defendant, Defendant) if defendant else ""
        fields.append("defendant")
    rows = [_receipt(f"receipts.{n}", r) for n, r in enumerate(receipts or [])]
    _within_the_law("receipts", [*claim.receipts.values_list("amount", flat=True), *[r.amount for r in rows]])
    for row in rows:
        row.claim = claim
    Receipt.objects.bulk_create(rows)
    if rows:
        fields.append("receipts")
    claim.version += 1
    claim.save(update_fields=["defendant", "version"])
    record(actor=actor, action="update", record_type="compensation.claim", records=[claim],
           fields=fields, acting=acting)
    _follow(claim)
    return claim


@transaction.atomic
def claim_withdraw(*, actor: User, claim: Claim, version: int | None = None) -> Claim:
    """The claimant withdraws a claim not yet decided: it is no longer the law's
    `case.compensation` fact, and the legal state follows."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    acting = access.acting(actor, case=claim.case, kind=Kind.COMPENSATION_CLAIM)
    _check_version(claim, version)
    if claim.status not in (ClaimStatus.FILED, ClaimStatus.ON_AGENDA):
        raise Conflict(_("only a claim not yet decided may be withdrawn"), field="status")
    if AgendaItem.objects.filter(claim=claim, votes__isnull=False).exists():
        raise Conflict(_("the Commission has begun voting on this claim"), field="status")
    claim.status = ClaimStatus.WITHDRAWN
    claim.version += 1
    claim.save(update_fields=["status", "version"])
    record(actor=actor, action="update", record_type="compensation.claim", records=[claim],
           fields=["status"], acting=acting)
    _follow(claim)
    return claim


# -- The Commission: members, sessions, votes (42.7-42.9) -------------------------------------

# How long after its day a session may still be recorded.
SESSION_RECORDED_WITHIN_DAYS = 30


@transaction.atomic
def member_appoint(*, actor: User, commission: Institution, user: User, term_start: dt.date,
                   term_end: dt.date | None = None, chair: bool = False) -> CommissionMember:
    """The Government appoints the members (42.7, 42.8); the system's administrator records
    the appointment, for an official who holds the Commission member's role there."""
    acting = access.acting(actor, roles=(Role.SYSTEM_ADMIN,))
    if commission.kind != InstitutionKind.COMPENSATION_COMMISSION:
        raise Invalid("commission", _("this institution is not a Compensation Commission"))
    if commission.pk not in access.commissions(user):
        raise Invalid("user", _("the official holds no Commission member's role at this Commission"))
    if term_end is not None and term_end < term_start:
        raise Invalid("term_end", _("a term cannot end before it starts"))
    overlapping = CommissionMember.objects.filter(commission=commission, user=user).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=term_start))
    if term_end is not None:
        overlapping = overlapping.filter(term_start__lte=term_end)
    if overlapping.exists():
        # One person, one seat: an overlapping second term would count them twice.
        raise Conflict(_("the official already holds a term at this Commission in that period"),
                       field="term_start")
    try:
        with transaction.atomic():
            member = CommissionMember.objects.create(commission=commission, user=user, term_start=term_start,
                                                     term_end=term_end, chair=chair)
    except IntegrityError:
        raise Conflict(_("this term is already recorded"), field="term_start") from None
    record(actor=actor, action="create", record_type="compensation.member", records=[member],
           fields=["user", "term_start", "term_end", "chair"], acting=acting)
    return member


@transaction.atomic
def session_plan(*, actor: User, commission_id: int, held_on: dt.date) -> Session:
    acting = _as_commission(actor, commission_id)
    # The quorum is counted among the members serving on the session's day: a day chosen in
    # the past, when fewer served, would let one member decide alone.
    if held_on < timezone.localdate() - dt.timedelta(days=SESSION_RECORDED_WITHIN_DAYS):
        raise Invalid("held_on", _("a session is recorded at most %(days)s days after it is held")
                      % {"days": SESSION_RECORDED_WITHIN_DAYS})
    session = Session.objects.create(commission_id=commission_id, held_on=held_on)
    record(actor=actor, action="create", record_type="compensation.session", records=[session],
           fields=["held_on"], acting=acting)
    return session


def _snapshot(item: AgendaItem, proposal: Proposal) -> None:
    item.proposed_decision = proposal.decision or ""
    item.proposed_amount = proposal.amount
    item.proposed_article = proposal.article or ""
    item.proposed_arithmetic = (None if proposal.arithmetic is None
                                else {k: str(v) for k, v in proposal.arithmetic.items()})


@transaction.atomic
def agenda_add(*, actor: User, session: Session, claim: Claim) -> AgendaItem:
    """Put a claim on a session's agenda; the motion is the law engine's proposal."""
    acting = _as_commission(actor, session.commission_id)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.commission_id != session.commission_id:
        raise Invalid("claim", _("the claim was filed with another Commission"))
    if claim.basis != Basis.STATE_COMPENSATION:
        raise Invalid("claim", _("only a claim for state compensation comes before the Commission (42)"))
    if claim.status not in (ClaimStatus.FILED, ClaimStatus.APPEALED):
        raise Conflict(_("the claim is not waiting for a session"), field="claim")
    if claim.filed_on > session.held_on:
        raise Invalid("claim", _("a session cannot decide a claim filed after its day"))
    if AgendaItem.objects.filter(session=session, claim=claim).exists():
        raise Conflict(_("the claim is already on this agenda"), field="claim")
    position = (session.items.aggregate(last=Max("position"))["last"] or 0) + 1
    item = AgendaItem(session=session, claim=claim, position=position)
    proposal = proposal_for(claim, session.held_on)
    _snapshot(item, proposal)
    item.motion_decision = item.proposed_decision
    item.motion_amount = item.proposed_amount
    item.save()
    if claim.status == ClaimStatus.FILED:
        claim.status = ClaimStatus.ON_AGENDA
        claim.save(update_fields=["status"])
    record(actor=actor, action="create", record_type="compensation.agenda_item", records=[item],
           fields=["claim", "proposal"], acting=acting)
    return item


def _check_decision(claim: Claim, *, decision: str, amount: Any, reason: str, grounds: list[str],
                    proposed_decision: str, proposed_amount: Decimal | None) -> tuple[Decimal, bool, str]:
    """A decision as the law allows it: grounds with their articles (44.1-44.3), and a
    recorded reason wherever it departs from the engine's proposal. Answers the amount,
    whether it departs, and the article it rests on."""
    _choice("decision", decision, Decision)
    money = euro("amount", amount)
    for n, ground in enumerate(grounds):
        _choice(f"grounds.{n}", ground, Ground)
    if decision in (Decision.REFUSED, Decision.NONE) and money != ZERO:
        raise Invalid("amount", _("a refusal, or nothing to pay, has the amount 0"))
    if decision == Decision.REFUSED and not REFUSAL_GROUNDS & set(grounds):
        raise Invalid("grounds", _("a refusal names its ground: involvement in organised or violent "
                                   "crime (44.2) or a late claim (44.1)"))
    if (decision != Decision.REFUSED and proposed_amount is not None and money < proposed_amount
            and not REDUCTION_GROUNDS & set(grounds)):
        raise Invalid("grounds", _("a reduction names its ground: compensation from another source (44.3)"))
    departs = decision != proposed_decision or money != proposed_amount
    if departs and not (reason or "").strip():
        raise Invalid("reason", _("the decision departs from the law's proposal: record the reason"))
    if not departs:
        article = ""
    elif decision == Decision.REFUSED:
        article = GROUND_ARTICLE[sorted(REFUSAL_GROUNDS & set(grounds))[0]]
    elif decision == Decision.ADDITIONAL:
        article = "42.4.1"
    elif decision == Decision.NONE:
        article = "42.2"
    else:
        article = "42.4.2" if claim.defendant in (Defendant.CONVICTED, Defendant.UNABLE_TO_PAY) else "42.4.3"
    return money, departs, article


@transaction.atomic
def motion_set(*, actor: User, item: AgendaItem, decision: str, amount: Any, reason: str = "",
               grounds: list[str] | None = None) -> AgendaItem:
    """Put a decision other than the proposal to the vote, with its reason; never once the
    vote has begun."""
    item = AgendaItem.objects.select_for_update().select_related("claim", "session").get(pk=item.pk)
    acting = _as_commission(actor, item.session.commission_id)
    if item.votes.exists() or hasattr(item, "decision"):
        raise Conflict(_("the vote on this claim has begun: the motion can no longer change"), field="decision")
    money, _departs, _article = _check_decision(
        item.claim, decision=decision, amount=amount, reason=reason, grounds=grounds or [],
        proposed_decision=item.proposed_decision, proposed_amount=item.proposed_amount)
    item.motion_decision, item.motion_amount = decision, money
    item.motion_reason, item.motion_grounds = (reason or "").strip(), sorted(set(grounds or []))
    item.save()
    record(actor=actor, action="update", record_type="compensation.agenda_item", records=[item],
           fields=["motion"] + (["reason"] if reason else []), acting=acting)
    return item


def _member_for(actor: User, session: Session) -> CommissionMember:
    member = next((m for m in members_serving(session.commission_id, session.held_on) if m.user_id == actor.pk),
                  None)
    if member is None:
        raise NotAllowed(_("you are not a member of this Commission serving on the session's day"))
    return member


@transaction.atomic
def session_attend(*, actor: User, session: Session, members: list[int]) -> Session:
    """Record who is present: members serving on the session's day (the quorum's count)."""
    acting = _as_commission(actor, session.commission_id)
    serving = {m.pk: m for m in members_serving(session.commission_id, session.held_on)}
    me = _member_for(actor, session)
    for n, member_id in enumerate(members):
        if member_id not in serving:
            raise Invalid(f"members.{n}", _("not a member serving on the session's day"))
        if member_id != me.pk and not me.chair:
            # Presence makes the quorum: each member records their own, the chair anyone's.
            raise NotAllowed(_("only the chair records another member's presence"),
                             field=f"members.{n}")
    session.present.add(*[serving[m] for m in members])
    record(actor=actor, action="update", record_type="compensation.session", records=[session],
           fields=["present"], acting=acting)
    return session


@transaction.atomic
def vote_cast(*, actor: User, item: AgendaItem, choice: str) -> Vote:
    """One vote per member on each claim: the database refuses a second one, so two
    members voting at once both count and one member voting twice is refused."""
    item = AgendaItem.objects.select_related("session").get(pk=item.pk)
    acting = _as_commission(actor, item.session.commission_id)
    _choice("choice", choice, VoteChoice)
    if hasattr(item, "decision"):
        raise Conflict(_("the claim is already decided"), field="choice")
    member = _member_for(actor, item.session)
    present = set(item.session.present.values_list("pk", flat=True))
    if member.pk not in present:
        raise Invalid("present", _("record your presence at the session before voting"))
    needed = quorum(item.session)
    if len(present) < needed:
        raise Invalid("quorum", _("%(present)s of the %(needed)s members needed are present: no quorum")
                      % {"present": len(present), "needed": needed})
    try:
        with transaction.atomic():
            vote = Vote.objects.create(item=item, member=member, choice=choice)
    except IntegrityError:
        raise Conflict(_("you have already voted on this claim"), field="choice") from None
    record(actor=actor, action="create", record_type="compensation.vote", records=[vote],
           fields=["choice"], acting=acting)
    return vote


def _appeal_days(on: dt.date) -> dt.date | None:
    parameter = deadline(DeadlineName.APPEAL, on)
    return None if parameter is None else on + dt.timedelta(days=parameter.days)


@transaction.atomic
def decision_adopt(*, actor: User, item: AgendaItem) -> ClaimDecision:
    """Adopt the motion on a claim: only after a vote, with the quorum voting, by a
    majority of the votes for."""
    item = AgendaItem.objects.select_for_update().select_related("claim", "session").get(pk=item.pk)
    acting = _as_commission(actor, item.session.commission_id)
    if hasattr(item, "decision"):
        raise Conflict(_("the claim is already decided"), field="decision")
    if item.session.held_on > timezone.localdate():
        raise Invalid("held_on", _("the session has not been held yet"))
    votes = list(item.votes.values_list("choice", flat=True))
    if not votes:
        raise Invalid("votes", _("no vote has been recorded on this claim"))
    needed = quorum(item.session)
    if len(votes) < needed:
        raise Invalid("quorum", _("%(voted)s of the %(needed)s members needed have voted: no quorum")
                      % {"voted": len(votes), "needed": needed})
    if votes.count(VoteChoice.FOR) <= votes.count(VoteChoice.AGAINST):
        raise Invalid("votes", _("the motion did not carry a majority"))
    if not item.motion_decision:
        raise Invalid("decision", _("the law engine made no proposal: put a decision to the vote"))
    money, departs, article = _check_decision(
        item.claim, decision=item.motion_decision, amount=item.motion_amount, reason=item.motion_reason or "",
        grounds=list(item.motion_grounds), proposed_decision=item.proposed_decision,
        proposed_amount=item.proposed_amount)
    adopted = ClaimDecision.objects.create(
        claim=item.claim, item=item, decision=item.motion_decision, amount=money,
        article=article or item.proposed_article, proposed_decision=item.proposed_decision,
        proposed_amount=item.proposed_amount, departs=departs, reason=item.motion_reason or "",
        grounds=list(item.motion_grounds), decided_on=item.session.held_on,
        appeal_deadline_on=_appeal_days(item.session.held_on),
        replaces=_in_force(item.claim), decided_by_institution_id=acting.institution_id,
    )
    Claim.objects.filter(pk=item.claim_id).update(status=ClaimStatus.DECIDED)
    record(actor=actor, action="create", record_type="compensation.decision", records=[adopted],
           fields=["decision", "amount", "grounds"] + (["reason"] if departs else []), acting=acting)
    return adopted


def _in_force(claim: Claim) -> ClaimDecision | None:
    return ClaimDecision.objects.filter(claim=claim, replaced_by__isnull=True).order_by("-pk").first()


# -- Appeals (42.9.4) ----------------------------------------------------------------------------


@transaction.atomic
def appeal_lodge(*, actor: User, decision: ClaimDecision, lodged_on: dt.date, grounds: str) -> Appeal:
    claim = Claim.objects.select_for_update().select_related("case").get(pk=decision.claim_id)
    acting = _acting_on_claim(actor, claim)
    if not ClaimDecision.objects.filter(pk=decision.pk, replaced_by__isnull=True).exists():
        raise Conflict(_("this decision was replaced: appeal the one in force"), field="decision")
    _not_future("lodged_on", lodged_on)
    if lodged_on < decision.decided_on:
        raise Invalid("lodged_on", _("an appeal cannot precede the decision"))
    if decision.appeal_deadline_on is not None and lodged_on > decision.appeal_deadline_on:
        raise Invalid("lodged_on", _("the deadline for an appeal ended on %(date)s")
                      % {"date": decision.appeal_deadline_on.isoformat()})
    if Appeal.objects.filter(decision=decision, outcome=AppealOutcome.PENDING).exists():
        raise Conflict(_("an appeal against this decision is pending"), field="decision")
    appeal = Appeal.objects.create(decision=decision, lodged_on=lodged_on, grounds=_text("grounds", grounds))
    claim.status = ClaimStatus.APPEALED
    claim.save(update_fields=["status"])
    record(actor=actor, action="create", record_type="compensation.appeal", records=[appeal],
           fields=["lodged_on", "grounds"], acting=acting)
    return appeal


@transaction.atomic
def appeal_decide(*, actor: User, appeal: Appeal, outcome: str, decided_on: dt.date,
                  decision: str | None = None, amount: Any = None, reason: str = "",
                  grounds: list[str] | None = None) -> Appeal:
    """The appeal's outcome; when it succeeds, a new decision replaces the one appealed."""
    appeal = Appeal.objects.select_for_update().select_related("decision__claim").get(pk=appeal.pk)
    old = appeal.decision
    claim = old.claim
    acting = _as_commission(actor, claim.commission_id)
    if appeal.outcome != AppealOutcome.PENDING:
        raise Conflict(_("the appeal is already decided"), field="outcome")
    _choice("outcome", outcome, AppealOutcome)
    if outcome == AppealOutcome.PENDING:
        raise Invalid("outcome", _("an outcome is rejected or succeeded"))
    _not_future("decided_on", decided_on)
    if decided_on < appeal.lodged_on:
        raise Invalid("decided_on", _("the outcome cannot precede the appeal"))
    fields = ["outcome"]
    if outcome == AppealOutcome.SUCCEEDED:
        if decision is None:
            raise Invalid("decision", _("an appeal that succeeds gives the new decision"))
        if not (reason or "").strip():
            raise Invalid("reason", _("record why the appeal succeeded"))
        proposal = proposal_for(claim, decided_on)
        money, departs, article = _check_decision(
            claim, decision=decision, amount=amount, reason=reason, grounds=grounds or [],
            proposed_decision=proposal.decision or "", proposed_amount=proposal.amount)
        appeal.new_decision = ClaimDecision.objects.create(
            claim=claim, decision=decision, amount=money, article=article or (proposal.article or ""),
            proposed_decision=proposal.decision or "", proposed_amount=proposal.amount, departs=departs,
            reason=reason.strip(), grounds=sorted(set(grounds or [])), decided_on=decided_on,
            appeal_deadline_on=_appeal_days(decided_on), replaces=old,
            decided_by_institution_id=acting.institution_id,
        )
        fields += ["decision", "amount", "reason"]
    appeal.outcome, appeal.decided_on = outcome, decided_on
    appeal.save()
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.DECIDED)
    record(actor=actor, action="update", record_type="compensation.appeal", records=[appeal],
           fields=fields, acting=acting)
    return appeal


# -- Payments ----------------------------------------------------------------------------------


@transaction.atomic
def payment_record(*, actor: User, decision: ClaimDecision, kind: str, amount: Any, on: dt.date,
                   instalment: int = 1) -> Payment:
    """An instalment ordered or a payment made on the decision in force. A payment is
    always more than zero; paying more than is due is recorded and shown as overpaid."""
    decision = ClaimDecision.objects.select_for_update().select_related("claim").get(pk=decision.pk)
    acting = _as_commission(actor, decision.claim.commission_id)
    _choice("kind", kind, PaymentKind)
    money = euro("amount", amount, positive=True)
    if kind == PaymentKind.MADE:
        _not_future("on", on)
    if hasattr(decision, "replaced_by"):
        raise Conflict(_("this decision was replaced on appeal: pay on the one in force"), field="decision")
    if instalment < 1:
        raise Invalid("instalment", _("instalments are numbered from 1"))
    if kind == PaymentKind.ORDERED:
        ordered = sum(Payment.objects.filter(decision=decision, kind=PaymentKind.ORDERED)
                      .values_list("amount", flat=True), ZERO)
        if ordered + money > decision.amount:
            raise Invalid("amount", _("the instalments ordered would exceed the %(amount)s EUR decided")
                          % {"amount": decision.amount})
    payment = Payment.objects.create(decision=decision, kind=kind, amount=money, on=on,
                                     instalment=instalment, recorded_by=actor)
    record(actor=actor, action="create", record_type="compensation.payment", records=[payment],
           fields=["kind", "amount", "on", "instalment"], acting=acting)
    return payment
