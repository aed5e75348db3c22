"""assess(facts, on) -> Assessment: the law applied to one person's facts on one date.

A pure function: no clock, no I/O, no database. Everything that depends on
time depends on `on`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nrm.law.assessment import Assessment
from nrm.law.errors import LawError
from nrm.law.facts import Facts
from nrm.law.rules import RULES, Out, Rule
from nrm.law.rules.base import RuleFunction
from nrm.law.situation import Situation
from nrm.law.versions import FIRST_DAY_IN_FORCE, LawVersion, params_on, version_on

_RULES_BY_VERSION: dict[LawVersion, tuple[Rule, ...]] = {}


def rules_for(version: LawVersion, on: dt.date) -> tuple[Rule, ...]:
    """The rules of `version` in force on `on`, in the law's order."""
    rules = _RULES_BY_VERSION.get(version)
    if rules is None:
        rules = tuple(r for r in RULES if r.law == version)
        _RULES_BY_VERSION[version] = rules
    # Rules carry their own dates so that a paragraph amended mid-version can
    # be replaced; while none is, every rule of the version is in force.
    return tuple(r for r in rules if r.in_force(on)) if _DATED_RULES else rules


_RUNS: dict[tuple[LawVersion, bool, bool, bool], tuple[RuleFunction, ...]] = {}


def _runs(version: LawVersion, on: dt.date, s: Situation) -> tuple[RuleFunction, ...]:
    """The rule functions that apply to this kind of person, in the law's order.

    Most rules protect a victim and wait for recognition (20.5); child and
    foreigner rules wait for a child or a foreigner. The lists are made once
    per version and kind of person, so the hot path is one dict lookup.
    """
    kind = (s.recognised, s.child, s.foreigner is True)
    if _DATED_RULES:
        return tuple(r.run for r in rules_for(version, on) if r.applies(*kind))
    key = (version, *kind)
    runs = _RUNS.get(key)
    if runs is None:
        runs = tuple(r.run for r in rules_for(version, on) if r.applies(*kind))
        _RUNS[key] = runs
    return runs


_DATED_RULES = any(
    r.effective_from != r.law.in_force or r.effective_until != r.law.until for r in RULES
)


def assess(facts: Facts | dict[str, Any], on: dt.date) -> Assessment:
    """Assess `facts` on the date `on` under the law version in force that day.

    Raises LawError, naming the dotted fact, for facts that cannot be true,
    and for a date before the law entered into force.
    """
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise LawError("on", f"must be a date, not {on!r}")
    version = version_on(on)
    if version is None:
        raise LawError(
            "on",
            f"{on.isoformat()} is before {FIRST_DAY_IN_FORCE.isoformat()}, when Law "
            "No. 04/L-218 entered into force (Art. 50)",
        )
    if not isinstance(facts, Facts):
        facts = Facts.from_dict(facts)
    facts.check_on(on)

    s = Situation(facts, on, version, params_on(version, on))
    out = Out()
    for run in _runs(version, on, s):
        run(s, out)
    return Assessment(
        on=on,
        law=version,
        child=s.child,
        child_basis=s.child_basis,
        vulnerable=bool(s.vulnerable_grounds),
        vulnerable_grounds=s.vulnerable_grounds,
        entitlements=tuple(out.entitlements),
        obligations=tuple(out.obligations),
        prohibitions=tuple(out.prohibitions),
        violations=tuple(out.violations),
        compensation=out.compensation,
        missing_facts=tuple(s.missing),
    )
