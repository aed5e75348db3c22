"""Compensation (Chapter VI: Art. 39, 42, 43, 44)."""

from __future__ import annotations

from nrm.law.assessment import CompensationDecision, Entitlement
from nrm.law.rules.base import Out, rule
from nrm.law.situation import Situation
from nrm.law.versions import cite

ART_39_1 = cite("39.1")
ART_42_2 = cite("42.2")
ART_42_4_1 = cite("42.4.1")
ART_42_4_2 = cite("42.4.2")
ART_42_4_3 = cite("42.4.3")
ART_43_1 = cite("43.1")
ART_44_2 = cite("44.2")

CHAPTER = "compensation"

COMPENSATION = Entitlement("compensation", ART_39_1)
CHILD_COMPENSATION = Entitlement("compensation", ART_43_1)


@rule(chapter=CHAPTER, decides=("compensation",), cites=(ART_39_1, ART_43_1))
def compensation_entitlement(s: Situation, out: Out) -> None:
    # 39.1 names child victims too; 43.1 says it again for children, so a
    # child is entitled under both. 42.5: immigration status or return never
    # prevents it, so neither is read here.
    out.entitlements.append(COMPENSATION)
    if s.child:
        out.entitlements.append(CHILD_COMPENSATION)


@rule(
    chapter=CHAPTER,
    decides=("refused", "full", "additional", "none"),
    cites=(ART_42_2, ART_42_4_1, ART_42_4_2, ART_42_4_3, ART_44_2),
    victims_only=False,
)
def state_compensation(s: Situation, out: Out) -> None:
    """The contract's reading of 42.4 and 44, in whole cents."""
    claim = s.case.compensation
    if claim is None:
        return
    if s.case.organized_crime_involvement:
        # 44.2: refused on a finding of involvement in organised or violent crime.
        out.compensation = CompensationDecision("refused", 0, ART_44_2)
        return
    harm = claim.assessed_harm_cents
    if harm is None:
        s.need("case.compensation.assessed_harm")
        return
    # 44.3: other compensation is deducted to avoid paying twice; never below 0.
    due = max(harm - (claim.other_compensation_cents or 0), 0)
    paid = claim.paid_by_defendant_cents or 0
    if paid >= due:
        # 42.2: the State contributes only when other sources fall short.
        out.compensation = CompensationDecision("none", 0, ART_42_2)
    elif paid > 0:
        out.compensation = CompensationDecision("additional", due - paid, ART_42_4_1)
    elif claim.defendant in ("convicted", "unable_to_pay"):
        out.compensation = CompensationDecision("full", due, ART_42_4_2)
    else:
        # 42.4.3: not identified, prosecuted or convicted; an unrecorded
        # defendant status gives the same amount, and is reported missing.
        if claim.defendant is None:
            s.need("case.compensation.defendant")
        out.compensation = CompensationDecision("full", due, ART_42_4_3)
