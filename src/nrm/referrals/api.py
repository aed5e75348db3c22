"""JSON endpoints for consent, referrals and the care plan; thin: parse, call, answer.

A case or record the user may not see answers 404 exactly like a missing one; one they
may see but their role may not change answers 403; bad input answers 400 naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from nrm.api.errors import ApiError, Forbidden, NotFound
from nrm.authorities.access import Action
from nrm.cases.models import Case
from nrm.cases.selectors import CaseNotFound, case_get
from nrm.referrals import selectors, services
from nrm.referrals.errors import NotAllowed, RecordNotFound, ReferralError
from nrm.referrals.models import SERVICE_ARTICLE, CarePlanGoal, Consent, ReferralStatus

router = Router(tags=["referrals"])


def answers(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the services' and selectors' exceptions into the API's JSON errors."""

    @wraps(handler)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        except (CaseNotFound, RecordNotFound) as exc:
            raise NotFound(str(exc)) from None
        except NotAllowed as exc:
            raise Forbidden(str(exc)) from None
        except ReferralError as exc:
            raise ApiError(exc.message, field=exc.field, status=exc.status) from None

    return wrapper


def _case(request: HttpRequest, case_id: int) -> Case:
    # Writes and lists audit what they show themselves; the case lookup only scopes.
    return case_get(user=request.user, case_id=case_id, action=Action.VIEW, audit=False)


# -- Schemas -------------------------------------------------------------------------------


class ConsentIn(Schema):
    given_by: str
    given_on: dt.date
    scope: list[str]
    recipient: str | None = None
    note: str = ""


class WithdrawIn(Schema):
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
    note: str


class ReferralIn(Schema):
    service: str
    provider: str
    due_on: dt.date | None = None
    language: str = ""
    send: bool = True


class DeclineIn(Schema):
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
    decline_note: str
    shared_fields: list[str]
    language: str
    person: dict[str, Any] | None


class GoalIn(Schema):
    area: str
    description: str
    owner: str
    due_on: dt.date
    owner_user: str | None = None
    note: str = ""


class GoalPatch(Schema):
    version: int | None = None
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
    description: str
    owner: str
    owner_user: str | None
    due_on: dt.date
    status: str
    note: str
    version: int


def _consent_out(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.pk, "case_id": consent.case_id, "given_by": consent.given_by,
        "given_on": consent.given_on, "scope": consent.scope,
        "recipient": consent.recipient.code if consent.recipient else None,
        "withdrawn_on": consent.withdrawn_on,
        "recorded_by_institution": consent.recorded_by_institution.code,
        "note": consent.note or "",
    }


def _referral_out(view: selectors.ReferralView) -> dict[str, Any]:
    r = view.referral
    open_ = r.status in (ReferralStatus.PROPOSED, ReferralStatus.SENT, ReferralStatus.ACCEPTED)
    return {
        # The provider, off the case's team, learns nothing of the case but the shared fields.
        "id": r.pk, "case_id": r.case_id if view.case_visible else None,
        "service": r.service, "article": SERVICE_ARTICLE[r.service], "provider": r.provider.code,
        "referred_by_institution": r.referred_by_institution.code,
        "referred_on": r.referred_on, "due_on": r.due_on,
        "overdue": open_ and r.status != ReferralStatus.ACCEPTED and r.due_on < timezone.localdate(),
        "status": r.status, "decided_at": r.decided_at, "decline_reason": r.decline_reason,
        "decline_note": r.decline_note or "", "shared_fields": r.shared_fields,
        "language": r.language, "person": view.person,
    }


def _goal_out(goal: CarePlanGoal) -> dict[str, Any]:
    return {
        "id": goal.pk, "case_id": goal.case_id, "area": goal.area,
        "description": goal.description or "", "owner": goal.owner_institution.code,
        "owner_user": goal.owner_user.username if goal.owner_user else None,
        "due_on": goal.due_on, "status": goal.status, "note": goal.note or "",
        "version": goal.version,
    }


# -- Consent (Art. 18.3) ---------------------------------------------------------------------


@router.get("/cases/{case_id}/consents", response=list[ConsentOut], summary="A case's consents")
@answers
def consents_list(request: HttpRequest, case_id: int) -> Any:
    case = _case(request, case_id)
    return [_consent_out(c) for c in selectors.case_consents(user=request.user, case=case)]


@router.post("/cases/{case_id}/consents", response={201: ConsentOut},
             summary="Record the victim's (a child's legal representative's) consent, Art. 18.3")
@answers
def consent_create(request: HttpRequest, case_id: int, payload: ConsentIn) -> Any:
    case = _case(request, case_id)
    consent = services.consent_record(actor=request.user, case=case, **payload.dict())
    return Status(201, _consent_out(consent))


@router.post("/consents/{consent_id}/withdraw", response=ConsentOut, summary="Withdraw a consent")
@answers
def consent_withdraw(request: HttpRequest, consent_id: int, payload: WithdrawIn) -> Any:
    consent = selectors.consent_get(user=request.user, consent_id=consent_id)
    consent = services.consent_withdraw(actor=request.user, consent=consent,
                                        withdrawn_on=payload.withdrawn_on)
    return _consent_out(consent)


# -- Referrals (Art. 20, 31) -----------------------------------------------------------------


@router.get("/cases/{case_id}/referrals", response=list[ReferralOut], summary="A case's referrals")
@answers
def referrals_list(request: HttpRequest, case_id: int) -> Any:
    case = _case(request, case_id)
    return [_referral_out(selectors.ReferralView(r, None, True))
            for r in selectors.case_referrals(user=request.user, case=case)]


@router.post("/cases/{case_id}/referrals", response={201: ReferralOut},
             summary="Refer the case to a service; shares only what the service needs")
@answers
def referral_create(request: HttpRequest, case_id: int, payload: ReferralIn) -> Any:
    case = _case(request, case_id)
    referral = services.referral_create(actor=request.user, case=case, **payload.dict())
    return Status(201, _referral_out(selectors.referral_get(user=request.user, referral_id=referral.pk)))


@router.get("/referrals/inbox", response=list[ReferralOut],
            summary="Referrals addressed to my institutions, with only the shared fields")
@answers
def referral_inbox(request: HttpRequest) -> Any:
    return [_referral_out(v) for v in selectors.referral_inbox(user=request.user)]


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="One referral")
@answers
def referral_detail(request: HttpRequest, referral_id: int) -> Any:
    return _referral_out(selectors.referral_get(user=request.user, referral_id=referral_id))


def _transition(request: HttpRequest, referral_id: int, change: Callable[..., Any], **kw: Any) -> Any:
    view = selectors.referral_get(user=request.user, referral_id=referral_id, purpose="referral answer")
    change(actor=request.user, referral=view.referral, **kw)
    return _referral_out(selectors.referral_get(user=request.user, referral_id=referral_id))


@router.post("/referrals/{referral_id}/send", response=ReferralOut, summary="Send a proposed referral")
@answers
def referral_send(request: HttpRequest, referral_id: int) -> Any:
    return _transition(request, referral_id, services.referral_send)


@router.post("/referrals/{referral_id}/accept", response=ReferralOut,
             summary="Accept a referral: the provider joins the case's team")
@answers
def referral_accept(request: HttpRequest, referral_id: int) -> Any:
    return _transition(request, referral_id, services.referral_accept)


@router.post("/referrals/{referral_id}/decline", response=ReferralOut, summary="Decline, with a reason")
@answers
def referral_decline(request: HttpRequest, referral_id: int, payload: DeclineIn) -> Any:
    return _transition(request, referral_id, services.referral_decline,
                       reason=payload.reason, note=payload.note)


@router.post("/referrals/{referral_id}/complete", response=ReferralOut, summary="Service given")
@answers
def referral_complete(request: HttpRequest, referral_id: int) -> Any:
    return _transition(request, referral_id, services.referral_complete)


@router.post("/referrals/{referral_id}/cancel", response=ReferralOut, summary="Cancel a referral")
@answers
def referral_cancel(request: HttpRequest, referral_id: int) -> Any:
    return _transition(request, referral_id, services.referral_cancel)


# -- Care plan (Art. 21, 22) -----------------------------------------------------------------


@router.get("/cases/{case_id}/care-plan", response=list[GoalOut], summary="A case's care plan")
@answers
def care_plan(request: HttpRequest, case_id: int) -> Any:
    case = _case(request, case_id)
    return [_goal_out(g) for g in selectors.care_plan(user=request.user, case=case)]


@router.post("/cases/{case_id}/care-plan", response={201: GoalOut}, summary="Add a goal")
@answers
def goal_create(request: HttpRequest, case_id: int, payload: GoalIn) -> Any:
    case = _case(request, case_id)
    return Status(201, _goal_out(services.goal_add(actor=request.user, case=case, **payload.dict())))


@router.patch("/care-plan/{goal_id}", response=GoalOut, summary="Change a goal")
@answers
def goal_change(request: HttpRequest, goal_id: int, payload: GoalPatch) -> Any:
    goal = selectors.goal_get(user=request.user, goal_id=goal_id)
    fields = payload.dict(exclude_unset=True)
    return _goal_out(services.goal_update(actor=request.user, goal=goal, **fields))
