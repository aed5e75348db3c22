"""The attacker: holds every published cell of a release and solves for the hidden ones.

Written apart from the disclosure module: it models the full cross-classification of every
dimension of the release (not the linked tables the module solves), so it also checks that
the module's linked model is the attacker's best. It reads only what was published.
"""

from __future__ import annotations

import itertools
import math

import highspy
import numpy as np

TOTAL = "Total"


def intervals(published: list[tuple[tuple[str, ...], dict[tuple[str, ...], int | None]]]
              ) -> dict[frozenset[tuple[str, str]], tuple[float, float]]:
    """For every hidden cell of the release: the least and greatest count it may hold."""
    categories: dict[str, set[str]] = {}
    for dims, rows in published:
        for key in rows:
            for d, v in zip(dims, key, strict=True):
                if v != TOTAL:
                    categories.setdefault(d, set()).add(v)
    names = sorted(categories)
    joint = list(itertools.product(*[sorted(categories[d]) for d in names]))

    def columns(cell: dict[str, str]) -> list[int]:
        return [i for i, key in enumerate(joint)
                if all(cell.get(d, v) == v for d, v in zip(names, key, strict=True))]

    equalities: list[tuple[list[int], float]] = []
    hidden: set[frozenset[tuple[str, str]]] = set()
    for dims, rows in published:
        for key, count in rows.items():
            cell = {d: v for d, v in zip(dims, key, strict=True) if v != TOTAL}
            if count is None:
                hidden.add(frozenset(cell.items()))
            else:
                equalities.append((columns(cell), float(count)))
    found = {}
    for cell in hidden:
        target = columns(dict(cell))
        found[cell] = (_solve(len(joint), equalities, target, maximise=False),
                       _solve(len(joint), equalities, target, maximise=True))
    return found


def _solve(n: int, equalities: list[tuple[list[int], float]], target: list[int], *,
           maximise: bool) -> float:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.addVars(n, np.zeros(n), np.full(n, highspy.kHighsInf))
    cost = np.zeros(n)
    cost[target] = 1.0
    h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
    for cols, value in equalities:
        h.addRow(value, value, len(cols), np.array(cols, dtype=np.int32), np.ones(len(cols)))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
    h.run()
    if h.getModelStatus() == highspy.HighsModelStatus.kUnbounded:
        return math.inf if maximise else -math.inf
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return float(h.getInfo().objective_function_value)


def row_differencing(dims: tuple[str, ...], rows: dict[tuple[str, ...], int | None]
                     ) -> dict[tuple[str, ...], int]:
    """The simplest attack, by hand: a line of a table with one hidden cell gives it away."""
    recovered = {}
    for i in range(len(dims)):
        lines: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for key in rows:
            if key[i] != TOTAL:
                lines.setdefault(key[:i] + key[i + 1:], []).append(key)
        for rest, members in lines.items():
            total = rows.get(rest[:i] + (TOTAL,) + rest[i:])
            missing = [m for m in members if rows[m] is None]
            if total is not None and len(missing) == 1:
                recovered[missing[0]] = total - sum(rows[m] or 0 for m in members if m != missing[0])
    return recovered
