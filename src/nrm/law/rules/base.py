"""A rule is one small function named after what it decides, citing its articles.

Rules write what they decide into an ``Out``; the engine runs, in the law's
order, every rule of the law version in force on the assessment date.

A rule belongs to the version that made it (``law``). An amendment brings only
the rules it changes: a rule registered for the amendment under the name of an
earlier rule replaces it from the amendment's first day in force, ``repeal``
removes one, and every other rule carries over (``rules_of``).
"""

from __future__ import annotations

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
from nrm.law.versions import LAW_04_L_218, Article, LawVersion, changed


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
    # The codes the rule may produce (for state_compensation: the decisions);
    # a test runs every rule and compares what it produces with this.
    decides: tuple[str, ...]
    cites: tuple[Article, ...]
    # Most rules protect a (presumed) victim and apply only once the person is one (20.5).
    victims_only: bool
    # Rules for children (Chapter V) or foreigners (Art. 25-28) are not even
    # called for others: the engine keeps one list of rules per kind of person.
    children_only: bool
    foreigners_only: bool
    # Rules about residence in Kosovo, which nothing abroad calls for (settled reading).
    in_kosovo_only: bool
    law: LawVersion
    run: RuleFunction

    def applies(self, recognised: bool, child: bool, foreigner: bool, in_kosovo: bool) -> bool:
        return (
            (recognised or not self.victims_only)
            and (child or not self.children_only)
            and (foreigner or not self.foreigners_only)
            and (in_kosovo or not self.in_kosovo_only)
        )


RULES: list[Rule] = []
# Names of earlier rules each amendment repeals.
REPEALS: dict[LawVersion, frozenset[str]] = {}


def rule(
    *,
    chapter: str,
    decides: tuple[str, ...],
    cites: tuple[Article, ...],
    victims_only: bool = True,
    children_only: bool = False,
    foreigners_only: bool = False,
    in_kosovo_only: bool = False,
    law: LawVersion = LAW_04_L_218,
    name: str | None = None,
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule of `law`; under an earlier rule's name it replaces that rule."""

    def register(run: RuleFunction) -> RuleFunction:
        RULES.append(
            Rule(
                name=name or run.__name__,
                chapter=chapter,
                decides=decides,
                cites=cites,
                victims_only=victims_only,
                children_only=children_only,
                foreigners_only=foreigners_only,
                in_kosovo_only=in_kosovo_only,
                law=law,
                run=run,
            )
        )
        changed()
        return run

    return register


def repeal(law: LawVersion, *names: str) -> None:
    """From `law`'s first day in force, the rules named no longer apply."""
    REPEALS[law] = REPEALS.get(law, frozenset()) | frozenset(names)
    changed()


def unregister(law: LawVersion) -> None:
    """Remove every rule and repeal of `law` (an amendment taken out again)."""
    RULES[:] = [r for r in RULES if r.law != law]
    REPEALS.pop(law, None)
    changed()


def rules_of(version: LawVersion, chapters: tuple[str, ...] = ()) -> tuple[Rule, ...]:
    """The rules in force under `version`: the original law's, as each amendment changed them.

    A replacing rule takes the place of the one it replaces; new rules follow
    the others of their chapter (`chapters` gives the law's order).
    """
    by_name: dict[str, Rule] = {}
    for step in version.lineage():
        for name in REPEALS.get(step, ()):
            by_name.pop(name, None)
        for candidate in RULES:
            if candidate.law == step:
                by_name[candidate.name] = candidate
    order = {chapter: index for index, chapter in enumerate(chapters)}
    return tuple(sorted(by_name.values(), key=lambda r: order.get(r.chapter, len(order))))
