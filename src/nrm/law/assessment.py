"""What the engine returns: an Assessment in the contract's vocabulary.

``Assessment.to_dict()`` is the contract's JSON shape: dates as ISO strings,
amounts as JSON numbers in euro rounded to the cent (floats), None as null.

Items and the assessment are named tuples: immutable like frozen dataclasses, but several times
cheaper to make, which matters when every case in the country is
re-assessed every night.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from nrm.law.versions import Article, LawVersion


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


class Entitlement(NamedTuple):
    """A right the person has (contract: entitlements)."""

    code: str
    article: Article
    from_: dt.date | None = None
    until: dt.date | None = None
    min_days: int | None = None
    max_days: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "article": self.article,
            "from": _iso(self.from_),
            "until": _iso(self.until),
            "min_days": self.min_days,
            "max_days": self.max_days,
        }


class Obligation(NamedTuple):
    """What an authority must do; due None means at once, with no date."""

    code: str
    article: Article
    due: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "article": self.article, "due": _iso(self.due)}


class Prohibition(NamedTuple):
    """What no authority may do; until None means open-ended."""

    code: str
    article: Article
    until: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "article": self.article, "until": _iso(self.until)}


class Violation(NamedTuple):
    """What the facts show was already done against the law."""

    code: str
    article: Article

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "article": self.article}


class CompensationDecision(NamedTuple):
    """State compensation (42.4, 44); the amount in euro cents."""

    decision: str
    amount_cents: int
    article: Article

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "amount": self.amount_cents / 100,
            "article": self.article,
        }


class Assessment(NamedTuple):
    on: dt.date
    law: LawVersion
    child: bool
    child_basis: str | None
    vulnerable: bool
    vulnerable_grounds: tuple[str, ...]
    entitlements: tuple[Entitlement, ...]
    obligations: tuple[Obligation, ...]
    prohibitions: tuple[Prohibition, ...]
    violations: tuple[Violation, ...]
    compensation: CompensationDecision | None
    missing_facts: tuple[str, ...]

    def codes(self) -> set[str]:
        """Every code in the four lists."""
        found: set[str] = set()
        for items in (self.entitlements, self.obligations, self.prohibitions, self.violations):
            found.update(item.code for item in items)
        return found

    def to_dict(self) -> dict[str, Any]:
        """The assessment in exactly the contract's vocabulary."""
        return {
            "child": self.child,
            "child_basis": self.child_basis,
            "vulnerable": self.vulnerable,
            "vulnerable_grounds": list(self.vulnerable_grounds),
            "entitlements": [item.to_dict() for item in self.entitlements],
            "obligations": [item.to_dict() for item in self.obligations],
            "prohibitions": [item.to_dict() for item in self.prohibitions],
            "violations": [item.to_dict() for item in self.violations],
            "compensation": None if self.compensation is None else self.compensation.to_dict(),
            "missing_facts": list(self.missing_facts),
        }
