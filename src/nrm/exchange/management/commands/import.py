"""`nrm import htcds FILE --user NAME`: cases from another system, in IOM's HTCDS 2.0.

Every row and field is checked first; one fault refuses the whole file, nothing is stored,
and every fault is printed as "row N, field F: reason" (exit status 1). The file is then
registered as an import job, run here batch by batch (each batch its own transaction, so
the system keeps answering), with progress on stderr; `--enqueue` leaves it to
`nrm db_worker` instead, and `--resume JOB` finishes a job a crash interrupted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.authorities.models import Institution, User
from nrm.errors import DomainError, ImportRejected
from nrm.exchange import fileformat
from nrm.exchange.jobs import import_job_get, import_job_run, import_job_start
from nrm.exchange.models import ImportJob
from nrm.exchange.selectors import DUPLICATE_WARNING
from nrm.statistics import ctdc_commands


class Command(BaseCommand):
    help = "Import cases from a case data standard file (htcds: IOM HTCDS 2.0, .csv or .json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("standard", choices=["htcds", "ctdc"])
        parser.add_argument("file", nargs="?")
        parser.add_argument("--user", required=True,
                            help="The registering official; their institution registers the cases.")
        parser.add_argument("--institution", help="Institution code, when the user has several.")
        parser.add_argument("--batch-size", type=int, default=None,
                            help="Rows per transaction (default: NRM_IMPORT_BATCH_SIZE or 100).")
        parser.add_argument("--enqueue", action="store_true",
                            help="Queue the job for `nrm db_worker` instead of running it here.")
        parser.add_argument("--resume", type=int, metavar="JOB",
                            help="Finish an import job from its last committed batch.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["standard"] == "ctdc":  # anonymous records for analysis, never cases
            return ctdc_commands.import_run(self, options)
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"--user: no active user {options['user']!r}")
        if options["batch_size"] is not None and options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more")
        try:
            if options["resume"]:
                job = import_job_get(user=user, job_id=options["resume"])
            else:
                job = self._start(user, options)
                if options["enqueue"]:
                    self.stdout.write(f"import job {job.pk} queued ({job.rows_total} rows); "
                                      "`nrm db_worker` runs it")
                    return
            job = import_job_run(job_id=job.pk, on_batch=self._progress)
        except DomainError as error:
            raise CommandError(str(error)) from error
        if job.status != ImportJob.Status.DONE:
            raise CommandError(f"import job {job.pk} {job.status}: {job.error}")
        for item in job.results():
            warning = f"\t{DUPLICATE_WARNING}" if item["possible_duplicates"] else ""
            self.stdout.write(f"{item['source']}\t{item['reference']}{warning}")
        self.stdout.write(self.style.SUCCESS(f"imported {job.rows_done} case(s) (job {job.pk})"))

    def _start(self, user: User, options: dict[str, Any]) -> ImportJob:
        institution = None
        if options["institution"]:
            institution = Institution.objects.filter(code=options["institution"]).first()
            if institution is None:
                raise CommandError(f"--institution: no institution {options['institution']!r}")
        path = options["file"]
        if not path:
            raise CommandError("file: name the file to import (or --resume JOB)")
        try:
            rows = fileformat.read(Path(path).read_bytes(), fileformat.format_of(path))
            return import_job_start(actor=user, rows=rows, institution=institution,
                                    size=options["batch_size"], enqueue=options["enqueue"])
        except OSError as error:
            raise CommandError(f"file: {error.strerror}: {path}") from error
        except ImportRejected as rejected:
            for line in fileformat.error_lines(rejected.errors):
                self.stderr.write(line)
            raise CommandError(f"{path}: {rejected}") from rejected

    def _progress(self, job: ImportJob) -> None:
        self.stderr.write(f"  {job.rows_done}/{job.rows_total} rows")
