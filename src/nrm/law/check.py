"""Running scenario files in the contract's format (``nrm law check PATH...``).

A scenario either expects an assessment (``expect``, ``absent``) or an error
(``error: TEXT``). Lists of items match when the assessment contains an item
with the named keys and values; lists of plain values must contain each
value; scalars must be equal; amounts are compared to the cent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from nrm.law.engine import assess
from nrm.law.errors import LawError

ITEM_LISTS = ("entitlements", "obligations", "prohibitions", "violations")
VALUE_LISTS = ("vulnerable_grounds", "missing_facts")
SCENARIO_KEYS = frozenset({"name", "as_of", "facts", "expect", "absent", "error"})


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    source: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outcome:
    scenario: Scenario
    difference: str | None  # None when the scenario passed
    produced: frozenset[str] = frozenset()

    @property
    def passed(self) -> bool:
        return self.difference is None


def scenario_files(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.y*ml") if p.is_file()))
        else:
            files.append(path)
    return files


def load(path: Path) -> list[Scenario]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data is None:
        return []
    if not isinstance(data, list):
        raise ValueError(f"{path}: a scenario file is a YAML list of scenarios")
    scenarios = []
    for index, item in enumerate(data):
        name = item.get("name") if isinstance(item, dict) else None
        scenarios.append(
            Scenario(
                str(name or f"scenario {index + 1}"),
                str(path),
                item if isinstance(item, dict) else {},
            )
        )
    return scenarios


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def same(expected: Any, actual: Any, key: str = "") -> bool:
    """Equality as scenarios mean it: dates as ISO text, numbers to the cent."""
    if isinstance(expected, dt.date):
        expected = expected.isoformat()
    if key == "article" and isinstance(expected, (int, float)) and not isinstance(expected, bool):
        expected = str(expected)
    if isinstance(expected, bool) or isinstance(actual, bool) or expected is None or actual is None:
        return expected is actual or expected == actual and type(expected) is type(actual)
    if isinstance(expected, (int, float, Decimal)) and isinstance(actual, (int, float, Decimal)):
        return _amount(expected) == _amount(actual)
    return bool(expected == actual)


def _show(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _matches(expected: dict[str, Any], item: dict[str, Any]) -> bool:
    return all(key in item and same(value, item[key], key) for key, value in expected.items())


def compare(expect: dict[str, Any], absent: list[Any], result: dict[str, Any]) -> str | None:
    """The first difference between what a scenario expects and the result, or None."""
    for key, expected in expect.items():
        if key not in result:
            return f"{key}: not a field of the assessment"
        actual = result[key]
        if key in ITEM_LISTS:
            if not isinstance(expected, list):
                return f"{key}: expected a list of items"
            for item in expected:
                if not isinstance(item, dict):
                    return f"{key}: each expected item is a mapping, not {_show(item)}"
                if not any(_matches(item, candidate) for candidate in actual):
                    near = [c for c in actual if c["code"] == item.get("code")]
                    found = "; found " + ", ".join(_show(c) for c in near) if near else ""
                    return f"{key}: no item {_show(item)}{found}"
        elif key in VALUE_LISTS:
            values = expected if isinstance(expected, list) else [expected]
            for value in values:
                if value not in actual:
                    return f"{key}: {_show(value)} missing from {_show(actual)}"
        elif key == "compensation" and isinstance(expected, dict):
            if actual is None:
                return f"compensation: expected {_show(expected)}, got null"
            if not _matches(expected, actual):
                return f"compensation: expected {_show(expected)}, got {_show(actual)}"
        elif not same(expected, actual, key):
            return f"{key}: expected {_show(expected)}, got {_show(actual)}"
    for code in absent:
        for key in (*ITEM_LISTS, *VALUE_LISTS):
            values = result[key]
            codes = [v["code"] for v in values] if key in ITEM_LISTS else values
            if code in codes:
                return f"{code} should be absent but is in {key}"
    return None


def run_scenario(scenario: Scenario) -> Outcome:
    """Run one scenario; whatever it raises is reported as its failure, never raised."""
    try:
        return _run_scenario(scenario)
    except Exception as error:  # noqa: BLE001 - a crash is this scenario's failure, not the run's
        return Outcome(scenario, f"raised {type(error).__name__}: {error}")


def _run_scenario(scenario: Scenario) -> Outcome:
    data = scenario.data
    unknown: set[Any] = set(data) - SCENARIO_KEYS
    if unknown:
        keys = ", ".join(sorted(map(str, unknown)))
        hint = (
            " (write as_of, not on: YAML reads on as true)"
            if any(key is True for key in unknown)
            else ""
        )
        return Outcome(scenario, f"unknown scenario keys: {keys}{hint}")
    on = data.get("as_of")
    if isinstance(on, str):
        try:
            on = dt.date.fromisoformat(on)
        except ValueError:
            return Outcome(scenario, f"as_of: {on!r} is not a date")
    if not isinstance(on, dt.date):
        return Outcome(scenario, "as_of: a scenario needs the date it is assessed on")
    if ("expect" in data or "absent" in data) == ("error" in data):
        return Outcome(scenario, "a scenario gives either expect/absent or error")
    try:
        assessment = assess(data.get("facts") or {}, on)
    except LawError as error:
        if "error" in data and str(data["error"]) in str(error):
            return Outcome(scenario, None)
        if "error" in data:
            return Outcome(scenario, f"error: expected {data['error']!r}, got {str(error)!r}")
        return Outcome(scenario, f"facts rejected: {error}")
    if "error" in data:
        return Outcome(scenario, f"error: expected {data['error']!r}, but the facts were accepted")
    result = assessment.to_dict()
    produced = frozenset(assessment.codes())
    if result["compensation"] is not None:
        produced |= {"compensation:" + result["compensation"]["decision"]}
    expect = data.get("expect") or {}
    absent = data.get("absent") or []
    if not isinstance(expect, dict) or not isinstance(absent, list):
        return Outcome(scenario, "expect is a mapping and absent a list of codes", produced)
    return Outcome(scenario, compare(expect, absent, result), produced)


def run(paths: Iterable[str | Path]) -> Iterator[Outcome]:
    for path in scenario_files(paths):
        try:
            scenarios = load(path)
        except Exception as error:  # noqa: BLE001 - an unreadable file fails, the run goes on
            yield Outcome(Scenario(path.name, str(path), {}), f"cannot read: {error}")
            continue
        for scenario in scenarios:
            yield run_scenario(scenario)


def main(paths: list[str]) -> int:
    passed = failed = 0
    for outcome in run(paths):
        if outcome.passed:
            passed += 1
        else:
            failed += 1
            # One line per failing scenario, even for a multi-line error message.
            difference = " ".join(str(outcome.difference).split())
            print(f"FAIL {outcome.scenario.source}: {outcome.scenario.name}: {difference}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1
