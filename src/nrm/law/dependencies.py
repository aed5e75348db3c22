"""Which of the law's codes a case fact can decide.

An app whose records are the source of a case fact may keep those records from some
readers (a proceeding, an interview, a claim) while those readers see the case's legal
state. An item the legal state owes to such a fact would tell them the record exists, and
what it says, so they are shown none of the items a rule reading that fact decides:
whether or not the rule decided one this time, since the absence would tell as much.

What a rule reads is found in its source, and in the source of every function of the law
package it calls, so a new rule needs no list kept here. Situation's attributes worked
out from a fact count as reading it (DERIVED).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any

from nrm.law.rules import base
from nrm.law.versions import _GENERATION

# Attributes Situation works out once from a case fact, which rules read instead of it.
DERIVED: dict[str, tuple[str, ...]] = {
    "proceedings": ("proceedings_status", "under_way"),
}


def _sources(function: Callable[..., Any], seen: set[Callable[..., Any]]) -> list[str]:
    """The source of `function` and of every law function it calls, each once."""
    if function in seen:
        return []
    seen.add(function)
    try:
        found = [inspect.getsource(function)]
    except (OSError, TypeError):
        return []
    code = getattr(function, "__code__", None)
    names = getattr(code, "co_names", ())
    scope = getattr(function, "__globals__", {})
    for name in names:
        called = scope.get(name)
        if inspect.isfunction(called) and called.__module__.startswith("nrm.law"):
            found += _sources(called, seen)
    return found


@cache
def _codes_reading(fact: str, generation: int) -> frozenset[str]:
    tokens = (f"case.{fact}", *DERIVED.get(fact, ()))
    codes: set[str] = set()
    for rule in base.RULES:
        source = "\n".join(_sources(rule.run, set()))
        if any(token in source for token in tokens):
            codes.update(rule.decides)
    return frozenset(codes)


def codes_reading(fact: str) -> frozenset[str]:
    """Every code (of an entitlement, obligation, prohibition or violation, or a
    compensation decision) that a rule reading the case fact `fact` may decide."""
    return _codes_reading(fact, _GENERATION[0])
