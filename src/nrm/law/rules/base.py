"""A rule is one small function named after what it decides, citing its articles.

Rules write what they decide into an ``Out``; the engine runs, in the law's
order, every rule of the law version in force on the assessment date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from nrm.law.assessment import (
    CompensationDecision,
    Entitlement,
    Obligation,
    Prohibition,
    Violation,
)
from nrm.law.situation import Situation
from nrm.law.versions import LAW_04_L_218, Article, LawVersion


class Out:
    """What the rules have decided so far for one assessment.

    Rules append items (mostly module constants, items being immutable)
    straight to these lists: the engine's hot path has no helper calls.
    """

    __slots__ = ("entitlements", "obligations", "prohibitions", "violations", "compensation")

    def __init__(self) -> None:
        self.entitlements: list[Entitlement] = []
        self.obligations: list[Obligation] = []
        self.prohibitions: list[Prohibition] = []
        self.violations: list[Violation] = []
        self.compensation: CompensationDecision | None = None


RuleFunction = Callable[[Situation, Out], None]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    chapter: str
    decides: tuple[str, ...]
    cites: tuple[Article, ...]
    # Most rules protect a (presumed) victim and apply only once the person is one (20.5).
    victims_only: bool
    # Rules for children (Chapter V) or foreigners (Art. 25-28) are not even
    # called for others: the engine keeps one list of rules per kind of person.
    children_only: bool
    foreigners_only: bool
    law: LawVersion
    effective_from: dt.date
    effective_until: dt.date | None
    run: RuleFunction

    def applies(self, recognised: bool, child: bool, foreigner: bool) -> bool:
        return (
            (recognised or not self.victims_only)
            and (child or not self.children_only)
            and (foreigner or not self.foreigners_only)
        )

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (
            self.effective_until is None or on <= self.effective_until
        )


RULES: list[Rule] = []


def rule(
    *,
    chapter: str,
    decides: tuple[str, ...],
    cites: tuple[Article, ...],
    victims_only: bool = True,
    children_only: bool = False,
    foreigners_only: bool = False,
    law: LawVersion = LAW_04_L_218,
    effective_from: dt.date | None = None,
    effective_until: dt.date | None = None,
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule of `law`, in force from its version's first day unless dated."""

    def register(run: RuleFunction) -> RuleFunction:
        RULES.append(
            Rule(
                name=run.__name__,
                chapter=chapter,
                decides=decides,
                cites=cites,
                victims_only=victims_only,
                children_only=children_only,
                foreigners_only=foreigners_only,
                law=law,
                effective_from=effective_from or law.in_force,
                effective_until=effective_until if effective_until is not None else law.until,
                run=run,
            )
        )
        return run

    return register
