"""Reads of shelters, stays and providers: every one starts from a scope in the access policy.

The lawful end of a stay and its reason are the law engine's (23.6-23.8, 38.8), read from
the case's assessment as the engine gives them; nothing here counts days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.cases.legal import assessment_of, contributed_facts
from nrm.errors import NotAllowed, NotFound
from nrm.law import LawError
from nrm.shelters.models import (
    Licence,
    Placement,
    SecurityRequest,
    Shelter,
    Unit,
)

# The windows of the board: stays ending within so many days (the 7, 14 and 30).
ENDING_WINDOWS = (7, 14, 30)
STAY_CODE = "shelter_accommodation"
OVERSTAY_CODE = "accommodation_overstay"


def shelters_managed(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Shelter]:
    return access.shelters_managed(user, action).order_by("name", "id")


def shelter_get(*, user: Any, shelter_id: int, action: Action = Action.VIEW) -> Shelter:
    shelter = shelters_managed(user=user, action=action).filter(pk=shelter_id).first()
    if shelter is None:
        raise NotFound(_("shelter %(id)s not found") % {"id": shelter_id})
    return shelter


def unit_get(*, user: Any, unit_id: int, action: Action = Action.CHANGE) -> Unit:
    unit = (Unit.objects.select_related("shelter")
            .filter(pk=unit_id, shelter__in=access.shelters_managed(user, action)).first())
    if unit is None:
        raise NotFound(_("unit %(id)s not found") % {"id": unit_id})
    return unit


def placement_get(*, user: Any, placement_id: int, action: Action = Action.VIEW) -> Placement:
    placement = (Placement.objects.select_related("case", "case__person", "shelter", "unit")
                 .filter(pk=placement_id, shelter__in=access.shelters_managed(user, action))
                 .first())
    if placement is None:
        raise NotFound(_("stay %(id)s not found") % {"id": placement_id})
    return placement


def address_of(*, user: Any, shelter: Shelter, purpose: str = "shelter view") -> str | None:
    """The shelter's address when the policy shows it to `user` (18.4), audited; else None."""
    if not access.shelter_locations(user).filter(pk=shelter.pk).exists():
        return None
    record(actor=user, action="read", record_type="shelters.shelter", records=[shelter],
           fields=["address"], purpose=purpose)
    return str(shelter.address or "")


# --- A stay's lawful end, from the law engine ---------------------------------------------

@dataclass(frozen=True)
class Stay:
    """What the engine says of one stay on a day."""

    until: dt.date | None  # the latest lawful end; None with `open_end` (no fixed end yet)
    open_end: bool  # the engine gives no end: a proceedings extension, a child's proceedings
    article: str  # the provision that set the end (the reason's, else the item's)
    reason: str  # the engine's words, in the page's language; "" when it gives none
    overstay: bool
    assessed: bool  # False when the engine gave no lawful end (no grounds yet, an error)


NOT_ASSESSED = Stay(None, False, "", "", False, False)


def _reason_words(item: Any) -> tuple[str, str]:
    # Read the items as the engine gives them: a reason, where it has one, names the
    # provision that set the date (issue 9) and its words.
    reason = getattr(item, "reason", None)
    article = str(getattr(item, "article", "") or "")
    if reason is None:
        return article, ""
    set_by = getattr(reason, "set_by", None)
    words = getattr(reason, "words", None)
    dates = item.dates() if hasattr(item, "dates") else {}
    text = words(dates, translate=_) if callable(words) else str(getattr(reason, "text", ""))
    return (str(set_by) if set_by else article), text


def stay_from_assessment(assessment: Any) -> Stay:
    items = [e for e in assessment.entitlements if e.code == STAY_CODE]
    overstay = any(v.code == OVERSTAY_CODE for v in assessment.violations)
    if not items:
        return Stay(None, False, "", "", overstay, False)
    # Every item of the stay carries the same latest end; the first with a reason explains it.
    item = next((e for e in items if getattr(e, "reason", None) is not None), items[0])
    article, text = _reason_words(item)
    return Stay(item.until, item.until is None, article, text, overstay, True)


def stays_of(placements: Sequence[Placement], on: dt.date) -> dict[int, Stay]:
    """{placement id: Stay} for many stays: the providers read once for all the cases."""
    case_ids = [p.case_id for p in placements]
    contributed = contributed_facts(case_ids)
    found = {}
    for placement in placements:
        try:
            assessment = assessment_of(placement.case, on, contributed.get(placement.case_id, {}))
        except LawError:
            found[placement.pk] = NOT_ASSESSED
            continue
        found[placement.pk] = stay_from_assessment(assessment)
    return found


# --- The occupancy board -----------------------------------------------------------------

@dataclass
class Board:
    beds: int = 0
    occupied: int = 0
    arrivals: int = 0
    departures: int = 0
    ending: dict[int, int] | None = None
    overstays: int = 0

    @property
    def free(self) -> int:
        return max(self.beds - self.occupied, 0)


def _stored_until(state: Any) -> tuple[dt.date | None, bool, bool]:
    """(until, has an end, overstay) from the case's stored legal state: what the engine
    said at the last change of the case's facts, or at the night's sweep."""
    assessment = (getattr(state, "assessment", None) or {}) if state is not None else {}
    ends = [e.get("until") for e in assessment.get("entitlements") or [] if e.get("code") == STAY_CODE]
    overstay = any(v.get("code") == OVERSTAY_CODE for v in assessment.get("violations") or [])
    dated = [dt.date.fromisoformat(u) for u in ends if u]
    return (max(dated) if dated else None), bool(dated), overstay


def boards(shelters: Iterable[Shelter], on: dt.date) -> dict[int, Board]:
    """A board per shelter: beds, occupied and free, today's arrivals and departures, stays
    ending within 7, 14 and 30 days, and overstays. A fixed number of queries."""
    shelters = list(shelters)
    ids = [s.pk for s in shelters]
    # A shelter recorded before units has its beds on itself; with units, they are the units'.
    found = {s.pk: Board(beds=s.capacity, ending=dict.fromkeys(ENDING_WINDOWS, 0)) for s in shelters}
    for row in Unit.objects.filter(shelter_id__in=ids).values("shelter_id").annotate(
            beds=Sum("capacity")):
        found[row["shelter_id"]].beds = row["beds"] or 0
    placements = Placement.objects.filter(shelter_id__in=ids).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=on) | Q(admitted_on=on)
    ).select_related("case__legal_state")
    for p in placements:
        board = found[p.shelter_id]
        here = p.admitted_on <= on and (p.left_on is None or p.left_on > on)
        if p.admitted_on == on:
            board.arrivals += 1
        if p.left_on == on:
            board.departures += 1
        if not here:
            continue
        board.occupied += 1
        until, dated, overstay = _stored_until(getattr(p.case, "legal_state", None))
        if overstay:
            board.overstays += 1
        elif dated and until is not None and until >= on:
            for window in ENDING_WINDOWS:
                if (until - on).days < window:
                    board.ending[window] += 1  # type: ignore[index]
    return found


def national_board(*, user: Any, on: dt.date) -> tuple[Board, list[tuple[Shelter, Board]]]:
    """Counts only, for the National Coordinator and analysts: never a name, a case or an
    address (8.5, 18.1)."""
    if not access.national_allows(user, Action.VIEW, Kind.STATISTICS):
        raise NotAllowed(_("only the National Coordinator and analysts see the national board"))
    shelters = list(Shelter.objects.filter(active=True).order_by("name", "id"))
    per = boards(shelters, on)
    total = Board(ending=dict.fromkeys(ENDING_WINDOWS, 0))
    for board in per.values():
        total.beds += board.beds
        total.occupied += board.occupied
        total.arrivals += board.arrivals
        total.departures += board.departures
        total.overstays += board.overstays
        for window in ENDING_WINDOWS:
            total.ending[window] += (board.ending or {}).get(window, 0)  # type: ignore[index]
    record(actor=user, action="read", record_type="shelters.board", purpose="national board",
           fields=["counts"])
    return total, [(s, per[s.pk]) for s in shelters]


def open_stays(*, shelter: Shelter) -> list[Placement]:
    return list(Placement.objects.filter(shelter=shelter, left_on__isnull=True)
                .select_related("case", "case__person", "unit")
                .prefetch_related("extensions").order_by("admitted_on", "id"))


def security_requests(*, user: Any) -> QuerySet[SecurityRequest]:
    """Requests of the user's shelters, and those addressed to the user's police institution."""
    police = access.institutions(user, roles=access.SECURITY_REQUESTED)
    return SecurityRequest.objects.filter(
        Q(shelter__in=access.shelters_managed(user, Action.VIEW)) | Q(police_id__in=police)
    ).select_related("shelter", "police").order_by("-requested_on", "-id")


# --- Licences (33.3) ---------------------------------------------------------------------

def licence_in_force(licence: Licence, on: dt.date) -> bool:
    return not licence.suspended and licence.valid_from <= on <= licence.valid_until


def provider_licensed(institution_id: int, on: dt.date | None = None) -> bool:
    """May new referrals go to this provider on `on` (33.3)? Not when its licences on record
    are all expired or suspended; a provider with none on record is judged by the licence
    date on its institution record, if any (the register is filled in as licences arrive)."""
    from nrm.authorities.models import Institution

    day = on or timezone.localdate()
    licences = list(Licence.objects.filter(institution_id=institution_id))
    if licences:
        return any(licence_in_force(licence, day) for licence in licences)
    until = Institution.objects.filter(pk=institution_id).values_list(
        "licence_valid_until", flat=True).first()
    return until is None or until >= day


def licences(*, user: Any) -> QuerySet[Licence]:
    if not access.national_allows(user, Action.VIEW, Kind.LICENCE):
        raise NotAllowed(_("your role may not see providers' licences"))
    return Licence.objects.select_related("institution", "issued_by").order_by("institution__code", "-valid_until")


def awaiting_admission(*, shelter: Shelter) -> list[Any]:
    """Cases referred to this shelter's provider and accepted, with no stay open: whom the
    manager may admit. Pseudonymous references only."""
    from nrm.cases.models import Case
    from nrm.referrals.models import Referral, ReferralStatus, Service

    referred = Referral.objects.filter(provider_id=shelter.operator_id, service=Service.SHELTER,
                                       status=ReferralStatus.ACCEPTED).values("case_id")
    return list(Case.objects.filter(pk__in=referred).exclude(
        pk__in=Placement.objects.filter(left_on__isnull=True).values("case_id")).order_by("reference"))


def day_movements(*, shelter: Shelter, on: dt.date) -> tuple[list[Placement], list[Placement]]:
    """Today's arrivals and departures at a shelter."""
    rows = list(Placement.objects.filter(shelter=shelter).filter(Q(admitted_on=on) | Q(left_on=on))
                .select_related("case", "unit").order_by("id"))
    return [p for p in rows if p.admitted_on == on], [p for p in rows if p.left_on == on]


def stay_of_case(*, user: Any, case_id: int) -> Placement | None:
    """The case's current (else latest) stay, for an official who may see the case."""
    from nrm.cases.selectors import case_get
    from nrm.errors import ActingUnclear

    case = case_get(user=user, case_id=case_id, audit=False)
    # The case's own team only: the national roles see shelters as counts (8.5, 18.1).
    try:
        access.acting(user, case=case, action=Action.VIEW, kind=Kind.CASE)
    except ActingUnclear:
        pass  # several of the official's memberships are on the team: each may read it
    except NotAllowed:
        raise NotFound(_("case %(id)s not found") % {"id": case_id}) from None
    return (Placement.objects.filter(case=case).select_related("case", "shelter", "unit")
            .prefetch_related("extensions").order_by("left_on", "-admitted_on", "-id").first())


def police_institutions() -> list[Any]:
    """The active institutions a shelter may ask for security (23.5): those with police
    investigators among their officials. Reference data: codes and names only."""
    from nrm.authorities.models import Institution
    from nrm.authorities.roles import Role

    return list(Institution.objects.filter(active=True, members__role=Role.POLICE_INVESTIGATOR)
                .distinct().order_by("code"))


def security_requests_to_police(*, user: Any) -> QuerySet[SecurityRequest]:
    """Requests addressed to the user's police institution (23.5), newest first."""
    police = access.institutions(user, roles=access.SECURITY_REQUESTED)
    if not police:
        raise NotAllowed(_("only the police receive shelters' security requests (Art. 23.5)"))
    return (SecurityRequest.objects.filter(police_id__in=police)
            .select_related("shelter", "police").order_by("-requested_on", "-id"))


def security_requests_of(*, shelter: Shelter) -> QuerySet[SecurityRequest]:
    return (SecurityRequest.objects.filter(shelter=shelter).select_related("shelter", "police")
            .order_by("-requested_on", "-id"))
