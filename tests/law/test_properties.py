"""Invariants of the law, checked on generated facts (hypothesis)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from nrm.law import Facts, assess, codes

FIRST = dt.date(2014, 1, 1)
LAST = dt.date(2027, 12, 31)

days = st.dates(min_value=FIRST, max_value=LAST)
maybe_bool = st.none() | st.booleans()


def _person() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "birth_date": st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2013, 12, 31)),
            "age_ascertained": maybe_bool,
            "believed_under_18": maybe_bool,
            "sex": st.sampled_from(sorted(codes.SEXES)),
            "pregnant": maybe_bool,
            "disability": maybe_bool,
            "domestic_partner_of_offender": maybe_bool,
            "citizenship": st.sampled_from(["XK", "AL", "MD", "NG"]),
            "stay": st.sampled_from(sorted(codes.STAYS)),
            "parental_care": maybe_bool,
            "lacks_means": maybe_bool,
            "asylum_requested": maybe_bool,
        },
    )


AMOUNT = st.integers(min_value=0, max_value=10_000_000).map(lambda cents: cents / 100)


def _case() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"reasonable_grounds_on": days},
        optional={
            "located": st.sampled_from(sorted(codes.LOCATIONS)),
            "exploitation": st.lists(st.sampled_from(sorted(codes.EXPLOITATION_TYPES)), max_size=3),
            "cooperating": maybe_bool,
            "reflection": st.fixed_dictionaries({"start": days, "days": st.integers(0, 150)}),
            "deportation_ordered_on": days,
            "risk_to_life": maybe_bool,
            "organized_crime_involvement": maybe_bool,
            "presence_needed_for_proceedings": maybe_bool,
            "wants_to_return": maybe_bool,
            "proceedings": st.fixed_dictionaries(
                {"status": st.sampled_from(sorted(codes.PROCEEDINGS_STATUSES))},
                optional={"concluded_on": days, "statement_withdrawn": maybe_bool},
            ),
            "interviews": st.lists(
                st.fixed_dictionaries(
                    {"on": days},
                    optional={"child_appropriate_premises": maybe_bool, "exceptional": maybe_bool},
                ),
                max_size=3,
            ),
            "accommodation": st.fixed_dictionaries(
                {"admitted_on": days},
                optional={
                    "days": st.integers(0, 200),
                    "extensions": st.lists(
                        st.fixed_dictionaries(
                            {"basis": st.sampled_from(sorted(codes.EXTENSION_BASES))},
                            optional={"days": st.integers(0, 400)},
                        ),
                        max_size=3,
                    ),
                },
            ),
            "return": st.fixed_dictionaries(
                {},
                optional={
                    k: maybe_bool
                    for k in (
                        "risk_assessed",
                        "risk_found",
                        "guardian_consent",
                        "receiving_authority_consent",
                    )
                },
            ),
            "compensation": st.fixed_dictionaries(
                {"assessed_harm": AMOUNT},
                optional={
                    "paid_by_defendant": AMOUNT,
                    "other_compensation": AMOUNT,
                    "defendant": st.sampled_from(sorted(codes.DEFENDANT_STATUSES)),
                },
            ),
        },
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dt.date]:
    """Valid facts and an assessment date on or after the reasonable grounds."""
    facts = {"person": draw(_person()), "case": draw(_case())}
    grounds = facts["case"]["reasonable_grounds_on"]
    on = draw(st.dates(min_value=grounds, max_value=LAST + dt.timedelta(days=400)))
    return facts, on


def _child_facts(facts: dict[str, Any]) -> dict[str, Any]:
    person = dict(facts["person"])
    person.pop("birth_date", None)
    person.update(age_ascertained=False, believed_under_18=True)
    return {"person": person, "case": facts["case"]}


CHILD_DUTIES = {
    ("refer_to_child_protection", "38.3"),
    ("notify_guardianship_authority", "38.4"),
    ("inform_of_rights", "35.1.4"),
}
CHILD_PROHIBITIONS = {
    ("disclose_child_identity", "35.1.5"),
    ("prosecution_for_status_offences", "13.2"),
}


@settings(max_examples=150, deadline=None)
@given(cases())
def test_a_child_is_always_owed_the_child_duties(generated: tuple[dict[str, Any], dt.date]) -> None:
    facts, on = generated
    for variant in (facts, _child_facts(facts)):
        assessment = assess(variant, on)
        if not assessment.child:
            continue
        duties = {(o.code, o.article) for o in assessment.obligations}
        barred = {(p.code, p.article) for p in assessment.prohibitions}
        assert CHILD_DUTIES <= duties
        assert CHILD_PROHIBITIONS <= barred
        assert "child" in assessment.vulnerable_grounds


@settings(max_examples=150, deadline=None)
@given(cases(), maybe_bool, maybe_bool)
def test_nothing_ever_conditions_assistance_on_cooperation(
    generated: tuple[dict[str, Any], dt.date], first: bool | None, second: bool | None
) -> None:
    facts, on = generated
    results = []
    for cooperating in (first, second):
        case = {**facts["case"], "cooperating": cooperating}
        results.append(assess({"person": facts["person"], "case": case}, on))
    assert results[0].to_dict() == results[1].to_dict()
    codes_now = {e.code for e in results[0].entitlements}
    assert "assistance" in codes_now
    assert ("conditioning_assistance_on_cooperation", "20.6") in {
        (p.code, p.article) for p in results[0].prohibitions
    }


@settings(max_examples=150, deadline=None)
@given(cases(), st.integers(0, 150), st.integers(0, 149))
def test_deportation_is_never_allowed_inside_a_reflection_period(
    generated: tuple[dict[str, Any], dt.date], length: int, offset: int
) -> None:
    facts, _ = generated
    start = facts["case"]["reasonable_grounds_on"]
    # Abroad nothing about residence in Kosovo applies (settled reading), so in Kosovo.
    case = {**facts["case"], "reflection": {"start": start, "days": length}, "located": "kosovo"}
    # Settled reading: the lawful period is the grant held to 30..90 days, and the bar
    # and the entitlement both end on its last day.
    held = min(max(length, 30), 90)
    last = start + dt.timedelta(days=held - 1)
    on = start + dt.timedelta(days=min(offset, held - 1))
    assessment = assess({"person": facts["person"], "case": case}, on)
    bars = [p for p in assessment.prohibitions if p.code == "deportation"]
    assert bars, "deportation must be barred inside the reflection period"
    assert all(p.until == last for p in bars)
    assert all(e.until == last for e in assessment.entitlements if e.code == "reflection_period")


@settings(max_examples=200, deadline=None)
@given(cases())
def test_compensation_is_never_negative_nor_above_the_assessed_harm(
    generated: tuple[dict[str, Any], dt.date],
) -> None:
    facts, on = generated
    decision = assess(facts, on).compensation
    claim = facts["case"].get("compensation")
    if decision is None:
        return
    assert claim is not None
    assert decision.decision in codes.COMPENSATION_DECISIONS
    assert 0 <= decision.amount_cents <= round(claim["assessed_harm"] * 100)


# Facts that no prohibition of the law turns on: adding any of them to a case
# must leave every prohibition standing (the ones tied to childhood, asylum,
# reflection, interviews and a planned return are tied to other facts).
UNRELATED: dict[str, st.SearchStrategy[Any]] = {
    "cooperating": st.booleans(),
    "exploitation": st.lists(
        st.sampled_from(sorted(codes.EXPLOITATION_TYPES)), min_size=1, max_size=3
    ),
    "risk_to_life": st.booleans(),
    "organized_crime_involvement": st.booleans(),
    "presence_needed_for_proceedings": st.booleans(),
    "wants_to_return": st.booleans(),
    "deportation_ordered_on": days,
    "proceedings": st.fixed_dictionaries(
        {"status": st.sampled_from(sorted(codes.PROCEEDINGS_STATUSES))}
    ),
    "accommodation": st.fixed_dictionaries({"admitted_on": days, "days": st.integers(0, 120)}),
    "compensation": st.fixed_dictionaries({"assessed_harm": AMOUNT}),
    "identified_on": st.just(None),
}
UNRELATED_PERSON: dict[str, st.SearchStrategy[Any]] = {
    "sex": st.sampled_from(sorted(codes.SEXES)),
    "disability": st.booleans(),
    "pregnant": st.booleans(),
    "domestic_partner_of_offender": st.booleans(),
    "lacks_means": st.booleans(),
    "stay": st.sampled_from(sorted(codes.STAYS)),
    "asylum_requested": st.booleans(),
}


@settings(max_examples=200, deadline=None)
@given(cases(), st.data())
def test_adding_a_fact_never_removes_a_prohibition_tied_to_another_fact(
    generated: tuple[dict[str, Any], dt.date], data: st.DataObject
) -> None:
    facts, on = generated
    before = {(p.code, p.article, p.until) for p in assess(facts, on).prohibitions}
    case, person = dict(facts["case"]), dict(facts["person"])
    free_case = [k for k in UNRELATED if k not in case]
    free_person = [k for k in UNRELATED_PERSON if k not in person]
    if free_case and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(free_case))
        case[key] = data.draw(UNRELATED[key])
        if key == "identified_on":
            case[key] = case["reasonable_grounds_on"]
    elif free_person:
        key = data.draw(st.sampled_from(free_person))
        person[key] = data.draw(UNRELATED_PERSON[key])
    else:
        return
    after = {
        (p.code, p.article, p.until)
        for p in assess({"person": person, "case": case}, on).prohibitions
    }
    assert before <= after


@settings(max_examples=200, deadline=None)
@given(cases())
def test_assessing_never_changes_the_facts_it_was_given(
    generated: tuple[dict[str, Any], dt.date],
) -> None:
    facts, on = generated
    read = Facts.from_dict(facts)
    kept = copy.deepcopy(read)
    assess(read, on)
    assert read == kept


# Facts whose absence the settled readings treat as unknown: when one of them decides
# whether the conduct was lawful there is no violation (contract, "Readings settled").
# (An omitted `left_on`, `pregnant`, `exceptional` or `risk_to_life` is read otherwise:
# not left, and false.)
def _without(facts: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any] | None:
    copied = copy.deepcopy(facts)
    node: Any = copied
    for key in path[:-1]:
        if isinstance(node, dict) and key in node or isinstance(node, list) and key < len(node):
            node = node[key]
        else:
            return None
    if isinstance(node, dict) and path[-1] in node:
        del node[path[-1]]
        return copied
    return None


def _removable(facts: dict[str, Any]) -> list[tuple[Any, ...]]:
    case = facts["case"]
    paths: list[tuple[Any, ...]] = [
        ("case", "accommodation", "days"),
        ("case", "accommodation", "admitted_on"),
        ("case", "proceedings"),
        ("case", "proceedings", "status"),
        ("case", "proceedings", "concluded_on"),
        ("case", "reflection", "days"),
        ("case", "reflection", "start"),
        ("case", "reflection"),
        ("case", "deportation_ordered_on"),
        ("case", "located"),
        ("person", "citizenship"),
    ]
    if facts["person"].get("believed_under_18") is not False:
        paths.append(("person", "birth_date"))
    for index, _ in enumerate(case.get("interviews", [])):
        paths += [
            ("case", "interviews", index, "on"),
            ("case", "interviews", index, "child_appropriate_premises"),
        ]
    for index, _ in enumerate(case.get("accommodation", {}).get("extensions", [])):
        paths += [
            ("case", "accommodation", "extensions", index, "days"),
            ("case", "accommodation", "extensions", index, "basis"),
        ]
    return paths


@settings(max_examples=300, deadline=None)
@given(cases(), st.data())
def test_a_missing_fact_never_makes_a_violation(
    generated: tuple[dict[str, Any], dt.date], data: st.DataObject
) -> None:
    facts, on = generated
    path = data.draw(st.sampled_from(_removable(facts)))
    fewer = _without(facts, path)
    if fewer is None:
        return
    before = {v.code for v in assess(facts, on).violations}
    after = {v.code for v in assess(fewer, on).violations}
    assert after <= before, f"removing {'.'.join(map(str, path))} made {after - before}"
