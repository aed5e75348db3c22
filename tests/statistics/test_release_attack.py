"""The attacker against the dashboard's real release: every national table at once."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.statistics.dashboard import national_figures
from nrm.statistics.disclosure import Parameters
from tests.statistics.attacker import intervals
from tests.statistics.conftest import cases

pytestmark = pytest.mark.django_db


def test_no_cell_below_k_of_the_national_release_is_recoverable_from_all_its_tables(
        police_institution, coordinator):
    cases(police_institution, 14, sex="female", year=2025, exploitation=["sexual"])
    cases(police_institution, 3, sex="female", year=2025, citizenship="AL", child=True,
          exploitation=["sexual"])
    cases(police_institution, 9, sex="male", year=2026, exploitation=["forced_labour"])
    cases(police_institution, 2, sex="male", year=2026, citizenship="MD",
          exploitation=["begging"])
    cases(police_institution, 6, sex="female", year=2026, citizenship="AL",
          exploitation=["begging", "sexual"])
    cases(police_institution, 1, sex="other", year=2025, citizenship="MD", child=True)
    figures = national_figures(user=coordinator, on=dt.date(2026, 12, 1), recipient="test",
                               channel="test")
    published = list(figures.tables.values())
    # The same tables under k = 10, for a recipient who asked for more, beside the dashboard.
    stricter = national_figures(user=coordinator, on=dt.date(2026, 12, 1), recipient="test",
                                channel="test", parameters=Parameters(k=10))
    for p in stricter.tables.values():
        assert all(count is None for key, count in p.counts.items()
                   if 0 < p.table.value(key) < 10)
    found = intervals([(p.table.dims, p.counts)
                       for p in (*published, *stricter.tables.values())])
    small = {p.table.canonical(key) for p in published for key in p.table.keys()
             if 0 < p.table.value(key) < 5}
    assert small
    for cell in small:
        low, high = found[cell]  # KeyError: a small cell was published
        assert high - low >= 5 - 1e-6, (sorted(cell), low, high)


@pytest.mark.parametrize("seed", range(6))
def test_an_ad_hoc_table_and_the_national_release_together_pin_no_small_cell(
        police_institution, coordinator, seed):
    # The attacker holds the dashboard (year×citizenship, year×region) and then asks for
    # citizenship×region: the two share the citizenship and region margins, so a margin
    # hidden in one and published in the other, or complements chosen apart, would give a
    # small cell away by differencing.
    import random

    from nrm.cases.models import Case
    from nrm.statistics.disclosure import TOTAL
    from nrm.statistics.selectors import table_count
    from nrm.statistics.services import table_release

    rng = random.Random(seed)
    regions = ["prishtina", "prizren", "peja", "gjilan", "abroad", ""]
    for citizenship, n in (("XK", 30), ("AL", 9), ("RS", 4), ("MD", 2), ("", 1)):
        for case in cases(police_institution, n, citizenship=citizenship,
                          year=rng.choice([2025, 2026]), child=rng.random() < 0.3):
            Case.objects.filter(pk=case.pk).update(region=rng.choice(regions))
    figures = national_figures(user=coordinator, on=dt.date(2026, 12, 1), recipient="test",
                               channel="test")
    national = [figures.tables[("yearOfRegistration", d)] for d in ("citizenship", "region")]
    _, _, adhoc = table_release(actor=coordinator, dims=("citizenship", "region"),
                                recipient="test")
    published = [(p.table.dims, p.counts) for p in national] + [(adhoc.table.dims, adhoc.counts)]
    found = intervals(published)
    truth = table_count(user=coordinator, dims=("citizenship", "region"))
    small = {p.table.canonical(key) for p in national for key in p.table.keys()
             if 0 < p.table.value(key) < 5}
    small |= {truth.canonical(key) for key in truth.keys() if 0 < truth.value(key) < 5}
    assert small
    for cell in small:
        low, high = found[cell]  # KeyError: a small cell was published
        assert high - low >= 5 - 1e-6, (seed, sorted(cell), low, high)
    assert TOTAL in {key[0] for key in adhoc.counts}
