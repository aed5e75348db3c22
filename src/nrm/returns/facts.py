"""The law's facts this app owns, contributed to the engine (law/CONTRACT.md).

- `case.reflection` {start, days}: the grants and their extensions as one period, from the
  first grant's start to the last day any grant reaches.
- `case.deportation_ordered_on`: the latest removal order.
- `case.return`: the latest return plan not cancelled; `case.wants_to_return` the wish it,
  or the consular record, states (the newer of the two).
- `case.located`: abroad while a consular mission helps and the person is not yet home.

One query per record kind, whatever the number of cases (the sweep reads in bulk).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from nrm.cases.legal import FactProvider, fact_provider_register
from nrm.returns.models import (
    ConsularAssistance,
    ReflectionPeriod,
    RemovalOrder,
    ReturnPlan,
    ReturnStatus,
)

FACTS = ("reflection", "deportation_ordered_on", "return", "wants_to_return", "located")


def read(case_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = defaultdict(dict)
    wish_at: dict[int, Any] = {}
    periods: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    for case_id, start, days in ReflectionPeriod.objects.filter(case_id__in=case_ids).values_list(
            "case_id", "start", "days"):
        periods[case_id].append((start, start + timedelta(days=days - 1)))
    for case_id, spans in periods.items():
        first = min(start for start, _ in spans)
        last = max(end for _, end in spans)
        found[case_id]["reflection"] = {"start": first.isoformat(), "days": (last - first).days + 1}
    for case_id, ordered_on in RemovalOrder.objects.filter(case_id__in=case_ids).order_by(
            "ordered_on", "id").values_list("case_id", "ordered_on"):
        found[case_id]["deportation_ordered_on"] = ordered_on.isoformat()
    plans = ReturnPlan.objects.filter(case_id__in=case_ids).exclude(status=ReturnStatus.CANCELLED)
    for plan in plans.order_by("recorded_at", "id"):
        shape = {
            "risk_assessed": plan.risk_assessed,
            "guardian_consent": plan.guardian_consent,
            "receiving_authority_consent": plan.receiving_authority_consent,
        }
        if plan.risk_found is not None:  # unknown stays out: the engine names it missing
            shape["risk_found"] = plan.risk_found
        found[plan.case_id]["return"] = shape
        found[plan.case_id]["wants_to_return"] = plan.wants_to_return
        wish_at[plan.case_id] = plan.recorded_at
    for help_ in ConsularAssistance.objects.filter(case_id__in=case_ids).order_by("recorded_at", "id"):
        found[help_.case_id]["located"] = "kosovo" if help_.repatriated_on else "abroad"
        if help_.wants_to_return is not None and (
                help_.case_id not in wish_at or help_.recorded_at >= wish_at[help_.case_id]):
            found[help_.case_id]["wants_to_return"] = help_.wants_to_return
    return dict(found)


def register() -> None:
    fact_provider_register(FactProvider(name="returns", facts=FACTS, read=read))
