"""The law's `case.accommodation` fact, from the stays recorded here (law/CONTRACT.md).

A case's stay is the open one, or when none is open its latest: the contract knows one
stay per case. Read in bulk: two queries for any number of cases (the nightly sweep).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch

from nrm.cases.legal import FactProvider


def accommodation_fact(placement: Any, extensions: Sequence[Any] | None = None) -> dict[str, Any]:
    """One stay in the contract's shape; unknown values are left out, never guessed."""
    fact: dict[str, Any] = {"admitted_on": placement.admitted_on.isoformat()}
    if placement.days is not None:
        fact["days"] = placement.days
    if placement.left_on is not None:
        fact["left_on"] = placement.left_on.isoformat()
    rows = placement.extensions.all() if extensions is None else extensions
    fact["extensions"] = [{"basis": e.basis, "days": e.days} for e in rows]
    return fact


def stays_read(case_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    from nrm.shelters.models import Extension, Placement

    chosen: dict[int, Any] = {}
    placements = (Placement.objects.filter(case_id__in=list(case_ids))
                  .prefetch_related(Prefetch("extensions", queryset=Extension.objects.order_by("granted_on", "id")))
                  .order_by("admitted_on", "id"))
    for placement in placements:
        current = chosen.get(placement.case_id)
        if current is None or current.left_on is not None or placement.left_on is None:
            chosen[placement.case_id] = placement
    return {case_id: {"accommodation": accommodation_fact(p)} for case_id, p in chosen.items()}


PROVIDER = FactProvider(name="shelters", facts=("accommodation",), read=stays_read)
