"""Writes and audited reads of the exchange: HTCDS export and import, and case merges."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action
from nrm.authorities.models import Institution, User
from nrm.cases.models import IDENTITY_FIELDS, Case, Stage, StageDecision
from nrm.cases.selectors import identity_of
from nrm.cases.services import case_register
from nrm.exchange import fileformat, htcds, validate
from nrm.exchange.errors import ExchangeError, ImportRejected, NotAllowed
from nrm.exchange.models import HtcdsFields, MergeDecision
from nrm.exchange.selectors import (
    duplicates_at_registration,
    export_scope,
    may_see_any_identity,
    registering_institutions,
)

PSEUDONYMOUS_FIELDS = ["reference", "stage", "child", "demo", "facts", "sex", "citizenship"]


def htcds_rows(*, user: Any, with_identity: bool,
               operator: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The cases `user` may see as HTCDS rows, audited as one export (Art. 18).

    Identity goes into a row only when asked for AND the policy shows that case's identity
    to the user: a child's only to officials named on the case (35.1.5). `operator` adds
    to the audit detail who ran it on the machine (the command line's operating-system user).
    """
    if with_identity and not may_see_any_identity(user):
        record(actor=user, action="export.refused", record_type="cases.case",
               purpose="htcds export", detail={"with_identity": True, **(operator or {})})
        raise NotAllowed("with_identity: your role is never shown personal identifiers "
                         "(Art. 18); export without them")
    rows: list[dict[str, Any]] = []
    shown: list[int] = []
    cases = list(export_scope(user=user))
    for case in cases:
        identity = identity_of(user=user, case=case) if with_identity else None
        if identity is not None:
            shown.append(case.pk)
        # Selected with the case; absent kept fields raise an AttributeError subclass.
        kept = getattr(case, "htcds", None)
        rows.append(htcds.export_row(
            case, identity=identity,
            kept_values=kept.values if kept else {},
            kept_text=json.loads(kept.text) if kept and kept.text and identity else {},
        ))
    fields = PSEUDONYMOUS_FIELDS + (list(IDENTITY_FIELDS) if shown else [])
    record(actor=user, action="export", record_type="cases.case",
           records=[c.pk for c in cases], fields=fields, purpose="htcds export",
           detail={"with_identity": with_identity, "identity_shown": shown,
                   **(operator or {})})
    return rows


def htcds_export(*, user: Any, with_identity: bool, fmt: str,
                 operator: dict[str, Any] | None = None) -> bytes:
    """The file: CSV or JSON. The format is checked before anything is read or audited."""
    if fmt not in fileformat.FORMATS:
        raise ExchangeError("format", f"{fmt!r} is not csv or json")
    return fileformat.write(
        htcds_rows(user=user, with_identity=with_identity, operator=operator), fmt)


@dataclass(frozen=True)
class Imported:
    source_number: str
    case: Case
    possible_duplicates: int


def _institution_for(actor: User, institution: Institution | None) -> Institution:
    allowed = registering_institutions(actor)
    if not allowed:
        raise NotAllowed("user: only an official who registers victims may import cases")
    if institution is None:
        return allowed[0]
    if institution.pk not in {i.pk for i in allowed}:
        raise NotAllowed(f"institution: you may not register cases for {institution.code}")
    return institution


@transaction.atomic
def htcds_import(*, actor: User, rows: list[dict[str, Any]],
                 institution: Institution | None = None) -> list[Imported]:
    """Register every case of an HTCDS file, or none.

    Every row and field is checked before anything is written; one fault refuses the file
    (ImportRejected lists them all). Each case goes through case_register, so encryption,
    references and the audit event are those of any registration.
    """
    registering = _institution_for(actor, institution)
    found, errors = validate.registrations(rows, today=timezone.localdate())
    if errors:
        raise ImportRejected(errors)
    imported: list[Imported] = []
    for item in found:
        case = case_register(
            actor=actor, institution=registering, identity=item.identity, sex=item.sex,
            citizenship=item.citizenship, person_facts=item.person_facts,
            case_facts=item.case_facts, child=item.child, demo=item.demo,
            purpose="htcds import",
        )
        if case.stage != item.stage:
            _stage_as_sent(actor=actor, institution=registering, case=case, item=item)
        if item.kept_values or item.kept_text:
            HtcdsFields.objects.create(case=case, values=item.kept_values,
                                       text=json.dumps(item.kept_text) if item.kept_text else None)
        imported.append(Imported(item.source_number, case, duplicates_at_registration(
            match_key=case.person.match_key, institution=registering)))
    record(actor=actor, action="import", record_type="cases.case",
           records=[i.case for i in imported], fields=["stage", "htcds"],
           purpose="htcds import",
           detail={"sources": [i.source_number for i in imported], "institution": registering.code})
    return imported


def _stage_as_sent(*, actor: User, institution: Institution, case: Case,
                   item: validate.Registration) -> None:
    """The sending system's decision on the stage, recorded as a decision like any other
    (who imported it, on whose word), never as a silent update."""
    membership = actor.memberships.filter(institution=institution).first()
    decided_on = item.case_facts.get("identified_on") if item.stage == Stage.IDENTIFIED else None
    StageDecision.objects.create(
        case=case, from_stage=case.stage, to_stage=item.stage,
        decided_on=dt.date.fromisoformat(str(decided_on)) if decided_on else timezone.localdate(),
        decided_by=actor, institution=institution, role=membership.role if membership else "",
        grounds=f"Stage as recorded by the sending system (HTCDS import, its case "
                f"{item.source_number})",
    )
    case.stage = item.stage
    case.save(update_fields=["stage", "updated_at"])


@transaction.atomic
def case_merge(*, actor: User, keep: Case, merge: Case, grounds: str) -> MergeDecision:
    """Record that `merge` is the same person's case as `keep`; `merge` points at `keep`.

    Only a user who may change both cases may decide it; a case the user may not change
    is answered as not found (whether it exists is private, Art. 18).
    """
    if not grounds or not grounds.strip():
        raise ExchangeError("grounds", "say why the two cases are the same person's")
    if keep.pk == merge.pk:
        raise ExchangeError("into", "a case cannot be merged into itself")
    changeable = access.cases(actor, Action.CHANGE).select_for_update()
    locked = {c.pk: c for c in changeable.filter(pk__in=[keep.pk, merge.pk])}
    if len(locked) != 2:
        raise NotAllowed("case not found")
    keep, merge = locked[keep.pk], locked[merge.pk]
    if keep.merged_into_id is not None:
        raise ExchangeError("into", f"{keep.reference} is itself merged into another case")
    if merge.merged_into_id is not None:
        raise ExchangeError("case", f"{merge.reference} is already merged")
    institution = registering_institutions(actor) or [
        m.institution for m in actor.memberships.select_related("institution").order_by("pk")]
    merge.merged_into = keep
    merge.save(update_fields=["merged_into", "updated_at"])
    decision = MergeDecision.objects.create(
        kept=keep, merged=merge, decided_by=actor, institution=institution[0],
        grounds=grounds.strip(),
    )
    record(actor=actor, action="merge", record_type="cases.case", records=[merge, keep],
           fields=["merged_into", "grounds"], purpose="duplicate merge",
           detail={"kept": keep.reference, "merged": merge.reference,
                   "decision": decision.pk})
    return decision
