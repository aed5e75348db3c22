"""Background tasks of the exchange: large imports, run by `nrm db_worker`."""

from __future__ import annotations

from django.tasks import task

from nrm.exchange.jobs import import_job_run


@task()
def htcds_import_task(job_id: int) -> dict[str, object]:
    """Run (or resume) an import job; returns its state."""
    job = import_job_run(job_id=job_id)
    return {"job": job.pk, "status": job.status, "rows_done": job.rows_done,
            "rows": job.rows_total}
