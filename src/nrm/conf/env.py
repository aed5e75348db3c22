"""Every setting NRM reads from the environment, each with its help text.

Secrets have no default: a missing one stops the start with an error naming it,
never a silent fallback (the people in this data cannot afford one).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Variable:
    name: str
    help: str
    default: str | None = None
    secret: bool = False


VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in [
        Variable("DATABASE_URL", "Database URL; SQLite file by default, PostgreSQL in production "
                 "(postgres://user@host:5432/name).", default="sqlite:///var/nrm.sqlite3"),
        Variable("NRM_SECRET_KEY", "Django's signing key (sessions, CSRF). 50+ random characters.",
                 secret=True),
        Variable("NRM_FIELD_KEYS", "Keys that encrypt personal identifiers at rest: comma-separated "
                 "ID:KEY pairs, KEY being 32 random bytes in URL-safe base64; the first encrypts, "
                 "all decrypt (see `nrm keys`).", secret=True),
        Variable("NRM_INDEX_KEY", "Key of the keyed hashes that find the same person registered twice "
                 "without revealing them; defaults to one derived from NRM_SECRET_KEY.", default=""),
        Variable("NRM_AUDIT_KEY", "Key that seals the audit chain; defaults to one derived from "
                 "NRM_SECRET_KEY. Set it explicitly before ever rotating NRM_SECRET_KEY.", default=""),
        Variable("NRM_AUDIT_CHECKPOINTS", "File the audit chain's signed checkpoints are appended "
                 "to, so that a wiped or rolled-back chain is detected. Put it where the database's "
                 "owner cannot rewrite it (the auditor's, made append-only); see docs/audit.md.",
                 default="var/audit-checkpoints.jsonl"),
        Variable("NRM_DEBUG", "1 shows Django's debug pages. Never in production.", default="0"),
        Variable("NRM_DEMO", "1 lets the demo users in without a second factor. Refused by the "
                 "production settings.", default="0"),
        Variable("NRM_ALLOWED_HOSTS", "Comma-separated host names the server answers to.",
                 default="127.0.0.1,localhost"),
        Variable("NRM_SESSION_IDLE_MINUTES", "Minutes of inactivity after which a session ends.",
                 default="20"),
        Variable("NRM_LOCKOUT_ATTEMPTS", "Failed logins after which an account and address are "
                 "locked out.", default="5"),
        Variable("NRM_LOCKOUT_MINUTES", "How long a lockout lasts.", default="30"),
        Variable("NRM_STATIC_ROOT", "Where `collectstatic` puts static files.",
                 default="var/static"),
        Variable("NRM_GRANT_MAX_DAYS", "The longest a role grant that opens personal data may "
                 "run before it must be approved again.", default="365"),
    ]
}


def get(name: str) -> str:
    var = VARIABLES[name]
    value = os.environ.get(name)
    if value is None or value == "":
        if var.secret:
            raise ImproperlyConfigured(
                f"{name} is not set. {var.help} Set it in the environment (or in var/nrm.env "
                "for development); NRM never starts without it."
            )
        return var.default or ""
    return value


def flag(name: str) -> bool:
    value = get(name).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}.")


def integer(name: str) -> int:
    value = get(name)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def csv(name: str) -> list[str]:
    return [part.strip() for part in get(name).split(",") if part.strip()]
