"""The `nrm` command: Django's management commands, plus `nrm law ...` without Django.

Reads `var/nrm.env` (KEY=VALUE lines, written by `make run` for development) when it
exists; variables already in the environment win.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from nrm.conf.files import umask_owner_only

ENV_FILE = Path("var/nrm.env")


def load_env_file(path: Path = ENV_FILE) -> None:
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise SystemExit(f"{path}:{number}: expected NAME=VALUE")
        os.environ.setdefault(name.strip(), value.strip())


def main(argv: list[str] | None = None) -> int:
    # Every file this process creates (database, export, dump) is its owner's only, and so
    # are those of the gunicorn it becomes under `nrm serve` (Art. 18).
    umask_owner_only()
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "law":
        from nrm.law.cli import main as law_main

        return law_main(argv[2:])
    load_env_file()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.conf.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        # A setting is wrong: say which, without a traceback that buries it.
        print(f"nrm: configuration error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
