"""JSON endpoints for consent, referrals and the care plan; thin: parse, call, answer.

Every answer, to a read or to a write, is built by the same presenter from the same
selector, so a write shows nothing the same official's read would withhold (a goal's
description, a consent's note: free text goes where the identity goes). The services'
errors (nrm.errors) reach the API's one handler unchanged: a record the user may not see
answers 404 exactly like a missing one, one they may see but not change 403, bad input
400 naming the field. Every parameter, in the path and the query, is bounded here, so none
reaches the database unchecked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from nrm.authorities.access import Action
from nrm.cases.models import Case
from nrm.cases.selectors import case_get
from nrm.referrals import selectors, services
from nrm.referrals.models import SERVICE_ARTICLE, CarePlanGoal, Consent, ReferralStatus

router = Router(tags=["referrals"])

# Record ids as the databases store them (a signed 64-bit integer): a larger one is refused
# as a 400 naming the parameter, never passed to SQLite to overflow into a 500.
MAX_ID = 2**63 - 1
CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="A case's id")]
ConsentId = Annotated[int, Path(ge=1, le=MAX_ID, description="A consent's id")]
ReferralId = Annotated[int, Path(ge=1, le=MAX_ID, description="A referral's id")]
GoalId = Annotated[int, Path(ge=1, le=MAX_ID, description="A care plan goal's id")]


def _case(request: HttpRequest, case_id: int) -> Case:
    # Writes and lists audit what they show themselves; the case lookup only scopes.
    return case_get(user=request.user, case_id=case_id, action=Action.VIEW, audit=False)


# -- Schemas (names unique across the API: each is one component of the OpenAPI schema) ------


class ConsentIn(Schema):
    given_by: str
    given_on: dt.date
    scope: list[str]
    recipient: str | None = None
    note: str = ""


class ConsentWithdrawIn(Schema):
    withdrawn_on: dt.date | None = None


class ConsentOut(Schema):
    id: int
    case_id: int
    given_by: str
    given_on: dt.date
    scope: list[str]
    recipient: str | None
    withdrawn_on: dt.date | None
    recorded_by_institution: str
    note: str | None = Field(description="Null when the policy withholds it (free text goes "
                                         "where the identity goes)")


class ReferralIn(Schema):
    service: str
    provider: str
    due_on: dt.date | None = None
    language: str = ""
    send: bool = True


class ReferralDeclineIn(Schema):
    reason: str
    note: str = ""


class ReferralOut(Schema):
    id: int
    case_id: int | None
    service: str
    article: str
    provider: str
    referred_by_institution: str
    referred_on: dt.date
    due_on: dt.date
    overdue: bool
    status: str
    decided_at: dt.datetime | None
    decline_reason: str
    decline_note: str | None
    shared_fields: list[str]
    language: str
    person: dict[str, Any] | None = Field(
        description="The person's fields shared with the provider under a consent in force; "
                    "null when none is shared")


class InboxQuery(Schema):
    open_only: bool = Field(False, description="Only referrals still before the provider")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


class GoalIn(Schema):
    area: str
    description: str
    owner: str
    due_on: dt.date
    owner_user: str | None = None
    note: str = ""


class GoalPatch(Schema):
    version: int | None = Field(None, ge=1, le=MAX_ID)
    status: str | None = None
    due_on: dt.date | None = None
    description: str | None = None
    owner: str | None = None
    owner_user: str | None = None
    note: str | None = None


class GoalOut(Schema):
    id: int
    case_id: int
    area: str
    description: str | None
    owner: str
    owner_user: str | None
    due_on: dt.date
    status: str
    note: str | None
    version: int


# -- Presenters: the one shape of each record, from records the selectors shaped -------------


def consent_out(consent: Consent) -> ConsentOut:
    return ConsentOut(
        id=consent.pk, case_id=consent.case_id, given_by=consent.given_by,
        given_on=consent.given_on, scope=consent.scope,
        recipient=consent.recipient.code if consent.recipient else None,
        withdrawn_on=consent.withdrawn_on,
        recorded_by_institution=consent.recorded_by_institution.code, note=consent.note,
    )


def referral_out(view: selectors.ReferralView) -> ReferralOut:
    r = view.referral
    open_ = r.status in (ReferralStatus.PROPOSED, ReferralStatus.SENT)
    return ReferralOut(
        # The provider, off the case's team, learns nothing of the case but the shared fields.
        id=r.pk, case_id=r.case_id if view.case_visible else None,
        service=r.service, article=SERVICE_ARTICLE[r.service], provider=r.provider.code,
        referred_by_institution=r.referred_by_institution.code,
        referred_on=r.referred_on, due_on=r.due_on,
        overdue=open_ and r.due_on < timezone.localdate(),
        status=r.status, decided_at=r.decided_at, decline_reason=r.decline_reason,
        decline_note=r.decline_note, shared_fields=r.shared_fields,
        language=r.language, person=view.person,
    )


def goal_out(goal: CarePlanGoal) -> GoalOut:
    return GoalOut(
        id=goal.pk, case_id=goal.case_id, area=goal.area, description=goal.description,
        owner=goal.owner_institution.code,
        owner_user=goal.owner_user.username if goal.owner_user else None,
        due_on=goal.due_on, status=goal.status, note=goal.note, version=goal.version,
    )


# -- Consent (Art. 18.3) ---------------------------------------------------------------------


@router.get("/cases/{case_id}/consents", response=list[ConsentOut], summary="A case's consents")
def consents_list(request: HttpRequest, case_id: CaseId) -> list[ConsentOut]:
    case = _case(request, case_id)
    return [consent_out(c) for c in selectors.case_consents(user=request.user, case=case)]


@router.get("/consents/{consent_id}", response=ConsentOut, summary="One consent")
def consent_detail(request: HttpRequest, consent_id: ConsentId) -> ConsentOut:
    return consent_out(selectors.consent_view(user=request.user, consent_id=consent_id))


@router.post("/cases/{case_id}/consents", response={201: ConsentOut},
             summary="The case team records the victim's (a child's legal representative's) "
                     "consent, Art. 18.3, 38.5")
def consent_create(request: HttpRequest, case_id: CaseId, payload: ConsentIn) -> Status:
    case = _case(request, case_id)
    consent = services.consent_record(actor=request.user, case=case, **payload.dict())
    return Status(201, consent_out(selectors.consent_view(user=request.user, consent_id=consent.pk)))


@router.post("/consents/{consent_id}/withdraw", response=ConsentOut, summary="Withdraw a consent")
def consent_withdraw(request: HttpRequest, consent_id: ConsentId,
                     payload: ConsentWithdrawIn) -> ConsentOut:
    consent = selectors.consent_get(user=request.user, consent_id=consent_id)
    services.consent_withdraw(actor=request.user, consent=consent, withdrawn_on=payload.withdrawn_on)
    return consent_out(selectors.consent_view(user=request.user, consent_id=consent_id))


# -- Referrals (Art. 20, 31) -----------------------------------------------------------------


@router.get("/cases/{case_id}/referrals", response=list[ReferralOut], summary="A case's referrals")
def referrals_list(request: HttpRequest, case_id: CaseId) -> list[ReferralOut]:
    case = _case(request, case_id)
    return [referral_out(selectors.ReferralView(r, None, True))
            for r in selectors.case_referrals(user=request.user, case=case)]


@router.post("/cases/{case_id}/referrals", response={201: ReferralOut},
             summary="Refer the case to a service; shares only what the service needs")
def referral_create(request: HttpRequest, case_id: CaseId, payload: ReferralIn) -> Status:
    case = _case(request, case_id)
    referral = services.referral_create(actor=request.user, case=case, **payload.dict())
    return Status(201, referral_out(selectors.referral_get(user=request.user, referral_id=referral.pk)))


@router.get("/referrals/inbox", response=list[ReferralOut],
            summary="Referrals addressed to my institutions, with only the shared fields")
def referral_inbox(request: HttpRequest, query: Query[InboxQuery]) -> list[ReferralOut]:
    views = selectors.referral_inbox(user=request.user, open_only=query.open_only,
                                     limit=query.limit, offset=query.offset)
    return [referral_out(v) for v in views]


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="One referral")
def referral_detail(request: HttpRequest, referral_id: ReferralId) -> ReferralOut:
    return referral_out(selectors.referral_get(user=request.user, referral_id=referral_id))


def _transition(request: HttpRequest, referral_id: int, change: Callable[..., Any], **kw: Any) -> ReferralOut:
    view = selectors.referral_get(user=request.user, referral_id=referral_id, purpose="referral answer")
    change(actor=request.user, referral=view.referral, **kw)
    return referral_out(selectors.referral_get(user=request.user, referral_id=referral_id))


@router.post("/referrals/{referral_id}/send", response=ReferralOut, summary="Send a proposed referral")
def referral_send(request: HttpRequest, referral_id: ReferralId) -> ReferralOut:
    return _transition(request, referral_id, services.referral_send)


@router.post("/referrals/{referral_id}/accept", response=ReferralOut,
             summary="Accept a referral: the provider joins the case's team")
def referral_accept(request: HttpRequest, referral_id: ReferralId) -> ReferralOut:
    return _transition(request, referral_id, services.referral_accept)


@router.post("/referrals/{referral_id}/decline", response=ReferralOut, summary="Decline, with a reason")
def referral_decline(request: HttpRequest, referral_id: ReferralId,
                     payload: ReferralDeclineIn) -> ReferralOut:
    return _transition(request, referral_id, services.referral_decline,
                       reason=payload.reason, note=payload.note)


@router.post("/referrals/{referral_id}/complete", response=ReferralOut, summary="Service given")
def referral_complete(request: HttpRequest, referral_id: ReferralId) -> ReferralOut:
    return _transition(request, referral_id, services.referral_complete)


@router.post("/referrals/{referral_id}/cancel", response=ReferralOut, summary="Cancel a referral")
def referral_cancel(request: HttpRequest, referral_id: ReferralId) -> ReferralOut:
    return _transition(request, referral_id, services.referral_cancel)


# -- Care plan (Art. 21, 22) -----------------------------------------------------------------


@router.get("/cases/{case_id}/care-plan", response=list[GoalOut], summary="A case's care plan")
def care_plan(request: HttpRequest, case_id: CaseId) -> list[GoalOut]:
    case = _case(request, case_id)
    return [goal_out(g) for g in selectors.care_plan(user=request.user, case=case)]


@router.get("/care-plan/{goal_id}", response=GoalOut, summary="One goal of a care plan")
def goal_detail(request: HttpRequest, goal_id: GoalId) -> GoalOut:
    return goal_out(selectors.goal_view(user=request.user, goal_id=goal_id))


@router.post("/cases/{case_id}/care-plan", response={201: GoalOut}, summary="Add a goal")
def goal_create(request: HttpRequest, case_id: CaseId, payload: GoalIn) -> Status:
    case = _case(request, case_id)
    goal = services.goal_add(actor=request.user, case=case, **payload.dict())
    return Status(201, goal_out(selectors.goal_view(user=request.user, goal_id=goal.pk)))


@router.patch("/care-plan/{goal_id}", response=GoalOut, summary="Change a goal")
def goal_change(request: HttpRequest, goal_id: GoalId, payload: GoalPatch) -> GoalOut:
    goal = selectors.goal_get(user=request.user, goal_id=goal_id)
    services.goal_update(actor=request.user, goal=goal, **payload.dict(exclude_unset=True))
    return goal_out(selectors.goal_view(user=request.user, goal_id=goal_id))
