"""What the statistics commands share: the official proved by a token, files written safely."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from nrm.authorities.tokens import token_user

TOKEN_VARIABLE = "NRM_TOKEN"  # noqa: S105 - the name of a variable, not a secret


def proved_user(username: str) -> Any:
    """The official named by --user, proved by one of their API tokens (never an argument,
    which other users of the machine read in the process list)."""
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token and sys.stdin.isatty():
        token = getpass.getpass(f"API token of {username}: ")
    if not token:
        raise CommandError(f"--user: give an API token of {username!r} in {TOKEN_VARIABLE} "
                           "(`nrm token create --user ...`)")
    user = token_user(token.strip())
    if user is None or user.username != username:
        raise CommandError(f"--user: the token is not a current API token of {username!r}")
    return user


def write_private(path: Path, content: bytes) -> None:
    """Created readable by its owner only, never briefly by others (Art. 18)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise CommandError(f"--out: cannot write {path}: {error.strerror}") from None
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
