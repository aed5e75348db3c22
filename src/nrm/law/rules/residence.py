"""Reflection and residence (Art. 20.2.9, 25-28, 31.3, 37.6, 38.6)."""

from __future__ import annotations

import datetime as dt

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


@rule(chapter=CHAPTER, decides=("reflection_period",), cites=(ART_20_2_9, ART_31_3, ART_38_6))
def reflection_period(s: Situation, out: Out) -> None:
    # 20.2.9 and 31.3 give every victim 30 to 90 days; 38.6 gives a child the
    # same period to decide, in person or through a guardian, whether to testify.
    # The entitlement's `until` is the granted end held within those bounds.
    low, high = s.p.reflection_min_days, s.p.reflection_max_days
    reflection = s.case.reflection
    start = until = None
    if reflection is None:
        if s.foreigner:
            s.need("case.reflection")
    elif reflection.start is None:
        s.need("case.reflection.start")
    else:
        start = reflection.start
        if reflection.days is None:
            s.need("case.reflection.days")
        else:
            until = start + dt.timedelta(days=min(max(reflection.days, low), high) - 1)
    articles = (ART_38_6,) if s.child else (ART_20_2_9, ART_31_3)
    for article in articles:
        out.entitle("reflection_period", article, start, until, low, high)


@rule(chapter=CHAPTER, decides=("deportation",), cites=(ART_31_3,))
def deportation(s: Situation, out: Out) -> None:
    # 31.3: no deportation order may be applied over the reflection period.
    window = reflection_window(s)
    if window is not None and s.on <= window[1]:
        out.prohibit("deportation", ART_31_3, until=window[1])


@rule(
    chapter=CHAPTER,
    decides=("reflection_period_too_short", "reflection_period_too_long"),
    cites=(ART_20_2_9, ART_38_6),
    victims_only=False,
)
def reflection_period_length(s: Situation, out: Out) -> None:
    reflection = s.case.reflection
    if reflection is None or reflection.days is None:
        return
    article = ART_38_6 if s.child else ART_20_2_9
    if reflection.days < s.p.reflection_min_days:
        out.violated("reflection_period_too_short", article)
    elif reflection.days > s.p.reflection_max_days:
        out.violated("reflection_period_too_long", article)


@rule(
    chapter=CHAPTER,
    decides=("deportation_during_reflection",),
    cites=(ART_31_3,),
    victims_only=False,
)
def deportation_during_reflection(s: Situation, out: Out) -> None:
    # Reading: a violation is what was done by the assessment date, so an
    # order recorded for a later day is not yet one (the prohibition covers it).
    ordered = s.case.deportation_ordered_on
    window = reflection_window(s)
    if ordered is None or window is None or ordered > s.on:
        return
    if window[0] <= ordered <= window[1]:
        out.violated("deportation_during_reflection", ART_31_3)


@rule(chapter=CHAPTER, decides=("offer_reflection_period",), cites=(ART_26_1,))
def offer_reflection_period(s: Situation, out: Out) -> None:
    # 26.1: a foreigner whose stay is not regular is offered a reflection
    # period, whether or not he or she will cooperate.
    if not s.foreigner:
        return
    if s.person.stay is None:
        s.need("person.stay")
    elif s.person.stay == "irregular":
        out.oblige("offer_reflection_period", ART_26_1)


@rule(chapter=CHAPTER, decides=("inform_residence_options",), cites=(ART_25,))
def inform_residence_options(s: Situation, out: Out) -> None:
    # Art. 25: "from the moment" the authorities know, so at once (no due date).
    if s.foreigner:
        out.oblige("inform_residence_options", ART_25)


@rule(chapter=CHAPTER, decides=("living_support",), cites=(ART_27_1,))
def living_support(s: Situation, out: Out) -> None:
    if not s.foreigner:
        return
    if s.person.lacks_means is None:
        s.need("person.lacks_means")
    elif s.person.lacks_means:
        out.entitle("living_support", ART_27_1)


@rule(chapter=CHAPTER, decides=("short_residence_permit",), cites=(ART_28_2,))
def short_residence_permit(s: Situation, out: Out) -> None:
    # 28.2: for as long as the investigation or court procedure lasts, so
    # open-ended until the proceedings are concluded.
    if not s.foreigner:
        return
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
    out.entitle("short_residence_permit", ART_28_2, until=until)


@rule(chapter=CHAPTER, decides=("temporary_residence_permit",), cites=(ART_37_6,))
def temporary_residence_permit(s: Situation, out: Out) -> None:
    # 37.6: a foreign child, until a sustainable solution is found (no end date).
    if s.child and s.foreigner:
        out.entitle("temporary_residence_permit", ART_37_6)
