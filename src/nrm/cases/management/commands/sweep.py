from __future__ import annotations

import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from nrm.cases.sweep import SweepReport, sweep


class Command(BaseCommand):
    help = "Re-assess every case under the law (the daily sweep) and report what became due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="assess on this date (YYYY-MM-DD); default today")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--workers", type=int, default=1,
                            help="processes that re-assess batches in parallel (one per core)")
        parser.add_argument("--enqueue", action="store_true",
                            help="queue the sweep for `nrm db_worker` instead of running it here")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"--on: {options['on']!r} is not a date (YYYY-MM-DD)") from None
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more")
        if options["workers"] < 1:
            raise CommandError("--workers must be 1 or more")

        if options["enqueue"]:
            from nrm.cases.tasks import sweep_task

            result = sweep_task.enqueue(on.isoformat())
            self.stdout.write(f"sweep on {on.isoformat()} queued as task {result.id}; "
                              "`nrm db_worker` runs it")
            return

        def progress(report: SweepReport, total: int) -> None:
            if sys.stderr.isatty() or total > options["batch_size"]:
                self.stderr.write(f"  {report.cases}/{total} cases")

        report = sweep(on, batch_size=options["batch_size"], workers=options["workers"],
                       progress=progress)
        for line in report.lines():
            self.stdout.write(line)
