"""Decisions on a case: stage changes, completed duties, rights explained.

Each is a recorded decision: who, as which institution and role, when, on what grounds.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.models import User
from nrm.cases.legal import legal_state_refresh
from nrm.cases.models import (
    Case,
    ClosureReason,
    Duty,
    DutyStatus,
    Right,
    RightsExplanation,
    Stage,
    StageDecision,
)
from nrm.cases.selectors import record_derived_shown
from nrm.cases.services import birth_seen, date_plausible, facts_validate, text_plausible
from nrm.errors import CaseNotFound, NotAllowed, NotFound
from nrm.errors import Invalid as CaseError

GROUNDS_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 2000

# Which stage may follow which. Declined identification keeps the record and its reasons
# (12.1); a closed case can be reopened, and that too is a recorded decision.
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.SCREENING: frozenset({Stage.PRESUMED_VICTIM, Stage.CLOSED}),
    Stage.PRESUMED_VICTIM: frozenset({Stage.IDENTIFIED, Stage.DECLINED, Stage.ASSISTED, Stage.CLOSED}),
    Stage.IDENTIFIED: frozenset({Stage.ASSISTED, Stage.REINTEGRATED, Stage.RETURNED, Stage.CLOSED}),
    Stage.DECLINED: frozenset({Stage.CLOSED, Stage.IDENTIFIED}),
    Stage.ASSISTED: frozenset({Stage.IDENTIFIED, Stage.REINTEGRATED, Stage.RETURNED, Stage.CLOSED}),
    Stage.REINTEGRATED: frozenset({Stage.CLOSED}),
    Stage.RETURNED: frozenset({Stage.CLOSED}),
    Stage.CLOSED: frozenset(),
}


def _locked(actor: User, case_id: int) -> Case:
    case = access.cases(actor, access.Action.CHANGE).select_for_update().filter(pk=case_id).first()
    if case is None:
        raise CaseNotFound(case_id)
    return case


@transaction.atomic
def case_decide(
    *,
    actor: User,
    case_id: int,
    to_stage: str,
    decided_on: date,
    grounds: str,
    closure_reason: str = "",
) -> StageDecision:
    case = _locked(actor, case_id)
    today = timezone.localdate()
    if to_stage not in Stage.values and to_stage != "reopen":
        raise CaseError("to_stage", _("unknown stage %(stage)s") % {"stage": repr(to_stage)})
    date_plausible("decided_on", decided_on, on=today, born=birth_seen(actor, case))
    if not grounds.strip():
        raise CaseError("grounds", _("say on what grounds the decision is taken"))
    text_plausible("grounds", grounds, GROUNDS_MAX_LENGTH)
    reopening = to_stage == "reopen"
    if reopening:
        if case.stage != Stage.CLOSED:
            raise CaseError("to_stage", _("only a closed case can be reopened"))
        last = case.decisions.exclude(to_stage=Stage.CLOSED).order_by("-decided_at", "-id").first()
        target = last.to_stage if last else Stage.SCREENING
    else:
        if to_stage not in TRANSITIONS[case.stage]:
            raise CaseError("to_stage", _("a case at stage %(stage)s cannot move to %(target)s")
                            % {"stage": repr(case.stage), "target": repr(to_stage)})
        target = to_stage
    if target == Stage.CLOSED and closure_reason not in ClosureReason.values:
        raise CaseError("closure_reason", _("closing needs a reason, one of %(reasons)s")
                        % {"reasons": ", ".join(ClosureReason.values)})
    try:
        acting = access.acting(actor, roles=access.DECISIONS.get(to_stage, frozenset()), case=case,
                               capacities=access.DECISION_CAPACITIES.get(to_stage))
    except NotAllowed:
        if to_stage in (Stage.IDENTIFIED, Stage.DECLINED):
            message = _("only the police, the prosecution, a victim advocate or a centre for social "
                        "work on the case's team may decide official identification (Art. 12.1)")
        elif to_stage in access.DECISION_CAPACITIES:
            message = _("only the institution that leads or manages the case may close or reopen it")
        else:
            message = _("your role may not take this decision on this case")
        raise NotAllowed(message, field="to_stage") from None
    facts = dict(case.facts)
    if target == Stage.PRESUMED_VICTIM and not facts.get("reasonable_grounds_on"):
        facts["reasonable_grounds_on"] = decided_on.isoformat()  # 9.2, 20.5
    if target == Stage.IDENTIFIED:
        facts.setdefault("reasonable_grounds_on", decided_on.isoformat())
        facts["identified_on"] = decided_on.isoformat()
    facts_validate({**case.person.facts, "sex": case.person.sex,
                    "citizenship": case.person.citizenship or None},
                   facts, birth_date=case.person.birth_date, on=today,
                   birth_seen=birth_seen(actor, case) is not None)
    decision = StageDecision.objects.create(
        case=case, from_stage=case.stage, to_stage=target, decided_on=decided_on,
        decided_by=actor, institution_id=acting.institution_id, role=acting.role,
        closure_reason=closure_reason if target == Stage.CLOSED else "", grounds=grounds,
    )
    case.stage, case.facts = target, facts
    case.version += 1
    case.save(update_fields=["stage", "facts", "version", "updated_at"])
    record(actor=actor, action="decide", record_type="cases.case", records=[case],
           fields=["stage", "grounds"], purpose="stage decision",
           detail={"from": decision.from_stage, "to": target, "reopen": reopening}, acting=acting)
    legal_state_refresh(case=case, on=today)
    return decision


@transaction.atomic
def duty_complete(*, actor: User, duty_id: int, note: str = "") -> Duty:
    duty = (Duty.objects.select_for_update()
            .filter(record_derived_shown(actor), pk=duty_id,
                    case__in=access.cases(actor, access.Action.CHANGE)).first())
    if duty is None:
        raise NotFound(_("duty %(id)s not found") % {"id": duty_id})
    text_plausible("note", note, NOTE_MAX_LENGTH)
    # The duty is owed by an institution: only an official of that one completes it.
    try:
        acting = access.acting(actor, case=duty.case, institution_id=duty.institution_id)
    except NotAllowed:
        raise NotAllowed(_("only an official of the institution that owes this duty may complete it"),
                         field="duty") from None
    if duty.status != DutyStatus.OPEN:
        raise CaseError("status", _("the duty is %(status)s, not open") % {"status": duty.status})
    duty.status, duty.completed_by, duty.completed_at = DutyStatus.DONE, actor, timezone.now()
    duty.note = note or None
    duty.save(update_fields=["status", "completed_by", "completed_at", "note"])
    record(actor=actor, action="duty.complete", record_type="cases.duty", records=[duty],
           fields=["status"] + (["note"] if note else []), detail={"code": duty.code},
           acting=acting)
    return duty


@transaction.atomic
def rights_explained_record(
    *,
    actor: User,
    case_id: int,
    rights: list[str],
    explained_on: date,
    language: str,
    interpreter: bool = False,
    child_appropriate: bool = False,
) -> list[RightsExplanation]:
    """Record that rights were explained (20.2.1; to a child in a way a child understands, 35.1.4)."""
    case = _locked(actor, case_id)
    if not rights:
        raise CaseError("rights", _("name at least one right"))
    unknown = [r for r in rights if r not in Right.values]
    if unknown:
        raise CaseError("rights", _("unknown right %(right)s; known: %(known)s")
                        % {"right": repr(unknown[0]), "known": ", ".join(Right.values)})
    date_plausible("explained_on", explained_on, on=timezone.localdate(), born=birth_seen(actor, case))
    if not language or len(language) > 12:
        raise CaseError("language", _("give the language as an ISO 639 code, e.g. sq, sr, en, ro"))
    if case.child and not child_appropriate:
        raise CaseError("child_appropriate",
                        _("a child's rights must be explained in a manner the child understands (35.1.4)"))
    # The institution on the case's team that the official explained the rights for.
    acting = access.acting(actor, case=case)
    made = RightsExplanation.objects.bulk_create([
        RightsExplanation(case=case, right=right, explained_on=explained_on, explained_by=actor,
                          institution_id=acting.institution_id, language=language,
                          interpreter=interpreter, child_appropriate=child_appropriate)
        for right in dict.fromkeys(rights)
    ])
    record(actor=actor, action="rights.explained", record_type="cases.case", records=[case],
           detail={"rights": list(dict.fromkeys(rights)), "language": language}, acting=acting)
    return made


def rights_not_explained(case: Case) -> list[str]:
    explained = set(case.rights_explained.values_list("right", flat=True))
    return [right for right in Right.values if right not in explained]


def explanation_complete(case: Case) -> dict[str, Any]:
    missing = rights_not_explained(case)
    return {"explained": len(Right.values) - len(missing), "of": len(Right.values), "missing": missing}
