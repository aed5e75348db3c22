"""What a case fact can decide is found from the rules' source (nrm.law.dependencies); over
every scenario, removing the fact changes nothing outside what the scan found."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from nrm.law import LawError, assess, check
from nrm.law.dependencies import codes_reading

SCENARIOS = Path(__file__).parents[2] / "src" / "nrm" / "law" / "scenarios"
GUARDED = ("proceedings", "interviews", "compensation")
PROJECT = [s for path in check.scenario_files([SCENARIOS]) for s in check.load(path)
           if any(fact in (s.data.get("facts") or {}).get("case", {}) for fact in GUARDED)]


def _differing(a: dict, b: dict) -> set[str]:
    """The codes of the items in one assessment and not, as they are, in the other."""
    def items(found):
        return {(name, item["code"], repr(sorted(item.items()))) for name in check.ITEM_LISTS
                for item in found.get(name) or []}
    codes = {code for _name, code, _item in items(a) ^ items(b)}
    if a.get("compensation") != b.get("compensation"):
        codes |= {d["decision"] for d in (a.get("compensation"), b.get("compensation")) if d}
    return codes


def test_the_scan_finds_the_rules_that_read_each_guarded_fact() -> None:
    assert "individual_risk_assessment" in codes_reading("proceedings")
    assert "repeat_child_interview" in codes_reading("interviews")
    assert {"full", "additional"} <= codes_reading("compensation")
    assert "deportation" not in codes_reading("proceedings")


@pytest.mark.parametrize("scenario", PROJECT, ids=lambda s: s.name)
def test_removing_a_guarded_fact_changes_only_what_the_scan_found(scenario) -> None:
    facts, on = scenario.data["facts"], scenario.data["as_of"]
    try:
        real = assess(facts, on).to_dict()
    except LawError:
        pytest.skip("a scenario of facts the engine refuses")
    for fact in GUARDED:
        if fact not in facts.get("case", {}):
            continue
        without = copy.deepcopy(facts)
        del without["case"][fact]
        other = assess(without, on).to_dict()
        assert _differing(real, other) <= codes_reading(fact), fact
