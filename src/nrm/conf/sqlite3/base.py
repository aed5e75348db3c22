"""Django's SQLite backend, except that the file is created 0600 (see nrm.conf.files).

SQLite itself creates a missing database with the process's umask (0644 usually) and its
-wal and -shm files with the database's mode; so the database is made 0600 before SQLite
opens it, and the companions follow.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base

from nrm.conf.files import sqlite_owner_only


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        name = conn_params["database"]
        on_disk = not self.creation.is_in_memory_db(name) and not str(name).startswith("file:")
        if on_disk:
            sqlite_owner_only(name)
        connection = super().get_new_connection(conn_params)
        if on_disk:
            # WAL mode (the init command) has just made -wal and -shm if they were missing.
            sqlite_owner_only(name)
        return connection
