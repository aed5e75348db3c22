"""Reads: counts computed in the database, only for those the policy lets see statistics."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.cases.models import Case
from nrm.errors import NotAllowed
from nrm.statistics import dimensions
from nrm.statistics.disclosure import Table
from nrm.statistics.models import AnalysisRecord


def statistics_allowed(user: Any) -> None:
    if not access.allows(user, Action.VIEW, Kind.STATISTICS):
        raise NotAllowed("only the National Coordinator and the secretariat's analysts see "
                         "statistics", field="user")


def population(*, source: str, year: int | None = None, batch: int | None = None) -> QuerySet[Any]:
    """The records a table counts: registered cases (never demo, never merged), or imported ones."""
    if source == "cases":
        qs = Case.objects.filter(demo=False, merged_into__isnull=True)
        return qs.filter(created_at__year=year) if year else qs
    dimensions.registry(source)
    qs = AnalysisRecord.objects.all()
    if batch is not None:
        qs = qs.filter(batch_id=batch)
    return qs.filter(year=str(year)) if year else qs


def table_count(*, user: Any, dims: tuple[str, ...], source: str = "cases",
                year: int | None = None, batch: int | None = None, most: int = 2) -> Table:
    """One GROUP BY over the source; Python sees only the grouped counts."""
    statistics_allowed(user)
    qs = dimensions.annotate(population(source=source, year=year, batch=batch),
                             source=source, dims=dims, most=most)
    names = [f"d_{d}" for d in dims]
    grouped = qs.order_by().values(*names).annotate(n=Count("pk"))
    interior: dict[tuple[str, ...], int] = {}
    for row in grouped:
        key = tuple(str(row[n]) for n in names)
        interior[key] = interior.get(key, 0) + row["n"]
    categories = tuple(tuple(sorted({key[i] for key in interior})) for i in range(len(dims)))
    return Table(dims=dims, categories=categories, interior=interior)
