"""The indicator combination rule: observed indicators in, an advice per element out.

Pure Python, no Django: the rule's numbers are data on each indicator list (Art. 12.2:
the Government adopts the list, so it may set its own rule), and this module only applies
them. The shipped parameters are the ILO/EC 2009 rule; see data/ilo-eu-2009.yaml.

A unit (a dimension, or a whole element when the list pools its dimensions) is positive
when the observed indicators meet any one of the list's combinations, each read as "at
least this many of each strength" (ILO/EC 2009: two strong; one strong and one medium or
weak; three medium; two medium and one weak).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

STRENGTHS = ("strong", "medium", "weak")
AUDIENCES = ("adult", "child")
EXPLOITATIONS = ("labour", "sexual")
ASSESS_MODES = ("dimension", "element")


@dataclass(frozen=True)
class Element:
    code: str
    dimensions: tuple[str, ...]
    # For a child, no means are needed (Art. 3.1.1 read with 3.1.2; Palermo Protocol 3(c)).
    required_for: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    combinations: tuple[Mapping[str, int], ...]
    elements: tuple[Element, ...]
    assess: str = "dimension"

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Rule:
        return cls(
            combinations=tuple(dict(c) for c in data["combinations"]),
            elements=tuple(
                Element(e["code"], tuple(e["dimensions"]), tuple(e["required_for"]))
                for e in data["elements"]
            ),
            assess=data.get("assess", "dimension"),
        )


@dataclass(frozen=True)
class Observed:
    code: str
    dimension: str
    strength: str


@dataclass
class ElementResult:
    positive: bool
    required: bool
    counts: dict[str, int]
    positive_dimensions: list[str] = field(default_factory=list)


def meets(rule: Rule, counts: Mapping[str, int]) -> bool:
    return any(
        all(counts.get(strength, 0) >= n for strength, n in combination.items())
        for combination in rule.combinations
    )


def _counts(observed: Iterable[Observed]) -> dict[str, int]:
    tally = Counter(o.strength for o in observed)
    return {s: tally.get(s, 0) for s in STRENGTHS}


def assess(rule: Rule, observed: Iterable[Observed], audience: str) -> dict[str, ElementResult]:
    """Each element of the list's rule, positive or not, with the counts behind it."""
    observed = list(observed)
    results: dict[str, ElementResult] = {}
    for element in rule.elements:
        mine = [o for o in observed if o.dimension in element.dimensions]
        positive_dimensions = [
            d for d in element.dimensions
            if meets(rule, _counts(o for o in mine if o.dimension == d))
        ]
        counts = _counts(mine)
        positive = meets(rule, counts) if rule.assess == "element" else bool(positive_dimensions)
        results[element.code] = ElementResult(
            positive=positive,
            required=audience in element.required_for,
            counts=counts,
            positive_dimensions=positive_dimensions,
        )
    return results


def meets_threshold(results: Mapping[str, ElementResult]) -> bool:
    """Every element required for this audience is positive: the advice, never the decision."""
    return all(r.positive for r in results.values() if r.required)
