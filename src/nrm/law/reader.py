"""Reading fact values from plain data (YAML or JSON), naming the fact on any error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from nrm.law import codes
from nrm.law.errors import LawError

_CENT = Decimal("0.01")


class Reader:
    """One mapping of facts; every key read is ticked off, and ``done`` rejects the rest.

    An unknown key is rejected rather than ignored: a misspelt fact would
    otherwise pass silently as a missing one.
    """

    __slots__ = ("_data", "_prefix", "_seen")

    def __init__(self, data: Any, prefix: str) -> None:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise LawError(prefix or "facts", "must be a mapping of facts")
        if True in data and any(key is True for key in data):
            # YAML 1.1 reads an unquoted `on` key (an interview's date) as true.
            data = {("on" if key is True else key): value for key, value in data.items()}
        self._data: dict[Any, Any] = data
        self._prefix = prefix
        self._seen: set[str] = set()

    def path(self, name: str) -> str:
        return f"{self._prefix}.{name}" if self._prefix else name

    def _get(self, name: str) -> Any:
        self._seen.add(name)
        return self._data.get(name)

    def done(self) -> None:
        for key in self._data:
            if key not in self._seen:
                raise LawError(self.path(str(key)), "is not a fact the law engine knows")

    def section(self, name: str) -> Reader:
        return Reader(self._get(name), self.path(name))

    def section_or_none(self, name: str) -> Reader | None:
        value = self._get(name)
        return None if value is None else Reader(value, self.path(name))

    def items(self, name: str) -> Iterator[Reader]:
        value = self._get(name)
        if value is None:
            return
        if not isinstance(value, list):
            raise LawError(self.path(name), "must be a list")
        for index, item in enumerate(value):
            yield Reader(item, f"{self.path(name)}[{index}]")

    def boolean(self, name: str) -> bool | None:
        value = self._get(name)
        if value is None or isinstance(value, bool):
            return value
        raise LawError(self.path(name), f"must be true or false, not {value!r}")

    def text(self, name: str) -> str | None:
        value = self._get(name)
        if value is None or isinstance(value, str):
            return value
        raise LawError(self.path(name), f"must be text, not {value!r}")

    def code(self, name: str, allowed: frozenset[str]) -> str | None:
        value = self._get(name)
        if value is None:
            return None
        if not isinstance(value, str) or value not in allowed:
            raise LawError(
                self.path(name),
                f"unknown code {value!r}; expected one of {', '.join(sorted(allowed))}",
            )
        return value

    def codes(self, name: str, allowed: frozenset[str]) -> tuple[str, ...]:
        value = self._get(name)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise LawError(self.path(name), "must be a list of codes")
        for item in value:
            if not isinstance(item, str) or item not in allowed:
                raise LawError(
                    self.path(name),
                    f"unknown code {item!r}; expected any of {', '.join(sorted(allowed))}",
                )
        return tuple(dict.fromkeys(value))

    def country(self, name: str) -> str | None:
        value = self._get(name)
        if value is None:
            return None
        if not isinstance(value, str) or value.upper() not in codes.COUNTRIES:
            # YAML reads an unquoted NO (Norway) as false: say so.
            hint = (
                ' (quote codes YAML reads as booleans, e.g. "NO")'
                if isinstance(value, bool)
                else ""
            )
            raise LawError(
                self.path(name),
                f"unknown country code {value!r}; expected ISO 3166 alpha-2, XK for Kosovo{hint}",
            )
        return value.upper()

    def date(self, name: str) -> dt.date | None:
        value = self._get(name)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            raise LawError(self.path(name), f"must be a date without a time, not {value!r}")
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and len(value) == 10:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise LawError(self.path(name), f"{value!r} is not a real date") from None
        raise LawError(self.path(name), f"must be a date (YYYY-MM-DD), not {value!r}")

    def days(self, name: str) -> int | None:
        value = self._get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise LawError(self.path(name), f"must be a whole number of days, not {value!r}")
        if value < 0:
            raise LawError(self.path(name), f"cannot be negative ({value} days)")
        return value

    def cents(self, name: str) -> int | None:
        value = self._get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise LawError(self.path(name), f"must be an amount in euro, not {value!r}")
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise LawError(self.path(name), f"must be an amount in euro, not {value!r}") from None
        if not amount.is_finite():
            raise LawError(self.path(name), f"must be a finite amount, not {value!r}")
        if amount < 0:
            raise LawError(self.path(name), f"cannot be negative ({value} EUR)")
        # Amounts are kept to the cent (contract: amounts are compared to the cent).
        return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
