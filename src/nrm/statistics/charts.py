"""Charts drawn on the server as SVG geometry: no script, no inline style (strict CSP), and
they print. Only published counts reach a chart; a suppressed cell is drawn as a gap
labelled so, never as a bar whose length would give it away."""

from __future__ import annotations

from dataclasses import dataclass

from nrm.statistics.disclosure import TOTAL, Protected

WIDTH = 560
BAR = 22
GAP = 8
LABEL = 170


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None
    y: int
    width: int
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL


def bars(protected: Protected, *, dim: int = 0, title: str = "") -> Chart:
    """One dimension's margins of a published table as horizontal bars."""
    table = protected.table
    keys = [key for key in protected.counts
            if key[dim] != TOTAL and all(v == TOTAL for i, v in enumerate(key) if i != dim)]
    top = max([v for k in keys if (v := protected.counts[k]) is not None], default=0) or 1
    drawn = []
    for row, key in enumerate(keys):
        value = protected.counts[key]
        width = 0 if value is None else round((WIDTH - LABEL - 60) * value / top)
        y = row * (BAR + GAP)
        drawn.append(Bar(label=key[dim], value=value, y=y, width=width,
                         text_x=LABEL + width + 6, text_y=y + BAR - 6))
    return Chart(title=title or table.dims[dim], bars=drawn,
                 height=max(len(keys), 1) * (BAR + GAP))
