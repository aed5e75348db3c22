"""Reflection and residence (Art. 20.2.9, 25-28, 31.3, 37.6, 38.6)."""

from __future__ import annotations

import datetime as dt

from nrm.law.assessment import Entitlement, Obligation, Prohibition, Violation
from nrm.law.rules.base import Out, rule
from nrm.law.situation import Situation
from nrm.law.versions import cite

ART_20_2_9 = cite("20.2.9")
ART_25 = cite("25")
ART_26_1 = cite("26.1")
ART_27_1 = cite("27.1")
ART_28_2 = cite("28.2")
ART_31_3 = cite("31.3")
ART_37_6 = cite("37.6")
ART_38_6 = cite("38.6")

CHAPTER = "reflection and residence"

OFFER_REFLECTION_PERIOD = Obligation("offer_reflection_period", ART_26_1)
INFORM_RESIDENCE_OPTIONS = Obligation("inform_residence_options", ART_25)
LIVING_SUPPORT = Entitlement("living_support", ART_27_1)
TEMPORARY_RESIDENCE_PERMIT = Entitlement("temporary_residence_permit", ART_37_6)


def reflection_window(s: Situation) -> tuple[dt.date, dt.date] | None:
    """First and last day during which deportation is barred (31.3).

    A period's last day is start + days - 1 (contract). Reading of 31.3 and
    20.2.9: a grant shorter than thirty days cannot shorten the protection the
    law guarantees, so the bar lasts at least thirty days; a grant longer than
    ninety days is unlawful (a violation) but binds the authority that made it,
    so the bar runs to the granted end. Without the number of days only the
    legal minimum is certain.
    """
    reflection = s.case.reflection
    if reflection is None or reflection.start is None:
        return None
    days = reflection.days
    length = s.p.reflection_min_days if days is None else max(days, s.p.reflection_min_days)
    return reflection.start, reflection.start + dt.timedelta(days=length - 1)


@rule(
    chapter=CHAPTER,
    decides=("reflection_period", "reflection_period_too_short", "reflection_period_too_long"),
    cites=(ART_20_2_9, ART_31_3, ART_38_6),
    victims_only=False,
)
def reflection_period(s: Situation, out: Out) -> None:
    # 20.2.9 and 31.3 give every victim 30 to 90 days; 38.6 gives a child the
    # same period to decide, in person or through a guardian, whether to testify.
    # The entitlement's `until` is the granted end held within those bounds;
    # a grant outside them is a violation of the same provision.
    low, high = s.p.reflection_min_days, s.p.reflection_max_days
    reflection = s.case.reflection
    start = until = None
    if reflection is not None:
        start = reflection.start
        days = reflection.days
        if days is not None:
            article = ART_38_6 if s.child else ART_20_2_9
            if days < low:
                out.violations.append(Violation("reflection_period_too_short", article))
            elif days > high:
                out.violations.append(Violation("reflection_period_too_long", article))
            if start is not None:
                until = start + dt.timedelta(days=min(max(days, low), high) - 1)
    if not s.recognised:
        return
    if reflection is None:
        if s.foreigner:
            s.need("case.reflection")
    elif start is None:
        s.need("case.reflection.start")
    elif reflection.days is None:
        s.need("case.reflection.days")
    if s.child:
        out.entitlements.append(Entitlement("reflection_period", ART_38_6, start, until, low, high))
    else:
        out.entitlements.append(
            Entitlement("reflection_period", ART_20_2_9, start, until, low, high)
        )
        out.entitlements.append(Entitlement("reflection_period", ART_31_3, start, until, low, high))


@rule(
    chapter=CHAPTER,
    decides=("deportation", "deportation_during_reflection"),
    cites=(ART_31_3,),
    victims_only=False,
)
def deportation(s: Situation, out: Out) -> None:
    # 31.3: no deportation order may be applied over the reflection period.
    window = reflection_window(s)
    if window is None:
        return
    first, last = window
    if s.recognised and s.on <= last:
        out.prohibitions.append(Prohibition("deportation", ART_31_3, last))
    # Reading: a violation is what was done by the assessment date, so an
    # order recorded for a later day is not yet one (the prohibition covers it).
    ordered = s.case.deportation_ordered_on
    if ordered is not None and ordered <= s.on and first <= ordered <= last:
        out.violations.append(Violation("deportation_during_reflection", ART_31_3))


@rule(
    chapter=CHAPTER, decides=("offer_reflection_period",), foreigners_only=True, cites=(ART_26_1,)
)
def offer_reflection_period(s: Situation, out: Out) -> None:
    # 26.1: a foreigner whose stay is not regular is offered a reflection
    # period, whether or not he or she will cooperate.
    if s.person.stay is None:
        s.need("person.stay")
    elif s.person.stay == "irregular":
        out.obligations.append(OFFER_REFLECTION_PERIOD)


@rule(chapter=CHAPTER, decides=("inform_residence_options",), foreigners_only=True, cites=(ART_25,))
def inform_residence_options(s: Situation, out: Out) -> None:
    # Art. 25: "from the moment" the authorities know, so at once (no due date).
    out.obligations.append(INFORM_RESIDENCE_OPTIONS)


@rule(chapter=CHAPTER, decides=("living_support",), foreigners_only=True, cites=(ART_27_1,))
def living_support(s: Situation, out: Out) -> None:
    if s.person.lacks_means is None:
        s.need("person.lacks_means")
    elif s.person.lacks_means:
        out.entitlements.append(LIVING_SUPPORT)


@rule(chapter=CHAPTER, decides=("short_residence_permit",), foreigners_only=True, cites=(ART_28_2,))
def short_residence_permit(s: Situation, out: Out) -> None:
    # 28.2: for as long as the investigation or court procedure lasts, so
    # open-ended until the proceedings are concluded.
    needed = s.case.presence_needed_for_proceedings
    if needed is None:
        s.need("case.presence_needed_for_proceedings")
        return
    if not needed:
        return
    proceedings = s.case.proceedings
    until = None
    if proceedings is not None and proceedings.status == "concluded":
        until = proceedings.concluded_on
        if until is None:
            s.need("case.proceedings.concluded_on")
    out.entitlements.append(Entitlement("short_residence_permit", ART_28_2, None, until))


@rule(
    chapter=CHAPTER,
    decides=("temporary_residence_permit",),
    cites=(ART_37_6,),
    children_only=True,
    foreigners_only=True,
)
def temporary_residence_permit(s: Situation, out: Out) -> None:
    # 37.6: a foreign child, until a sustainable solution is found (no end date).
    out.entitlements.append(TEMPORARY_RESIDENCE_PERMIT)
