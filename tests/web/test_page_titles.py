"""A page's title block holds its title only: one left open swallowed the proceedings
pages' sections into the browser's title bar, where no official could read them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).parents[2] / "src" / "nrm").rglob("templates/**/*.html"))
TITLE = re.compile(r"{% block title %}(.*?){% endblock %}", re.S)


@pytest.mark.parametrize("path", [p for p in TEMPLATES if "{% block title %}" in p.read_text()],
                         ids=lambda p: p.name)
def test_a_title_block_closes_on_its_own_line_and_holds_no_markup(path: Path) -> None:
    found = TITLE.search(path.read_text())
    assert found, path
    assert "<" not in found.group(1) and "\n" not in found.group(1), found.group(1)[:80]
