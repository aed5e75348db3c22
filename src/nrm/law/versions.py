"""Law versions, dated parameters and citations.

Numbers that an amendment may change (30/90 days, ages 16/18, six months) are
parameters with the date they take effect, never literals inside a rule. Each
rule names the law version it implements; ``assess`` picks the version in
force on the assessment date, so an amendment can stand beside this one.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from typing import NewType

Article = NewType("Article", str)

_CITED: set[str] = set()


def cite(citation: str) -> Article:
    """Declare a citation a rule may return; tests resolve each in the law's text."""
    _CITED.add(citation)
    return Article(citation)


def cited() -> frozenset[str]:
    """Every citation declared by any rule (the modules must be imported)."""
    return frozenset(_CITED)


@dataclass(frozen=True, slots=True)
class LawVersion:
    name: str
    title: str
    published: dt.date
    in_force: dt.date
    # Last day in force; None while no amendment replaces it.
    until: dt.date | None = None


# Art. 50: in force fifteen days after publication in the Official Gazette
# No. 34 of 4 September 2013, so from 19 September 2013.
LAW_04_L_218 = LawVersion(
    name="04/L-218",
    title="Law No. 04/L-218 on Preventing and Combating Trafficking in Human Beings "
    "and Protecting Victims of Trafficking",
    published=dt.date(2013, 9, 4),
    in_force=dt.date(2013, 9, 19),
)

VERSIONS: tuple[LawVersion, ...] = (LAW_04_L_218,)
FIRST_DAY_IN_FORCE = LAW_04_L_218.in_force


def version_on(on: dt.date) -> LawVersion | None:
    """The law version in force on `on`, or None before the law entered into force."""
    for version in reversed(VERSIONS):
        if version.in_force <= on and (version.until is None or on <= version.until):
            return version
    return None


@dataclass(frozen=True, slots=True)
class Parameter:
    """A number the law sets, with the dates from which each value applies."""

    name: str
    article: Article
    values: tuple[tuple[dt.date, int], ...]

    def on(self, day: dt.date) -> int:
        current: int | None = None
        for since, value in self.values:
            if since <= day:
                current = value
        if current is None:
            raise ValueError(f"{self.name} has no value on {day.isoformat()}")
        return current


_FROM = FIRST_DAY_IN_FORCE

CHILD_AGE = Parameter("child_age", cite("3.1.2"), ((_FROM, 18),))
VOCATIONAL_TRAINING_AGE = Parameter("vocational_training_age", cite("24"), ((_FROM, 16),))
REFLECTION_MIN_DAYS = Parameter("reflection_min_days", cite("31.3"), ((_FROM, 30),))
REFLECTION_MAX_DAYS = Parameter("reflection_max_days", cite("31.3"), ((_FROM, 90),))
STAY_MIN_DAYS = Parameter("stay_min_days", cite("23.6"), ((_FROM, 30),))
STAY_MAX_DAYS = Parameter("stay_max_days", cite("23.6"), ((_FROM, 90),))
# Six months, counted as 182 days from admission (contract, Art. 23.7.1).
DOCTOR_EXTENSION_CAP_DAYS = Parameter("doctor_extension_cap_days", cite("23.7.1"), ((_FROM, 182),))
VICTIM_REQUEST_EXTENSION_MAX_DAYS = Parameter(
    "victim_request_extension_max_days", cite("23.7.3"), ((_FROM, 90),)
)
# One year, counted as 365 days from admission (contract, Art. 23.8).
PREGNANT_STAY_DAYS = Parameter("pregnant_stay_days", cite("23.8"), ((_FROM, 365),))
# Six months, counted as 182 days from admission (contract, Art. 38.8).
CHILD_STAY_DAYS = Parameter("child_stay_days", cite("38.8"), ((_FROM, 182),))


@dataclass(frozen=True, slots=True)
class Params:
    """The parameters' values for one law version, looked up once per version."""

    child_age: int
    vocational_training_age: int
    reflection_min_days: int
    reflection_max_days: int
    stay_min_days: int
    stay_max_days: int
    doctor_extension_cap_days: int
    victim_request_extension_max_days: int
    pregnant_stay_days: int
    child_stay_days: int


_PARAMS: dict[tuple[LawVersion, dt.date], Params] = {}


_BY_DAY: dict[tuple[LawVersion, dt.date], Params] = {}


def params_on(version: LawVersion, on: dt.date) -> Params:
    """The parameters in force on `on` (cached: a nightly run assesses on one day)."""
    found = _BY_DAY.get((version, on))
    if found is None:
        if len(_BY_DAY) > 4096:
            _BY_DAY.clear()
        found = _BY_DAY[(version, on)] = _params_on(version, on)
    return found


def _params_on(version: LawVersion, on: dt.date) -> Params:
    # Parameters change only on dated steps; the cache is keyed by the step in
    # force, so the hot path does one dict lookup per assessment.
    index = bisect_right(_STEPS, on)
    key = (version, _STEPS[index - 1] if index else version.in_force)
    found = _PARAMS.get(key)
    if found is None:
        found = Params(*(p.on(on) for p in _ALL))
        _PARAMS[key] = found
    return found


_ALL = (
    CHILD_AGE,
    VOCATIONAL_TRAINING_AGE,
    REFLECTION_MIN_DAYS,
    REFLECTION_MAX_DAYS,
    STAY_MIN_DAYS,
    STAY_MAX_DAYS,
    DOCTOR_EXTENSION_CAP_DAYS,
    VICTIM_REQUEST_EXTENSION_MAX_DAYS,
    PREGNANT_STAY_DAYS,
    CHILD_STAY_DAYS,
)
_STEPS: tuple[dt.date, ...] = tuple(sorted({since for p in _ALL for since, _ in p.values}))
