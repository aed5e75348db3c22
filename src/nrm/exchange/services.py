"""Writes and audited reads of the exchange: HTCDS export and import, and case merges."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.models import Institution, User
from nrm.cases.models import IDENTITY_FIELDS, Case, Stage
from nrm.cases.selectors import identity_of
from nrm.cases.services import case_mark_merged, case_register
from nrm.crypto.keyring import keyed_hash
from nrm.errors import ImportRejected, Invalid, NotAllowed, NotFound
from nrm.exchange import fileformat, htcds, validate
from nrm.exchange.models import HtcdsFields, MergeDecision
from nrm.exchange.selectors import duplicates_at_registration, export_scope, may_see_any_identity

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
        raise NotAllowed(_("your role is never shown personal identifiers (Art. 18); export "
                           "without them"), field="with_identity")
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
        raise Invalid("format", _("%(format)s is not csv or json") % {"format": repr(fmt)})
    return fileformat.write(
        htcds_rows(user=user, with_identity=with_identity, operator=operator), fmt)


@dataclass(frozen=True)
class Imported:
    source_number: str
    case: Case
    possible_duplicates: int


def import_acting(*, actor: User, institution: Institution | None) -> access.Acting:
    """The membership the official imports as: one that may register (write identities)."""
    return access.acting(actor, roles=access.REGISTERING_ROLES,
                         institution_id=institution.pk if institution is not None else None)


def import_validate(rows: list[dict[str, Any]]) -> list[validate.Registration]:
    """Every row and field checked before anything is stored; one fault refuses the file."""
    found, errors = validate.registrations(rows, today=timezone.localdate())
    if errors:
        raise ImportRejected(errors)
    return found


def source_hash(source_number: str) -> str:
    """The sender's case number as the audit log keeps it: a keyed hash, never the text
    (another system's number is free text and may carry a name)."""
    return keyed_hash("htcds-source", source_number)


def import_register(*, actor: User, acting: access.Acting,
                    registrations: list[validate.Registration]) -> list[Imported]:
    """Register the given rows through case_register, in the caller's transaction."""
    institution = Institution.objects.get(pk=acting.institution_id)
    imported: list[Imported] = []
    for item in registrations:
        decided_on = item.case_facts.get("identified_on") if item.stage == Stage.IDENTIFIED else None
        case = case_register(
            actor=actor, institution=institution, identity=item.identity, sex=item.sex,
            citizenship=item.citizenship, person_facts=item.person_facts,
            case_facts=item.case_facts, child=item.child, demo=item.demo,
            purpose="htcds import",
            # The sending system's decision on the stage, recorded as a decision (who
            # imported it, on whose word), never as a silent update.
            stage_as_sent=(item.stage,
                           _date(decided_on) if decided_on else timezone.localdate(),
                           "Stage as recorded by the sending system (HTCDS import)"),
        )
        if item.kept_values or item.kept_text:
            HtcdsFields.objects.create(case=case, values=item.kept_values,
                                       text=json.dumps(item.kept_text) if item.kept_text else None)
        imported.append(Imported(item.source_number, case, duplicates_at_registration(
            match_key=case.person.match_key, institution=institution)))
    record(actor=actor, action="import", record_type="cases.case",
           records=[i.case for i in imported], fields=["stage", "htcds"],
           purpose="htcds import", acting=acting,
           detail={"sources": [source_hash(i.source_number) for i in imported],
                   "institution": institution.code})
    return imported


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value))


@transaction.atomic
def htcds_import(*, actor: User, rows: list[dict[str, Any]],
                 institution: Institution | None = None) -> list[Imported]:
    """Register every case of an HTCDS file, or none, in one transaction (small files).

    Each case goes through case_register, so encryption, references, the stage decision
    and the audit event are those of any registration. Large files go through an import
    job instead (nrm.exchange.jobs), batch by batch.
    """
    acting = import_acting(actor=actor, institution=institution)
    return import_register(actor=actor, acting=acting, registrations=import_validate(rows))


@transaction.atomic
def case_merge(*, actor: User, keep: Case, merge: Case, grounds: str) -> MergeDecision:
    """Record that `merge` is the same person's case as `keep`; `merge` points at `keep`.

    Only a user who may change both cases may decide it; a case the user may not change
    is answered as not found (whether it exists is private, Art. 18). The case itself is
    written by the cases services; this records the decision, as the membership acted as.
    """
    if not grounds or not grounds.strip():
        raise Invalid("grounds", _("say why the two cases are the same person's"))
    if keep.pk == merge.pk:
        raise Invalid("into", _("a case cannot be merged into itself"))
    changeable = {c.pk: c for c in access.cases(actor, access.Action.CHANGE)
                  .filter(pk__in=[keep.pk, merge.pk])}
    if merge.pk not in changeable:
        raise NotFound(_("case %(id)s not found") % {"id": merge.pk})
    if keep.pk not in changeable:
        raise NotFound(_("case %(id)s not found") % {"id": keep.pk}, field="into")
    keep, merge = changeable[keep.pk], changeable[merge.pk]
    if keep.merged_into_id is not None:
        raise Invalid("into", _("%(reference)s is itself merged into another case")
                      % {"reference": keep.reference})
    if merge.merged_into_id is not None:
        raise Invalid("case", _("%(reference)s is already merged") % {"reference": merge.reference})
    acting = case_mark_merged(actor=actor, keep=keep, merge=merge)
    decision = MergeDecision.objects.create(
        kept=keep, merged=merge, decided_by=actor, institution_id=acting.institution_id,
        grounds=grounds.strip(),
    )
    record(actor=actor, action="merge.decision", record_type="exchange.mergedecision",
           records=[decision], fields=["grounds"], purpose="duplicate merge", acting=acting,
           detail={"kept": keep.reference, "merged": merge.reference})
    return decision
