"""Differentially private counts, where a release asks for them (`--epsilon`), with OpenDP.

Each person counts in exactly one interior cell of a table, so adding or removing one
changes the vector of interior counts by 1 in L1: OpenDP's discrete Laplace mechanism on
that vector, scale 1/epsilon, is epsilon-DP. Everything after it is post-processing and
costs no budget: negative counts clamped to 0, margins summed from the noisy cells, and the
same suppression as every release (so no published figure is below k, noisy or not).

The categories must be public, or a category seen only once would give its person away
whatever the noise: a DP table accepts only dimensions whose values are known beforehand.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import opendp.prelude as dp

from nrm.authorities.models import Institution
from nrm.cases.models import AgeGroup, Region, Stage
from nrm.errors import Invalid
from nrm.statistics.dimensions import UNKNOWN
from nrm.statistics.disclosure import Table

FORMS = ("sexual", "pornography", "begging", "forced_labour", "slavery", "servitude",
         "organ_removal", "forced_marriage", "illegal_adoption", "other", "multiple", UNKNOWN)
FIRST_YEAR = 2013  # Law No. 04/L-218 was adopted in 2013: no case is registered before it


def public_categories(dim: str, *, today: dt.date) -> tuple[str, ...]:
    domains: dict[str, Any] = {
        "gender": lambda: ("Female", "Male", "Other", UNKNOWN),
        "majorityStatus": lambda: ("Adult", "Minor"),
        "ageBroad": lambda: tuple(AgeGroup.values),  # its last band is UNKNOWN itself
        "region": lambda: (*Region.values, UNKNOWN),
        "typeOfExploit": lambda: FORMS,
        "stage": lambda: tuple(Stage.values),
        "yearOfRegistration": lambda: tuple(str(y) for y in range(FIRST_YEAR, today.year + 1)),
        "registeredBy": lambda: tuple(Institution.objects.order_by("code")
                                      .values_list("code", flat=True)),
    }
    if dim not in domains:
        raise Invalid("epsilon", f"{dim} has no public list of values, so it cannot be released "
                                 f"with differential privacy (one of {', '.join(domains)})")
    return tuple(domains[dim]())


def noisy(table: Table, *, epsilon: float, today: dt.date) -> Table:
    """The table with epsilon-DP interior counts over public categories."""
    if not epsilon > 0:
        raise Invalid("epsilon", "epsilon must be greater than 0")
    categories = tuple(public_categories(d, today=today) for d in table.dims)
    for dim, cats, seen in zip(table.dims, categories, table.categories, strict=True):
        if set(seen) - set(cats):
            raise Invalid("epsilon", f"{dim} holds values outside its public list")
    keys = list(itertools.product(*categories))
    dp.enable_features("contrib")
    mechanism = dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)),
                                  dp.l1_distance(T=int), scale=1.0 / epsilon)
    released = mechanism([int(table.interior.get(k, 0)) for k in keys])
    return Table(dims=table.dims, categories=categories,
                 interior={k: max(0, int(v)) for k, v in zip(keys, released, strict=True)})


def spent(epsilon: float) -> float:
    """The budget one table at this epsilon costs (checked with OpenDP's own map)."""
    dp.enable_features("contrib")
    mechanism = dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)),
                                  dp.l1_distance(T=int), scale=1.0 / epsilon)
    return float(mechanism.map(1))
