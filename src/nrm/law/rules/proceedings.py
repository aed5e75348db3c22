"""Investigation and proceedings (Chapter III: Art. 11, 13, 15, 16, 19)."""

from __future__ import annotations

import datetime as dt

from nrm.law.assessment import (
    Entitlement,
    Obligation,
    Prohibition,
    Reason,
    Violation,
    reason_text,
)
from nrm.law.facts import Interview
from nrm.law.rules.base import Out, rule
from nrm.law.situation import Situation
from nrm.law.versions import cite

ART_11_4 = cite("11.4")
ART_13_1 = cite("13.1")
ART_13_2 = cite("13.2")
ART_15_1 = cite("15.1")
ART_16_1_2 = cite("16.1.2")
ART_16_1_5 = cite("16.1.5")
ART_19_3 = cite("19.3")

CHAPTER = "proceedings"

INDIVIDUAL_RISK_ASSESSMENT = Obligation("individual_risk_assessment", ART_15_1)
CONTINUE_PROSECUTION = Obligation("continue_prosecution", ART_11_4)
PROSECUTION_FOR_STATUS_OFFENCES = Prohibition("prosecution_for_status_offences", ART_13_1)
CHILD_PROSECUTION_FOR_STATUS_OFFENCES = Prohibition("prosecution_for_status_offences", ART_13_2)
WITNESS_PROTECTION = Entitlement("witness_protection", ART_19_3)
REPEAT_CHILD_INTERVIEW = Prohibition("repeat_child_interview", ART_16_1_5)
REPEATED = reason_text(
    "the interview of %(day)s, not for an exceptional and complex investigation, "
    "came after the first interview, of %(first)s"
)
PREMISES = reason_text(
    "the interview of %(day)s was not held in premises designed or adapted for a child"
)


def child_interviews(s: Situation) -> tuple[list[tuple[int, Interview]], bool]:
    """Interviews held by `on` while the person was a child, in date order, with
    their place in the facts; and whether any interview has no date.

    Settled reading: interviews are taken in date order (equal dates in the order
    recorded). An interview without a date cannot be placed in that order, nor
    be shown to have been held by `on` or while a child: it counts towards no
    violation, and its date is named missing.
    """
    held: list[tuple[int, Interview]] = []
    undated = False
    on = s.on
    for index, interview in enumerate(s.case.interviews):
        day = interview.on
        if day is None:
            undated = True
        elif day <= on and s.child_at(day):
            held.append((index, interview))
    held.sort(key=_day)
    return held, undated


def _day(entry: tuple[int, Interview]) -> dt.date:
    day = entry[1].on
    assert day is not None  # noqa: S101 - only dated interviews are sorted
    return day


@rule(chapter=CHAPTER, decides=("individual_risk_assessment",), cites=(ART_15_1,))
def individual_risk_assessment(s: Situation, out: Out) -> None:
    # 15.1: protection in criminal investigation and proceedings rests on an
    # individual risk assessment, so it is owed while they are under way.
    if s.under_way:
        out.obligations.append(INDIVIDUAL_RISK_ASSESSMENT)
    elif s.proceedings_status is None:
        s.need("case.proceedings.status")


@rule(chapter=CHAPTER, decides=("continue_prosecution",), cites=(ART_11_4,))
def continue_prosecution(s: Situation, out: Out) -> None:
    # 11.4: the procedure continues even if the victim withdraws the
    # statement. Reading: a withdrawn statement presupposes a procedure, so an
    # unrecorded status does not lift the duty; only "none" or "concluded" do.
    proceedings = s.case.proceedings
    if proceedings is None or not proceedings.statement_withdrawn:
        return
    if proceedings.status not in ("none", "concluded"):
        out.obligations.append(CONTINUE_PROSECUTION)


@rule(chapter=CHAPTER, decides=("prosecution_for_status_offences",), cites=(ART_13_1, ART_13_2))
def prosecution_for_status_offences(s: Situation, out: Out) -> None:
    # 13.1 for every victim; 13.2 adds for a child that no procedure or
    # sanction at all follows, so a child is protected by both.
    out.prohibitions.append(PROSECUTION_FOR_STATUS_OFFENCES)
    if s.child:
        out.prohibitions.append(CHILD_PROSECUTION_FOR_STATUS_OFFENCES)


@rule(chapter=CHAPTER, decides=("witness_protection",), cites=(ART_19_3,))
def witness_protection(s: Situation, out: Out) -> None:
    risk = s.case.risk_to_life
    if risk is None:
        s.need("case.risk_to_life")
    elif risk:
        out.entitlements.append(WITNESS_PROTECTION)


@rule(
    chapter=CHAPTER,
    decides=(
        "repeat_child_interview",
        "child_interviewed_more_than_once",
        "child_interview_premises",
    ),
    cites=(ART_16_1_2, ART_16_1_5),
    victims_only=False,
)
def child_interviews_limits(s: Situation, out: Out) -> None:
    """16.1: how a child victim may be interviewed, and how often."""
    if not s.case.interviews:
        return
    held, undated = child_interviews(s)
    if undated:
        s.need("case.interviews.on")
    # 16.1.5: once a child has been interviewed, another interview is barred
    # save for exceptional and complex investigations. A recorded interview
    # without a date is taken as held for this bar, which protects the child.
    if s.child and s.recognised and (held or undated):
        out.prohibitions.append(REPEAT_CHILD_INTERVIEW)
    if not held:
        return
    # 16.1.5: the first interview needs no ground; each later one not marked
    # `exceptional` (an omitted mark counts as false) breaks the limit.
    first = held[0][1].on
    for index, interview in held[1:]:
        if not interview.exceptional:
            values = (("day", interview.on), ("first", first))
            out.violations.append(
                Violation(
                    "child_interviewed_more_than_once",
                    ART_16_1_5,
                    Reason(REPEATED, ART_16_1_5, f"case.interviews[{index}]", values),
                )
            )
            break
    # 16.1.2: a child is interviewed in premises designed or adapted for it; an
    # omitted `child_appropriate_premises` is unknown, so no violation.
    unknown = reported = False
    for index, interview in held:
        premises = interview.child_appropriate_premises
        if premises is None:
            unknown = True
        elif premises is False and not reported:
            reported = True
            out.violations.append(
                Violation(
                    "child_interview_premises",
                    ART_16_1_2,
                    Reason(
                        PREMISES,
                        ART_16_1_2,
                        f"case.interviews[{index}]",
                        (("day", interview.on),),
                    ),
                )
            )
    if unknown:
        s.need("case.interviews.child_appropriate_premises")
