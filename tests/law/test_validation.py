"""Facts that cannot be true are rejected with a message naming the dotted fact."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nrm.law import Facts, LawError, assess

ON = dt.date(2026, 6, 1)


def _rejected(facts: dict[str, Any], on: dt.date = ON) -> LawError:
    with pytest.raises(LawError) as caught:
        assess(facts, on)
    return caught.value


def test_an_unknown_code_is_rejected_naming_the_field() -> None:
    error = _rejected({"person": {"sex": "f"}})
    assert error.field == "person.sex"
    assert str(error).startswith("person.sex: ")
    assert "unknown code 'f'" in str(error)


def test_an_unknown_extension_basis_is_rejected_with_its_position() -> None:
    facts = {"case": {"accommodation": {"extensions": [{"basis": "doctor"}, {"basis": "judge"}]}}}
    assert _rejected(facts).field == "case.accommodation.extensions[1].basis"


def test_a_birth_after_the_assessment_date_is_rejected() -> None:
    error = _rejected({"person": {"birth_date": "2026-06-02"}})
    assert error.field == "person.birth_date"
    assert "after the assessment date 2026-06-01" in str(error)


def test_identification_before_reasonable_grounds_is_rejected() -> None:
    facts = {"case": {"reasonable_grounds_on": "2026-05-02", "identified_on": "2026-05-01"}}
    assert _rejected(facts).field == "case.identified_on"


def test_identification_on_the_day_of_the_reasonable_grounds_is_accepted() -> None:
    facts = {"case": {"reasonable_grounds_on": "2026-05-02", "identified_on": "2026-05-02"}}
    assert assess(facts, ON).entitlements


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"case": {"compensation": {"assessed_harm": -0.01}}}, "case.compensation.assessed_harm"),
        (
            {"case": {"compensation": {"paid_by_defendant": -5}}},
            "case.compensation.paid_by_defendant",
        ),
        (
            {"case": {"compensation": {"other_compensation": "-1"}}},
            "case.compensation.other_compensation",
        ),
        ({"case": {"reflection": {"days": -1}}}, "case.reflection.days"),
        ({"case": {"accommodation": {"days": -30}}}, "case.accommodation.days"),
        (
            {"case": {"accommodation": {"extensions": [{"days": -1}]}}},
            "case.accommodation.extensions[0].days",
        ),
    ],
)
def test_a_negative_amount_or_number_of_days_is_rejected(facts: dict[str, Any], field: str) -> None:
    error = _rejected(facts)
    assert error.field == field
    assert "negative" in error.message


def test_a_date_before_the_law_entered_into_force_is_rejected_naming_that_date() -> None:
    error = _rejected({}, on=dt.date(2013, 9, 18))
    assert error.field == "on"
    assert "2013-09-19" in str(error)


def test_the_first_day_in_force_is_accepted() -> None:
    assert assess({}, dt.date(2013, 9, 19)).child is False


def test_a_leaving_date_before_admission_is_rejected() -> None:
    facts = {"case": {"accommodation": {"admitted_on": "2026-01-10", "left_on": "2026-01-09"}}}
    assert _rejected(facts).field == "case.accommodation.left_on"


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"person": {"pregnant": "yes"}}, "person.pregnant"),
        ({"person": {"birth_date": "2001-02-30"}}, "person.birth_date"),
        ({"person": {"birth_date": "01/02/2001"}}, "person.birth_date"),
        ({"person": {"citizenship": False}}, "person.citizenship"),
        ({"case": {"reflection": {"days": 30.5}}}, "case.reflection.days"),
        ({"case": {"exploitation": "sexual"}}, "case.exploitation"),
        ({"case": {"interviews": [{"when": "2026-01-01"}]}}, "case.interviews[0].when"),
        ({"person": {"name": "A"}}, "person.name"),
        ({"victim": {}}, "victim"),
        ({"case": {"compensation": {"assessed_harm": "a lot"}}}, "case.compensation.assessed_harm"),
    ],
)
def test_facts_of_the_wrong_kind_are_rejected_naming_the_field(
    facts: dict[str, Any], field: str
) -> None:
    assert _rejected(facts).field == field


def test_an_unquoted_norway_gets_a_hint_to_quote_it() -> None:
    assert '"NO"' in _rejected({"person": {"citizenship": False}}).message


def test_dates_may_be_given_as_iso_text_or_as_dates() -> None:
    as_text = Facts.from_dict({"person": {"birth_date": "2000-01-31"}})
    as_date = Facts.from_dict({"person": {"birth_date": dt.date(2000, 1, 31)}})
    assert as_text == as_date


def test_amounts_are_kept_to_the_cent() -> None:
    facts = Facts.from_dict({"case": {"compensation": {"assessed_harm": "1234.565"}}})
    assert facts.case.compensation is not None
    assert facts.case.compensation.assessed_harm_cents == 123457


def test_country_codes_are_read_in_capitals() -> None:
    assert Facts.from_dict({"person": {"citizenship": "al"}}).person.citizenship == "AL"


def test_facts_may_be_empty() -> None:
    assessment = assess({}, ON)
    assert assessment.entitlements == ()
    assert "case.reasonable_grounds_on" in assessment.missing_facts
