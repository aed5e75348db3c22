"""What the engine returns: an Assessment in the contract's vocabulary.

``Assessment.to_dict()`` is the contract's JSON shape: dates as ISO strings,
amounts as JSON numbers in euro rounded to the cent (floats), None as null.
``to_dict(reasons=True)`` adds, beside the contract's keys, why each item has
its date or which fact caused it (``reason``), the arithmetic of the
compensation, and the missing facts in plain words.

Items and the assessment are named tuples: immutable like frozen dataclasses, but several times
cheaper to make, which matters when every case in the country is
re-assessed every night.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from nrm.law.codes import fact_words
from nrm.law.versions import Article, LawVersion

_TEXTS: dict[str, None] = {}


def reason_text(text: str) -> str:
    """Declare the English words of a reason (they are listed for translation)."""
    _TEXTS[text] = None
    return text


def reason_texts() -> tuple[str, ...]:
    """Every reason's words declared by a rule (the rule modules must be imported)."""
    return tuple(_TEXTS)


class Euro(NamedTuple):
    """An amount in a reason's words, in euro cents."""

    cents: int


ReasonValue = dt.date | int | str | Euro | None


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def euro(amount: Euro) -> str:
    return f"EUR {amount.cents / 100:,.2f}"


def _identity(text: str) -> str:
    return text


class _Filled(dict[str, str]):
    """Placeholders with no value read as an ellipsis rather than failing."""

    def __missing__(self, key: str) -> str:
        return "…"


class Reason(NamedTuple):
    """Why an item has its date, or which fact caused a violation.

    `text` is English with ``%(name)s`` placeholders, filled from `values` and
    from the item's own dates (``from``, ``until``, ``due``); `set_by` is the
    provision that set the date, `fact` the dotted fact it rests on.
    `open_end` marks words that stand instead of a date ("no period granted yet").
    """

    text: str
    set_by: Article | None = None
    fact: str | None = None
    values: tuple[tuple[str, ReasonValue], ...] = ()
    # True when the words say why the item has no end or due date yet
    # ("no reflection period has been granted yet"), rather than why it has one.
    open_end: bool = False

    def words(
        self,
        dates: Mapping[str, dt.date | None] | None = None,
        *,
        translate: Callable[[str], str] = _identity,
        day: Callable[[dt.date], str] = dt.date.isoformat,
        money: Callable[[Euro], str] = euro,
    ) -> str:
        """The reason in words; `translate` may give them in another language."""
        shown: dict[str, str] = {}
        for name, value in (*(dates or {}).items(), *self.values):
            if isinstance(value, dt.date):
                shown[name] = day(value)
            elif isinstance(value, Euro):
                shown[name] = money(value)
            elif isinstance(value, str):
                shown[name] = translate(value)
            else:
                shown[name] = "" if value is None else str(value)
        filled = _Filled(shown)
        try:
            return translate(self.text) % filled
        except (ValueError, TypeError):
            # A translation with a broken placeholder: the English words still say it.
            return self.text % filled

    def to_dict(self, dates: Mapping[str, dt.date | None] | None = None) -> dict[str, Any]:
        return {"set_by": self.set_by, "fact": self.fact, "text": self.words(dates)}


class Entitlement(NamedTuple):
    """A right the person has (contract: entitlements)."""

    code: str
    article: Article
    from_: dt.date | None = None
    until: dt.date | None = None
    min_days: int | None = None
    max_days: int | None = None
    reason: Reason | None = None

    def dates(self) -> dict[str, dt.date | None]:
        return {"from": self.from_, "until": self.until}

    def to_dict(self, reasons: bool = False) -> dict[str, Any]:
        found: dict[str, Any] = {
            "code": self.code,
            "article": self.article,
            "from": _iso(self.from_),
            "until": _iso(self.until),
            "min_days": self.min_days,
            "max_days": self.max_days,
        }
        if reasons:
            found["reason"] = None if self.reason is None else self.reason.to_dict(self.dates())
        return found


class Obligation(NamedTuple):
    """What an authority must do; due None means at once, with no date."""

    code: str
    article: Article
    due: dt.date | None = None
    reason: Reason | None = None

    def dates(self) -> dict[str, dt.date | None]:
        return {"due": self.due}

    def to_dict(self, reasons: bool = False) -> dict[str, Any]:
        found: dict[str, Any] = {"code": self.code, "article": self.article, "due": _iso(self.due)}
        if reasons:
            found["reason"] = None if self.reason is None else self.reason.to_dict(self.dates())
        return found


class Prohibition(NamedTuple):
    """What no authority may do; until None means open-ended."""

    code: str
    article: Article
    until: dt.date | None = None
    reason: Reason | None = None

    def dates(self) -> dict[str, dt.date | None]:
        return {"until": self.until}

    def to_dict(self, reasons: bool = False) -> dict[str, Any]:
        found: dict[str, Any] = {
            "code": self.code,
            "article": self.article,
            "until": _iso(self.until),
        }
        if reasons:
            found["reason"] = None if self.reason is None else self.reason.to_dict(self.dates())
        return found


class Violation(NamedTuple):
    """What the facts show was already done against the law, and the fact that shows it."""

    code: str
    article: Article
    reason: Reason | None = None

    def dates(self) -> dict[str, dt.date | None]:
        return {}

    def to_dict(self, reasons: bool = False) -> dict[str, Any]:
        found: dict[str, Any] = {"code": self.code, "article": self.article}
        if reasons:
            found["reason"] = None if self.reason is None else self.reason.to_dict()
        return found


class Arithmetic(NamedTuple):
    """How a compensation amount was reached (42.4, 44.3), in euro cents."""

    assessed_harm_cents: int
    other_compensation_cents: int
    paid_by_defendant_cents: int

    @property
    def due_cents(self) -> int:
        """What is due after other compensation (44.3), never below 0."""
        return max(self.assessed_harm_cents - self.other_compensation_cents, 0)

    def to_dict(self) -> dict[str, float]:
        return {
            "assessed_harm": self.assessed_harm_cents / 100,
            "other_compensation": self.other_compensation_cents / 100,
            "due": self.due_cents / 100,
            "paid_by_defendant": self.paid_by_defendant_cents / 100,
        }


class CompensationDecision(NamedTuple):
    """State compensation (42.4, 44); the amount in euro cents."""

    decision: str
    amount_cents: int
    article: Article
    reason: Reason | None = None
    arithmetic: Arithmetic | None = None

    def to_dict(self, reasons: bool = False) -> dict[str, Any]:
        found: dict[str, Any] = {
            "decision": self.decision,
            "amount": self.amount_cents / 100,
            "article": self.article,
        }
        if reasons:
            found["reason"] = None if self.reason is None else self.reason.to_dict()
            found["arithmetic"] = None if self.arithmetic is None else self.arithmetic.to_dict()
        return found


Item = Entitlement | Obligation | Prohibition | Violation


class Assessment(NamedTuple):
    on: dt.date
    law: LawVersion
    child: bool
    child_basis: str | None
    vulnerable: bool
    vulnerable_grounds: tuple[str, ...]
    entitlements: tuple[Entitlement, ...]
    obligations: tuple[Obligation, ...]
    prohibitions: tuple[Prohibition, ...]
    violations: tuple[Violation, ...]
    compensation: CompensationDecision | None
    missing_facts: tuple[str, ...]

    def codes(self) -> set[str]:
        """Every code in the four lists."""
        found: set[str] = set()
        for items in (self.entitlements, self.obligations, self.prohibitions, self.violations):
            found.update(item.code for item in items)
        return found

    def items(self) -> tuple[Item, ...]:
        """The four lists in one, in the contract's order."""
        return (*self.entitlements, *self.obligations, *self.prohibitions, *self.violations)

    def to_dict(self, reasons: bool = False) -> dict[str, Any]:
        """The assessment in exactly the contract's vocabulary.

        With `reasons`, each item also says why (``reason``), the compensation
        shows its arithmetic, and ``missing_facts_in_words`` gives each missing
        fact in plain words beside its dotted name.
        """
        found = {
            "child": self.child,
            "child_basis": self.child_basis,
            "vulnerable": self.vulnerable,
            "vulnerable_grounds": list(self.vulnerable_grounds),
            "entitlements": [item.to_dict(reasons) for item in self.entitlements],
            "obligations": [item.to_dict(reasons) for item in self.obligations],
            "prohibitions": [item.to_dict(reasons) for item in self.prohibitions],
            "violations": [item.to_dict(reasons) for item in self.violations],
            "compensation": None
            if self.compensation is None
            else self.compensation.to_dict(reasons),
            "missing_facts": list(self.missing_facts),
        }
        if reasons:
            found["missing_facts_in_words"] = [
                {"fact": name, "words": fact_words(name)} for name in self.missing_facts
            ]
        return found
