"""The facts seen on one date: what every rule needs, worked out once.

Age, childhood, vulnerability and victim status are decided here, because
nearly every rule depends on them; the rules then stay small.
"""

from __future__ import annotations

import datetime as dt

from nrm.law import codes
from nrm.law.facts import Case, Facts, Person
from nrm.law.versions import LawVersion, Params

_LAST_ORDINAL = dt.date.max.toordinal()
# A derived value not worked out yet.
UNSET = object()


def plus(day: dt.date, days: int) -> dt.date:
    """`day` + `days`, held at the calendar's last day: no input overflows the calendar."""
    ordinal = day.toordinal() + days
    return dt.date.max if ordinal > _LAST_ORDINAL else dt.date.fromordinal(ordinal)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years on `day` (contract: age in whole years on `on`).

    Reading: someone born on 29 February turns a year older on 1 March in a
    common year, since the birthday has not yet come on 28 February.
    """
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class Situation:
    """Derived facts for one assessment; rules read these and the raw facts."""

    __slots__ = (
        "on",
        "law",
        "p",
        "person",
        "case",
        "age",
        "ascertained",
        "child",
        "child_basis",
        "vulnerable_grounds",
        "status_from",
        "recognised",
        "foreigner",
        "abroad",
        "proceedings_status",
        "under_way",
        "missing",
        "window",
    )

    def __init__(self, facts: Facts, on: dt.date, law: LawVersion, params: Params) -> None:
        self.on = on
        self.law = law
        self.p = params
        person: Person = facts.person
        case: Case = facts.case
        self.person = person
        self.case = case
        # Dotted names of facts whose absence leaves a result undecided (kept in order).
        self.missing: dict[str, None] = {}
        # The lawful reflection period, worked out once by the first rule that needs it.
        self.window: object = UNSET

        birth = person.birth_date
        self.age = None if birth is None else age_on(birth, on)
        # Contract: age_ascertained defaults to true when a birth date is given.
        ascertained = person.age_ascertained
        if ascertained is None:
            ascertained = birth is not None
        self.ascertained = ascertained
        self._decide_child()

        grounds: list[str] = []
        if self.child:
            grounds.append("child")
        if person.disability:
            grounds.append("disability")
        if person.pregnant:
            grounds.append("pregnant")
        if person.domestic_partner_of_offender:
            grounds.append("domestic_partner")
        # 3.1.3: a vulnerable victim is a child, a person with a disability or
        # diminished capacity, a pregnant woman or a domestic partner.
        self.vulnerable_grounds = tuple(grounds)
        if not grounds:
            if person.disability is None:
                self.missing["person.disability"] = None
            if person.domestic_partner_of_offender is None:
                self.missing["person.domestic_partner_of_offender"] = None
            if person.pregnant is None and person.sex in (None, "female"):
                self.missing["person.pregnant"] = None

        # 20.5, 9.2: assistance is owed once an authority has reasonable grounds.
        # Settled reading: an identification (Art. 12) implies such grounds, so
        # rights run from it when the grounds' date was not recorded, and that
        # date is still named as missing.
        self.status_from = case.reasonable_grounds_on or case.identified_on
        self.recognised = self.status_from is not None and self.status_from <= on
        if case.reasonable_grounds_on is None:
            self.missing["case.reasonable_grounds_on"] = None

        citizenship = person.citizenship
        self.foreigner = None if citizenship is None else citizenship != codes.KOSOVO
        if citizenship is None:
            self.missing["person.citizenship"] = None
        # Settled reading: `located` absent means in Kosovo; abroad, nothing about
        # residence in Kosovo applies.
        self.abroad = case.located == "abroad"

        proceedings = case.proceedings
        self.proceedings_status = None if proceedings is None else proceedings.status
        self.under_way = self.proceedings_status in codes.PROCEEDINGS_UNDER_WAY

    def _decide_child(self) -> None:
        person = self.person
        age = self.age
        if self.ascertained and age is not None:
            # 3.1.2: a child is a person under eighteen.
            self.child = age < self.p.child_age
            self.child_basis = "age" if self.child else None
        elif not self.ascertained and (
            person.believed_under_18 or (age is not None and age < self.p.child_age)
        ):
            # Art. 36: age not ascertained but reasons to believe the person is
            # under 18 (a recorded but unconfirmed birth date showing it is such a
            # reason): treated as a child until the age is finally ascertained.
            self.child = True
            self.child_basis = "presumption"
        else:
            self.child = False
            self.child_basis = None
            if age is None:
                self.missing["person.birth_date"] = None
                if person.believed_under_18 is None and not self.ascertained:
                    self.missing["person.believed_under_18"] = None

    def child_at(self, day: dt.date) -> bool:
        """Whether the person was a child on `day` (for interviews and admissions)."""
        if self.child_basis == "presumption":
            return True
        if self.ascertained and self.person.birth_date is not None:
            return age_on(self.person.birth_date, day) < self.p.child_age
        return False

    def need(self, name: str) -> None:
        """Record a fact whose absence leaves a result undecided."""
        self.missing[name] = None
