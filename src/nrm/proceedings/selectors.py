"""Reads: every one starts from a scope of the access policy, and each read of personal
data (a defendant's identity, an interview's ground, a measure's details) is audited with
exactly the fields shown. The presenters here shape both the reads and the answers to
writes (the response rule)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action
from nrm.cases.models import Case
from nrm.errors import NotAllowed, NotFound
from nrm.proceedings.models import (
    Defendant,
    Interview,
    Proceeding,
    ProceedingVictim,
    ProtectionMeasure,
    VictimNotice,
)

DEFENDANT_FIELDS = ["name", "birth_date", "registration_number"]


def proceeding_scope(*, user: Any) -> QuerySet[Proceeding]:
    return access.proceedings(user).select_related("institution").order_by("-id")


def _victims(user: Any) -> Prefetch[Any]:
    # Of the victims, only those whose case the reader may see: a proceeding never tells
    # one victim's team who else it concerns.
    return Prefetch("victims", queryset=ProceedingVictim.objects.filter(
        access.case_condition(user, Action.VIEW, case_ref="case")).select_related("case").order_by("id"))


def _defendants(user: Any) -> Prefetch[Any]:
    # Each defendant marked, in the same query, with whether the reader may see the
    # victim's case named on it (victim_link says what that withholds).
    shown = Case.objects.filter(access.case_condition(user, Action.VIEW), pk=OuterRef("victim_case_id"))
    return Prefetch("defendants", queryset=Defendant.objects.annotate(
        victim_case_shown=Exists(shown)).order_by("id"))


def proceeding_get(*, user: Any, proceeding_id: int, audit: bool = True) -> Proceeding:
    """One proceeding as the reader may see it: the read behind every answer about it, to a
    read or a write, in the API and on its page."""
    proceeding = (proceeding_scope(user=user).prefetch_related(
        _victims(user), _defendants(user), "assets", "closures").filter(pk=proceeding_id).first())
    if proceeding is None:
        raise NotFound(_("proceeding %(id)s not found") % {"id": proceeding_id})
    if audit and proceeding.defendants.all():
        record(actor=user, action="read", record_type="proceedings.proceeding", records=[proceeding],
               fields=DEFENDANT_FIELDS + ["victims"], purpose="proceeding view")
    return proceeding


def proceeding_list(*, user: Any, limit: int, offset: int) -> list[Proceeding]:
    """A page of proceedings, without the defendants' identities (none shown, none logged)."""
    return list(proceeding_scope(user=user).prefetch_related(_victims(user))[offset:offset + limit])


def victim_link(d: Defendant) -> dict[str, Any]:
    """What a defendant shows of the victim's case named on it: the case's id, the
    prohibition's articles (copied from that case's legal state: 13.2 tells a child) and
    whether a ground was recorded to go on despite them. All of it comes from the case, so a
    reader who may not see the case is shown what a defendant with no case shows, and
    nothing tells them the case exists. A defendant not read through proceeding_get (not
    marked) shows nothing of it either."""
    if d.victim_case_id is None or getattr(d, "victim_case_shown", False) is not True:
        return {"victim_case_id": None, "prohibition_articles": [], "override_recorded": False}
    return {"victim_case_id": d.victim_case_id, "prohibition_articles": list(d.prohibition_articles),
            "override_recorded": bool(d.override_ground)}


def defendant_dict(d: Defendant) -> dict[str, Any]:
    return {"id": d.pk, "kind": d.kind, "role": d.role, "name": d.name, "birth_date": d.birth_date,
            "registration_number": d.registration_number or "", "liability": d.liability,
            "custody": d.custody, **victim_link(d)}


def proceeding_dict(p: Proceeding, *, full: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": p.pk, "court_file_number": p.court_file_number, "institution": p.institution.code,
        "stage": p.stage, "investigation_on": p.investigation_on, "prosecution_on": p.prosecution_on,
        "trial_on": p.trial_on, "concluded_on": p.concluded_on, "outcome": p.outcome,
        "related_offences": p.related_offences, "joint_team_states": p.joint_team_states,
        "joined_into": p.joined_into_id, "separated_from": p.separated_from_id, "version": p.version,
        "victims": [{"case_id": v.case_id, "reference": v.case.reference,
                     "statement_withdrawn_on": v.statement_withdrawn_on} for v in p.victims.all()],
        "defendants": [], "assets": [], "closures": [],
    }
    if full:
        data["defendants"] = [defendant_dict(d) for d in p.defendants.all()]
        data["assets"] = [{"id": a.pk, "action": a.action, "amount": a.amount, "on": a.on}
                          for a in p.assets.all()]
        data["closures"] = [{"id": c.pk, "requested_on": c.requested_on, "decision": c.decision,
                             "decided_on": c.decided_on} for c in p.closures.all()]
    return data


def interview_list(*, user: Any, case_id: int) -> list[Interview]:
    case = Case.objects.filter(access.case_condition(user, Action.VIEW, access.Kind.INTERVIEW),
                               pk=case_id).first()
    if case is None:
        raise NotFound(_("case %(case)s not found") % {"case": case_id})
    rows = list(access.interviews(user).filter(case=case).select_related("institution")
                .order_by("held_on", "id"))
    if rows:
        record(actor=user, action="read", record_type="proceedings.interview", records=rows,
               fields=INTERVIEW_FIELDS, purpose="interview log")
    return rows


INTERVIEW_FIELDS = ["held_on", "interviewer", "premises", "child_appropriate_premises",
                    "recorded_for_trial", "exceptional_ground"]


def interview_dict(i: Interview) -> dict[str, Any]:
    return {"id": i.pk, "case_id": i.case_id, "proceeding_id": i.proceeding_id,
            "held_on": i.held_on, "interviewer": i.interviewer, "institution": i.institution.code,
            "premises": i.premises, "child_appropriate_premises": i.child_appropriate_premises,
            "recorded_for_trial": i.recorded_for_trial, "exceptional": i.exceptional,
            "exceptional_ground": i.exceptional_ground or ""}


MEASURE_FIELDS = ["kind", "ordered_on", "ended_on", "article", "ordered_by", "details",
                  "decision_reference"]


def measure_list(*, user: Any, case_id: int) -> list[ProtectionMeasure]:
    """The measures of a case, for an official the policy names (18.4). Anyone else is
    answered "not found" whether the case has measures or not, or exists at all."""
    case = Case.objects.filter(access.case_condition(user, Action.VIEW, access.Kind.PROTECTION_MEASURE),
                               pk=case_id).first()
    if case is None:
        raise NotFound(_("case %(case)s not found") % {"case": case_id})
    rows = list(access.protection_measures(user).filter(case=case).select_related("ordered_by")
                .order_by("ordered_on", "id"))
    if rows:
        record(actor=user, action="read", record_type="proceedings.protectionmeasure", records=rows,
               fields=MEASURE_FIELDS, purpose="protection measures")
    return rows


def measure_dict(m: ProtectionMeasure) -> dict[str, Any]:
    return {"id": m.pk, "case_id": m.case_id, "kind": m.kind, "article": m.article,
            "ordered_by": m.ordered_by.code, "ordered_on": m.ordered_on, "ended_on": m.ended_on,
            "details": m.details or "", "decision_reference": m.decision_reference,
            "proceeding_id": m.proceeding_id, "version": m.version}


def notices_due(*, user: Any, limit: int = 200) -> list[VictimNotice]:
    """Notices the user's institutions owe victims and have not yet given, soonest first."""
    return list(VictimNotice.objects.filter(
        access.case_condition(user, Action.VIEW, case_ref="case"),
        proceeding__in=access.proceedings(user),
        institution_id__in=access.institutions(user), informed_on__isnull=True,
    ).select_related("case", "proceeding", "institution").order_by("due_on", "id")[:limit])


def notices_shown(*, user: Any, notices: list[VictimNotice]) -> list[VictimNotice]:
    """Of notices a write just raised (one per victim), those of the victims whose case the
    user may see, each with its case: one query, like notices_due's filter."""
    cases = access.cases(user).in_bulk({n.case_id for n in notices})
    shown = [n for n in notices if n.case_id in cases]
    for notice in shown:
        notice.case = cases[notice.case_id]
    return shown


def notice_dict(n: VictimNotice) -> dict[str, Any]:
    return {"id": n.pk, "proceeding_id": n.proceeding_id, "case_id": n.case_id,
            "reference": n.case.reference, "event": n.event, "article": n.article,
            "event_on": n.event_on, "due_on": n.due_on, "institution": n.institution.code,
            "informed_on": n.informed_on}


def case_id_by_reference(*, user: Any, reference: str, field: str) -> int:
    """The id of a case the user may see, from the reference an official types on a page."""
    found = access.cases(user).filter(reference=reference.strip()).values_list("pk", flat=True).first()
    if found is None:
        raise NotFound(_("no case %(reference)s that you may see") % {"reference": reference},
                       field=field)
    return int(found)


def justice_roles(user: Any) -> bool:
    """Whether any role the user holds may see proceedings at all (the page and its link)."""
    return any(Action.VIEW in access.TEAM.get(role, {}).get(access.Kind.PROCEEDING, access.NONE)
               for role in access.roles(user))


def case_views(*, user: Any, case_id: int) -> tuple[Case, bool, bool]:
    """A case's justice page: the case, and whether the interview log and the measures are
    the user's to see. Neither: "not found", as for a case they may not see."""
    case = access.cases(user).select_related("legal_state").filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("case %(case)s not found") % {"case": case_id})
    interviews = Case.objects.filter(
        access.case_condition(user, Action.VIEW, access.Kind.INTERVIEW), pk=case_id).exists()
    measures = Case.objects.filter(
        access.case_condition(user, Action.VIEW, access.Kind.PROTECTION_MEASURE), pk=case_id).exists()
    if not interviews and not measures:
        raise NotFound(_("case %(case)s not found") % {"case": case_id})
    return case, interviews, measures


def non_punishment_alerts(*, user: Any, limit: int = 200) -> list[Defendant]:
    """For the National Coordinator: every prosecution of a presumed or identified victim
    that went on despite 13.1/13.2. Pseudonymous: the case's reference, the articles, the
    office and the day; never the person's name nor the ground's text."""
    if not access.national_allows(user, Action.VIEW, access.Kind.NON_PUNISHMENT_ALERT):
        raise NotAllowed(_("only the National Coordinator receives these alerts"))
    return list(Defendant.objects.filter(access.case_condition(user, Action.VIEW, case_ref="victim_case"),
                                         victim_case__isnull=False, override_ground__isnull=False)
                .select_related("victim_case", "proceeding__institution").order_by("-created_at", "-id")[:limit])


def alert_dict(d: Defendant) -> dict[str, Any]:
    assert d.victim_case is not None  # noqa: S101 - only alerts with a victim's case are listed
    return {"id": d.pk, "case_id": d.victim_case_id, "reference": d.victim_case.reference,
            "articles": d.prohibition_articles, "institution": d.proceeding.institution.code,
            "court_file_number": d.proceeding.court_file_number, "recorded_on": d.created_at.date()}


def justice_cases(*, user: Any, limit: int = 50) -> list[Case]:
    """The cases whose interview log the user may see, newest first: pseudonymous references."""
    return list(Case.objects.filter(access.case_condition(user, Action.VIEW, access.Kind.INTERVIEW))
                .order_by("-id").only("pk", "reference", "child")[:limit])
