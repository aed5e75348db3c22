"""Assistance and protection of victims (Chapter IV: Art. 20, 24, 31)."""

from __future__ import annotations

from nrm.law.rules.base import Out, rule
from nrm.law.situation import Situation
from nrm.law.versions import cite

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


@rule(chapter=CHAPTER, decides=("assistance",), cites=(ART_20_5,))
def assistance(s: Situation, out: Out) -> None:
    # 20.5: from the reasonable grounds on; 20.6 and 4.1.7: never conditioned
    # on cooperation, so `cooperating` is deliberately not read here.
    out.entitle("assistance", ART_20_5, from_=s.status_from)


@rule(chapter=CHAPTER, decides=("conditioning_assistance_on_cooperation",), cites=(ART_20_6,))
def conditioning_assistance_on_cooperation(s: Situation, out: Out) -> None:
    out.prohibit("conditioning_assistance_on_cooperation", ART_20_6)


@rule(chapter=CHAPTER, decides=("inform_of_rights",), cites=(ART_20_2_1, ART_35_1_4))
def inform_of_rights(s: Situation, out: Out) -> None:
    # 20.2.1 for every victim; 35.1.4 adds that a child is told in a
    # child-appropriate manner, so a child is owed both.
    out.oblige("inform_of_rights", ART_20_2_1)
    if s.child:
        out.oblige("inform_of_rights", ART_35_1_4)


@rule(chapter=CHAPTER, decides=("free_legal_aid",), cites=(ART_20_2_3,))
def free_legal_aid(s: Situation, out: Out) -> None:
    out.entitle("free_legal_aid", ART_20_2_3, from_=s.status_from)


@rule(chapter=CHAPTER, decides=("interpretation",), cites=(ART_20_2_4,))
def interpretation(s: Situation, out: Out) -> None:
    out.entitle("interpretation", ART_20_2_4, from_=s.status_from)


@rule(chapter=CHAPTER, decides=("victim_advocate",), cites=(ART_20_8,))
def victim_advocate(s: Situation, out: Out) -> None:
    # 20.8: "since the very first contacts with the competent bodies".
    out.entitle("victim_advocate", ART_20_8, from_=s.status_from)


@rule(chapter=CHAPTER, decides=("free_medical_care",), cites=(ART_31_2,))
def free_medical_care(s: Situation, out: Out) -> None:
    # 31.2: victims and presumed victims alike.
    out.entitle("free_medical_care", ART_31_2, from_=s.status_from)


@rule(chapter=CHAPTER, decides=("vocational_training",), cites=(ART_24,))
def vocational_training(s: Situation, out: Out) -> None:
    # Art. 24 says "over sixteen (16) years of age"; the contract reads it as
    # aged 16 or more, so the 16th birthday itself qualifies. The recorded birth
    # date is used even before the age is finally ascertained; without one the
    # right is left undecided rather than guessed.
    if s.age is None:
        s.need("person.birth_date")
    elif s.age >= s.p.vocational_training_age:
        out.entitle("vocational_training", ART_24)
