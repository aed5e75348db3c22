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
from nrm.law.reader import show
from nrm.law.rules import CHAPTERS, Out, Rule
from nrm.law.rules.base import RuleFunction, rules_of
from nrm.law.situation import Situation
from nrm.law.versions import (
    _GENERATION,
    FIRST_DAY_IN_FORCE,
    LawVersion,
    generation,
    params_on,
    version_on,
)

_RULES_BY_VERSION: dict[LawVersion, tuple[Rule, ...]] = {}
_RUNS: dict[tuple[LawVersion, bool, bool, bool, bool], tuple[RuleFunction, ...]] = {}
_SEEN = [-1]


def _fresh() -> None:
    """Drop the caches when a version, rule or parameter changed since they were made."""
    if _SEEN[0] != generation():
        _RULES_BY_VERSION.clear()
        _RUNS.clear()
        _SEEN[0] = generation()


def rules_for(version: LawVersion) -> tuple[Rule, ...]:
    """The rules of `version` (with those it carries over), in the law's order."""
    _fresh()
    rules = _RULES_BY_VERSION.get(version)
    if rules is None:
        rules = _RULES_BY_VERSION[version] = rules_of(version, CHAPTERS)
    return rules


def _runs(version: LawVersion, s: Situation) -> tuple[RuleFunction, ...]:
    """The rule functions that apply to this kind of person, in the law's order.

    Most rules protect a victim and wait for recognition (20.5); child and
    foreigner rules wait for a child or a foreigner, residence rules for a
    person in Kosovo. The lists are made once per version and kind of person,
    so the hot path is one dict lookup.
    """
    key = (version, s.recognised, s.child, s.foreigner is True, not s.abroad)
    runs = _RUNS.get(key)
    if runs is None:
        _fresh()
        runs = tuple(r.run for r in rules_for(version) if r.applies(*key[1:]))
        _RUNS[key] = runs
    return runs


def assess(facts: Facts | dict[str, Any], on: dt.date) -> Assessment:
    """Assess `facts` on the date `on` under the law version in force that day.

    Raises LawError, naming the dotted fact, for facts that cannot be true,
    and for a date before the law entered into force.
    """
    if on.__class__ is not dt.date:
        if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
            raise LawError("on", f"must be a date, not {show(on)}")
        on = dt.date(on.year, on.month, on.day)
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

    if _SEEN[0] != _GENERATION[0]:
        _fresh()
    s = Situation(facts, on, version, params_on(on))
    out = Out()
    for run in _runs(version, s):
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
