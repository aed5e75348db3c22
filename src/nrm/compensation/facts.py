"""The claim as the law engine's `case.compensation` fact (CONTRACT.md; 42.4, 44).

The engine reads the harm assessed, what the defendant paid, what other sources paid and
the defendant's status; it proposes the decision. Only a claim for state compensation is
that fact; the latest one not withdrawn stands for the case. Amounts go as exact decimal
text, to the cent, never floats. Three queries for any number of cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from nrm.compensation.models import Basis, Claim, ClaimStatus, HarmItem, Receipt, Source
from nrm.compensation.money import ZERO


def read(case_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    claims: dict[int, Claim] = {}
    for claim in (Claim.objects.filter(case_id__in=list(case_ids), basis=Basis.STATE_COMPENSATION)
                  .exclude(status=ClaimStatus.WITHDRAWN).order_by("case_id", "filed_on", "pk")
                  .only("pk", "case_id", "defendant")):
        claims[claim.case_id] = claim  # the latest filed wins
    if not claims:
        return {}
    ids = [claim.pk for claim in claims.values()]
    # Summed here, not by the database: SQLite sums decimals as floats, and amounts are exact.
    harm: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for claim_id, amount in HarmItem.objects.filter(claim_id__in=ids).values_list("claim_id", "amount"):
        harm[claim_id] += amount
    received: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for claim_id, source, amount in (Receipt.objects.filter(claim_id__in=ids)
                                     .values_list("claim_id", "source", "amount")):
        received[(claim_id, source)] += amount
    found: dict[int, dict[str, Any]] = {}
    for case_id, claim in claims.items():
        fact: dict[str, Any] = {
            "assessed_harm": str(harm[claim.pk]),
            "paid_by_defendant": str(received[(claim.pk, Source.OFFENDER)]),
            "other_compensation": str(received[(claim.pk, Source.INSURANCE)]
                                      + received[(claim.pk, Source.OTHER)]),
        }
        if claim.defendant:
            fact["defendant"] = claim.defendant
        found[case_id] = {"compensation": fact}
    return found
