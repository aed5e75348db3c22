"""Files NRM writes hold personal data (the database, exports, dumps): its owner only (Art. 18).

Two layers. The `nrm` command and the WSGI module set a umask that leaves every file they
create readable by its owner only, from the first byte; and the SQLite file, with its WAL,
shared-memory and journal files, is created 0600 and brought back to 0600 if it was made
readable by others before (an installation older than this rule, or a copy).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

OWNER_ONLY_UMASK = 0o077
OWNER_ONLY = 0o600
# Files SQLite keeps beside the database; it creates them with the database's own mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def umask_owner_only() -> None:
    os.umask(OWNER_ONLY_UMASK)


def sqlite_owner_only(path: str | Path) -> None:
    """Create the database file 0600 if it is missing, and take group and others' access
    away from it and its companions where they have any."""
    database = Path(path)
    if not database.parent.is_dir():
        return  # nothing to create it in: SQLite answers for that path itself
    descriptor = os.open(database, os.O_RDWR | os.O_CREAT, OWNER_ONLY)
    try:
        _owner_only(descriptor)
    finally:
        os.close(descriptor)
    for suffix in SQLITE_COMPANIONS:
        companion = database.with_name(database.name + suffix)
        try:
            descriptor = os.open(companion, os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            continue
        try:
            _owner_only(descriptor)
        finally:
            os.close(descriptor)


def _owner_only(descriptor: int) -> None:
    # Through the open descriptor, so a file swapped in after the check is not the one changed.
    if stat.S_IMODE(os.fstat(descriptor).st_mode) & 0o077:
        os.fchmod(descriptor, OWNER_ONLY)
