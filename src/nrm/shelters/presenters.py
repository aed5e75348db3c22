"""The one shape of each shelter record, for the API and the pages alike: an answer to a
write is built here from the same selector as the read, so it shows no more."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nrm.audit.services import record
from nrm.shelters import selectors
from nrm.shelters.models import Placement, Shelter


def shelter_dict(shelter: Shelter, *, user: Any, purpose: str = "shelter view") -> dict[str, Any]:
    units = list(shelter.units.order_by("kind", "name", "id"))
    return {
        "id": shelter.pk, "name": shelter.name, "operator": shelter.operator.code,
        "founder": shelter.founder, "approved_on": shelter.approved_on,
        "approval_reference": shelter.approval_reference, "services": shelter.services,
        "active": shelter.active, "version": shelter.version,
        # 18.4: the address only to those the policy lets see it; the read is audited.
        "address": selectors.address_of(user=user, shelter=shelter, purpose=purpose),
        "units": [{"id": u.pk, "name": u.name, "kind": u.kind, "kind_label": u.get_kind_display(),
                   "capacity": u.capacity,
                   "occupied": u.occupied, "free": max(u.capacity - u.occupied, 0)} for u in units],
    }


def stay_dicts(placements: list[Placement], *, user: Any, on: dt.date,
               purpose: str = "shelter stays") -> list[dict[str, Any]]:
    """Stays with the lawful end and its reason as the law engine gives them. Of the case,
    only its pseudonymous reference: the identity stays with the referral's consent."""
    stays = selectors.stays_of(placements, on)
    if placements:
        record(actor=user, action="read", record_type="shelters.placement", records=placements,
               fields=["case", "unit", "admitted_on", "days", "left_on", "extensions"],
               purpose=purpose)
    rows = []
    for p in placements:
        stay = stays[p.pk]
        rows.append({
            "id": p.pk, "case_id": p.case_id, "case_reference": p.case.reference,
            "shelter_id": p.shelter_id, "unit_id": p.unit_id,
            "unit_kind": p.unit.kind if p.unit_id else None,
            "unit_kind_label": p.unit.get_kind_display() if p.unit_id else "",
            "admitted_on": p.admitted_on, "days": p.days, "left_on": p.left_on,
            "destination": p.destination, "version": p.version,
            "extensions": [{"basis": e.basis, "days": e.days, "document": e.document,
                            "granted_on": e.granted_on} for e in p.extensions.all()],
            "lawful_end": stay.until, "open_end": stay.open_end, "assessed": stay.assessed,
            "lawful_end_article": stay.article, "lawful_end_reason": stay.reason,
            "overstay": stay.overstay,
            "days_left": (stay.until - on).days if stay.until is not None else None,
            "withheld": False,
        })
    return rows


def stay_birth_derived(placement: Placement, on: dt.date) -> bool:
    """Would the stay's lawful end, or its overstay, move with the person's birth date? (A
    child's stay runs 182 days, 38.8.) Then a reader who may not see the birth date is not
    shown them (the derivation rule); the cases app finds what moves by assessing other
    birth dates, so nothing is listed here by hand."""
    from nrm.cases.presenters import birth_derived

    return any(code.startswith((selectors.STAY_CODE + "@", selectors.OVERSTAY_CODE + "@"))
               for _name, code, _key in birth_derived(placement.case, on))


def stay_withheld(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "lawful_end": None, "open_end": False, "lawful_end_article": "",
            "lawful_end_reason": "", "overstay": None, "days_left": None, "withheld": True}


def stay_unlocated(row: dict[str, Any]) -> dict[str, Any]:
    """A stay for a reader the policy does not show the shelter's location (18.4): nothing
    in it may name the shelter, so neither the shelter's nor the unit's id and kind."""
    return {**row, "shelter_id": None, "unit_id": None, "unit_kind": None, "unit_kind_label": ""}


def board_dict(board: selectors.Board) -> dict[str, Any]:
    return {"beds": board.beds, "occupied": board.occupied, "free": board.free,
            "arrivals": board.arrivals, "departures": board.departures,
            "ending_within": {str(k): v for k, v in (board.ending or {}).items()},
            "overstays": board.overstays}


def security_dict(request: Any, *, user: Any) -> dict[str, Any]:
    """A security request; the shelter's address only to whom the policy shows it now (the
    police while the request is open, 23.5)."""
    return {
        "id": request.pk, "shelter_id": request.shelter_id, "shelter_name": request.shelter.name,
        "police": request.police.code, "requested_on": request.requested_on,
        "status": request.status, "reason": str(request.reason or ""),
        "response": str(request.response or "") or None, "answered_on": request.answered_on,
        "closed_on": request.closed_on,
        "address": selectors.address_of(user=user, shelter=request.shelter, purpose="security request"),
    }
