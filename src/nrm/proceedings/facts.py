"""The law's facts this app owns: `case.proceedings` and `case.interviews` (CONTRACT.md).

Read for many cases at once in two queries, whatever their number (the nightly sweep).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from nrm.proceedings.models import STAGE_ORDER, Interview, ProceedingVictim, Stage

FACTS = ("proceedings", "interviews")


def _proceedings(links: list[ProceedingVictim]) -> dict[str, Any]:
    """One victim's proceedings as the contract's single object.

    Any proceeding under way makes them under way, at its furthest stage; only when every
    one is concluded are they concluded, on the last day. A statement withdrawn in a
    proceeding under way is what 11.4 speaks of; once all are concluded, none is left to
    continue. A proceeding joined into another is that other's (10.3-10.6).
    """
    live = [link for link in links if link.proceeding.joined_into_id is None] or links
    open_ = [link for link in live if link.proceeding.stage != Stage.CONCLUDED]
    if open_:
        furthest = max(open_, key=lambda link: STAGE_ORDER[Stage(link.proceeding.stage)])
        return {"status": furthest.proceeding.stage,
                "statement_withdrawn": any(link.statement_withdrawn_on for link in open_)}
    ends = [link.proceeding.concluded_on for link in live]
    concluded_on = None if any(day is None for day in ends) else max(ends)  # type: ignore[type-var]
    return {"status": Stage.CONCLUDED.value,
            "concluded_on": concluded_on.isoformat() if concluded_on else None,
            "statement_withdrawn": any(link.statement_withdrawn_on for link in live)}


def _interview(row: Interview) -> dict[str, Any]:
    return {"on": row.held_on.isoformat(), "interviewer": row.interviewer,
            "child_appropriate_premises": row.child_appropriate_premises,
            "exceptional": row.exceptional}


def read(case_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    links: dict[int, list[ProceedingVictim]] = defaultdict(list)
    for link in ProceedingVictim.objects.filter(case_id__in=case_ids).select_related("proceeding"):
        links[link.case_id].append(link)
    talks: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in Interview.objects.filter(case_id__in=case_ids).order_by("held_on", "id").only(
            "case_id", "held_on", "interviewer", "child_appropriate_premises", "exceptional"):
        talks[row.case_id].append(_interview(row))
    found: dict[int, dict[str, Any]] = {}
    for case_id, rows in links.items():
        found.setdefault(case_id, {})["proceedings"] = _proceedings(rows)
    for case_id, rows in talks.items():
        found.setdefault(case_id, {})["interviews"] = rows
    return found
