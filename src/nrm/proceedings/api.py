"""JSON endpoints for proceedings, interviews, protection measures and notices to victims.

Thin: parse, call, answer. Each answer, to a read or a write, is built by the same
presenter from the same selector (the response rule). A record the user may not see
answers 404 like a missing one; protection measures answer 404 to every role the policy
does not name, whether the case has any or not (18.4). Every parameter is bounded here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status

from nrm.errors import Invalid, PreconditionFailed, PreconditionRequired
from nrm.proceedings import assets, joinder, protection, selectors, services

router = Router(tags=["proceedings"])

MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Text = Annotated[str, Field(max_length=2000)]
Short = Annotated[str, Field(max_length=200)]


class ProceedingsOpenIn(Schema):
    court_file_number: Short
    case_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(max_length=100)
    investigation_on: dt.date
    related_offences: list[Short] = Field(default_factory=list, max_length=50)
    joint_team_states: list[Short] = Field(default_factory=list, max_length=50)


class ProceedingsPatchIn(Schema):
    stage: Short | None = None
    prosecution_on: dt.date | None = None
    trial_on: dt.date | None = None
    concluded_on: dt.date | None = None
    outcome: Short | None = None
    court_file_number: Short | None = None
    related_offences: list[Short] | None = Field(None, max_length=50)
    joint_team_states: list[Short] | None = Field(None, max_length=50)


class ProceedingsVictimOut(Schema):
    case_id: int
    reference: str
    statement_withdrawn_on: dt.date | None


class ProceedingsDefendantOut(Schema):
    id: int
    kind: str
    role: str
    name: str
    birth_date: dt.date | None
    registration_number: str
    liability: str
    custody: str
    victim_case_id: int | None
    prohibition_articles: list[str]
    override_recorded: bool


class ProceedingsAssetOut(Schema):
    id: int
    action: str
    amount: Decimal
    on: dt.date


class ProceedingsClosureOut(Schema):
    id: int
    requested_on: dt.date
    decision: str
    decided_on: dt.date | None


class ProceedingsOut(Schema):
    id: int
    court_file_number: str
    institution: str
    stage: str
    investigation_on: dt.date
    prosecution_on: dt.date | None
    trial_on: dt.date | None
    concluded_on: dt.date | None
    outcome: str
    related_offences: list[str]
    joint_team_states: list[str]
    joined_into: int | None
    separated_from: int | None
    version: int
    victims: list[ProceedingsVictimOut]
    defendants: list[ProceedingsDefendantOut] = Field(description="Empty in lists")
    assets: list[ProceedingsAssetOut]
    closures: list[ProceedingsClosureOut]


class ProceedingsPage(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class ProceedingsWithdrawalIn(Schema):
    case_id: int = Field(ge=1, le=MAX_ID)
    withdrawn_on: dt.date


class ProceedingsDefendantIn(Schema):
    kind: Short
    role: Short = "suspect"
    name: Short
    birth_date: dt.date | None = None
    registration_number: Short = ""
    liability: Short = ""
    victim_case_id: int | None = Field(None, ge=1, le=MAX_ID)
    override_ground: Text = ""


class ProceedingsCustodyIn(Schema):
    custody: Short
    on: dt.date


class ProceedingsSessionIn(Schema):
    session_on: dt.date


class ProceedingsJoinIn(Schema):
    into: int = Field(ge=1, le=MAX_ID)


class ProceedingsAssetIn(Schema):
    action: Short
    amount: Decimal = Field(max_digits=14, decimal_places=2)
    on: dt.date
    description: Text = ""


class ProceedingsClosureIn(Schema):
    premises: Text
    requested_on: dt.date


class ProceedingsClosureDecisionIn(Schema):
    decision: Short
    decided_on: dt.date


class ProceedingsSeparateIn(Schema):
    case_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(max_length=100)
    court_file_number: Short


class ProceedingsNoticeOut(Schema):
    id: int
    proceeding_id: int
    case_id: int
    reference: str
    event: str
    article: str
    event_on: dt.date
    due_on: dt.date
    institution: str
    informed_on: dt.date | None


class ProceedingsAlertOut(Schema):
    id: int
    case_id: int
    reference: str
    articles: list[str]
    institution: str
    court_file_number: str
    recorded_on: dt.date


class ProceedingsInformIn(Schema):
    informed_on: dt.date
    information: Text


class ProceedingsInterviewIn(Schema):
    held_on: dt.date
    interviewer: Short
    premises: Short = ""
    child_appropriate_premises: bool | None = None
    recorded_for_trial: bool = False
    exceptional_ground: Text = ""
    acknowledge_repeat: bool = Field(False, description="Record a child's further interview "
                                     "that had no exceptional ground (the law's violation follows)")
    proceeding_id: int | None = Field(None, ge=1, le=MAX_ID)


class ProceedingsInterviewOut(Schema):
    id: int
    case_id: int
    proceeding_id: int | None
    held_on: dt.date
    interviewer: str
    institution: str
    premises: str
    child_appropriate_premises: bool | None
    recorded_for_trial: bool
    exceptional: bool
    exceptional_ground: str


class ProceedingsMeasureIn(Schema):
    kind: Short
    article: Short
    ordered_on: dt.date
    ended_on: dt.date | None = None
    details: Text = ""
    decision_reference: Short = ""
    ordered_by: Short = Field("", description="The ordering institution's code; yours if empty")
    proceeding_id: int | None = Field(None, ge=1, le=MAX_ID)


class ProceedingsMeasureEndIn(Schema):
    ended_on: dt.date


class ProceedingsMeasureOut(Schema):
    id: int
    case_id: int
    kind: str
    article: str
    ordered_by: str
    ordered_on: dt.date
    ended_on: dt.date | None
    details: str
    decision_reference: str
    proceeding_id: int | None
    version: int


def _etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


def _if_match(request: HttpRequest) -> int:
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired("send If-Match with the ETag you read, so no write is lost",
                                   field="If-Match")
    try:
        return int(header.strip('W/"'))
    except ValueError:
        raise Invalid("If-Match", f"{header!r} is not an ETag of this API") from None


def _answer(request: HttpRequest, response: HttpResponse, proceeding_id: int) -> dict[str, Any]:
    proceeding = selectors.proceeding_get(user=request.user, proceeding_id=proceeding_id)
    _etag(response, proceeding.version)
    return selectors.proceeding_dict(proceeding)


@router.post("/proceedings", response={201: ProceedingsOut}, summary="Open a proceeding")
def proceeding_create(request: HttpRequest, response: HttpResponse, payload: ProceedingsOpenIn) -> Any:
    proceeding = services.proceeding_open(actor=request.user, **payload.model_dump())
    return Status(201, _answer(request, response, proceeding.pk))


@router.get("/proceedings", response=list[ProceedingsOut], summary="Proceedings you may see")
def proceeding_index(request: HttpRequest, page: Query[ProceedingsPage]) -> Any:
    rows = selectors.proceeding_list(user=request.user, limit=page.limit, offset=page.offset)
    return [selectors.proceeding_dict(p, full=False) for p in rows]


@router.get("/proceedings/notices", response=list[ProceedingsNoticeOut],
            summary="Notices your institutions owe victims, soonest due first")
def notice_index(request: HttpRequest) -> Any:
    return [selectors.notice_dict(n) for n in selectors.notices_due(user=request.user)]


@router.get("/proceedings/non-punishment-alerts", response=list[ProceedingsAlertOut],
            summary="For the National Coordinator: victims prosecuted despite 13.1/13.2")
def alert_index(request: HttpRequest) -> Any:
    return [selectors.alert_dict(d) for d in selectors.non_punishment_alerts(user=request.user)]


@router.post("/proceedings/notices/{notice_id}/inform", response=ProceedingsNoticeOut,
             summary="Record that the victim was told")
def notice_inform(request: HttpRequest, notice_id: Id, payload: ProceedingsInformIn) -> Any:
    notice = services.notice_inform(actor=request.user, notice_id=notice_id, **payload.model_dump())
    return selectors.notice_dict(notice)


@router.get("/proceedings/{proceeding_id}", response=ProceedingsOut, summary="One proceeding")
def proceeding_detail(request: HttpRequest, response: HttpResponse, proceeding_id: Id) -> Any:
    return _answer(request, response, proceeding_id)


@router.patch("/proceedings/{proceeding_id}", response=ProceedingsOut,
              summary="Move a proceeding on; needs If-Match with the ETag read")
def proceeding_patch(request: HttpRequest, response: HttpResponse, proceeding_id: Id,
                     payload: ProceedingsPatchIn) -> Any:
    version = _if_match(request)
    current = selectors.proceeding_get(user=request.user, proceeding_id=proceeding_id, audit=False)
    if current.version != version:
        raise PreconditionFailed(f"the proceeding is at version {current.version}; read it again",
                                 field="If-Match")
    services.proceeding_update(actor=request.user, proceeding_id=proceeding_id, version=version,
                               **payload.model_dump(exclude_unset=True))
    return _answer(request, response, proceeding_id)


@router.post("/proceedings/{proceeding_id}/withdrawals", response=ProceedingsOut,
             summary="A victim withdrew their statement: the proceeding continues (11.4)")
def statement_withdrawal(request: HttpRequest, response: HttpResponse, proceeding_id: Id,
                         payload: ProceedingsWithdrawalIn) -> Any:
    services.statement_withdraw(actor=request.user, proceeding_id=proceeding_id, **payload.model_dump())
    return _answer(request, response, proceeding_id)


@router.post("/proceedings/{proceeding_id}/defendants", response={201: ProceedingsOut},
             summary="Add a suspect or defendant; a victim needs a recorded ground (13.1, 13.2)")
def defendant_create(request: HttpRequest, response: HttpResponse, proceeding_id: Id,
                     payload: ProceedingsDefendantIn) -> Any:
    services.defendant_add(actor=request.user, proceeding_id=proceeding_id, **payload.model_dump())
    return Status(201, _answer(request, response, proceeding_id))


@router.post("/proceedings/defendants/{defendant_id}/custody", response=ProceedingsOut,
             summary="Detained, released or escaped; a release or escape is owed to the victims")
def defendant_custody(request: HttpRequest, response: HttpResponse, defendant_id: Id,
                      payload: ProceedingsCustodyIn) -> Any:
    defendant = services.defendant_custody(actor=request.user, defendant_id=defendant_id,
                                           **payload.model_dump())
    return _answer(request, response, defendant.proceeding_id)


@router.post("/proceedings/{proceeding_id}/sentencing-sessions", response={201: list[ProceedingsNoticeOut]},
             summary="Set a sentencing session: each victim is to be told in time (20.2.12)")
def sentencing_session(request: HttpRequest, proceeding_id: Id, payload: ProceedingsSessionIn) -> Any:
    notices = services.sentencing_session_schedule(actor=request.user, proceeding_id=proceeding_id,
                                                   session_on=payload.session_on)
    shown = selectors.notices_shown(user=request.user, notices=notices)
    return Status(201, [selectors.notice_dict(n) for n in shown])


@router.post("/proceedings/{proceeding_id}/join", response=ProceedingsOut,
             summary="Join this proceeding into another (10.3-10.6)")
def proceeding_join(request: HttpRequest, response: HttpResponse, proceeding_id: Id,
                    payload: ProceedingsJoinIn) -> Any:
    joinder.proceeding_join(actor=request.user, proceeding_id=proceeding_id, into_id=payload.into)
    return _answer(request, response, proceeding_id)


@router.post("/proceedings/{proceeding_id}/separations", response={201: ProceedingsOut},
             summary="Separate the proceeding for some of its victims (10.3-10.6)")
def proceeding_separate(request: HttpRequest, response: HttpResponse, proceeding_id: Id,
                        payload: ProceedingsSeparateIn) -> Any:
    separated = joinder.proceeding_separate(actor=request.user, proceeding_id=proceeding_id,
                                             **payload.model_dump())
    return Status(201, _answer(request, response, separated.pk))


@router.post("/proceedings/{proceeding_id}/assets", response={201: ProceedingsOut},
             summary="Assets frozen, seized or confiscated, in euros (11.3)")
def asset_create(request: HttpRequest, response: HttpResponse, proceeding_id: Id,
                 payload: ProceedingsAssetIn) -> Any:
    assets.asset_record(actor=request.user, proceeding_id=proceeding_id, **payload.model_dump())
    return Status(201, _answer(request, response, proceeding_id))


@router.post("/proceedings/{proceeding_id}/closures", response={201: ProceedingsOut},
             summary="Request the closure of premises or a business (Art. 17)")
def closure_create(request: HttpRequest, response: HttpResponse, proceeding_id: Id,
                   payload: ProceedingsClosureIn) -> Any:
    assets.closure_request(actor=request.user, proceeding_id=proceeding_id, **payload.model_dump())
    return Status(201, _answer(request, response, proceeding_id))


@router.post("/proceedings/closures/{closure_id}/decision", response=ProceedingsOut,
             summary="The judge's decision on closing premises (Art. 17)")
def closure_decision(request: HttpRequest, response: HttpResponse, closure_id: Id,
                     payload: ProceedingsClosureDecisionIn) -> Any:
    closure = assets.closure_decide(actor=request.user, closure_id=closure_id, **payload.model_dump())
    return _answer(request, response, closure.proceeding_id)


@router.get("/cases/{case_id}/interviews", response=list[ProceedingsInterviewOut],
            summary="The log of the victim's interviews")
def interview_index(request: HttpRequest, case_id: Id) -> Any:
    return [selectors.interview_dict(i) for i in selectors.interview_list(user=request.user, case_id=case_id)]


@router.post("/cases/{case_id}/interviews", response={201: ProceedingsInterviewOut},
             summary="Log an interview; a child's further one needs its exceptional ground (16.1.5)")
def interview_create(request: HttpRequest, case_id: Id, payload: ProceedingsInterviewIn) -> Any:
    interview = protection.interview_record(actor=request.user, case_id=case_id, **payload.model_dump())
    shown = {i.pk: i for i in selectors.interview_list(user=request.user, case_id=case_id)}
    return Status(201, selectors.interview_dict(shown[interview.pk]))


@router.get("/cases/{case_id}/protection-measures", response=list[ProceedingsMeasureOut],
            summary="Protection measures, for the officials the policy names (18.4)")
def measure_index(request: HttpRequest, case_id: Id) -> Any:
    return [selectors.measure_dict(m) for m in selectors.measure_list(user=request.user, case_id=case_id)]


@router.post("/cases/{case_id}/protection-measures", response={201: ProceedingsMeasureOut},
             summary="Record a protection measure")
def measure_create(request: HttpRequest, case_id: Id, payload: ProceedingsMeasureIn) -> Any:
    measure = protection.measure_order(actor=request.user, case_id=case_id, **payload.model_dump())
    shown = {m.pk: m for m in selectors.measure_list(user=request.user, case_id=case_id)}
    return Status(201, selectors.measure_dict(shown[measure.pk]))


@router.patch("/protection-measures/{measure_id}", response=ProceedingsMeasureOut,
              summary="End a protection measure; needs If-Match with the ETag read")
def measure_patch(request: HttpRequest, response: HttpResponse, measure_id: Id,
                  payload: ProceedingsMeasureEndIn) -> Any:
    version = _if_match(request)
    measure = protection.measure_end(actor=request.user, measure_id=measure_id, version=version,
                                     ended_on=payload.ended_on)
    shown = {m.pk: m for m in selectors.measure_list(user=request.user, case_id=measure.case_id)}
    _etag(response, measure.version)
    return selectors.measure_dict(shown[measure.pk])
