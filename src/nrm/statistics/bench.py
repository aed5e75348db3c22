"""Benchmark of the National Reporter's work (`make bench`): the national tables against a
plain SQL GROUP BY over the same rows, disclosure control, and the whole annual report.

    python -m nrm.statistics.bench [--cases 20000] [--postgres postgres://...]

The issue's target is 1,000,000 cases on PostgreSQL (`make bench-postgres`): the tables
within 3x of the plain query, the report under 60 s. Runs in a throwaway database.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# The plain query for each national table: the same rows, grouped on the raw columns.
YEAR = {"sqlite": "strftime('%Y', c.created_at)", "postgresql": "EXTRACT(YEAR FROM c.created_at)"}
FIRST_FORM = {"sqlite": "json_extract(c.facts, '$.exploitation[0]')",
              "postgresql": "c.facts->'exploitation'->>0"}
PLAIN = {
    "gender": "p.sex", "majorityStatus": "c.child", "typeOfExploit": "{form}",
    "citizenship": "p.citizenship", "registeredBy": "i.code", "stage": "c.stage",
    "ageBroad": "c.age_group", "region": "c.region",
}
FROM = ("FROM cases_case c JOIN cases_person p ON p.id = c.person_id "
        "JOIN authorities_institution i ON i.id = c.registered_by_id "
        "WHERE NOT c.demo AND c.merged_into_id IS NULL")


def _coordinator() -> Any:
    from django.utils import timezone

    from nrm.authorities.models import Institution, Membership, User

    user = User.objects.create_user(username="bench-coordinator")
    office = Institution.objects.create(code="bench-secretariat", name="Secretariat (bench)",
                                        kind="authority")
    # A grant set up by the benchmark itself, in force at once (no second person to approve).
    Membership.objects.create(user=user, institution=office, role="national_coordinator",
                              approved_at=timezone.now(), expires_on=timezone.localdate())
    return user


def _timed(run: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def bench_statistics(count: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from nrm.bench import generate
    from nrm.statistics.dimensions import NATIONAL_TABLES
    from nrm.statistics.disclosure import protect
    from nrm.statistics.report import annual_report_pdf
    from nrm.statistics.selectors import table_count

    took, _ = _timed(lambda: generate(count))
    print(f"generated {count:,} cases in {took:.1f} s")
    user = _coordinator()
    vendor = connection.vendor

    def plain() -> None:
        with connection.cursor() as cursor:
            for _year, dim in NATIONAL_TABLES:
                column = PLAIN[dim].format(form=FIRST_FORM[vendor])
                cursor.execute(f"SELECT {YEAR[vendor]}, {column}, COUNT(*) {FROM} "  # noqa: S608 - fixed text
                               f"GROUP BY {YEAR[vendor]}, {column}")
                cursor.fetchall()

    def tables() -> list[Any]:
        return [table_count(user=user, dims=dims) for dims in NATIONAL_TABLES]

    plain()  # both warm the same caches before either is timed
    tables()
    plain_s, _ = _timed(plain)
    tables_s, counted = _timed(tables)
    print(f"national tables ({len(NATIONAL_TABLES)}): {tables_s:.2f} s; plain GROUP BY "
          f"{plain_s:.2f} s; ratio {tables_s / plain_s:.2f}x (target 3x)")
    protect_s, _ = _timed(lambda: protect(counted))
    print(f"disclosure control over the release: {protect_s:.2f} s "
          f"({sum(len(t.keys()) for t in counted):,} cells)")
    report_s, pdf = _timed(lambda: annual_report_pdf(user=user, year=2026, lang="en",
                                                     on=timezone.localdate(), recipient="bench"))
    print(f"annual report, PDF of {len(pdf):,} bytes: {report_s:.1f} s (target 60 s)")


def main(argv: list[str] | None = None) -> int:
    from nrm.bench import _postgres_database, _prepare

    parser = argparse.ArgumentParser(prog="python -m nrm.statistics.bench", description=__doc__)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL; the bench makes its own nrm_bench database")
    args = parser.parse_args(argv)
    if args.cases < 1:
        parser.error("--cases must be 1 or more")
    with tempfile.TemporaryDirectory() as folder:
        if args.postgres:
            url = _postgres_database(args.postgres)
            print("database: PostgreSQL (nrm_bench)")
        else:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            print("database: SQLite (a temporary file)")
        _prepare(url)
        bench_statistics(args.cases)
    return 0


if __name__ == "__main__":
    sys.exit(main())
