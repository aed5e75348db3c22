"""Disclosure control for everything the National Reporter publishes (Art. 18).

A country's statistics are about a few hundred people a year, so a table is published
only through `protect()`:

- primary suppression: a cell (interior or margin) counting 1 to k-1 people is hidden;
- secondary suppression: more cells are hidden until no hidden small cell can be pinned
  down by an attacker who holds every published cell of the release, all its margins and
  every other table of the same release (differencing), and solves linear programmes over
  them. The attacker's model is solved exactly with HiGHS (highspy): for each hidden small
  cell we minimise and maximise its value subject to what is published; the cell is safe
  when the interval is at least k wide. The complements are chosen greedily (the smallest
  neighbouring count that can widen the interval); the audit, not the heuristic, is the
  guarantee.
- rounding, where asked: published counts to the nearest multiple of a base.

A release's tables must describe one population (the same source and filter) and their
dimensions must form an acyclic (decomposable) hypergraph: then tables linked only through
their shared margins are exactly as informative as the full cross-classification, so the
linked LP below is the attacker's best linear attack. A cyclic release (gender×age,
age×year, year×gender) is refused: publish it as separate releases.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

from nrm.errors import Invalid

TOTAL = "Total"
DEFAULT_K = 5
# What leaves the system is never protected by less: k may be raised for a release, never
# lowered below the floor (a count of 1-4 people in a country of Kosovo's size names them).
MIN_K = 5


def release_parameters(*, k: int = DEFAULT_K, rounding: int | None = None) -> Parameters:
    """Parameters for a release that leaves the system: k at least MIN_K."""
    if k < MIN_K:
        raise Invalid("k", f"k may not be below {MIN_K} for anything that leaves the system")
    return Parameters(k=k, rounding=rounding)

# A cell named independently of the table it appears in: the (dimension, value) pairs it
# fixes. The margin "Female" of gender×year and the cell "Female" of the gender table are
# one cell, suppressed in both or in neither (else differencing recovers it).
CellKey = frozenset[tuple[str, str]]


@dataclass(frozen=True)
class Table:
    """Interior counts of a cross-tabulation; margins are derived, never stored apart."""

    dims: tuple[str, ...]
    categories: tuple[tuple[str, ...], ...]
    interior: Mapping[tuple[str, ...], int]

    def keys(self) -> list[tuple[str, ...]]:
        """Every cell of the published table, interior then margins, `Total` last."""
        return list(itertools.product(*[(*cats, TOTAL) for cats in self.categories]))

    def value(self, key: Sequence[str]) -> int:
        return sum(
            count for cell, count in self.interior.items()
            if all(want == TOTAL or want == got for want, got in zip(key, cell, strict=True))
        )

    def canonical(self, key: Sequence[str]) -> CellKey:
        return frozenset((d, v) for d, v in zip(self.dims, key, strict=True) if v != TOTAL)

    def key_of(self, cell: CellKey) -> tuple[str, ...]:
        fixed = dict(cell)
        return tuple(fixed.get(d, TOTAL) for d in self.dims)

    def holds(self, cell: CellKey) -> bool:
        return {d for d, _ in cell} <= set(self.dims)


@dataclass
class Protected:
    """A table as published: its counts, the hidden cells, and why."""

    table: Table
    counts: dict[tuple[str, ...], int | None]
    primary: set[tuple[str, ...]] = field(default_factory=set)
    secondary: set[tuple[str, ...]] = field(default_factory=set)

    def rows(self) -> list[tuple[tuple[str, ...], int | None]]:
        return list(self.counts.items())


@dataclass(frozen=True)
class Parameters:
    k: int = DEFAULT_K
    rounding: int | None = None

    def as_dict(self) -> dict[str, int | None]:
        return {"k": self.k, "rounding": self.rounding}


def protect(tables: Sequence[Table], *, parameters: Parameters | None = None,
            published_with: Sequence[Protected] = ()) -> list[Protected]:
    """Suppress and round a release of tables so that no cell below k can be recovered.

    `published_with` are tables already published of the same population (the national
    release, say). The attacker holds them too: their published cells cannot be taken back,
    so none is chosen as a complement, their hidden cells stay hidden here, and their small
    hidden cells are audited again against everything the new tables add. The new tables
    are also protected as if published alone, for a recipient who holds only them.
    """
    params = parameters or Parameters()
    if params.k < 1:
        raise Invalid("k", "k must be at least 1")
    if params.rounding is not None and params.rounding < 1:
        raise Invalid("rounding", "the rounding base must be at least 1")
    if not tables:
        return []
    known = [p.table for p in published_with]
    everything = [*known, *tables]
    _check_release(everything)
    values: dict[CellKey, int] = {}
    for table in everything:
        for key in table.keys():
            values[table.canonical(key)] = table.value(key)
    locked = {p.table.canonical(key) for p in published_with
              for key, count in p.counts.items() if count is not None}
    primary = [c for c, v in sorted(values.items(), key=_order) if 0 < v < params.k]
    hidden: set[CellKey] = set(primary) | {
        p.table.canonical(key) for p in published_with
        for key, count in p.counts.items() if count is None}
    if published_with:
        # Also safe for a recipient who holds these tables alone (hiding more never narrows
        # an interval, so the union keeps both guarantees).
        hidden |= {p.table.canonical(key) for p in protect(tables, parameters=params)
                   for key, count in p.counts.items() if count is None}
    model = _LinkedModel(everything)
    # A small cell the earlier tables published (under a lower k) is hidden here as asked,
    # but it is public already: no complement can protect it, so it is not audited.
    for cell in (c for c in primary if c not in locked):
        # Hiding more only widens every interval, so a cell found safe stays safe.
        while True:
            low, high = model.bounds(cell, hidden, values)
            if high - low >= params.k:
                break
            complement = _complement(cell, everything, hidden | locked, values, params.k)
            if complement is None:
                if not published_with:
                    raise Invalid("tables", "no complement left to hide")  # nothing published
                # Every cell of the new tables the earlier ones did not publish is hidden:
                # this release adds nothing to what they already let anyone work out.
                break
            hidden.add(complement)
    return [_published(t, hidden, set(primary), params) for t in tables]


def _order(item: tuple[CellKey, int]) -> tuple[int, list[tuple[str, str]]]:
    cell, _ = item
    return (-len(cell), sorted(cell))


def _check_release(tables: Sequence[Table]) -> None:
    totals = {t.value((TOTAL,) * len(t.dims)) for t in tables}
    if len(totals) > 1:
        raise Invalid("tables", "the tables of one release must count one population")
    seen: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for dim, cats in zip(table.dims, table.categories, strict=True):
            if seen.setdefault(dim, cats) != cats:
                raise Invalid("tables", f"dimension {dim} has different categories in the release")
    if not _acyclic([set(t.dims) for t in tables]):
        raise Invalid("tables", "the release crosses its dimensions in a cycle; "
                                "publish those tables in separate releases")


def _acyclic(edges: list[set[str]]) -> bool:
    """GYO reduction: a hypergraph is acyclic when ears can be removed until nothing is left."""
    edges = [set(e) for e in edges if e]
    changed = True
    while changed and edges:
        changed = False
        for e in edges:
            lonely = {v for v in e if sum(v in f for f in edges) == 1}
            if lonely:
                e -= lonely
                changed = True
        kept: list[set[str]] = []
        for i, e in enumerate(edges):
            inside = any(e <= f for j, f in enumerate(edges) if j != i and (e != f or j < i))
            if e and not inside:
                kept.append(e)
            else:
                changed = True
        edges = kept
    return not edges


def _neighbours(cell: CellKey, tables: Sequence[Table]) -> list[CellKey]:
    """Cells sharing an additive constraint with `cell` in some table of the release."""
    found: list[CellKey] = []
    for table in tables:
        if not table.holds(cell):
            continue
        key = table.key_of(cell)
        for i, cats in enumerate(table.categories):
            if key[i] == TOTAL:
                options: Iterable[str] = cats
            else:
                options = [c for c in cats if c != key[i]] + [TOTAL]
            for option in options:
                found.append(table.canonical((*key[:i], option, *key[i + 1:])))
    return found


def _complement(cell: CellKey, tables: Sequence[Table], hidden: set[CellKey],
                values: Mapping[CellKey, int], k: int) -> CellKey | None:
    """The next cell to hide to widen `cell`'s interval; None when none is left."""
    candidates = [c for c in dict.fromkeys(_neighbours(cell, tables)) if c not in hidden]
    if not candidates:  # every neighbour hidden, yet linked tables still pin it: widen further
        candidates = [c for c in values if c not in hidden]
    if not candidates:
        return None

    def cost(c: CellKey) -> tuple[int, int, int, int]:
        v = values[c]
        # Prefer interior cells to margins, counts that widen the interval by k alone, then
        # the smallest loss of information.
        return (int(v == 0), -len(c), int(v < k), v)

    return min(candidates, key=cost)


def _published(table: Table, hidden: set[CellKey], primary: set[CellKey],
               params: Parameters) -> Protected:
    out = Protected(table=table, counts={})
    for key in table.keys():
        cell = table.canonical(key)
        if cell in hidden:
            out.counts[key] = None
            (out.primary if cell in primary else out.secondary).add(key)
            continue
        value = table.value(key)
        if params.rounding:
            value = int(params.rounding * math.floor(value / params.rounding + 0.5))
        out.counts[key] = value
    return out


class _LinkedModel:
    """The attacker's LP: each table's interior cells as unknowns, linked on shared margins.

    Built once per set of hidden cells (which only grows); each target then changes only
    the objective, so HiGHS re-solves from the last basis.
    """

    def __init__(self, tables: Sequence[Table]) -> None:
        self.tables = tables
        self.members: list[dict[tuple[str, ...], list[int]]] = []
        n = 0
        for table in tables:
            members: dict[tuple[str, ...], list[int]] = {}
            positions = range(len(table.dims))
            for offset, cell in enumerate(itertools.product(*table.categories)):
                for totals in itertools.product((False, True), repeat=len(table.dims)):
                    key = tuple(TOTAL if totals[i] else cell[i] for i in positions)
                    members.setdefault(key, []).append(n + offset)
            self.members.append(members)
            n += math.prod(len(c) for c in table.categories)
        self.n = n
        self.links: list[tuple[list[int], list[float]]] = []
        for a, b in itertools.combinations(range(len(tables)), 2):
            shared = [d for d in tables[a].dims if d in tables[b].dims]
            cats = [tables[a].categories[tables[a].dims.index(d)] for d in shared]
            for combo in itertools.product(*cats):
                cell = frozenset(zip(shared, combo, strict=True))
                left, right = self._columns(a, cell), self._columns(b, cell)
                self.links.append((left + right, [1.0] * len(left) + [-1.0] * len(right)))
        self._built: int | None = None
        self._highs: highspy.Highs | None = None

    def _columns(self, t: int, cell: CellKey) -> list[int]:
        return self.members[t].get(self.tables[t].key_of(cell), [])

    def _build(self, hidden: set[CellKey], values: Mapping[CellKey, int]) -> highspy.Highs:
        if self._highs is not None and self._built == len(hidden):
            return self._highs
        lower = np.zeros(self.n)
        upper = np.full(self.n, highspy.kHighsInf)
        rows: list[tuple[list[int], list[float], float]] = []
        for t, table in enumerate(self.tables):
            for key, cols in self.members[t].items():
                cell = table.canonical(key)
                if cell in hidden:
                    continue
                if len(cols) == 1:
                    lower[cols[0]] = upper[cols[0]] = values[cell]
                else:
                    rows.append((cols, [1.0] * len(cols), float(values[cell])))
        rows.extend((cols, coefs, 0.0) for cols, coefs in self.links)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.addVars(self.n, lower, upper)
        if rows:
            rhs = np.array([r[2] for r in rows])
            starts = np.cumsum([0] + [len(r[0]) for r in rows[:-1]]).astype(np.int32)
            index = np.array([c for r in rows for c in r[0]], dtype=np.int32)
            coef = np.array([c for r in rows for c in r[1]])
            h.addRows(len(rows), rhs, rhs, len(index), starts, index, coef)
        self._highs, self._built = h, len(hidden)
        return h

    def bounds(self, target: CellKey, hidden: set[CellKey],
               values: Mapping[CellKey, int]) -> tuple[float, float]:
        h = self._build(hidden, values)
        owner = next(t for t, table in enumerate(self.tables) if table.holds(target))
        cost = np.zeros(self.n)
        cost[self._columns(owner, target)] = 1.0
        h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), cost)
        return (self._solve(h, maximise=False), self._solve(h, maximise=True))

    @staticmethod
    def _solve(h: highspy.Highs, *, maximise: bool) -> float:
        h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return math.inf if maximise else -math.inf
        if status != highspy.HighsModelStatus.kOptimal:
            raise Invalid("tables", f"the disclosure check could not be solved ({status})")
        return float(h.getInfo().objective_function_value)
