"""Writes: the interview log (15.2, Art. 16) and protection measures (15.3, 16.3, 18.4-18.6, 19).

Interviews are the source of the law's `case.interviews`: after each one the case's legal
state follows, so a child's second interview without an exceptional ground shows as the
engine's violation at once. Measures are seen only by officials named on the case whose
role the policy names (18.4); nobody else learns that one exists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.authorities.models import Institution
from nrm.cases.models import Case
from nrm.cases.services import legal_state_follow
from nrm.errors import Conflict, Invalid, NotFound, PreconditionFailed
from nrm.proceedings.models import (
    Interview,
    MeasureArticle,
    MeasureKind,
    ProtectionMeasure,
)
from nrm.proceedings.services import _not_future, _text, changeable_cases

REPEAT = "repeat_child_interview"


def repeat_interview_warning(case: Case) -> str | None:
    """The article of the bar on interviewing this child again, when the law engine's stored
    assessment of the case lists it (16.1.5): the warning before a second interview."""
    state = getattr(case, "legal_state", None)
    assessment = (state.assessment if state is not None else None) or {}
    for item in assessment.get("prohibitions") or []:
        if item.get("code") == REPEAT:
            return str(item.get("article"))
    return None


@transaction.atomic
def interview_record(*, actor: Any, case_id: int, held_on: dt.date, interviewer: str,
                     premises: str = "", child_appropriate_premises: bool | None = None,
                     recorded_for_trial: bool = False, exceptional_ground: str = "",
                     acknowledge_repeat: bool = False, proceeding_id: int | None = None) -> Interview:
    """Log an interview of a victim. A child is interviewed in premises recorded as designed
    or adapted for a child or not (16.1.2). Once the law bars a further interview of the
    child (16.1.5), one is recorded only with its exceptional ground, or knowingly without
    one (`acknowledge_repeat`): then the engine's violation follows from the record."""
    case = changeable_cases(actor, [case_id], kind=Kind.INTERVIEW)[0]
    acting = access.acting(actor, case=case, kind=Kind.INTERVIEW)
    case = Case.objects.select_related("legal_state").get(pk=case.pk)
    _not_future("held_on", held_on)
    interviewer = _text("interviewer", interviewer, required=True, limit=200)
    premises = _text("premises", premises, limit=200)
    ground = _text("exceptional_ground", exceptional_ground)
    if case.child:
        if not premises:
            raise Invalid("premises", _("record where the child was interviewed (16.1.2)"))
        if child_appropriate_premises is None:
            raise Invalid("child_appropriate_premises",
                          _("record whether the premises were designed or adapted for a child (16.1.2)"))
    article = repeat_interview_warning(case)
    if article and not ground and not acknowledge_repeat:
        raise Conflict(_("this child has been interviewed already: the law allows one interview "
                         "save for an exceptional and complex investigation (Art. %(article)s); "
                         "give the exceptional ground, or confirm the interview took place "
                         "without one") % {"article": article}, field="exceptional_ground")
    proceeding = None
    if proceeding_id is not None:
        proceeding = access.proceedings(actor).filter(pk=proceeding_id, victims__case=case).first()
        if proceeding is None:
            raise NotFound(_("proceeding %(id)s not found") % {"id": proceeding_id}, field="proceeding_id")
    interview = Interview.objects.create(
        case=case, proceeding=proceeding, held_on=held_on, interviewer=interviewer,
        institution_id=acting.institution_id, premises=premises,
        child_appropriate_premises=child_appropriate_premises,
        recorded_for_trial=recorded_for_trial, exceptional=bool(ground),
        exceptional_ground=ground, recorded_by=actor,
    )
    record(actor=actor, action="create", record_type="proceedings.interview", records=[interview],
           fields=["held_on", "interviewer", "premises", "child_appropriate_premises",
                   "recorded_for_trial"] + (["exceptional_ground"] if ground else []),
           acting=acting, detail={"case": case.pk})
    legal_state_follow(case_id=case.pk)
    return interview


@transaction.atomic
def measure_order(*, actor: Any, case_id: int, kind: str, ordered_on: dt.date,
                  ended_on: dt.date | None = None, article: str = "", details: str = "",
                  decision_reference: str = "", ordered_by: str = "",
                  proceeding_id: int | None = None) -> ProtectionMeasure:
    """Record a protection measure: its kind, who ordered it, from when, until when and
    under which article. A change of identity rests on a court's decision (18.5)."""
    # Refused as any other write the role may not make: the answer says nothing of whether
    # the case has measures.
    case = changeable_cases(actor, [case_id], kind=Kind.PROTECTION_MEASURE)[0]
    acting = access.acting(actor, case=case, kind=Kind.PROTECTION_MEASURE, personal=True)
    if kind not in MeasureKind.values:
        raise Invalid("kind", _("unknown kind %(value)s") % {"value": repr(kind)})
    if article not in MeasureArticle.values:
        raise Invalid("article", _("name the article the measure is ordered under"))
    if ended_on is not None and ended_on < ordered_on:
        raise Invalid("ended_on", _("%(date)s is before the measure began") % {"date": ended_on.isoformat()})
    decision_reference = _text("decision_reference", decision_reference, limit=60)
    if kind == MeasureKind.IDENTITY_CHANGE and not decision_reference:
        raise Invalid("decision_reference", _("a change of identity needs the court's decision (18.5)"))
    _not_future("ordered_on", ordered_on)
    # Who ordered it: a court or a prosecution office by its code; the recorder's own by default.
    orderer_id = acting.institution_id
    if ordered_by.strip():
        found = Institution.objects.filter(code=ordered_by.strip(), active=True).values_list("pk", flat=True).first()
        if found is None:
            raise Invalid("ordered_by", _("no institution %(code)s") % {"code": ordered_by.strip()[:60]})
        orderer_id = found
    proceeding = None
    if proceeding_id is not None:
        proceeding = access.proceedings(actor).filter(pk=proceeding_id, victims__case=case).first()
        if proceeding is None:
            raise NotFound(_("proceeding %(id)s not found") % {"id": proceeding_id}, field="proceeding_id")
    measure = ProtectionMeasure.objects.create(
        case=case, kind=kind, ordered_on=ordered_on, ended_on=ended_on, article=article,
        ordered_by_id=orderer_id, details=_text("details", details),
        decision_reference=decision_reference, proceeding=proceeding, recorded_by=actor,
    )
    record(actor=actor, action="create", record_type="proceedings.protectionmeasure",
           records=[measure], fields=["kind", "ordered_on", "ended_on", "article", "ordered_by"]
           + (["details"] if details else []), acting=acting)
    return measure


@transaction.atomic
def measure_end(*, actor: Any, measure_id: int, ended_on: dt.date, version: int | None = None) -> ProtectionMeasure:
    measure = access.protection_measures(actor, Action.CHANGE).select_for_update().filter(
        pk=measure_id).first()
    if measure is None:
        raise NotFound(_("measure %(id)s not found") % {"id": measure_id})
    acting = access.acting(actor, case=measure.case, kind=Kind.PROTECTION_MEASURE, personal=True)
    if version is not None and version != measure.version:
        raise PreconditionFailed(_("the measure is at version %(version)s; read it again")
                                 % {"version": measure.version}, field="If-Match")
    if ended_on < measure.ordered_on:
        raise Invalid("ended_on", _("%(date)s is before the measure began") % {"date": ended_on.isoformat()})
    measure.ended_on = ended_on
    measure.version += 1
    measure.save(update_fields=["ended_on", "version"])
    record(actor=actor, action="update", record_type="proceedings.protectionmeasure",
           records=[measure], fields=["ended_on"], acting=acting)
    return measure
