"""The facts of one person's case, as the law contract names them.

Unknown facts are None. Facts that cannot be true are rejected when read
(``Facts.from_dict``) with a LawError naming the dotted fact; the checks that
need the assessment date (a birth after it) are made by ``Facts.check_on``.
Amounts are kept in whole cents so that sums are exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nrm.law import codes
from nrm.law.errors import LawError
from nrm.law.reader import Reader


@dataclass(frozen=True, slots=True)
class Person:
    birth_date: dt.date | None = None
    age_ascertained: bool | None = None
    believed_under_18: bool | None = None
    sex: str | None = None
    pregnant: bool | None = None
    disability: bool | None = None
    domestic_partner_of_offender: bool | None = None
    citizenship: str | None = None
    stay: str | None = None
    parental_care: bool | None = None
    lacks_means: bool | None = None
    asylum_requested: bool | None = None


@dataclass(frozen=True, slots=True)
class Reflection:
    start: dt.date | None = None
    days: int | None = None


@dataclass(frozen=True, slots=True)
class Proceedings:
    status: str | None = None
    concluded_on: dt.date | None = None
    statement_withdrawn: bool | None = None


@dataclass(frozen=True, slots=True)
class Interview:
    on: dt.date | None = None
    interviewer: str | None = None
    child_appropriate_premises: bool | None = None
    exceptional: bool | None = None


@dataclass(frozen=True, slots=True)
class Extension:
    basis: str | None = None
    days: int | None = None


@dataclass(frozen=True, slots=True)
class Accommodation:
    admitted_on: dt.date | None = None
    days: int | None = None
    left_on: dt.date | None = None
    extensions: tuple[Extension, ...] = ()


@dataclass(frozen=True, slots=True)
class Return:
    risk_assessed: bool | None = None
    risk_found: bool | None = None
    guardian_consent: bool | None = None
    receiving_authority_consent: bool | None = None


@dataclass(frozen=True, slots=True)
class CompensationClaim:
    """A claim for state compensation; amounts in euro cents."""

    assessed_harm_cents: int | None = None
    paid_by_defendant_cents: int | None = None
    other_compensation_cents: int | None = None
    defendant: str | None = None


@dataclass(frozen=True, slots=True)
class Case:
    reasonable_grounds_on: dt.date | None = None
    identified_on: dt.date | None = None
    located: str | None = None
    exploitation: tuple[str, ...] = ()
    cooperating: bool | None = None
    reflection: Reflection | None = None
    deportation_ordered_on: dt.date | None = None
    risk_to_life: bool | None = None
    organized_crime_involvement: bool | None = None
    presence_needed_for_proceedings: bool | None = None
    wants_to_return: bool | None = None
    proceedings: Proceedings | None = None
    interviews: tuple[Interview, ...] = ()
    accommodation: Accommodation | None = None
    return_: Return | None = None
    compensation: CompensationClaim | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    person: Person = field(default_factory=Person)
    case: Case = field(default_factory=Case)

    @classmethod
    def from_dict(cls, data: Any) -> Facts:
        """Read and validate facts in the contract's shape (YAML or JSON values)."""
        root = Reader(data, "")
        facts = cls(
            person=_person(root.section("person")),
            case=_case(root.section("case")),
        )
        root.done()
        return facts

    def check_on(self, on: dt.date) -> None:
        """Reject facts that cannot be true on the assessment date."""
        birth = self.person.birth_date
        if birth is not None and birth > on:
            raise LawError(
                "person.birth_date",
                f"{birth.isoformat()} is after the assessment date {on.isoformat()}",
            )


def _person(r: Reader) -> Person:
    person = Person(
        birth_date=r.date("birth_date"),
        age_ascertained=r.boolean("age_ascertained"),
        believed_under_18=r.boolean("believed_under_18"),
        sex=r.code("sex", codes.SEXES),
        pregnant=r.boolean("pregnant"),
        disability=r.boolean("disability"),
        domestic_partner_of_offender=r.boolean("domestic_partner_of_offender"),
        citizenship=r.country("citizenship"),
        stay=r.code("stay", codes.STAYS),
        parental_care=r.boolean("parental_care"),
        lacks_means=r.boolean("lacks_means"),
        asylum_requested=r.boolean("asylum_requested"),
    )
    r.done()
    return person


def _case(r: Reader) -> Case:
    grounds = r.date("reasonable_grounds_on")
    identified = r.date("identified_on")
    # Art. 9.2, 12.1: identification follows reasonable grounds, never precedes them.
    if grounds is not None and identified is not None and identified < grounds:
        raise LawError(
            r.path("identified_on"),
            f"{identified.isoformat()} is before the reasonable grounds "
            f"({grounds.isoformat()}); identification cannot precede them",
        )
    case = Case(
        reasonable_grounds_on=grounds,
        identified_on=identified,
        located=r.code("located", codes.LOCATIONS),
        exploitation=r.codes("exploitation", codes.EXPLOITATION_TYPES),
        cooperating=r.boolean("cooperating"),
        reflection=_optional(r, "reflection", _reflection),
        deportation_ordered_on=r.date("deportation_ordered_on"),
        risk_to_life=r.boolean("risk_to_life"),
        organized_crime_involvement=r.boolean("organized_crime_involvement"),
        presence_needed_for_proceedings=r.boolean("presence_needed_for_proceedings"),
        wants_to_return=r.boolean("wants_to_return"),
        proceedings=_optional(r, "proceedings", _proceedings),
        interviews=tuple(_interview(item) for item in r.items("interviews")),
        accommodation=_optional(r, "accommodation", _accommodation),
        return_=_optional(r, "return", _return),
        compensation=_optional(r, "compensation", _compensation),
    )
    r.done()
    return case


def _optional[T](r: Reader, name: str, read: Callable[[Reader], T]) -> T | None:
    section = r.section_or_none(name)
    if section is None:
        return None
    value: T = read(section)
    section.done()
    return value


def _reflection(r: Reader) -> Reflection:
    return Reflection(start=r.date("start"), days=r.days("days"))


def _proceedings(r: Reader) -> Proceedings:
    return Proceedings(
        status=r.code("status", codes.PROCEEDINGS_STATUSES),
        concluded_on=r.date("concluded_on"),
        statement_withdrawn=r.boolean("statement_withdrawn"),
    )


def _interview(r: Reader) -> Interview:
    interview = Interview(
        on=r.date("on"),
        interviewer=r.text("interviewer"),
        child_appropriate_premises=r.boolean("child_appropriate_premises"),
        exceptional=r.boolean("exceptional"),
    )
    r.done()
    return interview


def _extension(r: Reader) -> Extension:
    extension = Extension(basis=r.code("basis", codes.EXTENSION_BASES), days=r.days("days"))
    r.done()
    return extension


def _accommodation(r: Reader) -> Accommodation:
    admitted = r.date("admitted_on")
    left = r.date("left_on")
    if admitted is not None and left is not None and left < admitted:
        raise LawError(
            r.path("left_on"),
            f"{left.isoformat()} is before the admission on {admitted.isoformat()}",
        )
    return Accommodation(
        admitted_on=admitted,
        days=r.days("days"),
        left_on=left,
        extensions=tuple(_extension(item) for item in r.items("extensions")),
    )


def _return(r: Reader) -> Return:
    return Return(
        risk_assessed=r.boolean("risk_assessed"),
        risk_found=r.boolean("risk_found"),
        guardian_consent=r.boolean("guardian_consent"),
        receiving_authority_consent=r.boolean("receiving_authority_consent"),
    )


def _compensation(r: Reader) -> CompensationClaim:
    return CompensationClaim(
        assessed_harm_cents=r.cents("assessed_harm"),
        paid_by_defendant_cents=r.cents("paid_by_defendant"),
        other_compensation_cents=r.cents("other_compensation"),
        defendant=r.code("defendant", codes.DEFENDANT_STATUSES),
    )
