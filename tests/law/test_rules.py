"""Each rule produces exactly the codes it declares, cites what it returns, and gives
its reasons in words that are listed for translation and name provisions of the law."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from nrm.law import check, engine, text
from nrm.law.assessment import Reason, reason_texts
from nrm.law.facts import Facts
from nrm.law.rules import RULES, Out, Rule
from nrm.law.situation import Situation
from nrm.law.versions import cited, params_on, version_on
from tests.law.test_properties import cases

SCENARIOS = Path(__file__).parents[2] / "src" / "nrm" / "law" / "scenarios"
EXAMPLES = Path(__file__).parents[2].parent / "shared" / "law" / "examples.yaml"


def _situations() -> Iterator[tuple[str, Situation]]:
    """The situation of every scenario that expects an assessment."""
    paths = [SCENARIOS, *([EXAMPLES] if EXAMPLES.exists() else [])]
    for path in check.scenario_files(paths):
        for scenario in check.load(path):
            if "error" in scenario.data:
                continue
            yield scenario.name, _situation(scenario.data["facts"] or {}, scenario.data["as_of"])


def _situation(facts: Any, on: dt.date) -> Situation:
    read = Facts.from_dict(facts)
    version = version_on(on)
    assert version is not None
    return Situation(read, on, version, params_on(on))


def _run(r: Rule, s: Situation) -> Out:
    out = Out()
    if r.applies(s.recognised, s.child, s.foreigner is True, not s.abroad):
        r.run(s, out)
    return out


def _produced(out: Out) -> set[str]:
    codes = {
        i.code for i in (*out.entitlements, *out.obligations, *out.prohibitions, *out.violations)
    }
    if out.compensation is not None:
        codes.add(out.compensation.decision)
    return codes


def _reasons(out: Out) -> list[tuple[Reason, dict[str, dt.date | None]]]:
    items = [*out.entitlements, *out.obligations, *out.prohibitions, *out.violations]
    found = [(i.reason, i.dates()) for i in items if i.reason is not None]
    if out.compensation is not None and out.compensation.reason is not None:
        found.append((out.compensation.reason, {}))
    return found


SITUATIONS = list(_situations())


def test_every_rule_produces_only_the_codes_it_declares_and_each_of_them_somewhere() -> None:
    produced: dict[str, set[str]] = {r.name: set() for r in RULES}
    for name, s in SITUATIONS:
        for r in RULES:
            codes = _produced(_run(r, s))
            extra = codes - set(r.decides)
            assert not extra, f"{r.name} produced {extra}, not declared, in {name!r}"
            produced[r.name] |= codes
    never = {r.name: set(r.decides) - produced[r.name] for r in RULES}
    assert {name: codes for name, codes in never.items() if codes} == {}


@settings(max_examples=200, deadline=None)
@given(cases())
def test_on_generated_facts_no_rule_produces_a_code_it_does_not_declare(
    generated: tuple[dict[str, Any], dt.date],
) -> None:
    facts, on = generated
    s = _situation(facts, on)
    for r in RULES:
        out = _run(r, s)
        assert _produced(out) <= set(r.decides), r.name
        articles = {
            i.article
            for i in (*out.entitlements, *out.obligations, *out.prohibitions, *out.violations)
        }
        if out.compensation is not None:
            articles.add(out.compensation.article)
        assert articles <= set(r.cites), (r.name, articles - set(r.cites))


def test_every_rule_cites_the_articles_it_returns() -> None:
    for name, s in SITUATIONS:
        for r in RULES:
            out = _run(r, s)
            items = [*out.entitlements, *out.obligations, *out.prohibitions, *out.violations]
            articles = {i.article for i in items}
            if out.compensation is not None:
                articles.add(out.compensation.article)
            assert articles <= set(r.cites), (r.name, name, articles - set(r.cites))


def test_every_reason_is_declared_for_translation_and_names_a_provision_of_the_law() -> None:
    declared = set(reason_texts())
    seen: set[str] = set()
    for name, s in SITUATIONS:
        for r in RULES:
            for reason, dates in _reasons(_run(r, s)):
                assert reason.text in declared, (r.name, name, reason.text)
                seen.add(reason.text)
                seen.update(v for _, v in reason.values if isinstance(v, str))
                if reason.set_by is not None:
                    assert reason.set_by in cited() and text.exists(reason.set_by), reason
                assert "…" not in reason.words(dates), (name, reason)  # every placeholder filled
    # Every reason a rule can give is shown by some scenario.
    assert declared <= seen, sorted(declared - seen)


def test_every_dated_item_says_which_provision_set_its_date() -> None:
    for name, s in SITUATIONS:
        for r in RULES:
            out = _run(r, s)
            dated = [
                *[e for e in out.entitlements if e.from_ or e.until],
                *[o for o in out.obligations if o.due],
                *[p for p in out.prohibitions if p.until],
            ]
            for item in dated:
                assert item.reason is not None and item.reason.set_by, (name, item)
            for violation in out.violations:
                assert violation.reason is not None and violation.reason.fact, (name, violation)


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.name)
def test_the_engine_runs_each_rule_of_the_version_in_force(r: Rule) -> None:
    assert r in engine.rules_for(r.law)
