"""The arithmetic of the chain: what is hashed, and how an event is sealed."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC
from typing import Any

from nrm.crypto.keyring import audit_key

GENESIS = "0" * 64
SEALED_FIELDS = (
    "id", "at", "actor_id", "actor_username", "institution", "role", "action",
    "record_type", "record_ids", "fields", "purpose", "detail", "prev_hash",
)


def canonical(event: Any) -> bytes:
    values = {name: getattr(event, name) for name in SEALED_FIELDS}
    values["at"] = event.at.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def seal_event(event: Any) -> str:
    return hmac.new(audit_key(), canonical(event), hashlib.sha256).hexdigest()


def seal_head(last_id: int, last_hash: str) -> str:
    message = f"head:{last_id}:{last_hash}".encode()
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()
