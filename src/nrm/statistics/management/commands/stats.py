"""`nrm stats table DIM [DIM] --user NAME --out FILE.csv`: one table, disclosure-controlled.

The CSV is in long form: a column per dimension, then `count` (empty when suppressed) and
`suppressed` (true/false); margins are the rows whose value is `Total`. The release is
recorded (what, to whom, k, rounding, the output's SHA-256).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.errors import DomainError
from nrm.statistics.commandline import TOKEN_VARIABLE, proved_user, write_private
from nrm.statistics.dimensions import SOURCES
from nrm.statistics.disclosure import DEFAULT_K, release_parameters
from nrm.statistics.services import table_release


class Command(BaseCommand):
    help = "National statistics with disclosure control (table: one or two dimensions crossed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["table"])
        parser.add_argument("dims", nargs="+", metavar="DIM",
                            help="gender, ageBroad, majorityStatus, citizenship, "
                                 "yearOfRegistration, typeOfExploit (both sources); "
                                 "registeredBy, stage, region (cases); "
                                 "CountryOfExploitation, UN_COO_Region, UN_COE_Region (imported)")
        parser.add_argument("--user", required=True,
                            help=f"The official releasing it, proved by a token in {TOKEN_VARIABLE}.")
        parser.add_argument("--source", choices=SOURCES, default="cases")
        parser.add_argument("--batch", type=int, help="Only this CTDC import (--source imported).")
        parser.add_argument("--year", type=int)
        parser.add_argument("--k", type=int, default=DEFAULT_K,
                            help=f"Cells below k are suppressed (default {DEFAULT_K}).")
        parser.add_argument("--round", type=int, dest="rounding",
                            help="Round published counts to a multiple of this base.")
        parser.add_argument("--epsilon", type=float,
                            help="Differentially private counts at this budget (OpenDP), "
                                 "recorded with the release; then suppressed as always.")
        parser.add_argument("--to", default="", help="To whom the table is released.")
        parser.add_argument("--out", required=True, help="The CSV file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = proved_user(options["user"])
        try:
            content, release, protected = table_release(
                actor=user, dims=tuple(options["dims"]), source=options["source"],
                year=options["year"], batch=options["batch"],
                parameters=release_parameters(k=options["k"], rounding=options["rounding"]),
                recipient=options["to"] or options["user"], epsilon=options["epsilon"])
        except DomainError as error:
            raise CommandError(str(error)) from error
        out = Path(options["out"])
        write_private(out, content)
        hidden = len(protected.primary) + len(protected.secondary)
        self.stdout.write(self.style.SUCCESS(
            f"wrote {out}: {len(protected.counts)} cells, {len(protected.primary)} below "
            f"k={options['k']} and {len(protected.secondary)} more to protect them "
            f"({hidden} suppressed); release {release.pk}, sha256 {release.output_sha256}"))
