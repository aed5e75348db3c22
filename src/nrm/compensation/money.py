"""Exact amounts: euro as Decimal to the cent, the law engine's whole cents converted exactly."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from nrm.errors import Invalid
from nrm.law.reader import MAX_EURO as ENGINE_MAX_EURO

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# No claim comes near a trillion euro; a larger amount is a typing error.
MAX_EURO = Decimal("999999999999.99")
# The most the law engine accepts as one fact's amount (a total of harm, of receipts).
LAW_MAX_EURO = Decimal(ENGINE_MAX_EURO)


def from_cents(cents: int) -> Decimal:
    """The engine's whole cents as euro, exactly (never through a float)."""
    return (Decimal(int(cents)) / 100).quantize(CENT)


def euro(field: str, value: Any, *, positive: bool = False) -> Decimal:
    """An amount from input, refused naming `field` unless it is exact to the cent and
    not negative (nor zero, with `positive`). Floats are refused: they are not exact."""
    if isinstance(value, bool) or isinstance(value, float):
        raise Invalid(field, _("give the amount as exact decimal text, such as \"120.50\""))
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise Invalid(field, _("is not an amount in euro")) from None
    if not amount.is_finite():
        raise Invalid(field, _("is not an amount in euro"))
    if amount < 0:
        raise Invalid(field, _("an amount may not be negative"))
    if positive and amount == 0:
        raise Invalid(field, _("a payment is more than zero"))
    if amount != amount.quantize(CENT):
        raise Invalid(field, _("an amount is kept to the cent: at most two decimal places"))
    if amount > MAX_EURO:
        raise Invalid(field, _("is not a possible amount"))
    return amount.quantize(CENT)
