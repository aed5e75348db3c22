"""Every code of the law contract (CONTRACT.md), and the facts' picklists.

The web pages and the engine share these sets; a code not listed here is
rejected when facts are read, and an assessment never returns one.
"""

from __future__ import annotations

from typing import Final

# --- Facts' picklists -------------------------------------------------------

SEXES: Final = frozenset({"female", "male", "other", "unknown"})
STAYS: Final = frozenset({"regular", "irregular"})
LOCATIONS: Final = frozenset({"kosovo", "abroad"})
# 3.1.8, with forced marriage (3.1.6) and illegal adoption (3.1.5).
EXPLOITATION_TYPES: Final = frozenset(
    {
        "sexual",
        "pornography",
        "begging",
        "forced_labour",
        "slavery",
        "servitude",
        "organ_removal",
        "forced_marriage",
        "illegal_adoption",
        "other",
    }
)
PROCEEDINGS_STATUSES: Final = frozenset(
    {"none", "investigation", "prosecution", "trial", "concluded"}
)
# Proceedings are under way while investigated, prosecuted or tried.
PROCEEDINGS_UNDER_WAY: Final = frozenset({"investigation", "prosecution", "trial"})
EXTENSION_BASES: Final = frozenset({"doctor", "proceedings", "victim_request"})
DEFENDANT_STATUSES: Final = frozenset(
    {"unknown", "identified", "prosecuted", "convicted", "unable_to_pay"}
)

KOSOVO: Final = "XK"
# ISO 3166-1 alpha-2, with XK for Kosovo as the contract asks.
COUNTRIES: Final = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ
    BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR
    CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU
    ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ
    LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF
    PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI
    SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR
    TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK
    """.split()
)

# --- Assessment vocabulary --------------------------------------------------

CHILD_BASES: Final = frozenset({"age", "presumption"})
VULNERABLE_GROUNDS: Final = ("child", "disability", "pregnant", "domestic_partner")
COMPENSATION_DECISIONS: Final = frozenset({"refused", "full", "additional", "none"})

ENTITLEMENTS: Final = frozenset(
    {
        "assistance",
        "reflection_period",
        "shelter_accommodation",
        "free_medical_care",
        "free_legal_aid",
        "interpretation",
        "victim_advocate",
        "vocational_training",
        "education_continuation",
        "temporary_residence_permit",
        "short_residence_permit",
        "living_support",
        "witness_protection",
        "long_term_care",
        "compensation",
        "free_travel_documents",
    }
)
# Each obligation with who owes it: the capacities on the case team to look for, in order
# (the first institution on the team in one of them owes the duty; with none, the one that
# registered the case, which met the victim first). A new obligation cannot be added
# without its owner. Capacities are the case team's: lead, identification, case_management,
# service_provider, proceedings, residence, consular, compensation.
OBLIGATION_OWNERS: Final[dict[str, tuple[str, ...]]] = {
    "inform_of_rights": ("case_management", "lead"),  # 20.2.1
    "refer_to_child_protection": ("lead",),  # 38.3
    "notify_guardianship_authority": ("lead",),  # 38.4
    "appoint_legal_guardian": ("case_management", "lead"),  # 38.5
    "search_for_family": ("case_management", "lead"),  # 38.11
    "accommodate_separately_from_adults": ("service_provider", "case_management"),  # 38.7
    "inform_residence_options": ("residence", "lead"),  # 25
    "offer_reflection_period": ("residence", "lead"),  # 26.1
    "inform_safe_return": ("residence", "lead"),  # 29.1.2
    "individual_risk_assessment": ("proceedings", "identification"),  # 15.1
    "continue_prosecution": ("proceedings",),  # 11.4
    "return_risk_assessment": ("case_management", "residence"),  # 29.2, 37.5
    "consular_assistance": ("consular", "lead"),  # 32.1.1
}
OBLIGATIONS: Final = frozenset(OBLIGATION_OWNERS)
PROHIBITIONS: Final = frozenset(
    {
        "deportation",
        "prosecution_for_status_offences",
        "conditioning_assistance_on_cooperation",
        "child_return",
        "refoulement",
        "disclose_child_identity",
        "repeat_child_interview",
    }
)
VIOLATIONS: Final = frozenset(
    {
        "reflection_period_too_short",
        "reflection_period_too_long",
        "deportation_during_reflection",
        "child_interviewed_more_than_once",
        "child_interview_premises",
        "accommodation_overstay",
    }
)
ALL_CODES: Final = ENTITLEMENTS | OBLIGATIONS | PROHIBITIONS | VIOLATIONS

# Plain words for each code, for people who read the assessment (nrm law explain).
LABELS: Final[dict[str, str]] = {
    "assistance": "Assistance and support",
    "reflection_period": "Reflection period",
    "shelter_accommodation": "Accommodation in a centre or shelter",
    "free_medical_care": "Free medical care",
    "free_legal_aid": "Free legal aid",
    "interpretation": "Interpretation and translation",
    "victim_advocate": "A victims' advocate from the first contact",
    "vocational_training": "Vocational training",
    "education_continuation": "To continue education in state schools",
    "temporary_residence_permit": "Temporary residence permit",
    "short_residence_permit": "Short residence permit while needed for proceedings",
    "living_support": "Living support",
    "witness_protection": "Access to witness protection",
    "long_term_care": "Long-term care until full recovery",
    "compensation": "Compensation",
    "free_travel_documents": "Free travel documents to come home",
    "inform_of_rights": "Inform the person of their rights",
    "refer_to_child_protection": "Refer the child to child protection services",
    "notify_guardianship_authority": "Notify the guardianship authority",
    "appoint_legal_guardian": "Appoint a legal guardian",
    "search_for_family": "Search urgently for the child's family",
    "accommodate_separately_from_adults": "Accommodate the child separately from adults",
    "inform_residence_options": "Inform the person of the residence options",
    "offer_reflection_period": "Offer a reflection period",
    "inform_safe_return": "Inform the person about safe return",
    "individual_risk_assessment": "Assess the person's individual risk",
    "continue_prosecution": "Continue the prosecution",
    "return_risk_assessment": "Assess the risk before any return",
    "consular_assistance": "Consular assistance abroad",
    "deportation": "Applying any deportation order",
    "prosecution_for_status_offences": "Prosecuting for offences that result from being trafficked",
    "conditioning_assistance_on_cooperation": "Making assistance depend on cooperation",
    "child_return": "Returning the child",
    "refoulement": "Returning the person against non-refoulement and the right to asylum",
    "disclose_child_identity": "Making the child's identity public",
    "repeat_child_interview": "Interviewing the child again",
    "reflection_period_too_short": "Reflection period shorter than 30 days",
    "reflection_period_too_long": "Reflection period longer than 90 days",
    "deportation_during_reflection": "Deportation during the reflection period",
    "child_interviewed_more_than_once": "Child interviewed more than once",
    "child_interview_premises": "Child interviewed in unsuitable premises",
    "accommodation_overstay": "Stay past its lawful end",
}

# Plain words for each fact the engine may name as missing (missing_facts), or
# as the cause of a violation, by its dotted name without list positions.
FACT_WORDS: Final[dict[str, str]] = {
    "person.birth_date": "the date of birth",
    "person.age_ascertained": "whether the age has been finally established",
    "person.believed_under_18": "whether there are reasons to believe the person is under 18",
    "person.sex": "the person's sex",
    "person.pregnant": "whether the person is pregnant",
    "person.disability": "whether the person has a disability or diminished capacity",
    "person.domestic_partner_of_offender": "whether the person is the offender's domestic partner",
    "person.citizenship": "the person's citizenship",
    "person.stay": "whether the foreigner's stay in Kosovo is regular or irregular",
    "person.parental_care": "whether the child is under parental care",
    "person.lacks_means": "whether the foreigner lacks sufficient means to live on",
    "person.asylum_requested": "whether the person asked, or may be expected to ask, for asylum",
    "case.reasonable_grounds_on": "the date an authority had reasonable grounds to believe "
    "the person is a victim",
    "case.identified_on": "the date of the official identification",
    "case.located": "where the victim is",
    "case.exploitation": "the forms of exploitation",
    "case.cooperating": "whether the person is willing to cooperate with the investigation",
    "case.reflection": "whether a reflection period was granted",
    "case.reflection.start": "the first day of the reflection period",
    "case.reflection.days": "the number of days of the reflection period",
    "case.deportation_ordered_on": "the date a deportation or removal order was applied",
    "case.risk_to_life": "whether life or health is in real danger",
    "case.organized_crime_involvement": "whether the claimant was involved in organised "
    "or violent crime",
    "case.presence_needed_for_proceedings": "whether the person's presence is needed for "
    "the proceedings",
    "case.wants_to_return": "whether the person wishes to return or resettle",
    "case.proceedings": "the criminal proceedings",
    "case.proceedings.status": "the status of the proceedings",
    "case.proceedings.concluded_on": "the date the proceedings were concluded",
    "case.proceedings.statement_withdrawn": "whether the victim withdrew the statement",
    "case.interviews": "the interviews of the victim",
    "case.interviews.on": "the date of an interview",
    "case.interviews.interviewer": "who held an interview",
    "case.interviews.child_appropriate_premises": "whether an interview was held in premises "
    "designed or adapted for a child",
    "case.interviews.exceptional": "whether an interview was for an exceptional and complex "
    "investigation",
    "case.accommodation": "the stay in a centre or shelter",
    "case.accommodation.admitted_on": "the date of admission to the centre or shelter",
    "case.accommodation.days": "the number of days of stay assessed",
    "case.accommodation.left_on": "the date the person left the centre or shelter",
    "case.accommodation.extensions": "the extensions of the stay",
    "case.accommodation.extensions.basis": "the basis of an extension of the stay",
    "case.accommodation.extensions.days": "the number of days of an extension of the stay",
    "case.return": "the planned return",
    "case.return.risk_assessed": "whether the risk of return was assessed",
    "case.return.risk_found": "whether the return risk assessment found a risk",
    "case.return.guardian_consent": "whether the guardian consents to the return",
    "case.return.receiving_authority_consent": "whether the receiving authority consents "
    "to the return",
    "case.compensation": "the claim for state compensation",
    "case.compensation.assessed_harm": "the harm assessed, in euro",
    "case.compensation.paid_by_defendant": "what the defendant paid, in euro",
    "case.compensation.other_compensation": "other compensation received, in euro",
    "case.compensation.defendant": "the defendant's status",
}


def fact_words(name: str) -> str:
    """A dotted fact in plain words; list positions ([0]) are dropped."""
    plain = name
    while "[" in plain:
        start = plain.index("[")
        end = plain.find("]", start)
        plain = plain[:start] + (plain[end + 1 :] if end >= 0 else "")
    return FACT_WORDS.get(plain, plain.rsplit(".", 1)[-1].replace("_", " "))
