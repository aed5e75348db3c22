"""``nrm law bench``: how many assessments per second one core can do.

Fact sets are generated deterministically (random.Random(seed)) so that runs
compare; they vary every fact the rules read. Both figures come from one run.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import time
from typing import Any

from nrm.law import codes
from nrm.law.engine import assess
from nrm.law.facts import Facts

ON = dt.date(2026, 6, 1)
_COUNTRIES = ("XK", "XK", "XK", "AL", "MD", "RS", "UA", "NG", "NO")


def _maybe(rng: random.Random, value: Any, p: float = 0.7) -> Any:
    return value if rng.random() < p else None


def _day(rng: random.Random, start: dt.date, span: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span))


def generate(rng: random.Random, on: dt.date = ON) -> dict[str, Any]:
    """One plausible set of facts, valid on `on`."""
    birth = _day(rng, dt.date(1960, 1, 1), (on - dt.date(1960, 1, 1)).days)
    grounds = _day(rng, on - dt.timedelta(days=400), 420)
    person = {
        "birth_date": _maybe(rng, birth, 0.8),
        "age_ascertained": _maybe(rng, rng.random() < 0.8, 0.4),
        "believed_under_18": _maybe(rng, rng.random() < 0.3, 0.4),
        "sex": rng.choice(sorted(codes.SEXES)),
        "pregnant": _maybe(rng, rng.random() < 0.1),
        "disability": _maybe(rng, rng.random() < 0.1),
        "domestic_partner_of_offender": _maybe(rng, rng.random() < 0.1),
        "citizenship": _maybe(rng, rng.choice(_COUNTRIES), 0.9),
        "stay": _maybe(rng, rng.choice(("regular", "irregular"))),
        "parental_care": _maybe(rng, rng.random() < 0.6),
        "lacks_means": _maybe(rng, rng.random() < 0.5),
        "asylum_requested": _maybe(rng, rng.random() < 0.2),
    }
    case: dict[str, Any] = {
        "reasonable_grounds_on": _maybe(rng, grounds, 0.95),
        "identified_on": _maybe(rng, grounds + dt.timedelta(days=rng.randrange(60)), 0.5),
        "located": _maybe(rng, rng.choice(("kosovo", "abroad"))),
        "exploitation": rng.sample(sorted(codes.EXPLOITATION_TYPES), rng.randrange(3)),
        "cooperating": _maybe(rng, rng.random() < 0.5),
        "risk_to_life": _maybe(rng, rng.random() < 0.2),
        "organized_crime_involvement": _maybe(rng, rng.random() < 0.05),
        "presence_needed_for_proceedings": _maybe(rng, rng.random() < 0.3),
        "wants_to_return": _maybe(rng, rng.random() < 0.3),
    }
    if rng.random() < 0.6:
        case["reflection"] = {"start": grounds, "days": rng.randrange(10, 120)}
    if rng.random() < 0.2:
        case["deportation_ordered_on"] = _day(rng, grounds, 120)
    if rng.random() < 0.6:
        status = rng.choice(sorted(codes.PROCEEDINGS_STATUSES))
        case["proceedings"] = {
            "status": status,
            "concluded_on": _day(rng, grounds, 300) if status == "concluded" else None,
            "statement_withdrawn": rng.random() < 0.1,
        }
    case["interviews"] = [
        {
            "on": _day(rng, grounds, 200),
            "interviewer": f"officer-{i}",
            "child_appropriate_premises": rng.random() < 0.8,
            "exceptional": rng.random() < 0.2,
        }
        for i in range(rng.randrange(3))
    ]
    if rng.random() < 0.5:
        admitted = _day(rng, grounds, 100)
        case["accommodation"] = {
            "admitted_on": admitted,
            "days": rng.randrange(20, 100),
            "left_on": _maybe(rng, admitted + dt.timedelta(days=rng.randrange(200)), 0.3),
            "extensions": [
                {"basis": rng.choice(sorted(codes.EXTENSION_BASES)), "days": rng.randrange(120)}
                for _ in range(rng.randrange(3))
            ],
        }
    if rng.random() < 0.3:
        case["return"] = {
            key: _maybe(rng, rng.random() < 0.5)
            for key in (
                "risk_assessed",
                "risk_found",
                "guardian_consent",
                "receiving_authority_consent",
            )
        }
    if rng.random() < 0.3:
        harm = rng.randrange(0, 5_000_000) / 100
        case["compensation"] = {
            "assessed_harm": harm,
            "paid_by_defendant": _maybe(rng, round(harm * rng.random(), 2), 0.5),
            "other_compensation": _maybe(rng, round(harm * rng.random() / 2, 2), 0.3),
            "defendant": _maybe(rng, rng.choice(sorted(codes.DEFENDANT_STATUSES))),
        }
    return {"person": person, "case": case}


def run(n: int = 100_000, seed: int = 2013, repeat: int = 3) -> dict[str, float]:
    """Assessments per second of CPU time on one core, both measured in one run.

    `read_and_assess` reads, validates and assesses each fact set from plain data,
    one at a time, as the nightly sweep does; `assess` assesses fact sets already
    read. Each is timed `repeat` times over the same fact sets and the fastest
    round counts (as ``timeit`` advises: slower rounds measure other work on the
    machine, not the engine). CPU time, not wall time, for the same reason. The
    generated input is frozen out of the garbage collector's sight
    (``gc.freeze``): collecting it again and again is the benchmark's cost, not
    the engine's.
    """
    rng = random.Random(seed)  # noqa: S311  (reproducible test data, not secrets)
    raw = [generate(rng) for _ in range(n)]
    facts = [Facts.from_dict(item) for item in raw]
    gc.collect()
    gc.freeze()
    full = assessing = float("inf")
    try:
        for _ in range(max(repeat, 1)):
            started = time.process_time()
            for item in raw:
                assess(item, ON)
            full = min(full, time.process_time() - started)
            started = time.process_time()
            for fact_set in facts:
                assess(fact_set, ON)
            assessing = min(assessing, time.process_time() - started)
    finally:
        gc.unfreeze()
    return {
        "n": n,
        "assess_per_second": n / assessing,
        "read_and_assess_per_second": n / full,
        "assess_us": assessing / n * 1e6,
        "read_us": max(full - assessing, 0.0) / n * 1e6,
    }


def main(n: int = 100_000, seed: int = 2013, repeat: int = 3) -> int:
    figures = run(n, seed, repeat)
    print(f"{n:,} generated fact sets (seed {seed}), one core, CPU time, best of {repeat}:")
    print(
        f"  assess:                  {figures['assess_per_second']:>9,.0f} assessments per second"
        f"  ({figures['assess_us']:.1f} µs each)"
    )
    print(
        f"  validate facts + assess: {figures['read_and_assess_per_second']:>9,.0f} assessments per second"
        f"  (reading and validating {figures['read_us']:.1f} µs each)"
    )
    return 0
