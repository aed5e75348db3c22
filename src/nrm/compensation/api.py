"""JSON endpoints for claims, the Commission's sessions, decisions, appeals and payments.

Thin: parse, call one selector or service, answer through the one presenter per record, so
a write's answer shows no more than the same official's read. Amounts are exact: sent as
decimal text ("120.50"), answered as decimal text; a JSON number is refused, never rounded
through a float. Errors reach the API's one handler unchanged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status

from nrm.authorities.access import Action
from nrm.authorities.models import Institution, User
from nrm.cases.selectors import case_get
from nrm.compensation import selectors, services
from nrm.compensation.models import AgendaItem, Appeal, ClaimDecision, ClaimStatus, Payment, Session
from nrm.errors import Invalid, NotFound, PreconditionRequired

router = Router(tags=["compensation"])

MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Amount = Annotated[str, Field(max_length=20, description='Euro as exact decimal text, e.g. "120.50"')]
Text = Annotated[str, Field(max_length=4000)]


# -- Schemas ---------------------------------------------------------------------------------


class CompensationHarmIn(Schema):
    kind: str
    amount: Amount
    evidence: Text


class CompensationReceiptIn(Schema):
    source: str
    amount: Amount
    received_on: dt.date


class CompensationDocumentIn(Schema):
    description: Text
    received_on: dt.date


class CompensationClaimIn(Schema):
    commission: str = Field(max_length=40)
    claimant: str
    claimant_name: Text
    basis: str
    filed_on: dt.date
    time_runs_from: dt.date
    harms: list[CompensationHarmIn] = Field(max_length=100)
    receipts: list[CompensationReceiptIn] = Field(default_factory=list, max_length=100)
    documents: list[CompensationDocumentIn] = Field(default_factory=list, max_length=100)
    defendant: str = ""
    restitution_ordered: Amount | None = None
    fines_ordered: Amount | None = None


class CompensationClaimPatch(Schema):
    defendant: str | None = None
    receipts: list[CompensationReceiptIn] = Field(default_factory=list, max_length=100)


class CompensationProposalOut(Schema):
    decision: str | None
    amount: Decimal | None
    article: str | None
    arithmetic: dict[str, Decimal] | None = Field(description="The engine's arithmetic, where it gives it")
    error: str | None = Field(description="The fact that kept the engine from assessing, by name")


class CompensationDecisionOut(Schema):
    id: int
    decision: str
    amount: Decimal
    article: str
    proposed_decision: str
    proposed_amount: Decimal | None
    departs: bool
    reason: str | None = Field(description="Null when the policy withholds the claim's personal text")
    grounds: list[dict[str, str]]
    decided_on: dt.date
    appeal_deadline_on: dt.date | None
    replaces: int | None
    in_force: bool


class CompensationAppealOut(Schema):
    id: int
    decision: int
    lodged_on: dt.date
    grounds: str | None
    outcome: str
    decided_on: dt.date | None
    new_decision: int | None


class CompensationPaymentOut(Schema):
    id: int
    decision: int
    kind: str
    amount: Decimal
    on: dt.date
    instalment: int


class CompensationSummaryOut(Schema):
    due: Decimal
    ordered: Decimal
    paid: Decimal
    outstanding: Decimal
    overpaid: Decimal


class CompensationClaimOut(Schema):
    id: int
    case_reference: str = Field(description="All a Commission member learns of the case, with the proposal")
    commission: str
    claimant: str
    claimant_name: str | None
    basis: str
    defendant: str
    filed_on: dt.date
    time_runs_from: dt.date
    deadline_on: dt.date | None
    filed_late: bool
    status: str
    version: int
    harms: list[dict[str, Any]]
    harm_total: Decimal
    received: dict[str, Decimal]
    documents: list[dict[str, Any]]
    proposal: CompensationProposalOut | None
    decision: CompensationDecisionOut | None
    decisions: list[CompensationDecisionOut]
    appeals: list[CompensationAppealOut]
    payments: list[CompensationPaymentOut]
    summary: CompensationSummaryOut
    restitution_before_fines: dict[str, Decimal] | None


class CompensationQueueRowOut(Schema):
    id: int
    case_reference: str
    status: str
    basis: str
    filed_on: dt.date
    filed_late: bool


class CompensationQueueQuery(Schema):
    status: str | None = Field(None, max_length=20)
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


class CompensationSessionIn(Schema):
    commission: str = Field(max_length=40)
    held_on: dt.date


class CompensationAgendaIn(Schema):
    claim_id: int = Field(ge=1, le=MAX_ID)


class CompensationPresentIn(Schema):
    members: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(max_length=100)


class CompensationMotionIn(Schema):
    decision: str
    amount: Amount
    reason: Text = ""
    grounds: list[str] = Field(default_factory=list, max_length=10)


class CompensationVoteIn(Schema):
    choice: str


class CompensationVoteOut(Schema):
    member: int
    username: str
    choice: str


class CompensationItemOut(Schema):
    id: int
    position: int
    claim: int
    case_reference: str
    proposed_decision: str
    proposed_amount: Decimal | None
    proposed_article: str
    proposed_arithmetic: dict[str, Decimal] | None
    motion_decision: str
    motion_amount: Decimal | None
    motion_grounds: list[str]
    votes: list[CompensationVoteOut]
    decision: int | None


class CompensationMemberOut(Schema):
    id: int
    username: str
    term_start: dt.date
    term_end: dt.date | None
    chair: bool


class CompensationSessionOut(Schema):
    id: int
    commission: str
    held_on: dt.date
    quorum: int
    present: list[CompensationMemberOut]
    items: list[CompensationItemOut]


class CompensationAppealIn(Schema):
    lodged_on: dt.date
    grounds: Text


class CompensationOutcomeIn(Schema):
    outcome: str
    decided_on: dt.date
    decision: str | None = None
    amount: Amount | None = None
    reason: Text = ""
    grounds: list[str] = Field(default_factory=list, max_length=10)


class CompensationPaymentIn(Schema):
    kind: str
    amount: Amount
    on: dt.date
    instalment: int = Field(1, ge=1, le=1000)


class CompensationMemberIn(Schema):
    commission: str = Field(max_length=40)
    username: str = Field(max_length=150)
    term_start: dt.date
    term_end: dt.date | None = None
    chair: bool = False


# -- Presenters: one shape per record, from what the selectors shaped --------------------------


def _decision_out(d: ClaimDecision, personal: bool) -> CompensationDecisionOut:
    from nrm.compensation.models import GROUND_ARTICLE

    return CompensationDecisionOut(
        id=d.pk, decision=d.decision, amount=d.amount, article=d.article,
        proposed_decision=d.proposed_decision, proposed_amount=d.proposed_amount, departs=d.departs,
        reason=d.reason if personal else None,
        grounds=[{"code": g, "article": GROUND_ARTICLE[g]} for g in d.grounds],
        decided_on=d.decided_on, appeal_deadline_on=d.appeal_deadline_on, replaces=d.replaces_id,
        in_force=d.in_force)


def claim_out(view: selectors.ClaimView) -> CompensationClaimOut:
    c, personal = view.claim, view.personal
    p = view.proposal
    a = view.allocation
    return CompensationClaimOut(
        id=c.pk, case_reference=c.case.reference, commission=c.commission.code, claimant=c.claimant,
        claimant_name=c.claimant_name if personal else None, basis=c.basis, defendant=c.defendant,
        filed_on=c.filed_on, time_runs_from=c.time_runs_from, deadline_on=c.deadline_on,
        filed_late=c.filed_late, status=c.status, version=c.version,
        harms=[{"kind": h.kind, "amount": h.amount, "evidence": h.evidence if personal else None}
               for h in c.harms.all()],
        harm_total=view.harm_total, received=view.received,
        documents=[{"description": d.description if personal else None, "received_on": d.received_on}
                   for d in c.documents.all()],
        proposal=None if p is None else CompensationProposalOut(
            decision=p.decision, amount=p.amount, article=p.article, arithmetic=p.arithmetic, error=p.error),
        decision=None if view.decision is None else _decision_out(view.decision, personal),
        decisions=[_decision_out(d, personal) for d in view.decisions],
        appeals=[CompensationAppealOut(id=x.pk, decision=x.decision_id, lodged_on=x.lodged_on,
                                       grounds=x.grounds if personal else None, outcome=x.outcome,
                                       decided_on=x.decided_on, new_decision=x.new_decision_id)
                 for x in view.appeals],
        payments=[_payment_out(x) for x in view.payments],
        summary=CompensationSummaryOut(**vars(view.summary)),
        restitution_before_fines=None if a is None else vars(a),
    )


def _payment_out(p: Payment) -> CompensationPaymentOut:
    return CompensationPaymentOut(id=p.pk, decision=p.decision_id, kind=p.kind, amount=p.amount, on=p.on,
                                  instalment=p.instalment)


def _item_out(item: AgendaItem) -> CompensationItemOut:
    arithmetic = item.proposed_arithmetic
    return CompensationItemOut(
        id=item.pk, position=item.position, claim=item.claim_id, case_reference=item.claim.case.reference,
        proposed_decision=item.proposed_decision, proposed_amount=item.proposed_amount,
        proposed_article=item.proposed_article,
        proposed_arithmetic=None if arithmetic is None else {k: Decimal(v) for k, v in arithmetic.items()},
        motion_decision=item.motion_decision, motion_amount=item.motion_amount,
        motion_grounds=list(item.motion_grounds),
        votes=[CompensationVoteOut(member=v.member_id, username=v.member.user.username, choice=v.choice)
               for v in item.votes.all()],
        decision=getattr(getattr(item, "decision", None), "pk", None),
    )


def session_out(session: Session) -> CompensationSessionOut:
    return CompensationSessionOut(
        id=session.pk, commission=session.commission.code, held_on=session.held_on,
        quorum=selectors.quorum(session),
        present=[CompensationMemberOut(id=m.pk, username=m.user.username, term_start=m.term_start,
                                       term_end=m.term_end, chair=m.chair) for m in session.present.all()],
        items=[_item_out(i) for i in session.items.all()],
    )


def _claim_answer(request: HttpRequest, response: HttpResponse, claim_id: int, purpose: str) -> CompensationClaimOut:
    claim = selectors.claim_get(user=request.user, claim_id=claim_id)
    response["ETag"] = f'"{claim.version}"'
    return claim_out(selectors.claim_view(user=request.user, claim=claim, purpose=purpose))


def _session_answer(request: HttpRequest, session_id: int) -> CompensationSessionOut:
    return session_out(selectors.session_get(user=request.user, session_id=session_id))


def _commission(code: str) -> Institution:
    body = Institution.objects.filter(code=code, active=True).first()
    if body is None:
        raise Invalid("commission", "no active institution has this code")
    return body


def _if_match(request: HttpRequest) -> int:
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired("send If-Match with the ETag you read, so no write is lost",
                                   field="If-Match")
    try:
        return int(header.removeprefix("W/").strip('"'))
    except ValueError:
        raise Invalid("If-Match", "not an ETag of this API") from None


# -- Claims ----------------------------------------------------------------------------------


@router.post("/cases/{case_id}/compensation-claims", response={201: CompensationClaimOut},
             summary="File a claim for compensation with the Commission (39, 42, 43, 44.1)")
def claim_create(request: HttpRequest, response: HttpResponse, case_id: Id,
                 payload: CompensationClaimIn) -> Status:
    case = case_get(user=request.user, case_id=case_id, action=Action.VIEW, audit=False)
    body = payload.dict()
    claim = services.claim_file(actor=request.user, case=case, **body)
    return Status(201, _claim_answer(request, response, claim.pk, "claim filed answer"))


@router.get("/cases/{case_id}/compensation-claims", response=list[CompensationClaimOut],
            summary="A case's claims, as the case team sees them")
def case_claims(request: HttpRequest, case_id: Id) -> list[CompensationClaimOut]:
    case = case_get(user=request.user, case_id=case_id, audit=False)
    return [claim_out(v) for v in selectors.case_claims(user=request.user, case=case)]


@router.get("/compensation/claims/{claim_id}", response=CompensationClaimOut,
            summary="One claim with the law's proposal, its decisions, appeals and payments")
def claim_detail(request: HttpRequest, response: HttpResponse, claim_id: Id) -> CompensationClaimOut:
    return _claim_answer(request, response, claim_id, "claim view")


@router.patch("/compensation/claims/{claim_id}", response=CompensationClaimOut,
              summary="Record the defendant's status or an amount received; needs If-Match")
def claim_patch(request: HttpRequest, response: HttpResponse, claim_id: Id,
                payload: CompensationClaimPatch) -> CompensationClaimOut:
    claim = selectors.claim_get(user=request.user, claim_id=claim_id)
    services.claim_update(actor=request.user, claim=claim, version=_if_match(request), defendant=payload.defendant,
                          receipts=[r.dict() for r in payload.receipts])
    return _claim_answer(request, response, claim_id, "claim update answer")


@router.post("/compensation/claims/{claim_id}/withdraw", response=CompensationClaimOut,
             summary="The claimant withdraws a claim not yet decided; needs If-Match")
def claim_withdraw(request: HttpRequest, response: HttpResponse, claim_id: Id) -> CompensationClaimOut:
    claim = selectors.claim_get(user=request.user, claim_id=claim_id)
    services.claim_withdraw(actor=request.user, claim=claim, version=_if_match(request))
    return _claim_answer(request, response, claim_id, "claim withdraw answer")


@router.get("/compensation/queue", response=list[CompensationQueueRowOut],
            summary="The claims before my Commission, by status")
def queue(request: HttpRequest, query: Query[CompensationQueueQuery]) -> list[CompensationQueueRowOut]:
    if query.status is not None and query.status not in ClaimStatus.values:
        raise Invalid("status", "unknown status; one of: " + ", ".join(ClaimStatus.values))
    return [CompensationQueueRowOut(id=c.pk, case_reference=c.case.reference, status=c.status, basis=c.basis,
                                    filed_on=c.filed_on, filed_late=c.filed_late)
            for c in selectors.queue(user=request.user, status=query.status, limit=query.limit,
                                     offset=query.offset)]


# -- The Commission --------------------------------------------------------------------------


@router.post("/compensation/members", response={201: CompensationMemberOut},
             summary="Record a member's appointment and term (42.7, 42.8)")
def member_create(request: HttpRequest, payload: CompensationMemberIn) -> Status:
    user = User.objects.filter(username=payload.username, is_active=True).first()
    if user is None:
        raise Invalid("username", "no active official has this username")
    m = services.member_appoint(actor=request.user, commission=_commission(payload.commission), user=user,
                                term_start=payload.term_start, term_end=payload.term_end, chair=payload.chair)
    return Status(201, CompensationMemberOut(id=m.pk, username=user.username, term_start=m.term_start,
                                             term_end=m.term_end, chair=m.chair))


@router.post("/compensation/sessions", response={201: CompensationSessionOut}, summary="Plan a session")
def session_create(request: HttpRequest, payload: CompensationSessionIn) -> Status:
    session = services.session_plan(actor=request.user, commission_id=_commission(payload.commission).pk,
                                    held_on=payload.held_on)
    return Status(201, _session_answer(request, session.pk))


@router.get("/compensation/sessions/{session_id}", response=CompensationSessionOut,
            summary="A session's agenda, presence, quorum and votes")
def session_detail(request: HttpRequest, session_id: Id) -> CompensationSessionOut:
    return _session_answer(request, session_id)


@router.post("/compensation/sessions/{session_id}/agenda", response={201: CompensationSessionOut},
             summary="Put a claim on the agenda; the motion is the law's proposal")
def agenda_create(request: HttpRequest, session_id: Id, payload: CompensationAgendaIn) -> Status:
    session = selectors.session_get(user=request.user, session_id=session_id)
    try:
        claim = selectors.claim_get(user=request.user, claim_id=payload.claim_id, action=Action.CHANGE)
    except NotFound:
        raise Invalid("claim_id", "no claim before your Commission has this id") from None
    services.agenda_add(actor=request.user, session=session, claim=claim)
    return Status(201, _session_answer(request, session_id))


@router.post("/compensation/sessions/{session_id}/present", response=CompensationSessionOut,
             summary="Record the members present")
def present_create(request: HttpRequest, session_id: Id, payload: CompensationPresentIn) -> CompensationSessionOut:
    session = selectors.session_get(user=request.user, session_id=session_id)
    services.session_attend(actor=request.user, session=session, members=payload.members)
    return _session_answer(request, session_id)


def _item_session(request: HttpRequest, item_id: int) -> tuple[AgendaItem, int]:
    item = selectors.item_get(user=request.user, item_id=item_id)
    return item, item.session_id


@router.post("/compensation/items/{item_id}/motion", response=CompensationSessionOut,
             summary="Put a decision other than the proposal to the vote, with its reason and grounds")
def motion_create(request: HttpRequest, item_id: Id, payload: CompensationMotionIn) -> CompensationSessionOut:
    item, session_id = _item_session(request, item_id)
    services.motion_set(actor=request.user, item=item, **payload.dict())
    return _session_answer(request, session_id)


@router.post("/compensation/items/{item_id}/votes", response={201: CompensationSessionOut},
             summary="My vote on a claim: one per member")
def vote_create(request: HttpRequest, item_id: Id, payload: CompensationVoteIn) -> Status:
    item, session_id = _item_session(request, item_id)
    services.vote_cast(actor=request.user, item=item, choice=payload.choice)
    return Status(201, _session_answer(request, session_id))


@router.post("/compensation/items/{item_id}/decision", response={201: CompensationClaimOut},
             summary="Adopt the motion voted: needs the quorum and a majority")
def decision_create(request: HttpRequest, response: HttpResponse, item_id: Id) -> Status:
    item, _session_id = _item_session(request, item_id)
    services.decision_adopt(actor=request.user, item=item)
    return Status(201, _claim_answer(request, response, item.claim_id, "decision answer"))


# -- Appeals and payments --------------------------------------------------------------------


@router.post("/compensation/decisions/{decision_id}/appeals", response={201: CompensationClaimOut},
             summary="Appeal a decision within its deadline (42.9.4)")
def appeal_create(request: HttpRequest, response: HttpResponse, decision_id: Id,
                  payload: CompensationAppealIn) -> Status:
    decision = selectors.decision_get(user=request.user, decision_id=decision_id, action=Action.CHANGE)
    services.appeal_lodge(actor=request.user, decision=decision, **payload.dict())
    return Status(201, _claim_answer(request, response, decision.claim_id, "appeal answer"))


@router.post("/compensation/appeals/{appeal_id}/outcome", response=CompensationClaimOut,
             summary="The appeal's outcome; one that succeeds gives the new decision")
def appeal_outcome(request: HttpRequest, response: HttpResponse, appeal_id: Id,
                   payload: CompensationOutcomeIn) -> CompensationClaimOut:
    appeal: Appeal = selectors.appeal_get(user=request.user, appeal_id=appeal_id, action=Action.CHANGE)
    services.appeal_decide(actor=request.user, appeal=appeal, **payload.dict())
    return _claim_answer(request, response, appeal.decision.claim_id, "appeal outcome answer")


@router.post("/compensation/decisions/{decision_id}/payments", response={201: CompensationClaimOut},
             summary="An instalment ordered or a payment made; more than zero, exact to the cent")
def payment_create(request: HttpRequest, response: HttpResponse, decision_id: Id,
                   payload: CompensationPaymentIn) -> Status:
    decision = selectors.decision_get(user=request.user, decision_id=decision_id, action=Action.CHANGE)
    services.payment_record(actor=request.user, decision=decision, **payload.dict())
    return Status(201, _claim_answer(request, response, decision.claim_id, "payment answer"))
