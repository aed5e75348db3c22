"""``nrm law check``, ``explain`` and ``bench`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nrm.law.cli import main

SCENARIOS = Path(__file__).parents[2] / "src" / "nrm" / "law" / "scenarios"

FACTS = """\
person: {birth_date: 2011-03-03, citizenship: AL, stay: irregular, parental_care: false}
case:
  reasonable_grounds_on: 2026-05-01
  reflection: {start: 2026-05-01, days: 60}
  accommodation: {admitted_on: 2026-05-02, days: 60}
  compensation: {assessed_harm: 20000, paid_by_defendant: 5000, defendant: convicted}
"""


def _last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def test_check_passes_on_the_project_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SCENARIOS)]) == 0
    last = _last_line(capsys.readouterr().out)
    assert last.endswith(" passed, 0 failed")


def test_check_fails_and_names_the_scenario_and_the_first_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenarios = tmp_path / "wrong.yaml"
    scenarios.write_text(
        """\
- name: an adult is wrongly expected to be a child
  as_of: 2026-05-10
  facts:
    person: {birth_date: 1990-01-01, citizenship: XK}
    case: {reasonable_grounds_on: 2026-05-01}
  expect:
    child: true
- name: a right that is owed
  as_of: 2026-05-10
  facts:
    case: {reasonable_grounds_on: 2026-05-01}
  expect:
    entitlements:
      - {code: assistance, article: "20.5", from: 2026-05-01}
- name: a violation wrongly expected
  as_of: 2026-05-10
  facts:
    case: {reasonable_grounds_on: 2026-05-01}
  expect:
    violations:
      - {code: accommodation_overstay}
""",
        encoding="utf-8",
    )
    assert main(["check", str(scenarios)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "1 passed, 2 failed"
    assert "an adult is wrongly expected to be a child" in lines[0]
    assert "child: expected true, got false" in lines[0]
    assert "violations: no item {code: accommodation_overstay}" in lines[1]


def test_check_reports_a_key_written_as_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenarios = tmp_path / "on.yaml"
    scenarios.write_text("- name: uses on\n  on: 2026-05-10\n  facts: {}\n  expect: {}\n")
    assert main(["check", str(scenarios)]) == 1
    assert "as_of" in capsys.readouterr().out


def test_check_runs_an_error_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenarios = tmp_path / "error.yaml"
    scenarios.write_text(
        "- name: birth after\n  as_of: 2026-01-01\n  facts: {person: {birth_date: 2026-01-02}}\n"
        "  error: person.birth_date\n"
    )
    assert main(["check", str(scenarios)]) == 0
    assert _last_line(capsys.readouterr().out) == "1 passed, 0 failed"


def test_explain_prints_each_item_on_one_line_with_its_dates_then_the_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    assert main(["explain", str(facts), "--on", "2026-05-10"]) == 0
    out = capsys.readouterr().out
    assert "Assessment on 10 May 2026" in out
    assert "Child: yes, under 18 on this date (Art. 3.1.2)" in out
    line = next(x for x in out.splitlines() if "[deportation]" in x)
    assert "Art. 31.3" in line
    assert "until 29 June 2026" in line
    after = out.splitlines()[out.splitlines().index(line) + 1]
    assert "Art. 31.3: \u201c3. The State" in after
    assert "Additional compensation of EUR 15,000.00" in out
    assert "Appoint a legal guardian (Art. 38.5): at once" in out


def test_explain_json_prints_the_contract_vocabulary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(
        json.dumps(
            {
                "person": {"birth_date": "1990-01-01"},
                "case": {"reasonable_grounds_on": "2026-05-01"},
            }
        )
    )
    assert main(["explain", str(facts), "--on", "2026-05-10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "child",
        "child_basis",
        "vulnerable",
        "vulnerable_grounds",
        "entitlements",
        "obligations",
        "prohibitions",
        "violations",
        "compensation",
        "missing_facts",
    }
    assert {
        "code": "assistance",
        "article": "20.5",
        "from": "2026-05-01",
        "until": None,
        "min_days": None,
        "max_days": None,
    } in data["entitlements"]


def test_explain_rejects_impossible_facts_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("person: {birth_date: 2030-01-01}\n")
    assert main(["explain", str(facts), "--on", "2026-05-10"]) == 2
    assert "person.birth_date" in capsys.readouterr().err


def test_bench_prints_assessments_per_second(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--n", "300"]) == 0
    assert "assessments per second" in capsys.readouterr().out
