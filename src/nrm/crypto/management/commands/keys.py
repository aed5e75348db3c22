from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.crypto.keyring import keyring, new_key
from nrm.crypto.rotation import ModelCount, rotate, stale_counts


class Command(BaseCommand):
    help = "Field encryption keys: generate a key, show what each key seals, rotate to the first key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate", help="Print a new key as ID:KEY for NRM_FIELD_KEYS.")
        generate.add_argument("--id", default="k2", help="the key's id (default k2)")
        sub.add_parser("status", help="Count the values not yet sealed under the primary key.")
        run = sub.add_parser("rotate", help="Re-encrypt every value under the primary key.")
        run.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "generate":
            self.stdout.write(f"{options['id']}:{new_key()}")
            return
        primary = keyring().primary_id
        if action == "status":
            counts = stale_counts()
            for count in counts:
                self.stdout.write(f"{count.label}: {count.stale} values under an older key")
            total = sum(c.stale for c in counts)
            self.stdout.write(f"primary key {primary!r}; {total} values still to rotate")
            return
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more")

        def progress(count: ModelCount) -> None:
            self.stdout.write(f"{count.label}: {count.rotated}/{count.stale}")

        from nrm.audit.services import record_system

        results = rotate(batch_size=options["batch_size"], progress=progress)
        total = sum(c.rotated for c in results)
        record_system(action="keys.rotate", detail={"primary": primary, "rows": total})
        self.stdout.write(self.style.SUCCESS(f"{total} rows now sealed under key {primary!r}"))
