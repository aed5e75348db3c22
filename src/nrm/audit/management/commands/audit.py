from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.audit.services import verify


class Command(BaseCommand):
    help = "The audit chain: `nrm audit verify` recomputes every seal and names the first bad entry."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Recompute the chain; exit 1 naming the first bad entry.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        verdict = verify()
        if not verdict.ok:
            raise CommandError(verdict.message)
        self.stdout.write(self.style.SUCCESS(verdict.message))
