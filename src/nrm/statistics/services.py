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
from nrm.statistics.dimensions import NATIONAL_TABLES, YEAR
from nrm.statistics.disclosure import TOTAL, Parameters, Protected, Table, protect
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




def _slice(protected: Protected, *, year: int | None, keep_year: bool) -> Protected:
    """The cells of a year-crossed protected table for one year (or all years, `Total`)."""
    want = str(year) if year is not None else TOTAL
    table = protected.table
    position = table.dims.index(YEAR)
    chosen = [key for key in protected.counts if key[position] == want]
    if not chosen:  # no case that year: its every cell is a zero, which names no one
        chosen = [key for key in protected.counts if key[position] == TOTAL]
        counts = {(*k[:position], want, *k[position + 1:]): 0 for k in chosen}
    else:
        counts = {key: protected.counts[key] for key in chosen}

    def project(key: tuple[str, ...]) -> tuple[str, ...]:
        return key if keep_year else key[:position] + key[position + 1:]

    dims = table.dims if keep_year else table.dims[:position] + table.dims[position + 1:]
    categories = (table.categories if keep_year
                  else table.categories[:position] + table.categories[position + 1:])
    return Protected(
        table=Table(dims=dims, categories=categories, interior={}),
        counts={project(k): v for k, v in counts.items()},
        primary={project(k) for k in protected.primary if k in counts},
        secondary={project(k) for k in protected.secondary if k in counts})


def national_release(*, user: Any, parameters: Parameters | None = None) -> list[Protected]:
    """The national tables (NATIONAL_TABLES) as the dashboard publishes them, or under a
    higher k protected against the dashboard's, which anyone may hold beside them."""
    params = parameters or Parameters()
    counted = [table_count(user=user, dims=dims) for dims in NATIONAL_TABLES]
    dashboard = protect(counted)
    if params == Parameters():
        return dashboard
    return protect(counted, parameters=params, published_with=dashboard)


def table_release(*, actor: Any, dims: tuple[str, ...], source: str = "cases",
                  year: int | None = None, batch: int | None = None,
                  parameters: Parameters | None = None, recipient: str,
                  channel: str = "stats table",
                  epsilon: float | None = None) -> tuple[bytes, Release, Protected]:
    """One table through disclosure control, written as CSV and recorded as a release;
    with `epsilon`, its counts are differentially private first (the budget recorded).

    Every table is protected crossed by year, over all years, and the year asked (or the
    all-years margin) is cut from it: tables of different years, and the all-years one,
    are slices of one deterministic protected table, so differencing them gives nothing.
    """
    params = parameters or Parameters()
    keep_year = YEAR in dims
    full = dims if keep_year else (YEAR, *dims)
    privacy: dict[str, Any] = {}
    if source == "cases" and epsilon is None and full in NATIONAL_TABLES:
        # A slice of the national release, protected with all its tables as the dashboard
        # and the report are: the same cells hidden everywhere.
        whole = national_release(user=actor, parameters=params)[NATIONAL_TABLES.index(full)]
    else:
        table = table_count(user=actor, dims=full, source=source, batch=batch, most=3)
        if epsilon is not None:
            if source != "cases":
                raise Invalid("epsilon", "differential privacy is offered for cases only")
            table = privacy_noisy(table, epsilon=epsilon, today=timezone.localdate())
            privacy = {"epsilon": privacy_spent(epsilon),
                       "mechanism": "discrete Laplace (OpenDP)"}
        # Its margins (year×citizenship, year×region...) are cells of the national release
        # the dashboard publishes: protected with it, as it was published, so that no cell
        # is hidden in one and shown in the other, or pinned by the two together.
        national = ([] if source != "cases" or epsilon is not None else
                    national_release(user=actor))
        (whole,) = protect([table], parameters=params, published_with=national)
    protected = _slice(whole, year=year, keep_year=keep_year) if (year or not keep_year) else whole
    output = table_csv(protected)
    release = release_record(
        actor=actor, what=f"table {'×'.join(dims)}" + (f" {year}" if year else ""),
        recipient=recipient, channel=channel, source=source,
        parameters={**params.as_dict(), "year": year, "batch": batch, **privacy},
        tables=[protected],
        output=output)
    return output, release, protected
