"""Signed checkpoints: the end of the audit chain, anchored outside the database.

The chain and its sealed head live in the database, so whoever owns the database can
delete the newest entries and put back an older head, or delete everything: the chain
that is left is whole, and proves nothing about what was removed. A checkpoint closes
that door the way a certificate-transparency log's signed tree head does: the log's
sequence number and the seal of its last entry at one moment, signed, and kept where the
database's owner cannot rewrite it (a file the auditor controls, made append-only).
`verify()` then fails when the chain is shorter than, or differs from, any checkpoint.

Signatures are Ed25519, with a key derived from the audit key under its own purpose: the
server signs, and an auditor checks with the public key alone (`nrm audit public-key`).
One JSON object a line; the file is created readable by its owner only and only ever
appended to.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.models import AuditEvent, AuditHead
from nrm.audit.services import walk
from nrm.crypto.keyring import audit_key

# What a signature covers starts with this, so it can never be taken for another message.
DOMAIN = b"nrm-audit-checkpoint/1\n"
SIGNED_FIELDS = ("sequence", "hash", "at", "key")


class CheckpointError(Exception):
    """A checkpoint file that cannot be trusted, or a chain that a checkpoint contradicts."""


@dataclass(frozen=True)
class Checkpoint:
    sequence: int  # the id of the chain's last entry when it was signed
    hash: str  # that entry's seal
    at: str  # when it was signed, ISO 8601 in UTC
    key: str  # the signing key's id (see key_id)
    signature: str  # Ed25519 over DOMAIN + the canonical JSON of SIGNED_FIELDS, base64

    def signed_message(self) -> bytes:
        values = {name: getattr(self, name) for name in SIGNED_FIELDS}
        return DOMAIN + json.dumps(values, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":")) + "\n"


def signing_key() -> Ed25519PrivateKey:
    seed = hmac.new(audit_key(), b"nrm-audit-checkpoint-signing", hashlib.sha256).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_text(public: Ed25519PublicKey | None = None) -> str:
    public = public or signing_key().public_key()
    return base64.b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def parse_public_key(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text.strip(), validate=True))
    except (binascii.Error, ValueError):
        raise CheckpointError(
            _("%(text)r is not an Ed25519 public key in base64 (see `nrm audit public-key`)")
            % {"text": text}) from None


def key_id(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


def default_path() -> Path:
    return Path(settings.NRM_AUDIT_CHECKPOINTS)


def sign(*, sequence: int, hash: str) -> Checkpoint:
    private = signing_key()
    unsigned = Checkpoint(
        sequence=sequence, hash=hash, key=key_id(private.public_key()), signature="",
        at=timezone.now().astimezone(UTC).isoformat(timespec="seconds"),
    )
    signature = base64.b64encode(private.sign(unsigned.signed_message())).decode()
    return Checkpoint(**{**asdict(unsigned), "signature": signature})


def _parse(text: str, where: str) -> Checkpoint:
    try:
        values = json.loads(text)
        checkpoint = Checkpoint(**values)
        valid = (type(checkpoint.sequence) is int and checkpoint.sequence >= 0
                 and all(isinstance(getattr(checkpoint, name), str)
                         for name in ("hash", "at", "key", "signature")))
    except (ValueError, TypeError):
        valid = False
    if not valid:
        raise CheckpointError(_("%(where)s is not a checkpoint") % {"where": where})
    return checkpoint


def parse_lines(lines: list[str], *, source: str, public_key: Ed25519PublicKey) -> list[Checkpoint]:
    """Every checkpoint of a file, each signature checked, in an order that never goes back.

    Raises CheckpointError naming the first line that is malformed, signed by another
    key, not signed by its key, or that contradicts a checkpoint before it.
    """
    expected_key = key_id(public_key)
    checkpoints: list[Checkpoint] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        where = _("%(source)s line %(number)s") % {"source": source, "number": number}
        checkpoint = _parse(text, where)
        if checkpoint.key != expected_key:
            raise CheckpointError(
                _("%(where)s is signed by key %(key)s, not by the audit key %(expected)s")
                % {"where": where, "key": checkpoint.key, "expected": expected_key})
        try:
            public_key.verify(base64.b64decode(checkpoint.signature, validate=True),
                              checkpoint.signed_message())
        except (InvalidSignature, binascii.Error, ValueError):
            raise CheckpointError(
                _("%(where)s: the signature does not match the checkpoint: it was altered or "
                  "forged") % {"where": where}) from None
        if checkpoints:
            before = checkpoints[-1]
            if checkpoint.sequence < before.sequence:
                raise CheckpointError(
                    _("%(where)s names entry #%(sequence)s after a checkpoint of entry "
                      "#%(before)s: checkpoints never go back") % {
                        "where": where, "sequence": checkpoint.sequence,
                        "before": before.sequence})
            if checkpoint.sequence == before.sequence and checkpoint.hash != before.hash:
                raise CheckpointError(
                    _("%(where)s gives entry #%(sequence)s another seal than the checkpoint "
                      "before it") % {"where": where, "sequence": checkpoint.sequence})
        checkpoints.append(checkpoint)
    return checkpoints


def read(path: Path | str | None = None, *, public_key: str | None = None) -> list[Checkpoint]:
    """The checkpoints of `path` (the configured file by default); none if it does not exist.

    `public_key` pins the key an auditor was given; by default the server's own.
    """
    path = Path(path) if path is not None else default_path()
    public = parse_public_key(public_key) if public_key else signing_key().public_key()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        raise CheckpointError(_("cannot read the checkpoint file %(path)s: %(error)s")
                              % {"path": path, "error": error}) from None
    return parse_lines(text.splitlines(), source=str(path), public_key=public)


@contextlib.contextmanager
def locked_for_append(path: Path | None = None) -> Iterator[tuple[list[Checkpoint], IO[str]]]:
    """The file's checkpoints, and the file open for appending, under an exclusive lock.

    The lock keeps two writers from appending out of order; the file is created 0600 and
    opened with O_APPEND, so a write can only ever add to its end.
    """
    path = path or default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
    with os.fdopen(descriptor, "r+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        existing = parse_lines(handle.read().splitlines(), source=str(path),
                               public_key=signing_key().public_key())
        yield existing, handle
        handle.flush()
        os.fsync(handle.fileno())


def write(path: Path | str | None = None) -> Checkpoint:
    """Sign the chain's sealed head and append it to the checkpoint file.

    Refuses, and appends nothing, unless the chain since the latest checkpoint grew from
    it: signing a rolled-back or rewritten chain would launder what was done to it.
    Call it outside a transaction, or through write_on_commit(): a checkpoint must
    never name an entry that a rollback can still take back.
    """
    target = Path(path) if path is not None else default_path()
    if not target.exists() and not AuditHead.objects.filter(pk=1).exists():
        raise CheckpointError(_("no checkpoint written: the audit chain has no entry yet"))
    with locked_for_append(target) as (existing, handle):
        latest = existing[-1] if existing else None
        if latest is not None:
            kept = AuditEvent.objects.filter(pk=latest.sequence).values_list("hash", flat=True)
            if kept.first() != latest.hash:
                raise CheckpointError(_(
                    "no checkpoint written: the chain no longer holds entry #%(sequence)s as the "
                    "checkpoint signed at %(at)s recorded it: it was rolled back, rewritten or "
                    "wiped") % {"sequence": latest.sequence, "at": latest.at})
        verdict = walk(after_id=latest.sequence, after_hash=latest.hash) if latest else walk()
        if not verdict.ok:
            raise CheckpointError(
                _("no checkpoint written: %(reason)s") % {"reason": verdict.message})
        if verdict.last_id == 0:
            raise CheckpointError(_("no checkpoint written: the audit chain has no entry yet"))
        checkpoint = sign(sequence=verdict.last_id, hash=verdict.last_hash)
        handle.write(checkpoint.line())
    return checkpoint


def write_on_commit() -> None:
    """Write a checkpoint once the current transaction commits (at once outside one)."""
    transaction.on_commit(write)
