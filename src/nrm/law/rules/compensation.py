"""Compensation (Chapter VI: Art. 39, 42, 43, 44)."""

from __future__ import annotations

from nrm.law.assessment import (
    Arithmetic,
    CompensationDecision,
    Entitlement,
    Euro,
    Reason,
    reason_text,
)
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

REFUSED = Reason(
    reason_text(
        "refused: the claimant was found involved in organised or violent crime (Art. 44.2)"
    ),
    ART_44_2,
    "case.organized_crime_involvement",
)
# The arithmetic: harm - other compensation (44.3) - paid by the defendant.
_SUM = (
    "assessed harm %(harm)s − other compensation %(other)s (Art. 44.3) − paid by the "
    "defendant %(paid)s"
)
NOTHING_MORE = reason_text(
    _SUM + " leaves nothing to pay: what the defendant paid covers what is due (Art. 42.2)"
)
ADDITIONAL = reason_text(
    _SUM + " = %(amount)s, additional compensation as the defendant paid only part (Art. 42.4.1)"
)
FULL_UNABLE = reason_text(
    _SUM + " = %(amount)s, full compensation as the defendant, %(defendant)s, paid nothing "
    "(Art. 42.4.2)"
)
FULL_UNKNOWN = reason_text(
    _SUM + " = %(amount)s, full compensation as the defendant is not identified, prosecuted "
    "or convicted (Art. 42.4.3)"
)
FULL_UNRECORDED = reason_text(
    _SUM + " = %(amount)s, full compensation as nothing was paid and no conviction is "
    "recorded (Art. 42.4.3)"
)
_DEFENDANT_WORDS = {
    "convicted": reason_text("convicted"),
    "unable_to_pay": reason_text("unable to pay"),
}


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
        out.compensation = CompensationDecision("refused", 0, ART_44_2, REFUSED)
        return
    harm = claim.assessed_harm_cents
    if harm is None:
        s.need("case.compensation.assessed_harm")
        return
    # 44.3: other compensation is deducted to avoid paying twice; never below 0.
    other = claim.other_compensation_cents or 0
    paid = claim.paid_by_defendant_cents or 0
    sums = Arithmetic(harm, other, paid)
    due = sums.due_cents
    values: tuple[tuple[str, Euro | str], ...] = (
        ("harm", Euro(harm)),
        ("other", Euro(other)),
        ("paid", Euro(paid)),
    )
    fact = "case.compensation"
    if paid >= due:
        # 42.2: the State contributes only when other sources fall short.
        reason = Reason(NOTHING_MORE, ART_42_2, fact, (*values, ("amount", Euro(0))))
        out.compensation = CompensationDecision("none", 0, ART_42_2, reason, sums)
    elif paid > 0:
        amount = due - paid
        reason = Reason(ADDITIONAL, ART_42_4_1, fact, (*values, ("amount", Euro(amount))))
        out.compensation = CompensationDecision("additional", amount, ART_42_4_1, reason, sums)
    elif claim.defendant in ("convicted", "unable_to_pay"):
        words = _DEFENDANT_WORDS[claim.defendant]
        reason = Reason(
            FULL_UNABLE, ART_42_4_2, fact, (*values, ("amount", Euro(due)), ("defendant", words))
        )
        out.compensation = CompensationDecision("full", due, ART_42_4_2, reason, sums)
    else:
        # 42.4.3: not identified, prosecuted or convicted; an unrecorded
        # defendant status gives the same amount, and is reported missing.
        if claim.defendant is None:
            s.need("case.compensation.defendant")
            text = FULL_UNRECORDED
        else:
            text = FULL_UNKNOWN
        reason = Reason(text, ART_42_4_3, fact, (*values, ("amount", Euro(due))))
        out.compensation = CompensationDecision("full", due, ART_42_4_3, reason, sums)
