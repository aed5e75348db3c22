"""Rules and parameters know the law version they implement; an amendment needs only
the rules and numbers it changes, and the same facts are assessed on both sides of it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from nrm.law import assess, engine, versions
from nrm.law.assessment import Entitlement
from nrm.law.rules import RULES
from nrm.law.rules.base import Out, repeal, rule, unregister
from nrm.law.situation import Situation
from nrm.law.versions import (
    CHILD_AGE,
    LAW_04_L_218,
    PARAM_NAMES,
    PARAMETERS,
    REFLECTION_MIN_DAYS,
    LawVersion,
    Params,
    Value,
    cite,
    params_on,
    version_on,
)


def test_every_rule_names_its_law_version() -> None:
    for r in RULES:
        assert r.law is LAW_04_L_218
        assert r.chapter
        assert r.decides
        assert r.cites


def test_rule_names_are_unique_within_a_version_since_a_name_is_what_an_amendment_replaces() -> (
    None
):
    names = [r.name for r in RULES if r.law is LAW_04_L_218]
    assert len(names) == len(set(names))


def test_the_law_is_in_force_from_fifteen_days_after_publication() -> None:
    assert LAW_04_L_218.in_force - LAW_04_L_218.published == dt.timedelta(days=15)
    assert version_on(dt.date(2013, 9, 18)) is None
    assert version_on(dt.date(2013, 9, 19)) is LAW_04_L_218
    assert versions.until_of(LAW_04_L_218) is None


def test_parameters_are_built_by_name_and_each_value_carries_its_provision() -> None:
    # Params is built by name from PARAMETERS: a field without a parameter, or a
    # parameter without a field, is caught here rather than read in the wrong place.
    assert set(PARAM_NAMES) == set(PARAMETERS)
    assert {f.name for f in dataclasses.fields(Params)} == {*PARAMETERS, "articles"}
    params = params_on(dt.date(2026, 1, 1))
    for name, parameter in PARAMETERS.items():
        assert parameter.name == name
        value = parameter.on(dt.date(2026, 1, 1))
        assert getattr(params, name) == value.value
        assert params.article(name) == value.article
        assert all(isinstance(v, Value) and v.article for v in parameter.values)
    assert params.article("reflection_min_days") == "31.3"
    assert params.article("doctor_extension_cap_days") == "23.7.1"
    assert params.article("child_stay_days") == "38.8"


def test_a_parameter_picks_the_value_in_force_on_the_day() -> None:
    assert CHILD_AGE.on(dt.date(2026, 1, 1)).value == 18
    assert REFLECTION_MIN_DAYS.on(dt.date(2013, 9, 19)).value == 30
    amended = REFLECTION_MIN_DAYS.amended(since=dt.date(2030, 1, 1), value=45, article="26.1")
    assert amended.on(dt.date(2029, 12, 31)) == Value(dt.date(2013, 9, 19), 30, cite("31.3"))
    assert amended.on(dt.date(2030, 1, 1)) == Value(dt.date(2030, 1, 1), 45, cite("26.1"))
    with pytest.raises(ValueError, match="no value"):
        amended.on(dt.date(2013, 9, 18))


def test_the_parameters_in_force_are_looked_up_once_per_day() -> None:
    day = dt.date(2026, 1, 1)
    assert params_on(day) is params_on(day)
    assert params_on(day).child_stay_days == 182
    # Days between two dated steps share one set of values.
    assert params_on(dt.date(2026, 1, 2)) is params_on(day)


def test_rules_are_grouped_by_the_law_s_chapters() -> None:
    chapters = {r.chapter for r in RULES}
    assert chapters == {
        "persons and children",
        "assistance",
        "reflection and residence",
        "accommodation",
        "proceedings",
        "returns",
        "compensation",
    }


def test_assess_uses_the_rules_of_the_version_in_force() -> None:
    assessment = assess({"case": {"reasonable_grounds_on": "2026-01-01"}}, dt.date(2026, 1, 2))
    assert assessment.law is LAW_04_L_218
    assert engine.rules_for(LAW_04_L_218) == tuple(RULES)


def test_an_amendment_must_follow_the_version_it_amends() -> None:
    stray = LawVersion("stray", "A stray amendment", dt.date(2030, 1, 1), dt.date(2030, 1, 2))
    with pytest.raises(ValueError, match="not in force"):
        versions.add_version(stray)
    early = dataclasses.replace(stray, in_force=dt.date(2013, 1, 1), amends=LAW_04_L_218)
    with pytest.raises(ValueError, match="after"):
        versions.add_version(early)


# --- An amendment in force from 2030-01-01 -------------------------------------------

AMENDED_ON = dt.date(2030, 1, 1)
AMENDMENT = LawVersion(
    name="04/L-218 (amended 2030)",
    title="Law No. 04/L-218, as amended (a test amendment)",
    published=dt.date(2029, 12, 1),
    in_force=AMENDED_ON,
    amends=LAW_04_L_218,
)
WITNESS_PROTECTION = Entitlement("witness_protection", cite("19.3"))


@pytest.fixture
def amendment() -> Iterator[LawVersion]:
    """The amendment brings only what it changes: one number, one rule, one repeal."""
    versions.add_version(AMENDMENT)
    before = versions.amend_parameter(
        "reflection_min_days", since=AMENDED_ON, value=45, article="31.3"
    )

    # The amended 19.3: witness protection also for a witness whose presence the
    # proceedings need, not only for one whose life is in danger.
    @rule(
        chapter="proceedings",
        decides=("witness_protection",),
        cites=(cite("19.3"),),
        law=AMENDMENT,
    )
    def witness_protection(s: Situation, out: Out) -> None:
        if s.case.risk_to_life or s.case.presence_needed_for_proceedings:
            out.entitlements.append(WITNESS_PROTECTION)

    repeal(AMENDMENT, "victim_advocate")
    try:
        yield AMENDMENT
    finally:
        unregister(AMENDMENT)
        versions.restore_parameter(before)
        versions.remove_version(AMENDMENT)


FACTS: dict[str, Any] = {
    "person": {"birth_date": "1990-02-02", "citizenship": "MD", "stay": "irregular"},
    "case": {
        "reasonable_grounds_on": "2029-12-01",
        "risk_to_life": False,
        "presence_needed_for_proceedings": True,
        "proceedings": {"status": "trial"},
        "reflection": {"start": "2029-12-20", "days": 40},
    },
}


def _by_code(assessment: Any) -> dict[str, set[tuple[Any, ...]]]:
    found: dict[str, set[tuple[Any, ...]]] = {}
    for item in assessment.items():
        found.setdefault(item.code, set()).add(tuple(item[:-1]))
    return found


def test_the_same_facts_on_both_sides_of_an_amendment_date(amendment: LawVersion) -> None:
    before = assess(FACTS, AMENDED_ON - dt.timedelta(days=1))
    after = assess(FACTS, AMENDED_ON)
    assert before.law is LAW_04_L_218
    assert after.law is amendment
    assert versions.until_of(LAW_04_L_218) == dt.date(2029, 12, 31)

    # The number it changed: a 40-day grant is lawful before, too short after,
    # and the deportation bar is held to 45 days from the amendment's first day.
    assert "reflection_period_too_short" not in before.codes()
    assert "reflection_period_too_short" in after.codes()
    bar_before = next(p for p in before.prohibitions if p.code == "deportation")
    bar_after = next(p for p in after.prohibitions if p.code == "deportation")
    assert bar_before.until == dt.date(2030, 1, 28)  # 40 days from 2029-12-20
    assert bar_after.until == dt.date(2030, 2, 2)  # held to 45 days
    assert bar_after.reason is not None and "45" in bar_after.reason.words()

    # The rule it replaced, and the one it repealed.
    assert "witness_protection" not in before.codes()
    assert "witness_protection" in after.codes()
    assert "victim_advocate" in before.codes()
    assert "victim_advocate" not in after.codes()

    # Every other rule carries over unchanged.
    changed = {"reflection_period_too_short", "deportation", "reflection_period"}
    changed |= {"witness_protection", "victim_advocate"}
    same_before = {k: v for k, v in _by_code(before).items() if k not in changed}
    same_after = {k: v for k, v in _by_code(after).items() if k not in changed}
    assert same_before == same_after


def test_an_amendment_replaces_a_rule_in_its_place_and_carries_over_the_rest(
    amendment: LawVersion,
) -> None:
    base = engine.rules_for(LAW_04_L_218)
    amended = engine.rules_for(amendment)
    assert len(amended) == len(base) - 1  # victim_advocate repealed
    names = [r.name for r in amended]
    assert names == [r.name for r in base if r.name != "victim_advocate"]
    replaced = next(r for r in amended if r.name == "witness_protection")
    assert replaced.law is amendment
    assert all(r.law is LAW_04_L_218 for r in amended if r.name != "witness_protection")


def test_taking_an_amendment_out_restores_the_law_as_it_was() -> None:
    with pytest.raises(ValueError):
        versions.remove_version(LAW_04_L_218)
    assert version_on(dt.date(2031, 1, 1)) is LAW_04_L_218
    assert params_on(dt.date(2031, 1, 1)).reflection_min_days == 30
