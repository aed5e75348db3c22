"""Shared helpers for the law engine's tests (plain pytest, no Django)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]
SCENARIOS = REPO / "src" / "nrm" / "law" / "scenarios"
EXAMPLES = REPO.parent / "shared" / "law" / "examples.yaml"


@pytest.fixture
def examples() -> Path:
    if not EXAMPLES.exists():
        pytest.skip("the shared contract examples are not beside this checkout")
    return EXAMPLES
