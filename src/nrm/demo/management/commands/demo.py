from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Load demo institutions, one official per role and three synthetic cases (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true",
                            help="erase everything, audit chain included, and start over (demo only)")

    def handle(self, *args: Any, **options: Any) -> None:
        from nrm.demo.services import demo_load

        if getattr(settings, "NRM_PRODUCTION", False):
            raise CommandError("demo accounts sign in with a published password: `nrm demo` "
                               "does not run under the production settings")
        if options["reset"]:
            if not settings.NRM_DEMO:
                raise CommandError("--reset erases every record: it runs only with NRM_DEMO=1")
            call_command("flush", "--no-input", verbosity=0)
            from nrm.authorities.seeding import seed_authorities

            seed_authorities()
            self.stdout.write("Erased every record; the audit chain starts anew.")
        demo_load(say=self.stdout.write)
