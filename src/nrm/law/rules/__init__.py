"""The rules, by the law's chapters; importing this package registers them all.

Rules run, and their items are listed, in the order of CHAPTERS below.
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

# The law's order: items are listed chapter by chapter, as a reader expects.
CHAPTERS = (
    persons.CHAPTER,
    assistance.CHAPTER,
    residence.CHAPTER,
    accommodation.CHAPTER,
    proceedings.CHAPTER,
    returns.CHAPTER,
    compensation.CHAPTER,
)
RULES.sort(key=lambda r: CHAPTERS.index(r.chapter))

__all__ = ["CHAPTERS", "RULES", "Out", "Rule", "rule"]
