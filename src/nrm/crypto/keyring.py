"""The field keys: parsed from NRM_FIELD_KEYS, never stored in the database.

NRM_FIELD_KEYS is a comma-separated list of ID:KEY pairs; KEY is 32 random bytes in
URL-safe base64. The first key encrypts every new value; every key listed decrypts.
Rotation: put a new key first, keep the old ones, run `nrm keys rotate`, then drop them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "nrm1"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class FieldDecryptionError(Exception):
    """A stored value that the configured keys cannot open: wrong key, or a corrupt value."""


@dataclass(frozen=True)
class Keyring:
    primary_id: str
    keys: dict[str, AESGCM]

    def encrypt(self, plaintext: str, *, label: str) -> str:
        nonce = secrets.token_bytes(12)
        sealed = self.keys[self.primary_id].encrypt(nonce, plaintext.encode(), label.encode())
        token = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{PREFIX}${self.primary_id}${token}"

    def key_id_of(self, stored: str) -> str | None:
        parts = stored.split("$", 2)
        return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None

    def decrypt(self, stored: str, *, label: str) -> str:
        parts = stored.split("$", 2)
        if len(parts) != 3 or parts[0] != PREFIX:
            # Never hand back what looks like plaintext: an unencrypted value in an
            # encrypted column means something wrote around the encryption.
            raise FieldDecryptionError(f"{label}: the stored value is not an NRM ciphertext")
        _, key_id, token = parts
        key = self.keys.get(key_id)
        if key is None:
            raise FieldDecryptionError(
                f"{label}: the value was encrypted with key {key_id!r}, which NRM_FIELD_KEYS "
                "does not list"
            )
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            return key.decrypt(raw[:12], raw[12:], label.encode()).decode()
        except (InvalidTag, ValueError, binascii.Error):
            raise FieldDecryptionError(
                f"{label}: the value cannot be decrypted with key {key_id!r} from NRM_FIELD_KEYS "
                "(wrong key, or the stored value is corrupt)"
            ) from None


def parse(value: str) -> Keyring:
    keys: dict[str, AESGCM] = {}
    primary: str | None = None
    for position, item in enumerate(value.split(","), start=1):
        item = item.strip()
        key_id, sep, encoded = item.partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                f"NRM_FIELD_KEYS: entry {position} must be ID:KEY with an ID of letters, digits, "
                "'-' or '_' (at most 16)"
            )
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(
                f"NRM_FIELD_KEYS: key {key_id!r} is not URL-safe base64"
            ) from None
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"NRM_FIELD_KEYS: key {key_id!r} must be 32 bytes, it is {len(raw)}"
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"NRM_FIELD_KEYS: key id {key_id!r} appears twice")
        keys[key_id] = AESGCM(raw)
        primary = primary or key_id
    if primary is None:
        raise ImproperlyConfigured("NRM_FIELD_KEYS lists no key")
    return Keyring(primary_id=primary, keys=keys)


@cache
def _cached(value: str) -> Keyring:
    return parse(value)


def keyring() -> Keyring:
    return _cached(settings.NRM_FIELD_KEYS)


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _derived(explicit: str, purpose: bytes) -> bytes:
    if explicit:
        return explicit.encode()
    return hmac.new(settings.SECRET_KEY.encode(), purpose, hashlib.sha256).digest()


def index_key() -> bytes:
    return _derived(settings.NRM_INDEX_KEY, b"nrm-index-key")


def audit_key() -> bytes:
    return _derived(settings.NRM_AUDIT_KEY, b"nrm-audit-key")


def keyed_hash(purpose: str, value: str) -> str:
    """A keyed hash of a normalised value: equal inputs match, nothing can be read back."""
    message = purpose.encode() + b"\x00" + value.encode()
    return hmac.new(index_key(), message, hashlib.sha256).hexdigest()
