"""Background tasks: the daily sweep, queued through Django's tasks framework."""

from __future__ import annotations

from datetime import date

from django.tasks import task
from django.utils import timezone

from nrm.cases.sweep import sweep


@task()
def sweep_task(on: str | None = None) -> dict[str, object]:
    """Re-assess every case on `on` (ISO date; today when empty) and return the report."""
    report = sweep(date.fromisoformat(on) if on else timezone.localdate())
    return {"on": report.on.isoformat(), "cases": report.cases, "reassessed": report.reassessed,
            "due_today": report.due_today, "overdue": report.overdue, "immediate": report.immediate}
