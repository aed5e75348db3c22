"""Persons and children: the child duties of Chapter V (Art. 35, 38).

Who is a child (3.1.2, Art. 36) and who is vulnerable (3.1.3) is decided
once in ``nrm.law.situation``; these rules say what follows for a child and
are called only for a child (children_only).
"""

from __future__ import annotations

from nrm.law.assessment import Entitlement, Obligation, Prohibition
from nrm.law.rules.base import Out, rule
from nrm.law.situation import Situation
from nrm.law.versions import cite

ART_35_1_5 = cite("35.1.5")
ART_38_3 = cite("38.3")
ART_38_4 = cite("38.4")
ART_38_5 = cite("38.5")
ART_38_10 = cite("38.10")
ART_38_11 = cite("38.11")
ART_38_12 = cite("38.12")

CHAPTER = "persons and children"

# 38.3: a child presumed a victim is sent at once to child protection services.
REFER_TO_CHILD_PROTECTION = Obligation("refer_to_child_protection", ART_38_3)
# 38.4: whoever knows of a child victim notifies the guardianship authority at once.
NOTIFY_GUARDIANSHIP_AUTHORITY = Obligation("notify_guardianship_authority", ART_38_4)
APPOINT_LEGAL_GUARDIAN = Obligation("appoint_legal_guardian", ART_38_5)
SEARCH_FOR_FAMILY = Obligation("search_for_family", ART_38_11)
EDUCATION_CONTINUATION = Entitlement("education_continuation", ART_38_10)
# 38.12: until full recovery, so no end date.
LONG_TERM_CARE = Entitlement("long_term_care", ART_38_12)
# 35.1.5: "not to be made public under any circumstances", so open-ended.
DISCLOSE_CHILD_IDENTITY = Prohibition("disclose_child_identity", ART_35_1_5)


@rule(
    chapter=CHAPTER,
    decides=("refer_to_child_protection",),
    cites=(ART_38_3,),
    children_only=True,
)
def refer_to_child_protection(s: Situation, out: Out) -> None:
    out.obligations.append(REFER_TO_CHILD_PROTECTION)


@rule(
    chapter=CHAPTER,
    decides=("notify_guardianship_authority",),
    cites=(ART_38_4,),
    children_only=True,
)
def notify_guardianship_authority(s: Situation, out: Out) -> None:
    out.obligations.append(NOTIFY_GUARDIANSHIP_AUTHORITY)


@rule(
    chapter=CHAPTER,
    decides=("appoint_legal_guardian", "search_for_family"),
    cites=(ART_38_5, ART_38_11),
    children_only=True,
)
def child_without_parental_care(s: Situation, out: Out) -> None:
    # 38.5 a legal guardian and 38.11 an urgent search for the family, for a
    # child deprived of parental care.
    care = s.person.parental_care
    if care is None:
        s.need("person.parental_care")
    elif not care:
        out.obligations.append(APPOINT_LEGAL_GUARDIAN)
        out.obligations.append(SEARCH_FOR_FAMILY)


@rule(
    chapter=CHAPTER,
    decides=("education_continuation",),
    cites=(ART_38_10,),
    children_only=True,
)
def education_continuation(s: Situation, out: Out) -> None:
    out.entitlements.append(EDUCATION_CONTINUATION)


@rule(chapter=CHAPTER, decides=("long_term_care",), cites=(ART_38_12,), children_only=True)
def long_term_care(s: Situation, out: Out) -> None:
    out.entitlements.append(LONG_TERM_CARE)


@rule(
    chapter=CHAPTER,
    decides=("disclose_child_identity",),
    cites=(ART_35_1_5,),
    children_only=True,
)
def disclose_child_identity(s: Situation, out: Out) -> None:
    out.prohibitions.append(DISCLOSE_CHILD_IDENTITY)
