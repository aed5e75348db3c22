"""`nrm export htcds --user NAME --out FILE [--with-identity]`: the cases NAME may see, in
IOM's HTCDS 2.0 (CSV or JSON by the file's extension), audited as an export (Art. 18).

The operator proves they hold NAME's account with one of its API tokens (`nrm token create`),
from NRM_TOKEN or typed at a prompt (never an argument, which other users of the machine can
read in the process list); the audit event names the operating-system account too.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.authorities.tokens import token_user
from nrm.errors import DomainError
from nrm.exchange import fileformat
from nrm.exchange.services import htcds_export
from nrm.statistics import ctdc_commands

TOKEN_VARIABLE = "NRM_TOKEN"  # noqa: S105 - the name of a variable, not a secret


def operating_system_user() -> dict[str, Any]:
    """Who ran the command on this machine, as the system knows them."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # a uid with no name (a container, say)
        name = ""
    return {"os_user": name, "os_uid": os.getuid(), "via": "nrm export"}


class Command(BaseCommand):
    help = "Export the cases a user may see in a case data standard (htcds: IOM HTCDS 2.0)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("standard", choices=["htcds", "ctdc"])
        parser.add_argument("--user", required=True,
                            help="The official exporting: the file holds what they may see. "
                                 f"Proved by one of their API tokens in {TOKEN_VARIABLE}, or "
                                 "typed at the prompt.")
        parser.add_argument("--out", required=True, help="A .csv or .json file to write.")
        parser.add_argument("--with-identity", action="store_true",
                            help="Add names, birth date and contact where the policy shows "
                                 "them to this user; refused for roles shown none.")
        ctdc_commands.export_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["standard"] == "ctdc":  # anonymous victim records: the statistics app's
            return ctdc_commands.export_run(self, options)
        token = os.environ.get(TOKEN_VARIABLE, "")
        if not token and sys.stdin.isatty():
            token = getpass.getpass(f"API token of {options['user']}: ")
        if not token:
            raise CommandError(f"--user: give an API token of {options['user']!r} in "
                               f"{TOKEN_VARIABLE} (`nrm token create --user ...`)")
        # Checked as the API checks a bearer token: current, not revoked, its user active.
        user = token_user(token.strip())
        if user is None or user.username != options["user"]:
            raise CommandError(f"--user: the token is not a current API token of "
                               f"{options['user']!r}")
        out = Path(options["out"])
        try:
            content = htcds_export(user=user, with_identity=options["with_identity"],
                                   fmt=fileformat.format_of(out.name),
                                   operator=operating_system_user())
        except DomainError as error:
            raise CommandError(str(error)) from error
        # Personal data: created readable by its owner only, never briefly by others (Art. 18).
        try:
            descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as error:
            raise CommandError(f"--out: cannot write {out}: {error.strerror}") from None
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        self.stdout.write(self.style.SUCCESS(f"wrote {out} ({len(content)} bytes)"))
