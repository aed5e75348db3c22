"""`nrm import htcds FILE --user NAME`: cases from another system, in IOM's HTCDS 2.0.

Every row and field is checked first; one fault refuses the whole file, nothing is stored,
and every fault is printed as "row N, field F: reason" (exit status 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.authorities.models import Institution, User
from nrm.exchange import fileformat
from nrm.exchange.errors import ExchangeError, ImportRejected, NotAllowed
from nrm.exchange.selectors import DUPLICATE_WARNING
from nrm.exchange.services import htcds_import


class Command(BaseCommand):
    help = "Import cases from a case data standard file (htcds: IOM HTCDS 2.0, .csv or .json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("standard", choices=["htcds"])
        parser.add_argument("file")
        parser.add_argument("--user", required=True,
                            help="The registering official; their institution registers the cases.")
        parser.add_argument("--institution", help="Institution code, when the user has several.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"--user: no active user {options['user']!r}")
        institution = None
        if options["institution"]:
            institution = Institution.objects.filter(code=options["institution"]).first()
            if institution is None:
                raise CommandError(f"--institution: no institution {options['institution']!r}")
        path = options["file"]
        try:
            rows = fileformat.read(Path(path).read_bytes(), fileformat.format_of(path))
            imported = htcds_import(actor=user, rows=rows, institution=institution)
        except OSError as error:
            raise CommandError(f"file: {error.strerror}: {path}") from error
        except ImportRejected as rejected:
            for line in fileformat.error_lines(rejected.errors):
                self.stderr.write(line)
            raise CommandError(f"{path}: {rejected}") from rejected
        except (ExchangeError, NotAllowed) as error:
            raise CommandError(str(error)) from error
        for item in imported:
            warning = f"\t{DUPLICATE_WARNING}" if item.possible_duplicates else ""
            self.stdout.write(f"{item.source_number}\t{item.case.reference}{warning}")
        self.stdout.write(self.style.SUCCESS(f"imported {len(imported)} case(s)"))
