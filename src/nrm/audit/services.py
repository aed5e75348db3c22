"""record(): the only writer of the audit chain; verify(): proves the chain whole.

record() joins the caller's transaction, so a write and its audit event commit or vanish
together. Reads call it too, in their own short transaction. Writers of the chain are
serialised by the head row's lock (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
IMMEDIATE transactions already admit one writer at a time).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.chain import GENESIS, seal_event, seal_head
from nrm.audit.models import AuditEvent, AuditHead


def _head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditHead.objects.create(pk=1, last_id=0, last_hash=GENESIS, seal=seal_head(0, GENESIS))
    return head


def _acting(actor: Any, acting: Any) -> tuple[str, str]:
    """The institution (by code) and role the actor acted as, from the access layer."""
    from nrm.authorities import access
    from nrm.authorities.models import Institution

    if actor is None:
        return "", ""
    if acting is None:
        acting = access.acting_for_record(actor)
    if acting is None:
        return "", ""
    code = Institution.objects.filter(pk=acting.institution_id).values_list("code", flat=True).first()
    return code or "", str(acting.role)


def record(
    *,
    actor: Any,
    action: str,
    record_type: str = "",
    records: Iterable[Model | int | str] = (),
    fields: Iterable[str] = (),
    purpose: str = "",
    detail: dict[str, Any] | None = None,
    acting: Any = None,
) -> AuditEvent:
    """Append one event. `records` are model instances or ids; values are never logged.

    `acting` is the membership the actor acted as (nrm.authorities.access.acting); without
    it, the row names the official's chosen or only membership, never a guess among several.
    """
    ids = [str(r.pk) if isinstance(r, Model) else str(r) for r in records]
    institution, role = _acting(actor, acting)
    with transaction.atomic():
        head = _head()
        event = AuditEvent(
            id=head.last_id + 1,
            at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_username=getattr(actor, "username", "") or "",
            institution=institution,
            role=role,
            action=action,
            record_type=record_type,
            record_ids=ids,
            fields=sorted(set(fields)),
            purpose=purpose,
            detail=detail or {},
            prev_hash=head.last_hash,
        )
        event.hash = seal_event(event)
        event.save(force_insert=True)
        head.last_id, head.last_hash = event.id, event.hash
        head.seal = seal_head(event.id, event.hash)
        head.save(update_fields=["last_id", "last_hash", "seal"])
    return event


def record_system(*, action: str, detail: dict[str, Any] | None = None) -> AuditEvent:
    """An event done by the system itself (key rotation, the daily sweep)."""
    return record(actor=None, action=action, detail=detail)


@dataclass
class Verdict:
    ok: bool
    checked: int
    message: str
    bad_id: int | None = None
    last_id: int = 0  # where the chain ends, once it is found whole
    last_hash: str = GENESIS
    anchored_at: int | None = None  # the latest signed checkpoint the chain was held to


def walk(*, after_id: int = 0, after_hash: str = GENESIS, anchors: Mapping[int, str] | None = None,
         chunk_size: int = 2000) -> Verdict:
    """Follow the chain from entry `after_id` (sealed `after_hash`) to its sealed head.

    Checks every link and seal, and that each entry a checkpoint names in `anchors`
    (id: seal) still carries that seal. From a checkpoint, this is the consistency proof
    of a transparency log: the newer end grew from the older one.
    """
    anchors = anchors or {}
    previous_hash, previous_id, checked = after_hash, after_id, 0
    events = AuditEvent.objects.filter(id__gt=after_id).order_by("id")
    for event in events.iterator(chunk_size=chunk_size):
        if event.prev_hash != previous_hash or event.id != previous_id + 1:
            return Verdict(False, checked, _(
                "audit entry #%(id)s does not follow entry #%(previous)s: an entry between "
                "them was removed, inserted or re-ordered") % {"id": event.id, "previous": previous_id},
                event.id)
        if seal_event(event) != event.hash:
            return Verdict(False, checked, _(
                "audit entry #%(id)s was altered: its content no longer matches its seal")
                % {"id": event.id}, event.id)
        if event.id in anchors and anchors[event.id] != event.hash:
            return Verdict(False, checked, _(
                "audit entry #%(id)s is not the entry a signed checkpoint recorded: the chain was "
                "rolled back and written again from there") % {"id": event.id}, event.id)
        previous_hash, previous_id = event.hash, event.id
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        if checked or after_id:
            return Verdict(False, checked, _("the chain's sealed head is missing"), None)
        return Verdict(True, 0, _("audit chain is empty"))
    if head.seal != seal_head(head.last_id, head.last_hash):
        return Verdict(False, checked, _("the chain's head was altered: its seal does not match"),
                       None)
    if head.last_id != previous_id or head.last_hash != previous_hash:
        return Verdict(False, checked, _(
            "the chain ends at entry #%(end)s but its sealed head names entry #%(head)s with "
            "another seal: entries were removed from the end or replaced")
            % {"end": previous_id, "head": head.last_id}, head.last_id)
    return Verdict(True, checked, _("audit chain intact: %(count)s entries, last #%(last)s")
                   % {"count": checked, "last": previous_id}, None, previous_id, previous_hash)


def verify(chunk_size: int = 2000, *, checkpoints: Path | str | None = None,
           public_key: str | None = None, require_checkpoint: bool = False) -> Verdict:
    """The whole chain, held to every signed checkpoint (see nrm.audit.checkpoint).

    `checkpoints` is an auditor's copy of the checkpoint file (the configured file by
    default), `public_key` the key the auditor was given. A chain shorter than the latest
    checkpoint was rolled back; an empty one where a checkpoint exists was wiped.
    """
    from nrm.audit import checkpoint as anchor  # that module builds on this one

    try:
        signed = anchor.read(checkpoints, public_key=public_key)
    except anchor.CheckpointError as error:
        return Verdict(False, 0, str(error))
    verdict = walk(anchors={c.sequence: c.hash for c in signed}, chunk_size=chunk_size)
    if not verdict.ok:
        return verdict
    if not signed:
        if require_checkpoint:
            return replace(verdict, ok=False, message=_(
                "no signed checkpoint was found: the chain cannot be shown to be complete"))
        return replace(verdict, message=_(
            "%(verdict)s; not anchored: no signed checkpoint yet (`nrm audit checkpoint` writes "
            "one)") % {"verdict": verdict.message})
    latest = signed[-1]
    if verdict.last_id < latest.sequence:
        if verdict.last_id == 0:
            message = _(
                "the audit chain is empty, but the checkpoint signed at %(at)s records entries up "
                "to #%(sequence)s: the log was wiped")
        else:
            message = _(
                "the audit chain ends at entry #%(end)s, but the checkpoint signed at %(at)s "
                "records entries up to #%(sequence)s: the chain was rolled back")
        return replace(verdict, ok=False, bad_id=latest.sequence, message=message % {
            "end": verdict.last_id, "at": latest.at, "sequence": latest.sequence})
    return replace(verdict, anchored_at=latest.sequence, message=_(
        "%(verdict)s; anchored: holds to %(count)s signed checkpoints, the latest at #%(sequence)s "
        "(%(at)s)") % {"verdict": verdict.message, "count": len(signed),
                       "sequence": latest.sequence, "at": latest.at})
