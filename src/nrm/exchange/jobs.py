"""Large HTCDS imports as background jobs, batch by batch (issue 7, finding 10).

The whole file is checked first: a bad file is refused whole, with every row, field and
reason, before anything is stored. Then the job registers its rows in batches, each in its
own short transaction (on SQLite a writer holds the one write lock for a batch, never for
the file), and counts the rows done in the same transaction, so that after a crash the job
resumes from the last batch committed, registering no row twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.models import Institution, User
from nrm.errors import DomainError, ImportRejected, NotFound, RowError
from nrm.exchange import validate
from nrm.exchange.models import ImportJob, ImportJobRow
from nrm.exchange.services import import_acting, import_register, import_validate


def batch_size() -> int:
    return int(settings.NRM_IMPORT_BATCH_SIZE)


@transaction.atomic
def import_job_start(*, actor: User, rows: list[dict[str, Any]],
                     institution: Institution | None = None, size: int | None = None,
                     enqueue: bool = True) -> ImportJob:
    """Check the whole file, then store it (encrypted) as a job; queued for `nrm db_worker`
    once committed, unless `enqueue` is False (the command runs it inline)."""
    acting = import_acting(actor=actor, institution=institution)
    import_validate(rows)
    job = ImportJob.objects.create(
        owner=actor, institution_id=acting.institution_id, role=acting.role,
        rows=json.dumps(rows, ensure_ascii=False), rows_total=len(rows),
        batch_size=size or batch_size(),
    )
    record(actor=actor, action="import.start", record_type="exchange.importjob", records=[job],
           purpose="htcds import", acting=acting, detail={"rows": len(rows)})
    if enqueue:
        from nrm.exchange.tasks import htcds_import_task

        transaction.on_commit(lambda: htcds_import_task.enqueue(job.pk))
    return job


def import_job_run(*, job_id: int,
                   on_batch: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """Register the job's remaining rows, one batch per transaction; resumable."""
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return job
    rows: list[dict[str, Any]] = json.loads(job.rows or "[]")
    owner = job.owner
    # The owner acts as the membership the job was started as, if they still hold it.
    access.choose(owner, f"{job.institution_id}:{job.role}")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING,
                                                updated_at=timezone.now())
    try:
        acting = import_acting(actor=owner, institution=job.institution)
        while _batch(job_id=job.pk, rows=rows, owner=owner, acting=acting):
            if on_batch is not None:
                on_batch(ImportJob.objects.get(pk=job.pk))
            # A pause between batches lets writers that waited for the lock in: SQLite's
            # busy handler retries at intervals, and a job that began its next batch at
            # once would take the lock again before any of them woke (they starved).
            time.sleep(float(settings.NRM_IMPORT_BATCH_PAUSE_SECONDS))
    except DomainError as error:
        # A refusal (a grant ended, a row no longer valid) will not pass on a retry either.
        # Only the kind of refusal and the field: a message may quote a row's value, and
        # this column is not encrypted.
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=f"{error.code}: {error.field}"[:300],
            updated_at=timezone.now())
        record(actor=owner, action="import.failed", record_type="exchange.importjob",
               records=[job.pk], purpose="htcds import", detail={"error": error.code})
        return ImportJob.objects.get(pk=job.pk)
    job = ImportJob.objects.get(pk=job.pk)
    if job.status != ImportJob.Status.DONE:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE,
                                                    updated_at=timezone.now())
        record(actor=owner, action="import.done", record_type="exchange.importjob",
               records=[job.pk], purpose="htcds import", acting=acting,
               detail={"rows": job.rows_done})
        job.refresh_from_db()
    return job


@transaction.atomic
def _batch(*, job_id: int, rows: list[dict[str, Any]], owner: User,
           acting: access.Acting) -> bool:
    """One batch and its count in one transaction; False when no row is left."""
    job = ImportJob.objects.select_for_update().get(pk=job_id)
    start = job.rows_done
    batch = rows[start:start + job.batch_size]
    if not batch:
        return False
    found, errors = validate.registrations(batch, today=timezone.localdate())
    if errors:
        raise ImportRejected([RowError(e.row + start, e.field, e.reason) for e in errors])
    imported = import_register(actor=owner, acting=acting, registrations=found)
    ImportJobRow.objects.bulk_create([
        ImportJobRow(job=job, row=start + number, case=item.case, source=item.source_number,
                     possible_duplicates=item.possible_duplicates)
        for number, item in enumerate(imported, start=1)])
    job.rows_done = start + len(batch)
    job.save(update_fields=["rows_done", "updated_at"])
    return True


def import_job_get(*, user: Any, job_id: int) -> ImportJob:
    """A job for its owner; the auditor sees its progress too. Anyone else: not found."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("import job %(id)s not found") % {"id": job_id})
    if job.owner_id != getattr(user, "pk", None):
        if not access.national_allows(user, access.Action.VIEW, access.Kind.AUDIT_LOG):
            raise NotFound(_("import job %(id)s not found") % {"id": job_id})
        job.auditor_view = True  # type: ignore[attr-defined]
    return job
