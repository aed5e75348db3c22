"""The daily sweep: every case re-assessed on one date, in batches, written in bulk.

Each batch commits on its own: a sweep stopped half-way keeps what it did, and the next
one skips every case whose assessment did not change (the stored digest).
"""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import connection, connections, transaction
from django.db.models import Q

from nrm.audit import checkpoint
from nrm.audit.services import record_system
from nrm.cases.legal import (
    Changes,
    Team,
    apply_evaluation,
    contributed_facts,
    evaluate,
    save_changes,
)
from nrm.cases.models import Alert, Case, CaseAssignment, Duty, DutyStatus, LegalState


@dataclass
class SweepReport:
    on: date
    cases: int = 0
    reassessed: int = 0
    errors: int = 0
    duties_new: int = 0
    due_today: int = 0
    overdue: int = 0
    immediate: int = 0
    alerts_open: int = 0

    def lines(self) -> list[str]:
        return [
            f"swept {self.cases} cases on {self.on.isoformat()}: {self.reassessed} changed, "
            f"{self.errors} with facts that cannot be assessed",
            f"{self.duties_new} new duties; open duties due today: {self.due_today}, "
            f"overdue: {self.overdue}, due immediately: {self.immediate}",
            f"open alerts: {self.alerts_open}",
        ]


def _batch(ids: list[int], on: date, report: SweepReport) -> None:
    # Only what the law engine reads: names and contact details are never decrypted here.
    cases = list(
        Case.objects.filter(pk__in=ids).select_related("person")
        .only("id", "facts", "child", "registered_by_id", "person__birth_date", "person__sex",
              "person__citizenship", "person__facts")
    )
    states = {case_id: LegalState(id=pk, case_id=case_id, digest=digest) for pk, case_id, digest in
              LegalState.objects.filter(case_id__in=ids).values_list("id", "case_id", "digest")}
    teams: dict[int, Team] = defaultdict(list)
    for case_id, capacity, institution_id in (
            CaseAssignment.objects.filter(case_id__in=ids, ended_at__isnull=True)
            .order_by("id").values_list("case_id", "capacity", "institution_id")):
        teams[case_id].append((capacity, institution_id))
    contributed = contributed_facts(ids)  # one read per fact provider, never one per case
    changed = []
    for case in cases:
        evaluation = evaluate(case, on, teams[case.pk], contributed.get(case.pk, {}))
        report.errors += bool(evaluation.error)
        state = states.get(case.pk)
        if state is None or state.digest != evaluation.digest:
            changed.append((case, evaluation))
    # Duties and alerts are read only for the cases whose legal state moved.
    changed_ids = [case.pk for case, _ in changed]
    duties: dict[int, list[Duty]] = defaultdict(list)
    for duty in Duty.objects.filter(case_id__in=changed_ids).defer("note"):
        duties[duty.case_id].append(duty)
    alerts: dict[int, list[Alert]] = defaultdict(list)
    for alert in Alert.objects.filter(case_id__in=changed_ids):
        alerts[alert.case_id].append(alert)
    changes = Changes()
    for case, evaluation in changed:
        apply_evaluation(case, on, evaluation, state=states.get(case.pk), duties=duties[case.pk],
                         alerts=alerts[case.pk], team=teams[case.pk], changes=changes)
    with transaction.atomic():
        save_changes(changes)
    report.cases += len(cases)
    report.reassessed += len(changed)
    report.duties_new += len(changes.duties_new)


def _batch_in_worker(task: tuple[list[int], date]) -> SweepReport:
    """One batch in a forked worker process, on the worker's own database connection."""
    ids, on = task
    part = SweepReport(on=on)
    try:
        _batch(ids, on, part)
    finally:
        connections.close_all()
    return part


def sweep(on: date, *, batch_size: int = 2000, workers: int = 1,
          progress: Callable[[SweepReport, int], None] | None = None) -> SweepReport:
    """Re-assess every case on `on`; with workers > 1, batches run in parallel processes.

    Workers see only committed data, so a sweep inside a transaction runs in this process.
    """
    report = SweepReport(on=on)
    ids = list(Case.objects.filter(merged_into__isnull=True).order_by("pk").values_list("pk", flat=True))
    batches = [ids[start:start + batch_size] for start in range(0, len(ids), batch_size)]
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        workers = 1  # another process cannot open this process's in-memory database
    if workers > 1 and len(batches) > 1:
        if connection.in_atomic_block:
            raise RuntimeError("a parallel sweep cannot run inside a transaction; use workers=1")
        connections.close_all()  # each forked worker opens its own connection
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap_unordered(_batch_in_worker, [(batch, on) for batch in batches]):
                report.cases += part.cases
                report.reassessed += part.reassessed
                report.errors += part.errors
                report.duties_new += part.duties_new
                if progress:
                    progress(report, len(ids))
    else:
        for batch in batches:
            _batch(batch, on, report)
            if progress:
                progress(report, len(ids))
    open_duties = Duty.objects.filter(status=DutyStatus.OPEN, case__merged_into__isnull=True)
    report.due_today = open_duties.filter(due_on=on).count()
    report.overdue = open_duties.filter(due_on__lt=on).count()
    report.immediate = open_duties.filter(Q(due_on__isnull=True)).count()
    report.alerts_open = Alert.objects.filter(resolved_on__isnull=True).count()
    record_system(action="sweep", detail={
        "on": on.isoformat(), "cases": report.cases, "reassessed": report.reassessed,
        "due_today": report.due_today, "overdue": report.overdue})
    # The nightly anchor of the audit chain outside the database (docs/audit.md).
    checkpoint.write_on_commit()
    return report
