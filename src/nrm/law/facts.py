"""The facts of one person's case, as the law contract names them.

Unknown facts are None. Facts that cannot be true are rejected when read
(``Facts.from_dict``) with a LawError naming the dotted fact; the checks that
need the assessment date (a birth after it) are made by ``Facts.check_on``.
Amounts are kept in whole cents so that sums are exact.

Reading is on the engine's hot path (every case is re-read every night), so
each value of the expected type is accepted by an inline check and only the
rest goes through ``nrm.law.reader``, which converts it or names the fact.
For the same reason the classes are plain slotted dataclasses rather than
frozen ones (a frozen dataclass costs several times more to make): treat them
as immutable. No rule assigns to them, and a test checks that assessing never
changes the facts it was given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from nrm.law import codes, reader
from nrm.law.errors import LawError


@dataclass(slots=True)
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


@dataclass(slots=True)
class Reflection:
    start: dt.date | None = None
    days: int | None = None


@dataclass(slots=True)
class Proceedings:
    status: str | None = None
    concluded_on: dt.date | None = None
    statement_withdrawn: bool | None = None


@dataclass(slots=True)
class Interview:
    on: dt.date | None = None
    interviewer: str | None = None
    child_appropriate_premises: bool | None = None
    exceptional: bool | None = None


@dataclass(slots=True)
class Extension:
    basis: str | None = None
    days: int | None = None


@dataclass(slots=True)
class Accommodation:
    admitted_on: dt.date | None = None
    days: int | None = None
    left_on: dt.date | None = None
    extensions: tuple[Extension, ...] = ()


@dataclass(slots=True)
class Return:
    risk_assessed: bool | None = None
    risk_found: bool | None = None
    guardian_consent: bool | None = None
    receiving_authority_consent: bool | None = None


@dataclass(slots=True)
class CompensationClaim:
    """A claim for state compensation; amounts in euro cents."""

    assessed_harm_cents: int | None = None
    paid_by_defendant_cents: int | None = None
    other_compensation_cents: int | None = None
    defendant: str | None = None


@dataclass(slots=True)
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


_ROOT_KEYS = frozenset({"person", "case"})
PERSON_KEYS = frozenset(f.name for f in fields(Person))
CASE_KEYS = frozenset("return" if f.name == "return_" else f.name for f in fields(Case))
REFLECTION_KEYS = frozenset(f.name for f in fields(Reflection))
PROCEEDINGS_KEYS = frozenset(f.name for f in fields(Proceedings))
INTERVIEW_KEYS = frozenset(f.name for f in fields(Interview))
EXTENSION_KEYS = frozenset(f.name for f in fields(Extension))
ACCOMMODATION_KEYS = frozenset(f.name for f in fields(Accommodation))
RETURN_KEYS = frozenset(f.name for f in fields(Return))
COMPENSATION_KEYS = frozenset(
    {"assessed_harm", "paid_by_defendant", "other_compensation", "defendant"}
)

# Every fact by its dotted name (lists' items as name[]), as the contract lists them.
FACT_NAMES: frozenset[str] = frozenset(
    {f"person.{k}" for k in PERSON_KEYS}
    | {f"case.{k}" for k in CASE_KEYS}
    | {f"case.reflection.{k}" for k in REFLECTION_KEYS}
    | {f"case.proceedings.{k}" for k in PROCEEDINGS_KEYS}
    | {f"case.interviews[].{k}" for k in INTERVIEW_KEYS}
    | {f"case.accommodation.{k}" for k in ACCOMMODATION_KEYS}
    | {f"case.accommodation.extensions[].{k}" for k in EXTENSION_KEYS}
    | {f"case.return.{k}" for k in RETURN_KEYS}
    | {f"case.compensation.{k}" for k in COMPENSATION_KEYS}
)

_DATE = dt.date
_SEXES = codes.SEXES
_STAYS = codes.STAYS
_COUNTRIES = codes.COUNTRIES
_MAX_DAYS = reader.MAX_DAYS


@dataclass(slots=True)
class Facts:
    person: Person = field(default_factory=Person)
    case: Case = field(default_factory=Case)

    @classmethod
    def from_dict(cls, data: Any) -> Facts:
        """Read and validate facts in the contract's shape (YAML or JSON values)."""
        if data is None:
            return cls()
        if data.__class__ is not dict:
            data = reader.mapping(data, "facts")
        if not _ROOT_KEYS.issuperset(data):
            raise reader.unknown_key(data, _ROOT_KEYS, "")
        person = data.get("person")
        case = data.get("case")
        return cls(
            Person() if person is None else _person(person),
            Case() if case is None else _case(case),
        )

    def check_on(self, on: dt.date) -> None:
        """Reject facts that cannot be true on the assessment date."""
        birth = self.person.birth_date
        if birth is not None and birth > on:
            raise LawError(
                "person.birth_date",
                f"{birth.isoformat()} is after the assessment date {on.isoformat()}",
            )


def _person(d: Any) -> Person:
    if d.__class__ is not dict:
        d = reader.mapping(d, "person")
    if not PERSON_KEYS.issuperset(d):
        raise reader.unknown_key(d, PERSON_KEYS, "person")
    get = d.get
    birth = get("birth_date")
    if birth is not None and birth.__class__ is not _DATE:
        birth = reader.date(birth, "person.birth_date")
    ascertained = get("age_ascertained")
    if ascertained is not None and ascertained is not True and ascertained is not False:
        reader.boolean(ascertained, "person.age_ascertained")
    believed = get("believed_under_18")
    if believed is not None and believed is not True and believed is not False:
        reader.boolean(believed, "person.believed_under_18")
    sex = get("sex")
    if sex is not None and (sex.__class__ is not str or sex not in _SEXES):
        sex = reader.code(sex, _SEXES, "person.sex")
    pregnant = get("pregnant")
    if pregnant is not None and pregnant is not True and pregnant is not False:
        reader.boolean(pregnant, "person.pregnant")
    disability = get("disability")
    if disability is not None and disability is not True and disability is not False:
        reader.boolean(disability, "person.disability")
    partner = get("domestic_partner_of_offender")
    if partner is not None and partner is not True and partner is not False:
        reader.boolean(partner, "person.domestic_partner_of_offender")
    citizenship = get("citizenship")
    if citizenship is not None and (
        citizenship.__class__ is not str or citizenship not in _COUNTRIES
    ):
        citizenship = reader.country(citizenship, "person.citizenship")
    stay = get("stay")
    if stay is not None and (stay.__class__ is not str or stay not in _STAYS):
        stay = reader.code(stay, _STAYS, "person.stay")
    care = get("parental_care")
    if care is not None and care is not True and care is not False:
        reader.boolean(care, "person.parental_care")
    means = get("lacks_means")
    if means is not None and means is not True and means is not False:
        reader.boolean(means, "person.lacks_means")
    asylum = get("asylum_requested")
    if asylum is not None and asylum is not True and asylum is not False:
        reader.boolean(asylum, "person.asylum_requested")
    return Person(
        birth,
        ascertained,
        believed,
        sex,
        pregnant,
        disability,
        partner,
        citizenship,
        stay,
        care,
        means,
        asylum,
    )


def _case(d: Any) -> Case:
    if d.__class__ is not dict:
        d = reader.mapping(d, "case")
    if not CASE_KEYS.issuperset(d):
        raise reader.unknown_key(d, CASE_KEYS, "case")
    get = d.get
    grounds = get("reasonable_grounds_on")
    if grounds is not None and grounds.__class__ is not _DATE:
        grounds = reader.date(grounds, "case.reasonable_grounds_on")
    identified = get("identified_on")
    if identified is not None and identified.__class__ is not _DATE:
        identified = reader.date(identified, "case.identified_on")
    # Art. 9.2, 12.1: identification follows reasonable grounds, never precedes them.
    if grounds is not None and identified is not None and identified < grounds:
        raise LawError(
            "case.identified_on",
            f"{identified.isoformat()} is before the reasonable grounds "
            f"({grounds.isoformat()}); identification cannot precede them",
        )
    located = get("located")
    if located is not None and (located.__class__ is not str or located not in codes.LOCATIONS):
        located = reader.code(located, codes.LOCATIONS, "case.located")
    exploitation = get("exploitation")
    exploitation = (
        ()
        if exploitation is None
        else reader.code_list(exploitation, codes.EXPLOITATION_TYPES, "case.exploitation")
    )
    cooperating = get("cooperating")
    if cooperating is not None and cooperating is not True and cooperating is not False:
        reader.boolean(cooperating, "case.cooperating")
    reflection = get("reflection")
    if reflection is not None:
        reflection = _reflection(reflection)
    ordered = get("deportation_ordered_on")
    if ordered is not None and ordered.__class__ is not _DATE:
        ordered = reader.date(ordered, "case.deportation_ordered_on")
    risk = get("risk_to_life")
    if risk is not None and risk is not True and risk is not False:
        reader.boolean(risk, "case.risk_to_life")
    organised = get("organized_crime_involvement")
    if organised is not None and organised is not True and organised is not False:
        reader.boolean(organised, "case.organized_crime_involvement")
    needed = get("presence_needed_for_proceedings")
    if needed is not None and needed is not True and needed is not False:
        reader.boolean(needed, "case.presence_needed_for_proceedings")
    wants = get("wants_to_return")
    if wants is not None and wants is not True and wants is not False:
        reader.boolean(wants, "case.wants_to_return")
    proceedings = get("proceedings")
    if proceedings is not None:
        proceedings = _proceedings(proceedings)
    interviews = get("interviews")
    if interviews is None:
        interviews = ()
    elif isinstance(interviews, list):
        interviews = tuple(_interview(item, index) for index, item in enumerate(interviews))
    else:
        raise LawError("case.interviews", f"must be a list, not {reader.show(interviews)}")
    accommodation = get("accommodation")
    if accommodation is not None:
        accommodation = _accommodation(accommodation)
    plan = get("return")
    if plan is not None:
        plan = _return(plan)
    claim = get("compensation")
    if claim is not None:
        claim = _compensation(claim)
    return Case(
        grounds,
        identified,
        located,
        exploitation,
        cooperating,
        reflection,
        ordered,
        risk,
        organised,
        needed,
        wants,
        proceedings,
        interviews,
        accommodation,
        plan,
        claim,
    )


def _reflection(d: Any) -> Reflection:
    if d.__class__ is not dict:
        d = reader.mapping(d, "case.reflection")
    if not REFLECTION_KEYS.issuperset(d):
        raise reader.unknown_key(d, REFLECTION_KEYS, "case.reflection")
    start = d.get("start")
    if start is not None and start.__class__ is not _DATE:
        start = reader.date(start, "case.reflection.start")
    days = d.get("days")
    if days is not None and (days.__class__ is not int or days < 0 or days > _MAX_DAYS):
        days = reader.days(days, "case.reflection.days")
    return Reflection(start, days)


def _proceedings(d: Any) -> Proceedings:
    if d.__class__ is not dict:
        d = reader.mapping(d, "case.proceedings")
    if not PROCEEDINGS_KEYS.issuperset(d):
        raise reader.unknown_key(d, PROCEEDINGS_KEYS, "case.proceedings")
    status = d.get("status")
    if status is not None and (
        status.__class__ is not str or status not in codes.PROCEEDINGS_STATUSES
    ):
        status = reader.code(status, codes.PROCEEDINGS_STATUSES, "case.proceedings.status")
    concluded = d.get("concluded_on")
    if concluded is not None and concluded.__class__ is not _DATE:
        concluded = reader.date(concluded, "case.proceedings.concluded_on")
    withdrawn = d.get("statement_withdrawn")
    if withdrawn is not None and withdrawn is not True and withdrawn is not False:
        reader.boolean(withdrawn, "case.proceedings.statement_withdrawn")
    return Proceedings(status, concluded, withdrawn)


def _interview(d: Any, index: int) -> Interview:
    if d.__class__ is not dict:
        d = reader.mapping(d, f"case.interviews[{index}]")
    if True in d and any(key is True for key in d):
        # YAML 1.1 reads an unquoted `on` key (the interview's date) as true.
        d = {("on" if key is True else key): value for key, value in d.items()}
    if not INTERVIEW_KEYS.issuperset(d):
        raise reader.unknown_key(d, INTERVIEW_KEYS, f"case.interviews[{index}]")
    day = d.get("on")
    if day is not None and day.__class__ is not _DATE:
        day = reader.date(day, f"case.interviews[{index}].on")
    interviewer = d.get("interviewer")
    if interviewer is not None and interviewer.__class__ is not str:
        interviewer = reader.text(interviewer, f"case.interviews[{index}].interviewer")
    premises = d.get("child_appropriate_premises")
    if premises is not None and premises is not True and premises is not False:
        reader.boolean(premises, f"case.interviews[{index}].child_appropriate_premises")
    exceptional = d.get("exceptional")
    if exceptional is not None and exceptional is not True and exceptional is not False:
        reader.boolean(exceptional, f"case.interviews[{index}].exceptional")
    return Interview(day, interviewer, premises, exceptional)


def _extension(d: Any, index: int) -> Extension:
    path = "case.accommodation.extensions"
    if d.__class__ is not dict:
        d = reader.mapping(d, f"{path}[{index}]")
    if not EXTENSION_KEYS.issuperset(d):
        raise reader.unknown_key(d, EXTENSION_KEYS, f"{path}[{index}]")
    basis = d.get("basis")
    if basis is not None and (basis.__class__ is not str or basis not in codes.EXTENSION_BASES):
        basis = reader.code(basis, codes.EXTENSION_BASES, f"{path}[{index}].basis")
    days = d.get("days")
    if days is not None and (days.__class__ is not int or days < 0 or days > _MAX_DAYS):
        days = reader.days(days, f"{path}[{index}].days")
    return Extension(basis, days)


def _accommodation(d: Any) -> Accommodation:
    if d.__class__ is not dict:
        d = reader.mapping(d, "case.accommodation")
    if not ACCOMMODATION_KEYS.issuperset(d):
        raise reader.unknown_key(d, ACCOMMODATION_KEYS, "case.accommodation")
    admitted = d.get("admitted_on")
    if admitted is not None and admitted.__class__ is not _DATE:
        admitted = reader.date(admitted, "case.accommodation.admitted_on")
    days = d.get("days")
    if days is not None and (days.__class__ is not int or days < 0 or days > _MAX_DAYS):
        days = reader.days(days, "case.accommodation.days")
    left = d.get("left_on")
    if left is not None and left.__class__ is not _DATE:
        left = reader.date(left, "case.accommodation.left_on")
    if admitted is not None and left is not None and left < admitted:
        raise LawError(
            "case.accommodation.left_on",
            f"{left.isoformat()} is before the admission on {admitted.isoformat()}",
        )
    extensions = d.get("extensions")
    if extensions is None:
        extensions = ()
    elif isinstance(extensions, list):
        extensions = tuple(_extension(item, index) for index, item in enumerate(extensions))
    else:
        raise LawError(
            "case.accommodation.extensions", f"must be a list, not {reader.show(extensions)}"
        )
    return Accommodation(admitted, days, left, extensions)


def _return(d: Any) -> Return:
    if d.__class__ is not dict:
        d = reader.mapping(d, "case.return")
    if not RETURN_KEYS.issuperset(d):
        raise reader.unknown_key(d, RETURN_KEYS, "case.return")
    values = []
    for name in ("risk_assessed", "risk_found", "guardian_consent", "receiving_authority_consent"):
        value = d.get(name)
        if value is not None and value is not True and value is not False:
            reader.boolean(value, f"case.return.{name}")
        values.append(value)
    return Return(*values)


def _compensation(d: Any) -> CompensationClaim:
    if d.__class__ is not dict:
        d = reader.mapping(d, "case.compensation")
    if not COMPENSATION_KEYS.issuperset(d):
        raise reader.unknown_key(d, COMPENSATION_KEYS, "case.compensation")
    amounts = []
    for name in ("assessed_harm", "paid_by_defendant", "other_compensation"):
        value = d.get(name)
        amounts.append(None if value is None else reader.cents(value, f"case.compensation.{name}"))
    defendant = d.get("defendant")
    if defendant is not None and (
        defendant.__class__ is not str or defendant not in codes.DEFENDANT_STATUSES
    ):
        defendant = reader.code(defendant, codes.DEFENDANT_STATUSES, "case.compensation.defendant")
    return CompensationClaim(amounts[0], amounts[1], amounts[2], defendant)
