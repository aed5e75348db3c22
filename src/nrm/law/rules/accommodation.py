"""Accommodation in centres and shelters (Art. 23, 38.7, 38.8).

The stay's lawful end is the latest of every end the law allows (contract):
the base stay of 30 to 90 days by assessed need (23.6), its extensions
(23.7.1-23.7.3), a pregnant woman's year (23.8) and a child's six months or
the proceedings (38.8). None stands for "no fixed end".
"""

from __future__ import annotations

import datetime as dt

from nrm.law.assessment import Entitlement, Obligation, Violation
from nrm.law.facts import Accommodation
from nrm.law.rules.base import Out, rule
from nrm.law.situation import Situation
from nrm.law.versions import cite

ART_23 = cite("23")
ART_23_6 = cite("23.6")
ART_23_8 = cite("23.8")
ART_38_7 = cite("38.7")
ART_38_8 = cite("38.8")

CHAPTER = "accommodation"

# 38.7: a child in a centre or shelter is accommodated apart from adults.
ACCOMMODATE_SEPARATELY_FROM_ADULTS = Obligation("accommodate_separately_from_adults", ART_38_7)


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _extension_days(s: Situation, acc: Accommodation, basis: str, default: int) -> int | None:
    """Sum of the extensions on one basis; None when there is none.

    An extension recorded without its days is read at the most its basis
    allows (the latest lawful end), and the missing days are reported.
    """
    total: int | None = None
    for extension in acc.extensions:
        if extension.basis == basis:
            if extension.days is None:
                s.need("case.accommodation.extensions.days")
            total = (total or 0) + (default if extension.days is None else extension.days)
    return total


def _proceedings_end(s: Situation) -> tuple[bool, dt.date | None]:
    """(open, concluded_on): whether proceedings still run, and when they ended."""
    proceedings = s.case.proceedings
    if s.under_way:
        return True, None
    if proceedings is not None and proceedings.status == "concluded":
        if proceedings.concluded_on is None:
            s.need("case.proceedings.concluded_on")
        return False, proceedings.concluded_on
    if proceedings is None or proceedings.status is None:
        s.need("case.proceedings.status")
    return False, None


def lawful_end(s: Situation, acc: Accommodation, admitted: dt.date) -> dt.date | None:
    """The latest lawful last day of a stay that began on `admitted` (None: no fixed end)."""
    p = s.p
    days = acc.days
    if days is None:
        s.need("case.accommodation.days")
        days = p.stay_max_days
    # 23.6: the base stay is 30 to 90 days whatever was recorded beyond that.
    base_end = admitted + _days(min(max(days, p.stay_min_days), p.stay_max_days) - 1)
    ends = [base_end]
    open_ended = False

    doctor = _extension_days(s, acc, "doctor", p.doctor_extension_cap_days)
    if doctor is not None:
        # 23.7.1: the whole stay at most six months (182 days) from admission.
        cap = admitted + _days(p.doctor_extension_cap_days - 1)
        ends.append(min(base_end + _days(doctor), cap))
    request = _extension_days(s, acc, "victim_request", p.victim_request_extension_max_days)
    if request is not None:
        # 23.7.3: at the victim's request, up to ninety days more.
        ends.append(base_end + _days(min(request, p.victim_request_extension_max_days)))
    proceedings = _extension_days(s, acc, "proceedings", 0)
    if proceedings is not None:
        # 23.7.2: while the criminal procedure lasts there is no fixed end.
        # Reading: once concluded, the extension ends with the proceedings,
        # unless life or health is in real danger, when it runs its days more.
        running, concluded = _proceedings_end(s)
        if running:
            open_ended = True
        elif concluded is not None:
            ends.append(concluded + _days(proceedings) if s.case.risk_to_life else concluded)
        else:
            ends.append(base_end + _days(proceedings))
    if s.person.pregnant:
        # 23.8: a year from admission whatever the base, "with possibility of
        # extension". Reading: recorded doctor and request extensions then add
        # their days to the year, without the six-month and ninety-day caps of
        # 23.7, which 23.8 does not repeat.
        year_end = admitted + _days(p.pregnant_stay_days - 1)
        ends.append(year_end + _days((doctor or 0) + (request or 0)))
    if s.child_at(admitted):
        # 38.8: six months (182 days), or the proceedings if longer: no fixed
        # end while they run, and never before they were concluded.
        ends.append(admitted + _days(p.child_stay_days - 1))
        running, concluded = _proceedings_end(s)
        if running:
            open_ended = True
        elif concluded is not None:
            ends.append(concluded)
    return None if open_ended else max(ends)


def _in_accommodation(acc: Accommodation, on: dt.date) -> bool:
    admitted = acc.admitted_on
    left = acc.left_on
    return (admitted is None or admitted <= on) and (left is None or left > on)


@rule(
    chapter=CHAPTER,
    decides=("shelter_accommodation", "accommodation_overstay"),
    cites=(ART_23, ART_23_6, ART_23_8, ART_38_8),
    victims_only=False,
)
def shelter_accommodation(s: Situation, out: Out) -> None:
    # Every victim may be accommodated on assessed need (23.6); a pregnant woman
    # (23.8) and a child (38.8) have their own, longer entitlement, each
    # returned beside 23.6 with the stay's latest lawful end.
    acc = s.case.accommodation
    admitted = None if acc is None else acc.admitted_on
    until = None
    if acc is not None:
        if admitted is None:
            s.need("case.accommodation.admitted_on")
        else:
            until = lawful_end(s, acc, admitted)
            # Contract: an overstay is `on` past the lawful end while the
            # person has not left.
            if until is not None and s.on > until and _in_accommodation(acc, s.on):
                article = ART_38_8 if s.child_at(admitted) else ART_23
                out.violations.append(Violation("accommodation_overstay", article))
    if not s.recognised:
        return
    p = s.p
    out.entitlements.append(
        Entitlement(
            "shelter_accommodation", ART_23_6, admitted, until, p.stay_min_days, p.stay_max_days
        )
    )
    if s.person.pregnant:
        out.entitlements.append(
            Entitlement(
                "shelter_accommodation", ART_23_8, admitted, until, None, p.pregnant_stay_days
            )
        )
    if s.child_at(admitted or s.on):
        out.entitlements.append(
            Entitlement("shelter_accommodation", ART_38_8, admitted, until, None, p.child_stay_days)
        )


@rule(
    chapter=CHAPTER,
    decides=("accommodate_separately_from_adults",),
    cites=(ART_38_7,),
    children_only=True,
)
def accommodate_separately_from_adults(s: Situation, out: Out) -> None:
    acc = s.case.accommodation
    if acc is not None and _in_accommodation(acc, s.on):
        out.obligations.append(ACCOMMODATE_SEPARATELY_FROM_ADULTS)
