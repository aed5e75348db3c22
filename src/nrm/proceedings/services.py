"""Writes: proceedings, their victims and defendants, and the notices the victim is owed.

Each write is one transaction with its audit event (fields named, never values), acting
as the membership the access policy answers (access.acting). A write that changes a fact
the law engine reads from this app (a stage, a conclusion, a withdrawn statement) ends with
legal_state_follow for each victim, so the duty to continue (11.4) is there at once.
Bad input is refused with Invalid naming the field, before anything is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.cases.models import Case
from nrm.cases.services import legal_state_follow
from nrm.errors import Conflict, Invalid, NotAllowed, NotFound
from nrm.proceedings.models import (
    NOTICE_ARTICLES,
    Custody,
    Defendant,
    DefendantRole,
    Liability,
    NoticeEvent,
    Outcome,
    PersonKind,
    Proceeding,
    ProceedingVictim,
    Stage,
    VictimNotice,
)

# This app's own policy, not the law's (the engine has no code for these notices): the
# victim is told of a release or an escape the same day (20.2.13), of a sentencing session
# this many days before it so they can take part (20.2.12), and of progress within a week.
SENTENCING_NOTICE_DAYS = 7
PROGRESS_NOTICE_DAYS = 7
NON_PUNISHMENT = "prosecution_for_status_offences"


def _text(field: str, value: str | None, *, required: bool = False, limit: int = 2000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(field, _("this field is required"))
    if len(value) > limit:
        raise Invalid(field, _("at most %(limit)s characters") % {"limit": limit})
    return value


def _not_future(field: str, day: dt.date | None) -> None:
    if day is not None and day > timezone.localdate():
        raise Invalid(field, _("%(date)s is in the future") % {"date": day.isoformat()})


def changeable_cases(actor: Any, case_ids: Iterable[int], *, kind: Kind) -> list[Case]:
    """The cases named, each one the actor may change `kind` on; one they may not even see
    answers "not found" like a missing one, one they see but may not change 403."""
    ids = sorted(set(case_ids))
    allowed = {c.pk: c for c in Case.objects.filter(
        access.case_condition(actor, Action.CHANGE, kind), pk__in=ids)}
    for case_id in ids:
        if case_id not in allowed:
            if access.cases(actor).filter(pk=case_id).exists():
                raise NotAllowed(_("you may not record this for case %(case)s") % {"case": case_id})
            raise NotFound(_("case %(case)s not found") % {"case": case_id}, field="case_ids")
    return [allowed[i] for i in ids]


def proceeding_for_change(actor: Any, proceeding_id: int) -> Proceeding:
    proceeding = access.proceedings(actor, Action.CHANGE).select_for_update().filter(
        pk=proceeding_id).first()
    if proceeding is None:
        if access.proceedings(actor).filter(pk=proceeding_id).exists():
            raise NotAllowed(_("you may view this proceeding but not change it"))
        raise NotFound(_("proceeding %(id)s not found") % {"id": proceeding_id})
    return proceeding


def _acting_on(actor: Any, proceeding: Proceeding) -> access.Acting:
    """The lead institution's membership, or one on a victim's team, that may change it."""
    leading = [a for a in access.held(actor) if a.institution_id == proceeding.institution_id
               and Action.CHANGE in access.TEAM.get(a.role, {}).get(Kind.PROCEEDING, access.NONE)]
    if leading:
        return access.acting(actor, roles=[a.role for a in leading],
                             institution_id=proceeding.institution_id)
    for link in proceeding.victims.select_related("case"):
        try:
            return access.acting(actor, case=link.case, kind=Kind.PROCEEDING)
        except NotAllowed:
            continue
    raise NotAllowed(_("you may view this proceeding but not change it"))


def _follow(proceeding: Proceeding) -> None:
    for case_id in proceeding.victims.values_list("case_id", flat=True):
        legal_state_follow(case_id=case_id)


def _check_version(proceeding: Proceeding, version: int | None) -> None:
    if version is not None and version != proceeding.version:
        raise Conflict(_("the proceeding is at version %(version)s; read it again")
                       % {"version": proceeding.version}, field="version")


def _check_dates(p: Proceeding) -> None:
    """Stages follow each other in time: none dated before the one it follows."""
    order = [("investigation_on", p.investigation_on), ("prosecution_on", p.prosecution_on),
             ("trial_on", p.trial_on), ("concluded_on", p.concluded_on)]
    for name, day in order:
        _not_future(name, day)
    for index, (name, day) in enumerate(order):
        for earlier_name, earlier in order[:index]:
            if day is not None and earlier is not None and day < earlier:
                raise Invalid(name, _("%(date)s is before %(earlier)s (%(field)s)") % {
                    "date": day.isoformat(), "earlier": earlier.isoformat(), "field": earlier_name})
    reached = {Stage.PROSECUTION: "prosecution_on", Stage.TRIAL: "trial_on",
               Stage.CONCLUDED: "concluded_on"}
    if p.stage in reached and getattr(p, reached[Stage(p.stage)]) is None:
        raise Invalid(reached[Stage(p.stage)], _("the date this stage began is required"))
    if p.stage == Stage.CONCLUDED and not p.outcome:
        raise Invalid("outcome", _("a concluded proceeding needs its outcome"))
    if p.outcome and p.outcome not in Outcome.values:
        raise Invalid("outcome", _("unknown outcome %(value)s") % {"value": repr(p.outcome)})
    if p.outcome and p.stage != Stage.CONCLUDED:
        raise Invalid("outcome", _("only a concluded proceeding has an outcome"))


@transaction.atomic
def proceeding_open(*, actor: Any, court_file_number: str, case_ids: list[int],
                    investigation_on: dt.date, related_offences: list[str] | None = None,
                    joint_team_states: list[str] | None = None) -> Proceeding:
    """Open a proceeding for the victims named (their cases), led by the actor's office."""
    if not case_ids:
        raise Invalid("case_ids", _("name at least one victim's case"))
    cases = changeable_cases(actor, case_ids, kind=Kind.PROCEEDING)
    acting = access.acting(actor, case=cases[0], kind=Kind.PROCEEDING)
    proceeding = Proceeding(
        court_file_number=_text("court_file_number", court_file_number, required=True, limit=60),
        institution_id=acting.institution_id, investigation_on=investigation_on,
        related_offences=_codes("related_offences", related_offences or []),
        joint_team_states=_states(joint_team_states or []),
    )
    _check_dates(proceeding)
    proceeding.save()
    ProceedingVictim.objects.bulk_create(
        [ProceedingVictim(proceeding=proceeding, case=case) for case in cases])
    record(actor=actor, action="create", record_type="proceedings.proceeding", records=[proceeding],
           fields=["court_file_number", "stage", "investigation_on", "victims"], acting=acting,
           detail={"cases": [c.pk for c in cases]})
    _follow(proceeding)
    return proceeding


def _codes(field: str, values: list[str]) -> list[str]:
    cleaned = [_text(field, v, required=True, limit=40) for v in values]
    if len(cleaned) > 50:
        raise Invalid(field, _("at most %(limit)s entries") % {"limit": 50})
    return cleaned


def _states(values: list[str]) -> list[str]:
    states = [v.strip().upper() for v in values]
    for value in states:
        if len(value) != 2 or not value.isalpha() or not value.isascii():
            raise Invalid("joint_team_states", _("%(value)s is not an ISO 3166 alpha-2 code")
                          % {"value": repr(value)})
    return states


PROCEEDING_FIELDS = ("stage", "prosecution_on", "trial_on", "concluded_on", "outcome",
                     "court_file_number", "related_offences", "joint_team_states")


@transaction.atomic
def proceeding_update(*, actor: Any, proceeding_id: int, version: int | None = None,
                      **changes: Any) -> Proceeding:
    """Move a proceeding on (a stage, its date, the outcome); each victim is told of the
    progress (20.2.1) and the law follows at once."""
    proceeding = proceeding_for_change(actor, proceeding_id)
    acting = _acting_on(actor, proceeding)
    _check_version(proceeding, version)
    unknown = sorted(set(changes) - set(PROCEEDING_FIELDS))
    if unknown:
        raise Invalid(unknown[0], _("this field cannot be changed"))
    before = proceeding.stage
    for name, value in changes.items():
        if name == "stage" and value not in Stage.values:
            raise Invalid("stage", _("unknown stage %(value)s") % {"value": repr(value)})
        if name == "court_file_number":
            value = _text(name, value, required=True, limit=60)
        elif name == "related_offences":
            value = _codes(name, value or [])
        elif name == "joint_team_states":
            value = _states(value or [])
        elif name == "outcome":
            value = value or ""
        setattr(proceeding, name, value)
    _check_dates(proceeding)
    proceeding.version += 1
    proceeding.save()
    record(actor=actor, action="update", record_type="proceedings.proceeding", records=[proceeding],
           fields=sorted(changes), acting=acting)
    if proceeding.stage != before:
        _notify(proceeding, NoticeEvent.PROGRESS, timezone.localdate(),
                due=timezone.localdate() + dt.timedelta(days=PROGRESS_NOTICE_DAYS))
    _follow(proceeding)
    return proceeding


@transaction.atomic
def statement_withdraw(*, actor: Any, proceeding_id: int, case_id: int,
                       withdrawn_on: dt.date) -> ProceedingVictim:
    """The victim withdrew their statement: the proceeding goes on (11.4), and the law
    engine owes the duty to continue, which the case then shows."""
    proceeding = proceeding_for_change(actor, proceeding_id)
    acting = _acting_on(actor, proceeding)
    _not_future("withdrawn_on", withdrawn_on)
    link = _link(actor, proceeding, case_id)
    link.statement_withdrawn_on = withdrawn_on
    link.save(update_fields=["statement_withdrawn_on"])
    record(actor=actor, action="update", record_type="proceedings.proceeding", records=[proceeding],
           fields=["statement_withdrawn_on"], acting=acting, detail={"case": case_id})
    legal_state_follow(case_id=case_id)
    return link


def _link(actor: Any, proceeding: Proceeding, case_id: int) -> ProceedingVictim:
    link = proceeding.victims.filter(
        access.case_condition(actor, Action.VIEW, case_ref="case"), case_id=case_id).first()
    if link is None:
        raise NotFound(_("case %(case)s is not a victim of this proceeding") % {"case": case_id},
                       field="case_id")
    return link


def non_punishment_articles(case: Case) -> list[str]:
    """The articles of the prohibition on prosecuting a victim's status offences, as the
    law engine's stored assessment of the case lists them (13.1; 13.2 for a child)."""
    state = getattr(case, "legal_state", None)
    assessment = (state.assessment if state is not None else None) or {}
    return sorted({str(item.get("article")) for item in assessment.get("prohibitions") or []
                   if item.get("code") == NON_PUNISHMENT})


@transaction.atomic
def defendant_add(*, actor: Any, proceeding_id: int, kind: str, role: str = DefendantRole.SUSPECT,
                  name: str = "", birth_date: dt.date | None = None,
                  registration_number: str = "", liability: str = "",
                  victim_case_id: int | None = None, override_ground: str = "") -> Defendant:
    """Add a suspect or defendant. A legal person needs the basis of its liability (14.1,
    14.2). A person who is a presumed or identified victim is protected from prosecution
    for what they were made to do (13.1, 13.2): the prohibition is refused with its
    article unless a ground is recorded, and going on alerts the National Coordinator."""
    proceeding = proceeding_for_change(actor, proceeding_id)
    acting = _acting_on(actor, proceeding)
    if kind not in PersonKind.values:
        raise Invalid("kind", _("unknown kind %(value)s") % {"value": repr(kind)})
    if role not in DefendantRole.values:
        raise Invalid("role", _("unknown role %(value)s") % {"value": repr(role)})
    name = _text("name", name, required=True, limit=300)
    _not_future("birth_date", birth_date)
    if kind == PersonKind.LEGAL:
        if liability not in Liability.values:
            raise Invalid("liability", _("a legal person's liability rests on 14.1 or 14.2"))
        if birth_date is not None:
            raise Invalid("birth_date", _("a legal person has no date of birth"))
    elif liability:
        raise Invalid("liability", _("only a legal person is liable under Art. 14"))
    articles: list[str] = []
    victim_case = None
    ground = _text("override_ground", override_ground)
    if victim_case_id is not None:
        victim_case = access.cases(actor).select_related("legal_state").filter(pk=victim_case_id).first()
        if victim_case is None:
            raise NotFound(_("case %(case)s not found") % {"case": victim_case_id}, field="victim_case_id")
        articles = non_punishment_articles(victim_case)
        if articles and not ground:
            raise Invalid("override_ground", _(
                "this person is a presumed or identified victim: the law prohibits prosecuting "
                "them for offences they were compelled to commit (Art. %(articles)s); record "
                "the ground on which you proceed") % {"articles": ", ".join(articles)})
    defendant = Defendant.objects.create(
        proceeding=proceeding, kind=kind, role=role, name=name, birth_date=birth_date,
        registration_number=_text("registration_number", registration_number, limit=100),
        liability=liability, victim_case=victim_case, prohibition_articles=articles,
        override_ground=ground if articles else "",
    )
    fields = [f for f, v in (("name", name), ("birth_date", birth_date),
                             ("registration_number", registration_number)) if v]
    record(actor=actor, action="create", record_type="proceedings.defendant", records=[defendant],
           fields=fields + ["kind", "role"] + (["liability"] if liability else []), acting=acting)
    if articles:
        # Seen by the National Coordinator's list of overrides (nrm.proceedings.selectors).
        record(actor=actor, action="non_punishment.override", record_type="proceedings.defendant",
               records=[defendant], fields=["override_ground"], acting=acting,
               detail={"case": victim_case_id, "articles": articles})
    return defendant


@transaction.atomic
def defendant_custody(*, actor: Any, defendant_id: int, custody: str, on: dt.date) -> Defendant:
    """A defendant detained, released or escaped: a release or an escape is owed to every
    victim of the proceeding at once (20.2.13)."""
    defendant = Defendant.objects.select_related("proceeding").filter(
        pk=defendant_id, proceeding__in=access.proceedings(actor)).first()
    if defendant is None:
        raise NotFound(_("defendant %(id)s not found") % {"id": defendant_id})
    proceeding = proceeding_for_change(actor, defendant.proceeding_id)
    acting = _acting_on(actor, proceeding)
    if custody not in Custody.values:
        raise Invalid("custody", _("unknown custody %(value)s") % {"value": repr(custody)})
    _not_future("on", on)
    defendant.custody = custody
    defendant.save(update_fields=["custody"])
    record(actor=actor, action="update", record_type="proceedings.defendant", records=[defendant],
           fields=["custody"], acting=acting)
    event = {Custody.RELEASED: NoticeEvent.RELEASE, Custody.ESCAPED: NoticeEvent.ESCAPE}.get(Custody(custody))
    if event is not None:
        _notify(proceeding, event, on, due=on, defendant=defendant)
    return defendant


@transaction.atomic
def sentencing_session_schedule(*, actor: Any, proceeding_id: int, session_on: dt.date) -> list[VictimNotice]:
    """A sentencing session is set: each victim is told in time to take part (20.2.12)."""
    proceeding = proceeding_for_change(actor, proceeding_id)
    acting = _acting_on(actor, proceeding)
    today = timezone.localdate()
    if session_on < today:
        raise Invalid("session_on", _("%(date)s is in the past") % {"date": session_on.isoformat()})
    due = max(today, session_on - dt.timedelta(days=SENTENCING_NOTICE_DAYS))
    record(actor=actor, action="update", record_type="proceedings.proceeding", records=[proceeding],
           fields=["sentencing_session"], acting=acting)
    return _notify(proceeding, NoticeEvent.SENTENCING, session_on, due=due)


def _notify(proceeding: Proceeding, event: NoticeEvent, event_on: dt.date, *, due: dt.date,
            defendant: Defendant | None = None) -> list[VictimNotice]:
    """One notice per victim, owed by the office leading the proceeding."""
    notices = [VictimNotice(proceeding=proceeding, case_id=case_id, defendant=defendant, event=event,
                            article=NOTICE_ARTICLES[event], event_on=event_on, due_on=due,
                            institution_id=proceeding.institution_id)
               for case_id in proceeding.victims.values_list("case_id", flat=True)]
    VictimNotice.objects.bulk_create(notices)
    record(actor=None, action="notice.raise", record_type="proceedings.victimnotice",
           records=[n.pk for n in notices if n.pk], detail={"event": event.value,
                                                             "article": NOTICE_ARTICLES[event]})
    return notices


@transaction.atomic
def notice_inform(*, actor: Any, notice_id: int, informed_on: dt.date, information: str) -> VictimNotice:
    """Record that the victim was told, and what."""
    notice = VictimNotice.objects.select_for_update().filter(
        Q(pk=notice_id), Q(proceeding__in=access.proceedings(actor)),
        access.case_condition(actor, Action.VIEW, case_ref="case")).first()
    if notice is None:
        raise NotFound(_("notice %(id)s not found") % {"id": notice_id})
    if notice.institution_id not in access.institutions(actor):
        raise NotAllowed(_("another institution owes this notice"))
    acting = access.acting(actor, institution_id=notice.institution_id,
                           roles=[r for r, k in access.TEAM.items()
                                  if Action.CHANGE in k.get(Kind.PROCEEDING, access.NONE)])
    if notice.informed_on is not None:
        raise Conflict(_("the victim was already told on %(date)s") % {"date": notice.informed_on},
                       field="informed_on")
    _not_future("informed_on", informed_on)
    # A sentencing session is told of before it; a release, an escape or a stage after them.
    if notice.event != NoticeEvent.SENTENCING and informed_on < notice.event_on:
        raise Invalid("informed_on", _("%(date)s is before the event the victim was told of")
                      % {"date": informed_on.isoformat()})
    notice.informed_on = informed_on
    notice.information = _text("information", information, required=True)
    notice.save(update_fields=["informed_on", "information"])
    record(actor=actor, action="update", record_type="proceedings.victimnotice", records=[notice],
           fields=["informed_on", "information"], acting=acting)
    return notice

