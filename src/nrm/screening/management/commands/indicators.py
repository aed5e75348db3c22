"""`nrm indicators load FILE [--adopt]` and `nrm indicators list`: the Government's list
(Art. 12.2) goes in from a file, without a code change."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.errors import ScreeningError
from nrm.screening.listfile import ListFileError, read
from nrm.screening.selectors import indicator_lists
from nrm.screening.services import indicator_list_load


class Command(BaseCommand):
    help = "Indicator lists: load a list file (YAML or JSON), or list what is loaded."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Check a list file whole and store it as a draft.")
        load.add_argument("file", help="A .yaml, .yml or .json list; see screening/data/ilo-eu-2009.yaml")
        load.add_argument("--adopt", action="store_true",
                          help="Adopt it on its adopted_on date, retiring the list it replaces.")
        sub.add_parser("list", help="Every list loaded, with its status and dates.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "load":
            self._load(options["file"], adopt=options["adopt"])
        else:
            self._list()

    def _load(self, path: str, *, adopt: bool) -> None:
        try:
            spec = read(path)
            stored = indicator_list_load(actor=None, spec=spec, adopt=adopt)
        except (ListFileError, ScreeningError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"loaded {stored} ({len(spec.indicators)} indicators) as {stored.status}, "
            f"adopted_on {stored.adopted_on.isoformat()}"))

    def _list(self) -> None:
        for item in indicator_lists().prefetch_related(None):
            retired = f" until {item.retired_on.isoformat()}" if item.retired_on else ""
            self.stdout.write(f"{item.code}\t{item.version}\t{item.status}\t"
                              f"{item.adopted_on.isoformat()}{retired}\t{item.title}")
