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
    away from it and its companions where they have any.

    Never by opening them: SQLite's locks are POSIX record locks, held by the process, and
    closing any descriptor of the file drops every lock this process holds on it. Opening
    and closing the database or its -wal and -shm here, beside a live connection, let
    another worker take itself for the first and reset the WAL in use: committed rows were
    lost and the file corrupted. So a new file is made with O_EXCL (nobody can hold a lock
    on a file that did not exist), and an existing one is changed by its path alone.
    """
    database = Path(path)
    if not database.parent.is_dir():
        return  # nothing to create it in: SQLite answers for that path itself
    try:
        os.close(os.open(database, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, OWNER_ONLY))
    except FileExistsError:
        pass
    for name in (database, *(database.with_name(database.name + s) for s in SQLITE_COMPANIONS)):
        try:
            status = os.lstat(name)
        except FileNotFoundError:
            continue
        if stat.S_ISREG(status.st_mode) and stat.S_IMODE(status.st_mode) & 0o077:
            os.chmod(name, OWNER_ONLY)
