"""`nrm report annual --year Y --lang en|sq|sr --user NAME --out FILE.pdf`: the report to the
Government (7.5), its figures through disclosure control and recorded as a release."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from nrm.errors import DomainError
from nrm.statistics.commandline import TOKEN_VARIABLE, proved_user, write_private
from nrm.statistics.report import LANGUAGES, annual_report_pdf


class Command(BaseCommand):
    help = "The National Coordinator's annual report to the Government, as a PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["annual"])
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--lang", choices=sorted(LANGUAGES), default="en")
        parser.add_argument("--user", required=True,
                            help=f"The official releasing it, proved by a token in {TOKEN_VARIABLE}.")
        parser.add_argument("--to", default="Government", help="To whom it is released.")
        parser.add_argument("--out", required=True, help="The PDF file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = proved_user(options["user"])

        def progress(step: str) -> None:
            self.stderr.write(f"... {step}")

        try:
            content = annual_report_pdf(user=user, year=options["year"], lang=options["lang"],
                                        on=timezone.localdate(), recipient=options["to"],
                                        progress=progress)
        except DomainError as error:
            raise CommandError(str(error)) from error
        out = Path(options["out"])
        write_private(out, content)
        self.stdout.write(self.style.SUCCESS(f"wrote {out} ({len(content)} bytes)"))
