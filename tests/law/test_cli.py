"""``nrm law check``, ``explain`` and ``bench`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
    lines = out.splitlines()
    line = next(x for x in lines if "[deportation]" in x)
    assert "Art. 31.3" in line
    assert "until 29 June 2026" in line
    why, quote = lines[lines.index(line) + 1], lines[lines.index(line) + 2]
    assert why.strip() == "Why: the 60 days granted from 1 May 2026 end on 29 June 2026 (Art. 31.3)"
    assert "Art. 31.3: \u201c3. The State" in quote
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
    # The contract's fields, and beside them the missing facts in plain words.
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
        "missing_facts_in_words",
    }
    # Each item has the contract's keys, and its reason.
    assert {
        "code": "assistance",
        "article": "20.5",
        "from": "2026-05-01",
        "until": None,
        "min_days": None,
        "max_days": None,
        "reason": {
            "set_by": "20.5",
            "fact": "case.reasonable_grounds_on",
            "text": "runs from the day an authority had reasonable grounds to believe the "
            "person is a victim (Art. 20.5)",
        },
    } in data["entitlements"]
    assert {"fact": "person.citizenship", "words": "the person's citizenship"} in data[
        "missing_facts_in_words"
    ]


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


def _explain(tmp_path: Path, capsys: pytest.CaptureFixture[str], facts: str, on: str) -> str:
    path = tmp_path / "facts.yaml"
    path.write_text(facts, encoding="utf-8")
    assert main(["explain", str(path), "--on", on]) == 0
    return capsys.readouterr().out


def _explain_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], facts: str, on: str
) -> dict[str, Any]:
    path = tmp_path / "facts.yaml"
    path.write_text(facts, encoding="utf-8")
    assert main(["explain", str(path), "--on", on, "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


STAYS = """person: {birth_date: 1990-01-01, sex: male, citizenship: XK}
case:
  reasonable_grounds_on: 2026-01-09
  proceedings: {status: investigation}
  accommodation: {admitted_on: 2026-01-10, days: %s, extensions: [%s]}
"""


@pytest.mark.parametrize(
    ("days", "extensions", "set_by", "until", "words"),
    [
        ("60", "", "23.6", "2026-03-10", "the 60 days assessed, from the admission on"),
        ("20", "", "23.6", "2026-02-08", "held to the lawful 30 days"),
        ("90", "{basis: doctor, days: 200}", "23.7.1", "2026-07-10", "at most 182 days"),
        ("90", "{basis: victim_request, days: 30}", "23.7.3", "2026-05-09", "adds 30 days"),
        ("90", "{basis: proceedings, days: 30}", "23.7.2", None, "no fixed end"),
    ],
)
def test_a_stay_s_end_names_the_provision_that_set_it_in_text_and_json(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    days: str,
    extensions: str,
    set_by: str,
    until: str | None,
    words: str,
) -> None:
    facts = STAYS % (days, extensions)
    data = _explain_json(tmp_path, capsys, facts, "2026-02-01")
    stay = next(e for e in data["entitlements"] if e["code"] == "shelter_accommodation")
    assert stay["article"] == "23.6"  # the contract's article stays as it is
    assert stay["until"] == until
    assert stay["reason"]["set_by"] == set_by
    assert words in stay["reason"]["text"]
    text = _explain(tmp_path, capsys, facts, "2026-02-01")
    assert words in " ".join(text.split())


def test_the_pregnancy_and_the_child_s_six_months_name_their_provisions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pregnant = """person: {birth_date: 1995-01-01, sex: female, pregnant: true, citizenship: XK}
case: {reasonable_grounds_on: 2026-01-09, accommodation: {admitted_on: 2026-01-10, days: 60}}
"""
    stay = _explain_json(tmp_path, capsys, pregnant, "2026-02-01")["entitlements"]
    assert {
        (e["article"], e["reason"]["set_by"]) for e in stay if e["code"] == "shelter_accommodation"
    } == {
        ("23.6", "23.8"),
        ("23.8", "23.8"),
    }
    child = """person: {birth_date: 2012-01-01, citizenship: XK, parental_care: true}
case:
  reasonable_grounds_on: 2026-01-09
  proceedings: {status: none}
  accommodation: {admitted_on: 2026-01-10, days: 60}
"""
    stay = _explain_json(tmp_path, capsys, child, "2026-02-01")["entitlements"]
    assert {e["reason"]["set_by"] for e in stay if e["code"] == "shelter_accommodation"} == {"38.8"}
    assert "a child's six months, 182 days from the admission on 10 January 2026 (Art. 38.8)" in (
        " ".join(_explain(tmp_path, capsys, child, "2026-02-01").split())
    )


def test_a_reflection_bar_says_when_the_grant_was_held_to_30_or_90_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = """person: {birth_date: 1990-02-02, citizenship: MD, stay: irregular}
case: {reasonable_grounds_on: 2026-05-01, reflection: {start: 2026-05-01, days: %s}}
"""
    for days, words in (
        ("120", "held to the lawful maximum of 90 days"),
        ("20", "held to the lawful minimum of 30 days"),
    ):
        data = _explain_json(tmp_path, capsys, facts % days, "2026-05-10")
        bar = next(p for p in data["prohibitions"] if p["code"] == "deportation")
        assert bar["article"] == "31.3"
        assert bar["reason"]["set_by"] == "31.3"
        assert words in bar["reason"]["text"]
        assert words in " ".join(_explain(tmp_path, capsys, facts % days, "2026-05-10").split())


def test_a_right_with_no_period_granted_yet_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _explain(
        tmp_path,
        capsys,
        "person: {birth_date: 1990-02-02, citizenship: MD, stay: irregular}\n"
        "case: {reasonable_grounds_on: 2026-05-01}\n",
        "2026-05-10",
    )
    line = next(x for x in out.splitlines() if "[reflection_period]" in x)
    assert "no reflection period has been granted yet" in line
    assert "no end date" not in line
    stay = next(x for x in out.splitlines() if "[shelter_accommodation]" in x)
    assert "no stay in a centre or shelter is recorded yet" in stay
    duty = next(x for x in out.splitlines() if "[inform_safe_return]" in x)
    assert "none has been granted yet" in duty and "at once" not in duty


def test_each_violation_names_the_fact_that_caused_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = """person: {birth_date: 2012-02-02, citizenship: AL, stay: irregular, parental_care: true}
case:
  reasonable_grounds_on: 2026-03-01
  reflection: {start: 2026-05-01, days: 60}
  deportation_ordered_on: 2026-05-12
  interviews:
    - {"on": 2026-03-20, child_appropriate_premises: true}
    - {"on": 2026-03-05, child_appropriate_premises: false}
"""
    out = " ".join(_explain(tmp_path, capsys, facts, "2026-06-01").split())
    assert "Caused by: the deportation order applied on 12 May 2026" in out
    assert "Caused by: the interview of 20 March 2026, not for an exceptional" in out
    assert "Caused by: the interview of 5 March 2026 was not held in premises" in out
    data = _explain_json(tmp_path, capsys, facts, "2026-06-01")
    facts_named = {v["code"]: v["reason"]["fact"] for v in data["violations"]}
    assert facts_named == {
        "deportation_during_reflection": "case.deportation_ordered_on",
        # The list's positions as recorded: the later interview was recorded first.
        "child_interviewed_more_than_once": "case.interviews[0]",
        "child_interview_premises": "case.interviews[1]",
    }


def test_the_compensation_shows_its_arithmetic_and_the_point_of_42_4(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = """person: {birth_date: 1985-01-01, citizenship: XK}
case:
  reasonable_grounds_on: 2025-01-01
  compensation: {assessed_harm: 10000, other_compensation: 2500.25, paid_by_defendant: 1000, defendant: convicted}
"""
    out = " ".join(_explain(tmp_path, capsys, facts, "2026-06-01").split())
    assert (
        "How: assessed harm EUR 10,000.00 − other compensation EUR 2,500.25 (Art. 44.3) − "
        "paid by the defendant EUR 1,000.00 = EUR 6,499.75, additional compensation as the "
        "defendant paid only part (Art. 42.4.1)"
    ) in out
    data = _explain_json(tmp_path, capsys, facts, "2026-06-01")
    assert data["compensation"]["arithmetic"] == {
        "assessed_harm": 10000.0,
        "other_compensation": 2500.25,
        "due": 7499.75,
        "paid_by_defendant": 1000.0,
    }
    assert data["compensation"]["reason"]["set_by"] == "42.4.1"


def test_missing_facts_appear_in_plain_words_beside_their_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _explain(tmp_path, capsys, "person: {citizenship: XK}\ncase: {}\n", "2026-05-10")
    assert "  - the date of birth (person.birth_date)" in out
    assert (
        "  - the date an authority had reasonable grounds to believe the person is a victim "
        "(case.reasonable_grounds_on)"
    ) in out


def test_check_reports_a_scenario_that_raises_by_name_and_runs_to_the_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nrm.law import check

    real = check.assess

    def breaking(facts: Any, on: Any) -> Any:
        if facts.get("person", {}).get("citizenship") == "NG":
            raise OverflowError("date value out of range")
        return real(facts, on)

    monkeypatch.setattr(check, "assess", breaking)
    scenarios = tmp_path / "raising.yaml"
    scenarios.write_text(
        """- name: before the crash
  as_of: 2026-05-10
  facts: {person: {citizenship: XK}}
  expect: {child: false}
- name: the one that raises
  as_of: 2026-05-10
  facts: {person: {citizenship: NG}}
  expect: {child: false}
- name: after the crash
  as_of: 2026-05-10
  facts: {person: {citizenship: AL}}
  expect: {child: false}
""",
        encoding="utf-8",
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("- name: [unclosed\n", encoding="utf-8")
    assert main(["check", str(scenarios), str(broken), str(tmp_path / "absent.yaml")]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "2 passed, 3 failed"
    assert "the one that raises: raised OverflowError: date value out of range" in lines[0]
    assert "broken.yaml" in lines[1] and "cannot read" in lines[1]
    assert "absent.yaml" in lines[2] and "cannot read" in lines[2]


def test_an_impossible_number_of_days_is_a_failure_naming_the_fact_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenarios = tmp_path / "huge.yaml"
    scenarios.write_text(
        """- name: a reflection period of 3,650,000 days
  as_of: 2026-05-10
  facts: {case: {reasonable_grounds_on: 2026-05-01, reflection: {start: 2026-05-01, days: 3650000}}}
  expect: {child: false}
- name: the next scenario still runs
  as_of: 2026-05-10
  facts: {}
  expect: {child: false}
""",
        encoding="utf-8",
    )
    assert main(["check", str(scenarios)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert "facts rejected: case.reflection.days: 3650000 days is impossible" in lines[0]
    assert lines[-1] == "1 passed, 1 failed"
