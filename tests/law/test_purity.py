"""The engine is pure: no Django, no clock, no I/O inside the rules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LAW = Path(__file__).parents[2] / "src" / "nrm" / "law"


def test_importing_the_law_engine_imports_no_django() -> None:
    code = (
        "import sys, datetime, nrm.law, nrm.law.cli\n"
        "nrm.law.assess({'case': {'reasonable_grounds_on': '2026-01-01'}}, datetime.date(2026, 2, 1))\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(LAW.parents[1])}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)  # noqa: S603


def test_no_rule_reads_the_clock_or_does_io() -> None:
    forbidden = ("today(", "now(", "open(", "read_text(", "import django", "from django", "time.")
    sources = [LAW / "engine.py", LAW / "situation.py", *sorted((LAW / "rules").glob("*.py"))]
    for source in sources:
        content = source.read_text(encoding="utf-8")
        for word in forbidden:
            assert word not in content, f"{source.name} uses {word}"


def test_assess_gives_the_same_answer_twice() -> None:
    import datetime as dt

    from nrm.law import assess

    facts = {
        "person": {"birth_date": "2011-01-01"},
        "case": {"reasonable_grounds_on": "2026-01-01"},
    }
    on = dt.date(2026, 3, 1)
    assert assess(facts, on).to_dict() == assess(facts, on).to_dict()
