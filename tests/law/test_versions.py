"""Rules and parameters know the law version and dates they implement."""

from __future__ import annotations

import datetime as dt

from nrm.law import assess, engine
from nrm.law.rules import RULES
from nrm.law.versions import (
    CHILD_AGE,
    LAW_04_L_218,
    REFLECTION_MIN_DAYS,
    Parameter,
    cite,
    params_on,
    version_on,
)


def test_every_rule_names_its_law_version_and_effective_dates() -> None:
    for rule in RULES:
        assert rule.law is LAW_04_L_218
        assert rule.effective_from == dt.date(2013, 9, 19)
        assert rule.effective_until is None
        assert rule.chapter
        assert rule.decides


def test_the_law_is_in_force_from_fifteen_days_after_publication() -> None:
    assert LAW_04_L_218.in_force - LAW_04_L_218.published == dt.timedelta(days=15)
    assert version_on(dt.date(2013, 9, 18)) is None
    assert version_on(dt.date(2013, 9, 19)) is LAW_04_L_218


def test_parameters_are_dated_and_picked_by_the_assessment_date() -> None:
    assert CHILD_AGE.on(dt.date(2026, 1, 1)) == 18
    assert REFLECTION_MIN_DAYS.on(dt.date(2013, 9, 19)) == 30
    amended = Parameter(
        "reflection_min_days", cite("31.3"), ((dt.date(2013, 9, 19), 30), (dt.date(2030, 1, 1), 45))
    )
    assert amended.on(dt.date(2029, 12, 31)) == 30
    assert amended.on(dt.date(2030, 1, 1)) == 45


def test_the_parameters_in_force_are_looked_up_once_per_day() -> None:
    day = dt.date(2026, 1, 1)
    assert params_on(LAW_04_L_218, day) is params_on(LAW_04_L_218, day)
    assert params_on(LAW_04_L_218, day).child_stay_days == 182


def test_a_rule_dated_to_end_is_not_applied_after_its_last_day() -> None:
    rule = RULES[0]
    ended = type(rule)(
        **{**{f: getattr(rule, f) for f in rule.__slots__}, "effective_until": dt.date(2020, 1, 1)}
    )
    assert ended.in_force(dt.date(2020, 1, 1))
    assert not ended.in_force(dt.date(2020, 1, 2))


def test_rules_are_grouped_by_the_law_s_chapters() -> None:
    chapters = {rule.chapter for rule in RULES}
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
    assert engine.rules_for(LAW_04_L_218, dt.date(2026, 1, 2))
