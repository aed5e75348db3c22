"""Law versions, dated parameters and citations.

Numbers that an amendment may change (30/90 days, ages 16/18, six months) are
parameters, never literals inside a rule. Each value of a parameter carries the
day it takes effect and the provision it comes from, and the values in force are
looked up by the parameter's name.

Each rule names the law version that made it (``nrm.law.rules.base.rule``). A
later version *amends* an earlier one: it brings only the rules it changes (a
rule of the same name replaces the earlier one) and may repeal rules; every other
rule carries over. ``assess`` picks the version in force on the assessment date,
so the law as amended stands beside the law as it was::

    AMENDMENT = LawVersion(name="04/L-218 as amended by ...", title=..., published=...,
                           in_force=dt.date(2030, 1, 1), amends=LAW_04_L_218)
    add_version(AMENDMENT)
    amend_parameter("reflection_min_days", since=AMENDMENT.in_force, value=45, article="31.3")

    @rule(chapter=..., decides=(...), cites=(...), law=AMENDMENT)
    def reflection_period(s, out): ...   # replaces the rule of the same name from 2030-01-01
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, fields
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


# Bumped whenever versions, rules or parameters change, so that the engine's
# caches (rules per version, parameters per day) are rebuilt.
_GENERATION = [0]


def changed() -> None:
    """Tell the caches that a version, a rule or a parameter was added or removed."""
    _GENERATION[0] += 1
    _BY_DAY.clear()


def generation() -> int:
    return _GENERATION[0]


@dataclass(frozen=True, slots=True)
class LawVersion:
    name: str
    title: str
    published: dt.date
    in_force: dt.date
    # The version this one amends; rules it does not replace or repeal carry over.
    amends: LawVersion | None = None

    def lineage(self) -> tuple[LawVersion, ...]:
        """The original law first, then each amendment up to this version."""
        chain: list[LawVersion] = []
        version: LawVersion | None = self
        while version is not None:
            chain.append(version)
            version = version.amends
        return tuple(reversed(chain))


# Art. 50: in force fifteen days after publication in the Official Gazette
# No. 34 of 4 September 2013, so from 19 September 2013.
LAW_04_L_218 = LawVersion(
    name="04/L-218",
    title="Law No. 04/L-218 on Preventing and Combating Trafficking in Human Beings "
    "and Protecting Victims of Trafficking",
    published=dt.date(2013, 9, 4),
    in_force=dt.date(2013, 9, 19),
)

FIRST_DAY_IN_FORCE = LAW_04_L_218.in_force

# In the order they entered into force.
_VERSIONS: list[LawVersion] = [LAW_04_L_218]


def versions() -> tuple[LawVersion, ...]:
    return tuple(_VERSIONS)


def add_version(version: LawVersion) -> None:
    """Put an amendment in force from its ``in_force`` date."""
    if version.amends not in _VERSIONS:
        raise ValueError(f"{version.name} amends a version that is not in force")
    if version.in_force <= version.amends.in_force:
        raise ValueError(f"{version.name} must enter into force after the version it amends")
    _VERSIONS.append(version)
    _VERSIONS.sort(key=lambda v: v.in_force)
    changed()


def remove_version(version: LawVersion) -> None:
    """Take an amendment out again (an amendment annulled, or a test undone)."""
    if version is LAW_04_L_218:
        raise ValueError("the law itself cannot be removed")
    _VERSIONS.remove(version)
    changed()


def version_on(on: dt.date) -> LawVersion | None:
    """The law version in force on `on`, or None before the law entered into force."""
    for version in reversed(_VERSIONS):
        if version.in_force <= on:
            return version
    return None


def until_of(version: LawVersion) -> dt.date | None:
    """The last day `version` is in force; None while no later version replaces it."""
    later = [v.in_force for v in _VERSIONS if v.in_force > version.in_force]
    return min(later) - dt.timedelta(days=1) if later else None


# --- Dated parameters ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Value:
    """One value of a parameter: in effect from `since`, set by `article`."""

    since: dt.date
    value: int
    article: Article


@dataclass(frozen=True, slots=True)
class Parameter:
    """A number the law sets, with the dates from which each value applies."""

    name: str
    values: tuple[Value, ...]

    def on(self, day: dt.date) -> Value:
        current: Value | None = None
        for value in self.values:
            if value.since <= day:
                current = value
        if current is None:
            raise ValueError(f"{self.name} has no value on {day.isoformat()}")
        return current

    def amended(self, *, since: dt.date, value: int, article: str) -> Parameter:
        """This parameter with a further value from `since` (an amendment)."""
        added = Value(since=since, value=value, article=cite(article))
        kept = tuple(v for v in self.values if v.since != since)
        return Parameter(name=self.name, values=tuple(sorted((*kept, added), key=_since)))


def _since(value: Value) -> dt.date:
    return value.since


def parameter(name: str, *, value: int, article: str) -> Parameter:
    """A parameter as the law first set it, in force from the law's first day."""
    return Parameter(
        name=name, values=(Value(since=FIRST_DAY_IN_FORCE, value=value, article=cite(article)),)
    )


CHILD_AGE = parameter("child_age", value=18, article="3.1.2")
VOCATIONAL_TRAINING_AGE = parameter("vocational_training_age", value=16, article="24")
REFLECTION_MIN_DAYS = parameter("reflection_min_days", value=30, article="31.3")
REFLECTION_MAX_DAYS = parameter("reflection_max_days", value=90, article="31.3")
STAY_MIN_DAYS = parameter("stay_min_days", value=30, article="23.6")
STAY_MAX_DAYS = parameter("stay_max_days", value=90, article="23.6")
# Six months, counted as 182 days from admission (contract, Art. 23.7.1).
DOCTOR_EXTENSION_CAP_DAYS = parameter("doctor_extension_cap_days", value=182, article="23.7.1")
VICTIM_REQUEST_EXTENSION_MAX_DAYS = parameter(
    "victim_request_extension_max_days", value=90, article="23.7.3"
)
# One year, counted as 365 days from admission (contract, Art. 23.8).
PREGNANT_STAY_DAYS = parameter("pregnant_stay_days", value=365, article="23.8")
# Six months, counted as 182 days from admission (contract, Art. 38.8).
CHILD_STAY_DAYS = parameter("child_stay_days", value=182, article="38.8")

# Every parameter by name; an amendment replaces an entry with ``amend_parameter``.
PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
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
}


def amend_parameter(name: str, *, since: dt.date, value: int, article: str) -> Parameter:
    """Give parameter `name` a new value from `since`; returns the parameter as it was."""
    before = PARAMETERS[name]
    PARAMETERS[name] = before.amended(since=since, value=value, article=article)
    changed()
    return before


def restore_parameter(parameter: Parameter) -> None:
    """Put back a parameter as ``amend_parameter`` returned it."""
    PARAMETERS[parameter.name] = parameter
    changed()


@dataclass(frozen=True, slots=True)
class Params:
    """The parameters' values on one day, by name, with the provision each comes from."""

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
    # The provision that set each value, by the parameter's name.
    articles: dict[str, Article]

    def article(self, name: str) -> Article:
        return self.articles[name]


PARAM_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Params) if f.name != "articles")

_BY_DAY: dict[dt.date, Params] = {}
_BY_STEP: dict[tuple[int, dt.date | None], Params] = {}


def params_on(on: dt.date) -> Params:
    """The parameters in force on `on` (cached: a nightly run assesses on one day)."""
    found = _BY_DAY.get(on)
    if found is None:
        if len(_BY_DAY) > 4096:
            _BY_DAY.clear()
        found = _BY_DAY[on] = _params_on(on)
    return found


def _params_on(on: dt.date) -> Params:
    # Values change only on dated steps; days between two steps share one Params.
    steps = sorted({v.since for p in PARAMETERS.values() for v in p.values})
    index = bisect_right(steps, on)
    key = (generation(), steps[index - 1] if index else None)
    found = _BY_STEP.get(key)
    if found is None:
        if len(_BY_STEP) > 256:
            _BY_STEP.clear()
        values = {name: PARAMETERS[name].on(on) for name in PARAM_NAMES}
        found = Params(
            **{name: value.value for name, value in values.items()},
            articles={name: value.article for name, value in values.items()},
        )
        _BY_STEP[key] = found
    return found
