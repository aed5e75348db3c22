"""The attacker against the dashboard's real release: every national table at once."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.statistics.dashboard import national_figures
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
    found = intervals([(p.table.dims, p.counts) for p in published])
    small = {p.table.canonical(key) for p in published for key in p.table.keys()
             if 0 < p.table.value(key) < 5}
    assert small
    for cell in small:
        low, high = found[cell]  # KeyError: a small cell was published
        assert high - low >= 5 - 1e-6, (sorted(cell), low, high)
