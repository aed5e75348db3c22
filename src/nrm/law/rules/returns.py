"""Returns and repatriation (Art. 29, 32, 37, 48.3)."""

from __future__ import annotations

from nrm.law import codes
from nrm.law.assessment import Entitlement, Obligation, Prohibition, Reason, reason_text
from nrm.law.rules.base import Out, rule
from nrm.law.situation import Situation
from nrm.law.versions import cite

ART_29_1_2 = cite("29.1.2")
ART_29_2 = cite("29.2")
ART_29_3 = cite("29.3")
ART_32_1_1 = cite("32.1.1")
ART_32_1_2 = cite("32.1.2")
ART_37_1 = cite("37.1")
ART_37_5 = cite("37.5")
ART_48_3 = cite("48.3")

CHAPTER = "returns"

RETURN_RISK_ASSESSMENT = (
    Obligation("return_risk_assessment", ART_29_2),
    Obligation("return_risk_assessment", ART_37_5),
)
CHILD_RETURN_WITHOUT_CONSENT = Prohibition("child_return", ART_37_1)
CHILD_RETURN_WITHOUT_SAFETY = Prohibition("child_return", ART_37_5)
CHILD_RETURN_AGAINST_BEST_INTEREST = Prohibition("child_return", ART_29_2)
REFOULEMENT = (Prohibition("refoulement", ART_29_3), Prohibition("refoulement", ART_48_3))
CONSULAR_ASSISTANCE = Obligation("consular_assistance", ART_32_1_1)
FREE_TRAVEL_DOCUMENTS = Entitlement("free_travel_documents", ART_32_1_2)


SAFE_RETURN_DUE = Reason(
    reason_text("due at the beginning of the reflection period (Art. 29.1.2)"),
    ART_29_1_2,
    "case.reflection.start",
)
SAFE_RETURN_PENDING = Reason(
    reason_text(
        "due at the beginning of a reflection period, and none has been granted yet (Art. 29.1.2)"
    ),
    ART_29_1_2,
    "case.reflection",
    open_end=True,
)
SAFE_RETURN_NO_START = Reason(
    reason_text(
        "due at the beginning of the reflection period, whose first day is not recorded "
        "(Art. 29.1.2)"
    ),
    ART_29_1_2,
    "case.reflection.start",
    open_end=True,
)


@rule(
    chapter=CHAPTER,
    decides=("inform_safe_return",),
    cites=(ART_29_1_2,),
    foreigners_only=True,
    in_kosovo_only=True,
)
def inform_safe_return(s: Situation, out: Out) -> None:
    # 29.1.2: information on safe return "at the beginning of the reflection
    # period"; with no period recorded the duty has no date yet.
    reflection = s.case.reflection
    if reflection is None:
        out.obligations.append(
            Obligation("inform_safe_return", ART_29_1_2, None, SAFE_RETURN_PENDING)
        )
    elif reflection.start is None:
        out.obligations.append(
            Obligation("inform_safe_return", ART_29_1_2, None, SAFE_RETURN_NO_START)
        )
    else:
        out.obligations.append(
            Obligation("inform_safe_return", ART_29_1_2, reflection.start, SAFE_RETURN_DUE)
        )


@rule(
    chapter=CHAPTER,
    decides=("return_risk_assessment",),
    cites=(ART_29_2, ART_37_5),
    children_only=True,
)
def return_risk_assessment(s: Situation, out: Out) -> None:
    # 29.2 and 37.5 both require a risk and safety assessment before a child
    # is returned; a child who wants to return, or whose return is planned
    # (a `return` is recorded), is owed it under both.
    wants = s.case.wants_to_return
    if wants or s.case.return_ is not None:
        out.obligations.extend(RETURN_RISK_ASSESSMENT)
    elif wants is None:
        s.need("case.wants_to_return")


@rule(
    chapter=CHAPTER,
    decides=("child_return",),
    cites=(ART_37_1, ART_37_5, ART_29_2),
    children_only=True,
)
def child_return(s: Situation, out: Out) -> None:
    # Each ground is returned on its own, so that lifting one (a consent) leaves
    # the other (a risk) standing.
    plan = s.case.return_
    consent = plan is not None and bool(plan.guardian_consent or plan.receiving_authority_consent)
    if not consent:
        # 37.1: only once a parent, relative or guardian, or the child
        # protection authority of the country of origin, has consented.
        out.prohibitions.append(CHILD_RETURN_WITHOUT_CONSENT)
    assessed = plan is not None and plan.risk_assessed is True
    found = plan is not None and plan.risk_found is True
    if assessed and plan is not None and plan.risk_found is None:
        s.need("case.return.risk_found")
    if not assessed or plan is None or plan.risk_found is not False:
        # 37.5: not while the assessment has not shown the child and family safe.
        out.prohibitions.append(CHILD_RETURN_WITHOUT_SAFETY)
    if found:
        # 29.2: the assessment found return not in the child's best interest.
        out.prohibitions.append(CHILD_RETURN_AGAINST_BEST_INTEREST)


@rule(chapter=CHAPTER, decides=("refoulement",), cites=(ART_29_3, ART_48_3))
def refoulement(s: Situation, out: Out) -> None:
    # 29.3 (non-refoulement in every return) and 48.3 (the rights of one who
    # asks or may be expected to ask for asylum are always guaranteed).
    asked = s.person.asylum_requested
    if asked:
        out.prohibitions.extend(REFOULEMENT)
    elif asked is None and s.foreigner:
        s.need("person.asylum_requested")


def _citizen_abroad(s: Situation) -> bool:
    # Settled reading: `located` absent means in Kosovo.
    return s.abroad and s.person.citizenship == codes.KOSOVO


@rule(chapter=CHAPTER, decides=("consular_assistance",), cites=(ART_32_1_1,))
def consular_assistance(s: Situation, out: Out) -> None:
    # 32.1.1: missions defend Kosovo citizens who became victims abroad.
    if _citizen_abroad(s):
        out.obligations.append(CONSULAR_ASSISTANCE)


@rule(chapter=CHAPTER, decides=("free_travel_documents",), cites=(ART_32_1_2,))
def free_travel_documents(s: Situation, out: Out) -> None:
    # 32.1.2: free documents for repatriation of a citizen who wants to come home.
    if not _citizen_abroad(s):
        return
    wants = s.case.wants_to_return
    if wants is None:
        s.need("case.wants_to_return")
    elif wants:
        out.entitlements.append(FREE_TRAVEL_DOCUMENTS)
