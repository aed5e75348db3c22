"""Reads: indicator lists (reference data) and screenings, always scoped by the policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from nrm.audit.services import record
from nrm.authorities import access
from nrm.screening.models import IndicatorList, ListStatus, Screening


def indicator_list_in_force(
    *, on: dt.date, audience: str, exploitation: str
) -> IndicatorList | None:
    """The adopted list for this audience and form of exploitation on `on` (Art. 12.2)."""
    return (
        IndicatorList.objects.filter(
            Q(retired_on__isnull=True) | Q(retired_on__gt=on),
            status__in=[ListStatus.ADOPTED, ListStatus.RETIRED],
            adopted_on__lte=on,
            indicators__audience=audience,
            indicators__exploitation=exploitation,
        )
        .distinct()
        .order_by("-adopted_on", "-id")
        .first()
    )


def indicator_lists() -> QuerySet[IndicatorList]:
    """Every list, newest first; reference data that any official may read."""
    return IndicatorList.objects.order_by("-adopted_on", "-id")


def screening_list(*, user: Any, action: access.Action = access.Action.VIEW) -> QuerySet[Screening]:
    """Screenings of the cases the user may view (or change); never the grounds' text."""
    return (
        Screening.objects.filter(case__in=access.cases(user, action))
        .select_related("indicator_list", "screened_by", "institution", "decided_by", "case")
        .defer("grounds")
    )


@transaction.atomic
def screening_grounds(*, user: Any, screening: Screening, purpose: str = "") -> str | None:
    """The decision's grounds, to those who may see the person's identity (18, 35.1.5).

    None when the user may not; each reading is written to the audit chain.
    """
    if not access.identities(user).filter(pk=screening.case_id).exists():
        return None
    grounds = Screening.objects.values_list("grounds", flat=True).get(pk=screening.pk)
    record(actor=user, action="view", record_type="screening.screening", records=[screening],
           fields=["grounds"], purpose=purpose)
    return grounds or ""
