"""The ILO/EC 2009 combination rule on its boundaries, as the shipped list states it."""

from __future__ import annotations

import pytest

from nrm.screening.listfile import SHIPPED, read
from nrm.screening.rule import Observed, Rule, assess, meets_threshold

RULE = Rule.from_data(read(SHIPPED).rule)


def seen(dimension: str, **strengths: int) -> list[Observed]:
    return [
        Observed(f"{dimension}-{strength}-{n}", dimension, strength)
        for strength, count in strengths.items()
        for n in range(count)
    ]


@pytest.mark.parametrize(
    ("strengths", "positive"),
    [
        ({"strong": 2}, True),
        ({"strong": 1, "medium": 1}, True),
        ({"strong": 1, "weak": 1}, True),
        ({"medium": 3}, True),
        ({"medium": 2, "weak": 1}, True),
        ({"medium": 2}, False),
        ({"strong": 1}, False),
        ({"medium": 1, "weak": 2}, False),
        ({"weak": 3}, False),
    ],
)
def test_an_element_is_positive_only_on_the_publications_combinations(strengths, positive):
    results = assess(RULE, seen("exploitative_conditions", **strengths), "adult")
    assert results["exploitation"].positive is positive


def test_two_medium_indicators_alone_are_not_enough():
    observed = (seen("deceptive_recruitment", medium=2) + seen("exploitative_conditions", strong=2)
                + seen("coercion_at_destination", strong=2))
    results = assess(RULE, observed, "adult")
    assert results["recruitment"].positive is False
    assert meets_threshold(results) is False


def test_an_adult_meets_the_threshold_when_recruitment_exploitation_and_means_are_positive():
    observed = (seen("coercive_recruitment", strong=1, weak=1) + seen("exploitative_conditions", medium=3)
                + seen("abuse_of_vulnerability_at_destination", medium=2, weak=1))
    results = assess(RULE, observed, "adult")
    assert {code: r.positive for code, r in results.items()} == {
        "recruitment": True, "exploitation": True, "means": True}
    assert results["recruitment"].positive_dimensions == ["coercive_recruitment"]
    assert meets_threshold(results) is True


def test_an_adult_without_the_means_element_does_not_meet_the_threshold():
    observed = seen("deceptive_recruitment", strong=2) + seen("exploitative_conditions", strong=2)
    assert meets_threshold(assess(RULE, observed, "adult")) is False


def test_a_child_needs_no_means_element():
    observed = seen("deceptive_recruitment", strong=2) + seen("exploitative_conditions", strong=2)
    results = assess(RULE, observed, "child")
    assert results["means"].positive is False and results["means"].required is False
    assert meets_threshold(results) is True


def test_each_dimension_is_assessed_on_its_own_unless_the_list_pools_them():
    # One strong indicator in each of two recruitment dimensions: the publication assesses
    # dimensions separately, so neither is positive; a list may choose to pool them.
    observed = seen("deceptive_recruitment", strong=1) + seen("coercive_recruitment", strong=1)
    assert assess(RULE, observed, "adult")["recruitment"].positive is False
    pooled = Rule(RULE.combinations, RULE.elements, assess="element")
    assert assess(pooled, observed, "adult")["recruitment"].positive is True
