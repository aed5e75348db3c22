"""Disclosure control against an attacker who holds the whole release."""

from __future__ import annotations

import random

import pytest

from nrm.errors import Invalid
from nrm.statistics.disclosure import TOTAL, Parameters, Protected, Table, protect
from tests.statistics.attacker import intervals, row_differencing


def table(dims, categories, counts) -> Table:
    return Table(dims=tuple(dims), categories=tuple(tuple(c) for c in categories),
                 interior=dict(counts))


def random_table(seed: int, dims=("gender", "yearOfRegistration"),
                 sizes=(3, 5)) -> Table:
    rng = random.Random(seed)
    cats = [[f"{d}{i}" for i in range(n)] for d, n in zip(dims, sizes, strict=True)]
    import itertools
    counts = {key: rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 30])
              for key in itertools.product(*cats)}
    return table(dims, cats, counts)


def collapse(t: Table, keep: str) -> Table:
    """The same population by one dimension only (a table of the same release)."""
    i = t.dims.index(keep)
    counts: dict[tuple[str, ...], int] = {}
    for key, n in t.interior.items():
        counts[(key[i],)] = counts.get((key[i],), 0) + n
    return table((keep,), (t.categories[i],), counts)


def attack(release: list[Protected]):
    return intervals([(p.table.dims, p.counts) for p in release])


def true_value(release: list[Protected], cell) -> int:
    for p in release:
        if {d for d, _ in cell} <= set(p.table.dims):
            return p.table.value(p.table.key_of(cell))
    raise AssertionError(cell)


def small_cells(release: list[Protected], k: int) -> set:
    return {p.table.canonical(key) for p in release for key in p.table.keys()
            if 0 < p.table.value(key) < k}


def assert_nothing_recovered(release: list[Protected], k: int) -> None:
    found = attack(release)
    smalls = small_cells(release, k)
    assert smalls, "the test needs small cells to attack"
    for cell in smalls:
        low, high = found[cell]  # a small cell published would be missing here: KeyError
        assert high - low >= k - 1e-6, (cell, true_value(release, cell), low, high)
        assert low - 1e-6 <= true_value(release, cell) <= high + 1e-6


def test_every_cell_below_k_is_hidden_and_the_others_are_the_true_counts():
    t = random_table(1)
    (p,) = protect([t])
    for key, count in p.counts.items():
        if 0 < t.value(key) < 5:
            assert count is None
        elif count is not None:
            assert count == t.value(key)


@pytest.mark.parametrize("seed", range(8))
def test_the_attacker_recovers_no_cell_below_k_from_margins_or_linear_combinations(seed):
    release = protect([random_table(seed)])
    assert_nothing_recovered(release, 5)
    assert row_differencing(release[0].table.dims, release[0].counts) == {} or all(
        v >= 5 for v in row_differencing(release[0].table.dims, release[0].counts).values())


@pytest.mark.parametrize("seed", range(4))
def test_differencing_two_tables_of_one_release_recovers_no_cell_below_k(seed):
    crossed = random_table(100 + seed)
    release = protect([crossed, collapse(crossed, "gender"), collapse(crossed, "yearOfRegistration")])
    assert_nothing_recovered(release, 5)
    # One cell, one answer: a margin hidden in the crossed table is hidden in the one-way one.
    for key, count in release[1].counts.items():
        assert (count is None) == (release[0].counts[(key[0], TOTAL)] is None)


def test_tables_sharing_the_year_are_attacked_jointly():
    a = random_table(7, dims=("gender", "yearOfRegistration"), sizes=(2, 3))
    rng = random.Random(8)
    # citizenship × year over the same people: split each year's total across two countries.
    counts = {}
    for year in a.categories[1]:
        total = a.value((TOTAL, year))
        first = rng.randint(0, total)
        counts[("AL", year)] = first
        counts[("XK", year)] = total - first
    b = table(("citizenship", "yearOfRegistration"), (("AL", "XK"), a.categories[1]), counts)
    release = protect([a, b], parameters=Parameters(k=5))
    assert_nothing_recovered(release, 5)


def test_primary_suppression_alone_is_broken_by_the_attacker():
    """The attacker has teeth: hiding only the small cells gives them away."""
    t = table(("gender", "yearOfRegistration"), (("F", "M"), ("2025", "2026")),
              {("F", "2025"): 2, ("F", "2026"): 10, ("M", "2025"): 8, ("M", "2026"): 9})
    naive = Protected(table=t, counts={k: (None if 0 < t.value(k) < 5 else t.value(k))
                                       for k in t.keys()})
    assert row_differencing(t.dims, naive.counts) == {("F", "2025"): 2}
    low, high = attack([naive])[frozenset({("gender", "F"), ("yearOfRegistration", "2025")})]
    assert low == high == 2


def test_k_is_configurable():
    t = random_table(3)
    (p,) = protect([t], parameters=Parameters(k=10))
    assert all(count is None for key, count in p.counts.items() if 0 < t.value(key) < 10)
    assert_nothing_recovered([p], 10)


def test_rounding_publishes_multiples_of_the_base():
    (p,) = protect([random_table(4)], parameters=Parameters(k=5, rounding=5))
    assert all(c % 5 == 0 for c in p.counts.values() if c is not None)


def test_a_release_crossing_its_dimensions_in_a_cycle_is_refused():
    a = random_table(5, dims=("gender", "year"), sizes=(2, 2))
    b = table(("year", "age"), (a.categories[1], ("x", "y")),
              {(y, "x"): a.value((TOTAL, y)) for y in a.categories[1]})
    c = table(("age", "gender"), (("x", "y"), a.categories[0]),
              {("x", g): a.value((g, TOTAL)) for g in a.categories[0]})
    with pytest.raises(Invalid) as refused:
        protect([a, b, c])
    assert refused.value.field == "tables"


def test_tables_of_different_populations_are_refused_as_one_release():
    with pytest.raises(Invalid):
        protect([random_table(1), random_table(2)])
