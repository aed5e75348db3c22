"""Accommodation in centres and shelters (Art. 23, 38.7, 38.8).

The stay's lawful end is the latest of every end the law allows, as the settled
readings (amendment of 2026-12-01) take them:

- the base stay is the assessed days held to 30..90 (23.6); a pregnant woman's
  base is 365 days from admission instead (23.8);
- on top of either base, `victim_request` extensions add at most 90 days in
  total beyond the base end (23.7.3); `doctor` extensions take the stay to at
  most 182 days from admission (23.7.1), so they never shorten, nor lengthen,
  a pregnant woman's year; a `proceedings` extension has no end while the
  proceedings are not concluded, ends on `concluded_on` once they are, or runs
  its days after it when life or health is in danger (23.7.2), and adds nothing
  with proceedings `status: none`;
- a person who was a child on admission may stay 182 days from admission, or
  for the duration of the proceedings if longer (38.8).

Proceedings whose status is unknown, or concluded on an unrecorded date, leave
a child's or a proceedings-extended stay open (`until: null`), and the fact is
named missing. Unknown days count at the most the law allows. None stands for
"no fixed end". The end carries the provision that set it.
"""

from __future__ import annotations

import datetime as dt

from nrm.law.assessment import Entitlement, Obligation, Reason, Violation, reason_text
from nrm.law.facts import Accommodation
from nrm.law.rules.base import Out, rule
from nrm.law.situation import Situation, plus
from nrm.law.versions import cite

ART_23 = cite("23")
ART_23_6 = cite("23.6")
ART_23_7_1 = cite("23.7.1")
ART_23_7_2 = cite("23.7.2")
ART_23_7_3 = cite("23.7.3")
ART_23_8 = cite("23.8")
ART_38_7 = cite("38.7")
ART_38_8 = cite("38.8")

CHAPTER = "accommodation"

# 38.7: a child in a centre or shelter is accommodated apart from adults.
ACCOMMODATE_SEPARATELY_FROM_ADULTS = Obligation("accommodate_separately_from_adults", ART_38_7)

NO_STAY = Reason(
    reason_text("no stay in a centre or shelter is recorded yet"),
    None,
    "case.accommodation",
    open_end=True,
)
NO_ADMISSION = Reason(
    reason_text("the stay is recorded without its date of admission"),
    None,
    "case.accommodation.admitted_on",
    open_end=True,
)
ADMITTED_LATER = reason_text("the admission on %(admitted)s is after this date")
BASE = reason_text("the %(days)s days assessed, from the admission on %(admitted)s (Art. 23.6)")
BASE_HELD = reason_text(
    "the %(days)s days assessed are held to the lawful %(held)s days from the admission "
    "on %(admitted)s (Art. 23.6)"
)
BASE_UNKNOWN = reason_text(
    "the days assessed are not recorded: the longest base stay, %(held)s days from the "
    "admission on %(admitted)s, is counted (Art. 23.6)"
)
PREGNANT = reason_text(
    "a pregnant woman's year, %(days)s days from the admission on %(admitted)s (Art. 23.8)"
)
CHILD = reason_text(
    "a child's six months, %(days)s days from the admission on %(admitted)s (Art. 38.8)"
)
CHILD_PROCEEDINGS = reason_text(
    "a child stays for the duration of the proceedings, concluded on %(concluded)s (Art. 38.8)"
)
CHILD_OPEN = Reason(
    reason_text(
        "no fixed end: a child stays for the duration of the proceedings, "
        "which are under way (Art. 38.8)"
    ),
    ART_38_8,
    "case.proceedings.status",
    open_end=True,
)
CHILD_STATUS_UNKNOWN = Reason(
    reason_text(
        "no end can be set for a child's stay: the status of the proceedings "
        "is not recorded (Art. 38.8)"
    ),
    ART_38_8,
    "case.proceedings.status",
    open_end=True,
)
CHILD_UNDATED = Reason(
    reason_text(
        "no end can be set for a child's stay: the date the proceedings were concluded "
        "is not recorded (Art. 38.8)"
    ),
    ART_38_8,
    "case.proceedings.concluded_on",
    open_end=True,
)
DOCTOR = reason_text("a doctor's extension of %(days)s days (Art. 23.7.1)")
DOCTOR_CAPPED = reason_text(
    "a doctor's extension, which takes the stay to at most %(cap)s days from admission "
    "(Art. 23.7.1)"
)
REQUEST = reason_text(
    "the victim's request adds %(days)s days to the base stay's end of %(base_end)s (Art. 23.7.3)"
)
REQUEST_CAPPED = reason_text(
    "the victim's request adds at most %(cap)s days to the base stay's end of %(base_end)s "
    "(Art. 23.7.3)"
)
PROCEEDINGS_ENDED = reason_text(
    "the extension for the proceedings ends with them, concluded on %(concluded)s (Art. 23.7.2)"
)
PROCEEDINGS_DANGER = reason_text(
    "with life or health in real danger, the extension for the proceedings runs %(days)s days "
    "after they were concluded on %(concluded)s (Art. 23.7.2)"
)
PROCEEDINGS_OPEN = Reason(
    reason_text(
        "no fixed end while the proceedings for which the stay was extended are under way "
        "(Art. 23.7.2)"
    ),
    ART_23_7_2,
    "case.proceedings.status",
    open_end=True,
)
PROCEEDINGS_STATUS_UNKNOWN = Reason(
    reason_text(
        "no end can be set: the stay was extended for proceedings whose status is not "
        "recorded (Art. 23.7.2)"
    ),
    ART_23_7_2,
    "case.proceedings.status",
    open_end=True,
)
PROCEEDINGS_UNDATED = Reason(
    reason_text(
        "no end can be set: the stay was extended for proceedings concluded on a date "
        "not recorded (Art. 23.7.2)"
    ),
    ART_23_7_2,
    "case.proceedings.concluded_on",
    open_end=True,
)
PROCEEDINGS_DAYS_UNKNOWN = Reason(
    reason_text(
        "no end can be set: with life or health in danger the stay runs on after the "
        "proceedings, for days not recorded (Art. 23.7.2)"
    ),
    ART_23_7_2,
    "case.accommodation.extensions.days",
    open_end=True,
)
OVERSTAY = reason_text(
    "the stay from %(admitted)s had its lawful end on %(until)s and the person has not left"
)

_ALL_BASES = ("doctor", "victim_request", "proceedings")


def lawful_end(
    s: Situation, acc: Accommodation, admitted: dt.date, as_child: bool | None = None
) -> tuple[dt.date | None, Reason]:
    """The latest lawful last day of a stay that began on `admitted` (None: no fixed end),
    with the reason naming the provision that set it. `as_child` overrides whether the
    person was a child on admission (to see what an unknown age would allow)."""
    p = s.p
    days = acc.days
    if days is None:
        s.need("case.accommodation.days")
        held = p.stay_max_days
        text = BASE_UNKNOWN
    else:
        # 23.6: the base stay is 30 to 90 days whatever was recorded beyond that.
        held = min(max(days, p.stay_min_days), p.stay_max_days)
        text = BASE if held == days else BASE_HELD
    if s.person.pregnant is True:
        # 23.8: a year from admission whatever the assessed base.
        base_end = plus(admitted, p.pregnant_stay_days - 1)
        best, reason = (
            base_end,
            Reason(
                PREGNANT,
                ART_23_8,
                "person.pregnant",
                (("days", p.pregnant_stay_days), ("admitted", admitted)),
            ),
        )
    else:
        base_end = plus(admitted, held - 1)
        best, reason = (
            base_end,
            Reason(
                text,
                ART_23_6,
                "case.accommodation.days",
                (("days", days), ("held", held), ("admitted", admitted)),
            ),
        )
    opened: Reason | None = None

    if s.child_at(admitted) if as_child is None else as_child:
        # 38.8: six months (182 days), or the proceedings if longer: no fixed
        # end while they run, and never before they were concluded.
        end = plus(admitted, p.child_stay_days - 1)
        if end > best:
            best, reason = (
                end,
                Reason(
                    CHILD,
                    ART_38_8,
                    "person.birth_date",
                    (("days", p.child_stay_days), ("admitted", admitted)),
                ),
            )
        opened, concluded = _proceedings(s, CHILD_OPEN, CHILD_STATUS_UNKNOWN, CHILD_UNDATED)
        if concluded is not None and concluded > best:
            best, reason = (
                concluded,
                Reason(
                    CHILD_PROCEEDINGS,
                    ART_38_8,
                    "case.proceedings.concluded_on",
                    (("concluded", concluded),),
                ),
            )

    if acc.extensions:
        doctor = request = proceedings = 0
        has_doctor = has_request = has_proceedings = False
        doctor_unknown = request_unknown = proceedings_unknown = False
        for extension in acc.extensions:
            basis = extension.basis
            n = extension.days
            if basis is None:
                # An extension of unrecorded basis counts as the longest it could be.
                s.need("case.accommodation.extensions.basis")
                bases: tuple[str, ...] = _ALL_BASES
            else:
                bases = (basis,)
            if n is None:
                s.need("case.accommodation.extensions.days")
            for b in bases:
                if b == "doctor":
                    has_doctor = True
                    if n is None:
                        doctor_unknown = True
                    else:
                        doctor += n
                elif b == "victim_request":
                    has_request = True
                    if n is None:
                        request_unknown = True
                    else:
                        request += n
                else:
                    has_proceedings = True
                    if n is None:
                        proceedings_unknown = True
                    else:
                        proceedings += n
        if has_doctor:
            # 23.7.1: the whole stay at most six months (182 days) from admission.
            cap_days = p.doctor_extension_cap_days
            cap = plus(admitted, cap_days - 1)
            wanted = cap if doctor_unknown else plus(base_end, doctor)
            end = min(wanted, cap)
            if end > best:
                capped = doctor_unknown or wanted > cap
                best, reason = (
                    end,
                    Reason(
                        DOCTOR_CAPPED if capped else DOCTOR,
                        ART_23_7_1,
                        "case.accommodation.extensions",
                        (("days", doctor), ("cap", cap_days)),
                    ),
                )
        if has_request:
            # 23.7.3: at the victim's request, up to ninety days more in all.
            most = p.victim_request_extension_max_days
            added = most if request_unknown else min(request, most)
            end = plus(base_end, added)
            if end > best:
                capped = request_unknown or request > most
                best, reason = (
                    end,
                    Reason(
                        REQUEST_CAPPED if capped else REQUEST,
                        ART_23_7_3,
                        "case.accommodation.extensions",
                        (("days", request), ("cap", most), ("base_end", base_end)),
                    ),
                )
        if has_proceedings:
            # 23.7.2: while the criminal procedure lasts there is no fixed end;
            # once concluded the extension ends with it, unless life or health
            # is in real danger, when it runs its days after `concluded_on`.
            opening, concluded = _proceedings(
                s, PROCEEDINGS_OPEN, PROCEEDINGS_STATUS_UNKNOWN, PROCEEDINGS_UNDATED
            )
            if opened is None:
                opened = opening
            if concluded is not None:
                danger = s.case.risk_to_life
                if danger is None:
                    s.need("case.risk_to_life")
                if danger is True and proceedings_unknown:
                    if opened is None:
                        opened = PROCEEDINGS_DAYS_UNKNOWN
                else:
                    end = plus(concluded, proceedings) if danger is True else concluded
                    if end > best:
                        best, reason = (
                            end,
                            Reason(
                                PROCEEDINGS_DANGER if danger is True else PROCEEDINGS_ENDED,
                                ART_23_7_2,
                                "case.proceedings.concluded_on",
                                (("days", proceedings), ("concluded", concluded)),
                            ),
                        )
    if opened is not None:
        return None, opened
    return best, reason


def _proceedings(
    s: Situation, running: Reason, unknown: Reason, undated: Reason
) -> tuple[Reason | None, dt.date | None]:
    """(why the stay is open, or None; the day the proceedings were concluded, if known)."""
    if s.under_way:
        return running, None
    status = s.proceedings_status
    if status == "concluded":
        proceedings = s.case.proceedings
        concluded = None if proceedings is None else proceedings.concluded_on
        if concluded is None:
            s.need("case.proceedings.concluded_on")
            return undated, None
        return None, concluded
    if status is None:
        s.need("case.proceedings.status")
        return unknown, None
    return None, None  # "none": no proceedings, nothing to add


def _lawful_for_a_child(s: Situation, acc: Accommodation, admitted: dt.date) -> bool:
    """Whether a stay that is past its end for an adult would still be lawful for a child,
    when nothing recorded says whether the person was one: then the missing birth date
    decides whether the stay is lawful, so there is no violation (settled reading)."""
    person = s.person
    if s.child_basis is not None or person.birth_date is not None:
        return False
    if person.believed_under_18 is False:
        return False  # no reason to believe the person is under 18 (Art. 36)
    until, _ = lawful_end(s, acc, admitted, as_child=True)
    return until is None or s.on <= until


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
    on = s.on
    admitted = until = None
    child_then = None
    if acc is None:
        reason = NO_STAY
    elif acc.admitted_on is None:
        s.need("case.accommodation.admitted_on")
        reason = NO_ADMISSION
    elif acc.admitted_on > on:
        # Settled reading: a stay that begins after `on` is not listed yet.
        reason = Reason(
            ADMITTED_LATER,
            None,
            "case.accommodation.admitted_on",
            (("admitted", acc.admitted_on),),
            open_end=True,
        )
    else:
        admitted = acc.admitted_on
        until, reason = lawful_end(s, acc, admitted)
        child_then = s.child_at(admitted)
        # Settled reading: an overstay is open while the person is still there
        # past the lawful end (no `left_on`, or `left_on` after `on`); a stay
        # that ended late is history, not a violation.
        if (
            until is not None
            and on > until
            and (acc.left_on is None or acc.left_on > on)
            and not _lawful_for_a_child(s, acc, admitted)
        ):
            values = (("admitted", admitted), ("until", until))
            out.violations.append(
                Violation(
                    "accommodation_overstay",
                    ART_38_8 if child_then else ART_23,
                    Reason(OVERSTAY, reason.set_by, "case.accommodation", values),
                )
            )
    if not s.recognised:
        return
    p = s.p
    out.entitlements.append(
        Entitlement(
            "shelter_accommodation",
            ART_23_6,
            admitted,
            until,
            p.stay_min_days,
            p.stay_max_days,
            reason,
        )
    )
    if s.person.pregnant:
        out.entitlements.append(
            Entitlement(
                "shelter_accommodation",
                ART_23_8,
                admitted,
                until,
                None,
                p.pregnant_stay_days,
                reason,
            )
        )
    if child_then if child_then is not None else s.child:
        out.entitlements.append(
            Entitlement(
                "shelter_accommodation",
                ART_38_8,
                admitted,
                until,
                None,
                p.child_stay_days,
                reason,
            )
        )


@rule(
    chapter=CHAPTER,
    decides=("accommodate_separately_from_adults",),
    cites=(ART_38_7,),
    children_only=True,
)
def accommodate_separately_from_adults(s: Situation, out: Out) -> None:
    acc = s.case.accommodation
    if acc is None:
        return
    admitted, left = acc.admitted_on, acc.left_on
    if (admitted is None or admitted <= s.on) and (left is None or left > s.on):
        out.obligations.append(ACCOMMODATE_SEPARATELY_FROM_ADULTS)
