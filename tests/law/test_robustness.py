"""No input crashes the engine: any fact dictionary gives an assessment, or a LawError
that names the dotted fact at fault (contract: "no input makes the engine crash")."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nrm.law import Assessment, LawError, assess, codes
from nrm.law.explain import render
from nrm.law.facts import (
    ACCOMMODATION_KEYS,
    CASE_KEYS,
    COMPENSATION_KEYS,
    EXTENSION_KEYS,
    FACT_NAMES,
    INTERVIEW_KEYS,
    PERSON_KEYS,
    PROCEEDINGS_KEYS,
    REFLECTION_KEYS,
    RETURN_KEYS,
)
from tests.law.test_properties import cases

# Values of every kind, the wrong ones included: huge, negative, malformed, mistyped.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**6), max_value=10**7),
    st.builds(pow, st.just(10), st.just(5000)),  # more digits than int() may print
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.just(Decimal("1e999999999")),
    st.text(max_size=12),
    st.sampled_from(
        [
            "2026-05-01",
            "2026-02-30",
            "0000-01-01",
            "9999-12-31",
            "2026-W01-1",
            "20260501",
            "1e9999999999",
            "-0",
            "NaN",
            "  12.5 ",
            "XK",
            "al",
            "ß",
            "\udcff",
            *sorted(codes.SEXES | codes.STAYS | codes.LOCATIONS | codes.PROCEEDINGS_STATUSES),
            *sorted(codes.EXTENSION_BASES | codes.DEFENDANT_STATUSES),
        ]
    ),
    st.dates(),
    st.just(dt.date.max),
    st.just(dt.date.min),
    st.datetimes(),
    st.times(),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def weighted(
    usual: st.SearchStrategy[Any], rare: st.SearchStrategy[Any], share: float
) -> st.SearchStrategy[Any]:
    """`usual` about `share` of the time, else `rare`."""
    return st.integers(min_value=0, max_value=999).flatmap(
        lambda n: usual if n < share * 1000 else rare
    )


def mostly(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value that is usually valid and sometimes anything at all."""
    return weighted(valid, values, 0.93)


recent = st.dates(min_value=dt.date(2013, 9, 19), max_value=dt.date(2026, 12, 31))
born = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2026, 1, 1))
a_date = mostly(
    st.one_of(recent, recent.map(dt.date.isoformat), st.just(dt.date.max), st.just(dt.date.min))
)
a_bool = mostly(st.one_of(st.none(), st.booleans()))
days = mostly(
    st.one_of(
        st.integers(min_value=0, max_value=400),
        st.sampled_from([0, 29, 30, 90, 91, 182, 365, 36_500, 36_501, 3_650_000, 10**30, -1]),
    )
)
amount = mostly(
    st.one_of(
        st.integers(min_value=0, max_value=10**7),
        st.floats(min_value=0, max_value=1e7),
        st.decimals(min_value=0, max_value=10**7, places=3).map(str),
    )
)


def code(allowed: frozenset[str]) -> st.SearchStrategy[Any]:
    return mostly(st.sampled_from(sorted(allowed)))


def _section(
    keys: frozenset[str], special: dict[str, st.SearchStrategy[Any]] | None = None
) -> st.SearchStrategy[Any]:
    """A mapping of known keys with mostly valid values, sometimes an unknown key,
    sometimes not a mapping at all."""
    special = special or {}
    known = st.fixed_dictionaries(
        {}, optional={key: special.get(key, a_bool) for key in sorted(keys)}
    )
    with_unknown = st.builds(
        lambda d, extra: {**d, **extra},
        known,
        st.dictionaries(
            st.one_of(
                st.text(max_size=6),
                st.booleans(),
                st.integers(),
                st.builds(pow, st.just(10), st.just(5000)),
            ),
            values,
            max_size=1,
        ),
    )
    return weighted(known, st.one_of(with_unknown, values), 0.9)


interview = _section(INTERVIEW_KEYS, {"on": a_date, "interviewer": mostly(st.text(max_size=8))})
extension = _section(EXTENSION_KEYS, {"basis": code(codes.EXTENSION_BASES), "days": days})
case = _section(
    CASE_KEYS,
    {
        "reasonable_grounds_on": a_date,
        "identified_on": a_date,
        "deportation_ordered_on": a_date,
        "located": code(codes.LOCATIONS),
        "exploitation": mostly(st.lists(st.sampled_from(sorted(codes.EXPLOITATION_TYPES)))),
        "reflection": _section(REFLECTION_KEYS, {"start": a_date, "days": days}),
        "proceedings": _section(
            PROCEEDINGS_KEYS,
            {"status": code(codes.PROCEEDINGS_STATUSES), "concluded_on": a_date},
        ),
        "interviews": mostly(st.lists(interview, max_size=4)),
        "accommodation": _section(
            ACCOMMODATION_KEYS,
            {
                "admitted_on": a_date,
                "left_on": a_date,
                "days": days,
                "extensions": mostly(st.lists(extension, max_size=5)),
            },
        ),
        "return": _section(RETURN_KEYS),
        "compensation": _section(
            COMPENSATION_KEYS,
            {
                "assessed_harm": amount,
                "paid_by_defendant": amount,
                "other_compensation": amount,
                "defendant": code(codes.DEFENDANT_STATUSES),
            },
        ),
    },
)
person = _section(
    PERSON_KEYS,
    {
        "birth_date": mostly(born),
        "sex": code(codes.SEXES),
        "citizenship": mostly(st.sampled_from(["XK", "AL", "md", "NG", "NO"])),
        "stay": code(codes.STAYS),
    },
)
facts = weighted(
    st.fixed_dictionaries({"person": person, "case": case}),
    st.one_of(
        st.fixed_dictionaries({}, optional={"person": person, "case": case}),
        st.builds(
            lambda d, extra: {**d, **extra},
            st.fixed_dictionaries({"case": case}),
            st.dictionaries(st.text(max_size=6), values, max_size=1),
        ),
        values,
    ),
    0.85,
)
in_force = weighted(
    st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2031, 12, 31)),
    st.dates(min_value=dt.date(2013, 9, 19), max_value=dt.date(2031, 12, 31)),
    0.7,
)
assessment_dates = weighted(
    in_force,
    st.one_of(
        st.dates(min_value=dt.date(2013, 9, 19)),
        st.just(dt.date.max),
        st.dates(max_value=dt.date(2013, 9, 18)),
        st.datetimes(),
        values,
    ),
    0.9,
)

SECTIONS = {
    "facts",
    "person",
    "case",
    "case.reflection",
    "case.proceedings",
    "case.interviews",
    "case.interviews[]",
    "case.accommodation",
    "case.accommodation.extensions",
    "case.accommodation.extensions[]",
    "case.return",
    "case.compensation",
}


def _names_a_fact(error: LawError, data: Any) -> bool:
    """The error's field is a dotted fact, a section, the date `on`, or an unknown key
    given in the input (under a section, or at the top)."""
    name = re.sub(r"\[\d+\]", "[]", error.field)
    if name == "on" or name in FACT_NAMES or name in SECTIONS:
        return True
    if "is not a fact the law engine knows" in error.message:
        if any(name.startswith(section + ".") for section in SECTIONS - {"facts"}):
            return True
        return isinstance(data, dict) and any(str(key) == error.field for key in data)
    return False


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(facts, assessment_dates)
def test_any_facts_give_an_assessment_or_a_law_error_naming_the_fact(data: Any, on: Any) -> None:
    try:
        assessment = assess(data, on)
    except LawError as error:
        assert _names_a_fact(error, data), f"{error.field!r} names no fact: {error}"
        assert str(error).startswith(f"{error.field}: ")
        return
    assert isinstance(assessment, Assessment)
    # What the engine returns can always be shown: as JSON, with reasons, and in words.
    shown = assessment.to_dict(reasons=True)
    json.dumps(shown)
    render(assessment)
    for item in assessment.items():
        assert item.code in codes.ALL_CODES
    if assessment.compensation is not None:
        assert assessment.compensation.amount_cents >= 0


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        (
            {"case": {"reflection": {"start": "2026-05-01", "days": 3_650_000}}},
            "case.reflection.days",
        ),
        ({"case": {"accommodation": {"days": 10**30}}}, "case.accommodation.days"),
        (
            {"case": {"compensation": {"assessed_harm": 10**5000}}},
            "case.compensation.assessed_harm",
        ),
        (
            {"case": {"compensation": {"assessed_harm": "1e9999999999"}}},
            "case.compensation.assessed_harm",
        ),
        (
            {"case": {"compensation": {"assessed_harm": Decimal("1e999999999")}}},
            "case.compensation.assessed_harm",
        ),
        (
            {"case": {"compensation": {"other_compensation": math.inf}}},
            "case.compensation.other_compensation",
        ),
        ({"case": {"interviews": [{"on": "2026-W01-1"}]}}, "case.interviews[0].on"),
        ({"case": {"interviews": {"on": "2026-01-01"}}}, "case.interviews"),
        ({"case": {"exploitation": [{"sexual": True}]}}, "case.exploitation"),
        ({"person": {"citizenship": "ß"}}, "person.citizenship"),
        ({"person": {"birth_date": dt.datetime(2000, 1, 1, 12, 0)}}, "person.birth_date"),
        ({"person": []}, "person"),
        ({"case": {"accommodation": {"extensions": [[]]}}}, "case.accommodation.extensions[0]"),
        ({1: {}}, "1"),
        ({"person": {pow(10, 5000): 1}}, "person.a int"),
        ({"case": {"interviews": [{(1, 2): 1}]}}, "case.interviews[0].(1, 2)"),
        ([], "facts"),
    ],
)
def test_huge_malformed_and_mistyped_values_are_rejected_naming_the_fact(
    facts: Any, field: str
) -> None:
    with pytest.raises(LawError) as caught:
        assess(facts, dt.date(2026, 6, 1))
    assert caught.value.field == field


def test_dates_at_the_calendar_s_ends_are_assessed_without_overflow() -> None:
    end = dt.date.max
    facts = {
        "person": {"birth_date": dt.date.min, "citizenship": "AL", "stay": "irregular"},
        "case": {
            "reasonable_grounds_on": end,
            "reflection": {"start": end, "days": 36_500},
            "accommodation": {
                "admitted_on": end,
                "days": 36_500,
                "extensions": [
                    {"basis": b, "days": 36_500}
                    for b in ("doctor", "victim_request", "proceedings")
                ]
                * 40,
            },
            "risk_to_life": True,
            "proceedings": {"status": "concluded", "concluded_on": end},
            "compensation": {"assessed_harm": 10**12, "paid_by_defendant": 0.01},
        },
    }
    assessment = assess(facts, end)
    stays = [e for e in assessment.entitlements if e.code == "shelter_accommodation"]
    assert stays and all(e.until == end for e in stays)
    assert [p.until for p in assessment.prohibitions if p.code == "deportation"] == [end]
    assert assessment.compensation is not None
    assert assessment.compensation.amount_cents == 10**14 - 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.data())
def test_valid_facts_with_one_wild_value_give_an_assessment_or_name_that_fact(
    generated: tuple[dict[str, Any], dt.date], data: st.DataObject
) -> None:
    """Deep in the rules too: a valid case with one fact replaced by anything at all."""
    given_facts, on = generated
    section = data.draw(st.sampled_from(["person", "case"]))
    changed = {**given_facts, section: dict(given_facts[section])}
    key = data.draw(st.sampled_from(sorted(PERSON_KEYS if section == "person" else CASE_KEYS)))
    changed[section][key] = data.draw(values)
    try:
        assessment = assess(changed, on)
    except LawError as error:
        assert error.field.startswith(f"{section}.{key}") or error.field == "person.birth_date"
        return
    json.dumps(assessment.to_dict(reasons=True))
    render(assessment)
