"""record(): the only writer of the audit chain; verify(): proves the chain whole.

record() joins the caller's transaction, so a write and its audit event commit or vanish
together. Reads call it too, in their own short transaction. Writers of the chain are
serialised by the head row's lock (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
IMMEDIATE transactions already admit one writer at a time).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

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


def verify(chunk_size: int = 2000) -> Verdict:
    previous_hash, previous_id, checked = GENESIS, 0, 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.prev_hash != previous_hash or event.id != previous_id + 1:
            return Verdict(False, checked, (
                f"audit entry #{event.id} does not follow entry #{previous_id}: an entry between "
                "them was removed, inserted or re-ordered"), event.id)
        if seal_event(event) != event.hash:
            return Verdict(False, checked, (
                f"audit entry #{event.id} was altered: its content no longer matches its seal"),
                event.id)
        previous_hash, previous_id = event.hash, event.id
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        if checked:
            return Verdict(False, checked, "the chain's sealed head is missing", None)
        return Verdict(True, 0, "audit chain is empty")
    if head.seal != seal_head(head.last_id, head.last_hash):
        return Verdict(False, checked, "the chain's head was altered: its seal does not match", None)
    if head.last_id != previous_id or head.last_hash != previous_hash:
        return Verdict(False, checked, (
            f"the chain ends at entry #{previous_id} but its sealed head names entry "
            f"#{head.last_id}: entries were removed from the end"), head.last_id)
    return Verdict(True, checked, f"audit chain intact: {checked} entries, last #{previous_id}")
