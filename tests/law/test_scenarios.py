"""The scenario files pass, and together they produce every code of the contract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nrm.law import check, codes

SCENARIOS = Path(__file__).parents[2] / "src" / "nrm" / "law" / "scenarios"
EXAMPLES = Path(__file__).parents[2].parent / "shared" / "law" / "examples.yaml"

PROJECT = [s for path in check.scenario_files([SCENARIOS]) for s in check.load(path)]
SHARED = check.load(EXAMPLES) if EXAMPLES.exists() else []


@pytest.mark.parametrize("scenario", PROJECT, ids=lambda s: s.name)
def test_every_project_scenario_passes(scenario: check.Scenario) -> None:
    outcome = check.run_scenario(scenario)
    assert outcome.passed, outcome.difference


@pytest.mark.parametrize("scenario", SHARED, ids=lambda s: s.name)
def test_every_contract_example_passes(scenario: check.Scenario) -> None:
    outcome = check.run_scenario(scenario)
    assert outcome.passed, outcome.difference


def test_the_contract_examples_are_found(examples: Path) -> None:
    assert len(check.load(examples)) >= 8


def test_every_contract_code_is_produced_by_some_scenario() -> None:
    produced: set[str] = set()
    for outcome in check.run([SCENARIOS]):
        produced |= outcome.produced
    assert codes.ALL_CODES - produced == set()
    decisions = {f"compensation:{d}" for d in codes.COMPENSATION_DECISIONS}
    assert decisions - produced == set()


def _named(expect: dict[str, Any]) -> set[str]:
    named: set[str] = set()
    for key in check.ITEM_LISTS:
        named |= {item["code"] for item in expect.get(key, [])}
    return named


def test_every_contract_code_is_named_in_some_scenario_a_lawyer_reads() -> None:
    named: set[str] = set()
    for scenario in PROJECT:
        named |= _named(scenario.data.get("expect") or {})
    assert codes.ALL_CODES - named == set()


def test_each_scenario_file_has_a_passing_and_a_contrasting_case() -> None:
    for path in check.scenario_files([SCENARIOS]):
        scenarios = check.load(path)
        assert len(scenarios) >= 2, path.name
