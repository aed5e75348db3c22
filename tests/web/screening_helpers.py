"""Indicator codes from the shipped list, chosen by what they are, never by hand."""

from __future__ import annotations

from nrm.screening.models import IndicatorList


def shipped() -> IndicatorList:
    return IndicatorList.objects.get(code="ilo-eu-2009")


def codes(audience: str, exploitation: str, dimension: str, strength: str, n: int) -> list[str]:
    found = list(shipped().indicators.filter(
        audience=audience, exploitation=exploitation, dimension=dimension, strength=strength,
    ).order_by("code").values_list("code", flat=True)[:n])
    assert len(found) == n
    return found


def trafficked_adult() -> list[str]:
    """Enough for every element of the adult labour list (ILO/EC 2009 rule)."""
    return (codes("adult", "labour", "deceptive_recruitment", "strong", 1)
            + codes("adult", "labour", "deceptive_recruitment", "medium", 1)
            + codes("adult", "labour", "exploitative_conditions", "medium", 3)
            + codes("adult", "labour", "coercion_at_destination", "strong", 2))
