"""NRM's law engine: Law No. 04/L-218 as code, every result citing its article.

    from nrm.law import assess, Facts, Assessment, LawError
    assessment = assess({"person": {...}, "case": {...}}, on=date(2026, 5, 10))
    assessment.to_dict()   # the contract's vocabulary

Pure Python: no Django, no clock, no I/O inside the rules.
"""

from __future__ import annotations

from nrm.law import codes, text
from nrm.law.assessment import (
    Assessment,
    CompensationDecision,
    Entitlement,
    Obligation,
    Prohibition,
    Violation,
)
from nrm.law.engine import assess
from nrm.law.errors import LawError
from nrm.law.facts import Facts

__all__ = [
    "Assessment",
    "CompensationDecision",
    "Entitlement",
    "Facts",
    "LawError",
    "Obligation",
    "Prohibition",
    "Violation",
    "assess",
    "codes",
    "text",
]
