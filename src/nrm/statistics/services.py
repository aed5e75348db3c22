"""Writes: every release of statistics is recorded with its parameters and output hash."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from nrm.audit.services import record
from nrm.errors import Invalid
from nrm.statistics.disclosure import Parameters, Protected, protect
from nrm.statistics.models import Release
from nrm.statistics.privacy import noisy as privacy_noisy
from nrm.statistics.privacy import spent as privacy_spent
from nrm.statistics.selectors import table_count


def table_csv(protected: Protected) -> bytes:
    """The long form: a column per dimension, then count (empty when hidden) and suppressed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*protected.table.dims, "count", "suppressed"])
    for key, count in protected.rows():
        writer.writerow([*key, "" if count is None else count,
                         "true" if count is None else "false"])
    return out.getvalue().encode("utf-8")


@transaction.atomic
def release_record(*, actor: Any, what: str, recipient: str, channel: str, source: str,
                   parameters: dict[str, Any], tables: Sequence[Protected],
                   output: bytes) -> Release:
    cells = sum(len(t.counts) for t in tables)
    hidden = sum(1 for t in tables for v in t.counts.values() if v is None)
    release = Release.objects.create(
        released_by=actor if getattr(actor, "pk", None) else None, what=what[:200],
        recipient=recipient[:200], channel=channel, source=source, parameters=parameters,
        cells=cells, suppressed=hidden, output_sha256=hashlib.sha256(output).hexdigest(),
    )
    record(actor=actor, action="statistics.release", record_type="statistics.release",
           records=[release], detail={"channel": channel, "parameters": parameters})
    return release


def table_release(*, actor: Any, dims: tuple[str, ...], source: str = "cases",
                  year: int | None = None, batch: int | None = None,
                  parameters: Parameters | None = None, recipient: str,
                  channel: str = "stats table",
                  epsilon: float | None = None) -> tuple[bytes, Release, Protected]:
    """One table through disclosure control, written as CSV and recorded as a release;
    with `epsilon`, its counts are differentially private first (the budget recorded)."""
    params = parameters or Parameters()
    table = table_count(user=actor, dims=dims, source=source, year=year, batch=batch)
    privacy: dict[str, Any] = {}
    if epsilon is not None:
        if source != "cases":
            raise Invalid("epsilon", "differential privacy is offered for cases only")
        table = privacy_noisy(table, epsilon=epsilon, today=timezone.localdate())
        privacy = {"epsilon": privacy_spent(epsilon), "mechanism": "discrete Laplace (OpenDP)"}
    (protected,) = protect([table], parameters=params)
    output = table_csv(protected)
    release = release_record(
        actor=actor, what=f"table {'×'.join(dims)}" + (f" {year}" if year else ""),
        recipient=recipient, channel=channel, source=source,
        parameters={**params.as_dict(), "year": year, "batch": batch, **privacy},
        tables=[protected],
        output=output)
    return output, release, protected
