"""`nrm import ctdc FILE` and `nrm export ctdc --out FILE.csv`, called by the exchange's
`import` and `export` commands for the `ctdc` standard (the HTCDS ones stay theirs)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.errors import DomainError
from nrm.statistics.commandline import proved_user, write_private
from nrm.statistics.ctdc import ctdc_import
from nrm.statistics.ctdc_export import ctdc_export
from nrm.statistics.disclosure import DEFAULT_K, release_parameters
from nrm.statistics.services import release_record


def export_arguments(parser: CommandParser) -> None:
    parser.add_argument("--k", type=int, default=DEFAULT_K,
                        help=f"ctdc: every record shares its quasi-identifiers with k-1 others "
                             f"(default {DEFAULT_K}).")
    parser.add_argument("--keep-xk", action="store_true",
                        help="ctdc: keep Kosovo as XK (by default written as RS, as the CTDC codes it).")
    parser.add_argument("--to", default="CTDC", help="ctdc: to whom the file is released.")


def import_run(command: BaseCommand, options: dict[str, Any]) -> None:
    if not options.get("file"):
        raise CommandError("file: give the CTDC file to import")
    user = proved_user(options["user"])
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"file: no such file {path}")

    def progress(rows: int) -> None:
        print(f"\rread {rows} rows", end="", file=sys.stderr, flush=True)

    try:
        summary = ctdc_import(actor=user, path=path, progress=progress)
    except DomainError as error:
        raise CommandError(f"{path}: {error}; nothing was loaded") from error
    print(file=sys.stderr)
    for column in summary.ignored_columns:
        command.stderr.write(f"warning: column {column} is not in the {summary.layout} layout; ignored")
    if summary.already:
        command.stdout.write(f"{path} was already loaded as import {summary.batch.pk}; nothing new")
    command.stdout.write(f"{summary.layout} layout: {summary.read} rows read, {summary.loaded} "
                         f"loaded, {sum(summary.rejected.values())} rejected (import "
                         f"{summary.batch.pk})")
    for reason, count in summary.rejected.most_common():
        command.stdout.write(f"  rejected {count}: {reason}")


def export_run(command: BaseCommand, options: dict[str, Any]) -> None:
    user = proved_user(options["user"])
    out = Path(options["out"])
    try:
        release_parameters(k=options["k"])
        result = ctdc_export(user=user, k=options["k"], keep_xk=options["keep_xk"])
        release_record(actor=user, what="CTDC victim records", recipient=options["to"],
                       channel="ctdc export", source="cases",
                       parameters={"k": options["k"], "keep_xk": options["keep_xk"],
                                   "k_achieved": result.k_achieved, "left_out": result.left_out},
                       tables=[], output=result.content)
    except DomainError as error:
        raise CommandError(str(error)) from error
    write_private(out, result.content)
    command.stdout.write(f"wrote {out}: {result.records} records, k achieved "
                         f"{result.k_achieved if result.k_achieved is not None else '-'} "
                         f"(asked {options['k']}); {result.generalised} generalised, "
                         f"{result.left_out} left out; {result.mapping}")
