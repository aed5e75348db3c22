"""`nrm export htcds --user NAME --out FILE [--with-identity]`: the cases NAME may see, in
IOM's HTCDS 2.0 (CSV or JSON by the file's extension), audited as an export (Art. 18)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.authorities.models import User
from nrm.errors import DomainError
from nrm.exchange import fileformat
from nrm.exchange.services import htcds_export


class Command(BaseCommand):
    help = "Export the cases a user may see in a case data standard (htcds: IOM HTCDS 2.0)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("standard", choices=["htcds"])
        parser.add_argument("--user", required=True,
                            help="The official exporting: the file holds what they may see.")
        parser.add_argument("--out", required=True, help="A .csv or .json file to write.")
        parser.add_argument("--with-identity", action="store_true",
                            help="Add names, birth date and contact where the policy shows "
                                 "them to this user; refused for roles shown none.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"--user: no active user {options['user']!r}")
        out = Path(options["out"])
        try:
            content = htcds_export(user=user, with_identity=options["with_identity"],
                                   fmt=fileformat.format_of(out.name))
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
