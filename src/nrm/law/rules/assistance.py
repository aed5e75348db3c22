"""Assistance and protection of victims (Chapter IV: Art. 20, 24, 31).

Every rule here applies once an authority has reasonable grounds (20.5) and
to a presumed victim as to an identified one (3.1.17).
"""

from __future__ import annotations

from nrm.law.assessment import Entitlement, Obligation, Prohibition, Reason, reason_text
from nrm.law.rules.base import Out, rule
from nrm.law.situation import Situation
from nrm.law.versions import cite

ART_12 = cite("12")
ART_20_2_1 = cite("20.2.1")
ART_20_2_3 = cite("20.2.3")
ART_20_2_4 = cite("20.2.4")
ART_20_5 = cite("20.5")
ART_20_6 = cite("20.6")
ART_20_8 = cite("20.8")
ART_24 = cite("24")
ART_31_2 = cite("31.2")
ART_35_1_4 = cite("35.1.4")

CHAPTER = "assistance"

CONDITIONING_ASSISTANCE_ON_COOPERATION = Prohibition(
    "conditioning_assistance_on_cooperation", ART_20_6
)
INFORM_OF_RIGHTS = Obligation("inform_of_rights", ART_20_2_1)
INFORM_CHILD_OF_RIGHTS = Obligation("inform_of_rights", ART_35_1_4)
FREE_LEGAL_AID = Entitlement("free_legal_aid", ART_20_2_3)
INTERPRETATION = Entitlement("interpretation", ART_20_2_4)
# 20.8: "since the very first contacts with the competent bodies".
VICTIM_ADVOCATE = Entitlement("victim_advocate", ART_20_8)
# 31.2: victims and presumed victims alike.
FREE_MEDICAL_CARE = Entitlement("free_medical_care", ART_31_2)
VOCATIONAL_TRAINING = Entitlement("vocational_training", ART_24)


FROM_GROUNDS = Reason(
    reason_text(
        "runs from the day an authority had reasonable grounds to believe the person is "
        "a victim (Art. 20.5)"
    ),
    ART_20_5,
    "case.reasonable_grounds_on",
)
FROM_IDENTIFICATION = Reason(
    reason_text(
        "runs from the official identification (Art. 12), which implies reasonable grounds; "
        "the day of the grounds is not recorded"
    ),
    ART_12,
    "case.identified_on",
)


@rule(chapter=CHAPTER, decides=("assistance",), cites=(ART_20_5,))
def assistance(s: Situation, out: Out) -> None:
    # 20.5: from the reasonable grounds on; 20.6 and 4.1.7: never conditioned
    # on cooperation, so `cooperating` is deliberately not read by any rule.
    reason = FROM_GROUNDS if s.case.reasonable_grounds_on is not None else FROM_IDENTIFICATION
    out.entitlements.append(
        Entitlement("assistance", ART_20_5, s.status_from, None, None, None, reason)
    )


@rule(
    chapter=CHAPTER,
    decides=("conditioning_assistance_on_cooperation",),
    cites=(ART_20_6,),
)
def conditioning_assistance_on_cooperation(s: Situation, out: Out) -> None:
    out.prohibitions.append(CONDITIONING_ASSISTANCE_ON_COOPERATION)


@rule(chapter=CHAPTER, decides=("inform_of_rights",), cites=(ART_20_2_1, ART_35_1_4))
def inform_of_rights(s: Situation, out: Out) -> None:
    # 20.2.1 for every victim; 35.1.4 adds that a child is told in a
    # child-appropriate manner, so a child is owed both.
    out.obligations.append(INFORM_OF_RIGHTS)
    if s.child:
        out.obligations.append(INFORM_CHILD_OF_RIGHTS)


@rule(chapter=CHAPTER, decides=("free_legal_aid",), cites=(ART_20_2_3,))
def free_legal_aid(s: Situation, out: Out) -> None:
    out.entitlements.append(FREE_LEGAL_AID)


@rule(chapter=CHAPTER, decides=("interpretation",), cites=(ART_20_2_4,))
def interpretation(s: Situation, out: Out) -> None:
    out.entitlements.append(INTERPRETATION)


@rule(chapter=CHAPTER, decides=("victim_advocate",), cites=(ART_20_8,))
def victim_advocate(s: Situation, out: Out) -> None:
    out.entitlements.append(VICTIM_ADVOCATE)


@rule(chapter=CHAPTER, decides=("free_medical_care",), cites=(ART_31_2,))
def free_medical_care(s: Situation, out: Out) -> None:
    out.entitlements.append(FREE_MEDICAL_CARE)


@rule(chapter=CHAPTER, decides=("vocational_training",), cites=(ART_24,))
def vocational_training(s: Situation, out: Out) -> None:
    # Art. 24 says "over sixteen (16) years of age"; the contract reads it as
    # aged 16 or more, so the 16th birthday itself qualifies. The recorded birth
    # date is used even before the age is finally ascertained; without one the
    # right is left undecided rather than guessed.
    if s.age is None:
        s.need("person.birth_date")
    elif s.age >= s.p.vocational_training_age:
        out.entitlements.append(VOCATIONAL_TRAINING)
