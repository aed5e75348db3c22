"""The rules, by the law's chapters; importing this package registers them all.

The import order below is the order in which rules run and items are listed.
"""

from __future__ import annotations

from nrm.law.rules import (  # noqa: F401  (imported to register their rules)
    accommodation,
    assistance,
    compensation,
    persons,
    proceedings,
    residence,
    returns,
)
from nrm.law.rules.base import RULES, Out, Rule, rule

__all__ = ["RULES", "Out", "Rule", "rule"]
