"""Reading fact values from plain data (YAML or JSON), naming the fact on any error.

``nrm.law.facts`` checks the common case inline (a value already of the right
type) and calls these functions for everything else: they either return the
value in its engine form or raise a LawError naming the dotted fact. No input
makes them raise anything else.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from nrm.law import codes
from nrm.law.errors import LawError

# Contract: any number of days over 36,500 (a hundred years) is impossible.
MAX_DAYS = 36_500
# No claim comes near a trillion euro; larger amounts are typing errors.
MAX_EURO = 1_000_000_000_000
_MAX_EURO = Decimal(MAX_EURO)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def show(value: Any) -> str:
    """A short repr for messages (a huge value is not echoed whole)."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a value whose repr fails is still named
        text = f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def mapping(value: Any, path: str) -> dict[Any, Any]:
    if isinstance(value, dict):
        return value
    raise LawError(path or "facts", f"must be a mapping of facts, not {show(value)}")


def unknown_key(data: dict[Any, Any], known: frozenset[str], prefix: str) -> LawError:
    """The error for the first key of `data` that is not a known fact."""
    for key in data:
        if not isinstance(key, str) or key not in known:
            shown = key if isinstance(key, str) else show(key)
            name = f"{prefix}.{shown}" if prefix else shown
            hint = " (YAML reads an unquoted on as true)" if key is True else ""
            return LawError(name, f"is not a fact the law engine knows{hint}")
    raise AssertionError("unknown_key called with only known keys")  # pragma: no cover


def boolean(value: Any, path: str) -> bool:
    raise LawError(path, f"must be true or false, not {show(value)}")


def text(value: Any, path: str) -> str:
    if isinstance(value, str):
        return value
    raise LawError(path, f"must be text, not {show(value)}")


def code(value: Any, allowed: frozenset[str], path: str) -> str:
    if isinstance(value, str) and value in allowed:
        return str(value)
    raise LawError(
        path, f"unknown code {show(value)}; expected one of {', '.join(sorted(allowed))}"
    )


def code_list(value: Any, allowed: frozenset[str], path: str) -> tuple[str, ...]:
    if value.__class__ is list:
        try:
            known = allowed.issuperset(value)
        except TypeError:  # an unhashable item: reported below
            known = False
        if known:
            return tuple(dict.fromkeys(value))
    if not isinstance(value, list):
        raise LawError(path, f"must be a list of codes, not {show(value)}")
    for item in value:
        if not isinstance(item, str) or item not in allowed:
            raise LawError(
                path,
                f"unknown code {show(item)}; expected any of {', '.join(sorted(allowed))}",
            )
    return tuple(dict.fromkeys(str(item) for item in value))


def country(value: Any, path: str) -> str:
    if isinstance(value, str) and value.isascii() and value.upper() in codes.COUNTRIES:
        return value.upper()
    # YAML reads an unquoted NO (Norway) as false: say so.
    hint = ' (quote codes YAML reads as booleans, e.g. "NO")' if isinstance(value, bool) else ""
    raise LawError(
        path,
        f"unknown country code {show(value)}; expected ISO 3166 alpha-2, XK for Kosovo{hint}",
    )


def date(value: Any, path: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise LawError(path, f"must be a date without a time, not {show(value)}")
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise LawError(path, f"{value!r} is not a real date") from None
    raise LawError(path, f"must be a date (YYYY-MM-DD), not {show(value)}")


def days(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise LawError(path, f"must be a whole number of days, not {show(value)}")
    if value < 0:
        raise LawError(path, f"cannot be negative ({show(value)} days)")
    if value > MAX_DAYS:
        raise LawError(
            path, f"{show(value)} days is impossible (more than {MAX_DAYS:,} days, a century)"
        )
    return int(value)


def cents(value: Any, path: str) -> int:
    """An amount in euro (number or text), kept in whole cents, rounded half up."""
    kind = value.__class__
    if kind is int and 0 <= value <= MAX_EURO:
        return int(value * 100)
    if kind is float and 0 <= value <= MAX_EURO:
        # The shortest decimal that reads back as this float, as a person wrote it:
        # to the cent without Decimal when it has at most two decimals.
        written = repr(value)
        whole, dot, fraction = written.partition(".")
        if dot and len(fraction) <= 2 and whole.isdigit() and fraction.isdigit():
            return int(whole) * 100 + int(fraction.ljust(2, "0"))
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise LawError(path, f"must be an amount in euro, not {show(value)}")
    if isinstance(value, int):
        if value < 0:
            raise LawError(path, f"cannot be negative ({show(value)} EUR)")
        if value > MAX_EURO:
            raise LawError(path, f"{show(value)} EUR is not a possible amount")
        amount = Decimal(value)
    else:
        try:
            amount = Decimal(value if isinstance(value, (str, Decimal)) else repr(value))
        except (InvalidOperation, ValueError):
            raise LawError(path, f"must be an amount in euro, not {show(value)}") from None
        if not amount.is_finite():
            raise LawError(path, f"must be a finite amount, not {show(value)}")
        if amount < 0:
            raise LawError(path, f"cannot be negative ({show(value)} EUR)")
        if amount > _MAX_EURO:
            raise LawError(path, f"{show(value)} EUR is not a possible amount")
    # Amounts are kept to the cent (contract: amounts are compared to the cent).
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
