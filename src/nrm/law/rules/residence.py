"""Reflection and residence (Art. 20.2.9, 25-28, 31.3, 37.6, 38.6).

Settled readings (amendment of 2026-12-01): the lawful reflection period is the
granted days held to 30..90, and the entitlement and the deportation bar both
end on its last day; a granted period bars deportation even before reasonable
grounds are recorded; abroad, none of the duties about residence in Kosovo apply.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from nrm.law.assessment import (
    Entitlement,
    Obligation,
    Prohibition,
    Reason,
    ReasonValue,
    Violation,
    reason_text,
)
from nrm.law.rules.base import Out, rule
from nrm.law.situation import UNSET, Situation, plus
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

NO_PERIOD = Reason(
    reason_text("no reflection period has been granted yet"), None, "case.reflection", open_end=True
)
NO_START = Reason(
    reason_text("a reflection period is recorded without its first day"),
    None,
    "case.reflection.start",
    open_end=True,
)
DAYS_UNKNOWN = reason_text(
    "the number of days granted is not recorded: only the lawful minimum of %(min)s days, "
    "to %(last)s, is certain (Art. %(set_by)s)"
)
DAYS_GRANTED = reason_text(
    "the %(days)s days granted from %(start)s end on %(last)s (Art. %(set_by)s)"
)
HELD_TO_MIN = reason_text(
    "the %(days)s days granted from %(start)s are held to the lawful minimum of %(min)s days, "
    "to %(last)s (Art. %(set_by)s)"
)
HELD_TO_MAX = reason_text(
    "the %(days)s days granted from %(start)s are held to the lawful maximum of %(max)s days, "
    "to %(last)s (Art. %(set_by)s)"
)
TOO_SHORT = reason_text(
    "a reflection period of %(days)s days was granted, fewer than the lawful %(min)s"
)
TOO_LONG = reason_text(
    "a reflection period of %(days)s days was granted, more than the lawful %(max)s"
)
DEPORTED = reason_text(
    "the deportation order applied on %(ordered)s, within the reflection period "
    "from %(start)s to %(last)s"
)
PERMIT_ENDED = Reason(
    reason_text("ends with the proceedings, concluded on %(until)s (Art. 28.2)"),
    ART_28_2,
    "case.proceedings.concluded_on",
)
PERMIT_OPEN = Reason(
    reason_text("for as long as the investigation or the court proceedings last (Art. 28.2)"),
    ART_28_2,
    "case.proceedings.status",
    open_end=True,
)
PERMIT_UNDATED = Reason(
    reason_text(
        "ends with the proceedings, which are concluded on a date not recorded (Art. 28.2)"
    ),
    ART_28_2,
    "case.proceedings.concluded_on",
    open_end=True,
)


class Window(NamedTuple):
    """The lawful reflection period: first and last day, and why it ends then."""

    start: dt.date
    last: dt.date
    # The last day when the lawful maximum was granted (the widest the period can be).
    widest: dt.date
    reason: Reason


def reflection_window(s: Situation) -> Window | None:
    """The lawful reflection period (20.2.9, 31.3): the grant held to 30..90 days.

    A period's last day is start + days - 1 (contract). Without the number of
    days only the lawful minimum is certain.
    """
    cached = s.window
    if cached is not UNSET:
        return cached  # type: ignore[return-value]
    s.window = window = _window(s)
    return window


def _window(s: Situation) -> Window | None:
    reflection = s.case.reflection
    if reflection is None or reflection.start is None:
        return None
    start, days = reflection.start, reflection.days
    p = s.p
    low, high = p.reflection_min_days, p.reflection_max_days
    set_by = p.article("reflection_min_days")
    widest = plus(start, high - 1)
    if days is None:
        last = plus(start, low - 1)
        values: tuple[tuple[str, ReasonValue], ...] = (
            ("min", low),
            ("last", last),
            ("set_by", set_by),
        )
        return Window(
            start, last, widest, Reason(DAYS_UNKNOWN, set_by, "case.reflection.days", values)
        )
    if days < low:
        last, text = plus(start, low - 1), HELD_TO_MIN
    elif days > high:
        last, text = widest, HELD_TO_MAX
    else:
        last, text = plus(start, days - 1), DAYS_GRANTED
    values = (
        ("days", days),
        ("start", start),
        ("last", last),
        ("min", low),
        ("max", high),
        ("set_by", set_by),
    )
    return Window(start, last, widest, Reason(text, set_by, "case.reflection", values))


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
    # a grant outside them is also a violation of the same provision.
    low, high = s.p.reflection_min_days, s.p.reflection_max_days
    reflection = s.case.reflection
    article = ART_38_6 if s.child else ART_20_2_9
    if reflection is not None and reflection.days is not None:
        days = reflection.days
        if days < low or days > high:
            values = (("days", days), ("min", low), ("max", high))
            code, text = (
                ("reflection_period_too_short", TOO_SHORT)
                if days < low
                else ("reflection_period_too_long", TOO_LONG)
            )
            out.violations.append(
                Violation(code, article, Reason(text, None, "case.reflection.days", values))
            )
    if not s.recognised:
        return
    start = until = None
    if reflection is None:
        if s.foreigner:
            s.need("case.reflection")
        reason = NO_PERIOD
    else:
        window = reflection_window(s)
        if window is None:
            s.need("case.reflection.start")
            reason = NO_START
        elif window.start > s.on:
            # Settled reading: a period starting after `on` opens nothing yet.
            return
        else:
            if reflection.days is None:
                s.need("case.reflection.days")
            start, until, reason = window.start, window.last, window.reason
    if s.child:
        out.entitlements.append(
            Entitlement("reflection_period", ART_38_6, start, until, low, high, reason)
        )
    else:
        out.entitlements.append(
            Entitlement("reflection_period", ART_20_2_9, start, until, low, high, reason)
        )
        out.entitlements.append(
            Entitlement("reflection_period", ART_31_3, start, until, low, high, reason)
        )


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
    on = s.on
    if window.start <= on <= window.last and not s.abroad:
        # Settled reading: a granted period bars deportation even when the
        # reasonable grounds are not recorded (they are then named missing).
        out.prohibitions.append(Prohibition("deportation", ART_31_3, window.last, window.reason))
    # A violation is what was done by the assessment date, so an order recorded
    # for a later day is not yet one (the prohibition covers it).
    ordered = s.case.deportation_ordered_on
    if ordered is None or ordered > on or ordered < window.start:
        return
    if ordered <= window.last:
        values = (("ordered", ordered), ("start", window.start), ("last", window.last))
        out.violations.append(
            Violation(
                "deportation_during_reflection",
                ART_31_3,
                Reason(DEPORTED, ART_31_3, "case.deportation_ordered_on", values),
            )
        )
    elif ordered <= window.widest and s.case.reflection is not None:
        if s.case.reflection.days is None:
            # Whether the order fell inside the period depends on the days granted.
            s.need("case.reflection.days")


@rule(
    chapter=CHAPTER,
    decides=("offer_reflection_period",),
    cites=(ART_26_1,),
    foreigners_only=True,
    in_kosovo_only=True,
)
def offer_reflection_period(s: Situation, out: Out) -> None:
    # 26.1: a foreigner whose stay is not regular is offered a reflection
    # period, whether or not he or she will cooperate.
    if s.person.stay is None:
        s.need("person.stay")
    elif s.person.stay == "irregular":
        out.obligations.append(OFFER_REFLECTION_PERIOD)


@rule(
    chapter=CHAPTER,
    decides=("inform_residence_options",),
    cites=(ART_25,),
    foreigners_only=True,
    in_kosovo_only=True,
)
def inform_residence_options(s: Situation, out: Out) -> None:
    # Art. 25: "from the moment" the authorities know, so at once (no due date).
    out.obligations.append(INFORM_RESIDENCE_OPTIONS)


@rule(
    chapter=CHAPTER,
    decides=("living_support",),
    cites=(ART_27_1,),
    foreigners_only=True,
    in_kosovo_only=True,
)
def living_support(s: Situation, out: Out) -> None:
    if s.person.lacks_means is None:
        s.need("person.lacks_means")
    elif s.person.lacks_means:
        out.entitlements.append(LIVING_SUPPORT)


@rule(
    chapter=CHAPTER,
    decides=("short_residence_permit",),
    cites=(ART_28_2,),
    foreigners_only=True,
    in_kosovo_only=True,
)
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
    reason = PERMIT_OPEN
    if proceedings is not None and proceedings.status == "concluded":
        until = proceedings.concluded_on
        if until is None:
            s.need("case.proceedings.concluded_on")
            reason = PERMIT_UNDATED
        else:
            reason = PERMIT_ENDED
    out.entitlements.append(
        Entitlement("short_residence_permit", ART_28_2, None, until, None, None, reason)
    )


@rule(
    chapter=CHAPTER,
    decides=("temporary_residence_permit",),
    cites=(ART_37_6,),
    children_only=True,
    foreigners_only=True,
    in_kosovo_only=True,
)
def temporary_residence_permit(s: Situation, out: Out) -> None:
    # 37.6: a foreign child, until a sustainable solution is found (no end date).
    out.entitlements.append(TEMPORARY_RESIDENCE_PERMIT)
