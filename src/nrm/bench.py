"""Benchmarks (`make bench`): the nightly sweep over generated cases, and the case API.

Runs against a throwaway database with throwaway keys, never against var/nrm.sqlite3:
    python -m nrm.bench [--cases 100000] [--postgres postgres://postgres@127.0.0.1:5432/test]
Figures depend on the machine; compare ratios measured in the same run.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import secrets
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def _prepare(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["NRM_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["NRM_FIELD_KEYS"] = "b1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    os.environ["DJANGO_SETTINGS_MODULE"] = "nrm.conf.settings"
    os.environ.setdefault("NRM_ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _postgres_database(url: str) -> str:
    """A fresh `nrm_bench` database on the server `url` points at."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS nrm_bench")
        connection.execute("CREATE DATABASE nrm_bench")
    return url.rsplit("/", 1)[0] + "/nrm_bench"


def generate(count: int, seed: int = 2013) -> None:
    """`count` varied cases written in bulk (encryption included, audit skipped)."""
    from django.utils import timezone

    from nrm.authorities.models import Institution
    from nrm.cases.models import Capacity, Case, CaseAssignment, Person, Region
    from nrm.cases.services import age_group_of

    rng = random.Random(seed)  # noqa: S311 - generated test data, not secrets
    police = Institution.objects.get(code="kosovo-police")
    base = date(2026, 1, 1)
    # bulk_create stamps created_at now: every generated case is registered today, and its age
    # band is the person's age today, as the cases services would keep it.
    today = timezone.localdate()
    regions = [*Region.values, ""]
    exploitation = ["sexual", "forced_labour", "begging", "servitude", "forced_marriage"]
    batch = 5000
    for start in range(0, count, batch):
        size = min(batch, count - start)
        persons = []
        for i in range(size):
            born = base - timedelta(days=rng.randint(9 * 365, 50 * 365))
            foreign = rng.random() < 0.4
            persons.append(Person(
                given_name=f"Given{start + i}", family_name="Generated", birth_date=born,
                sex=rng.choice(["female", "male"]), citizenship=rng.choice(["AL", "MD", "RS"]) if foreign else "XK",
                facts={"stay": "irregular"} if foreign else {"parental_care": rng.random() < 0.7},
            ))
        Person.objects.bulk_create(persons)
        cases = []
        for i, person in enumerate(persons):
            grounds = base + timedelta(days=rng.randint(0, 300))
            facts: dict[str, object] = {"reasonable_grounds_on": grounds.isoformat(),
                                        "exploitation": [rng.choice(exploitation)]}
            if person.citizenship != "XK":
                facts["reflection"] = {"start": grounds.isoformat(), "days": rng.choice([30, 60, 90])}
            if rng.random() < 0.3:
                facts["accommodation"] = {"admitted_on": grounds.isoformat(), "days": rng.randint(30, 90)}
            if rng.random() < 0.2:
                facts["proceedings"] = {"status": "investigation"}
            cases.append(Case(reference=f"NRM-BENCH-{start + i:07d}", person=person,
                              registered_by=police, stage="presumed_victim", facts=facts,
                              region=rng.choice(regions),
                              age_group=age_group_of(person.birth_date, today)))
        Case.objects.bulk_create(cases)
        CaseAssignment.objects.bulk_create(
            [CaseAssignment(case=c, institution=police, capacity=Capacity.LEAD) for c in cases])


def bench_sweep(count: int, workers: int) -> None:
    from nrm.cases.sweep import sweep

    started = time.perf_counter()
    generate(count)
    made = time.perf_counter() - started
    print(f"generated {count} cases in {made:.1f} s")
    # Fresh bulk loads have no planner statistics yet; a live database's autovacuum keeps them.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for label in ("first sweep (writes every legal state)", "second sweep (nothing changed)"):
        started = time.perf_counter()
        report = sweep(date(2026, 11, 1), workers=workers)
        took = time.perf_counter() - started
        print(f"{label}: {report.cases} cases in {took:.1f} s = {report.cases / took:,.0f} cases/s")
        print("  " + report.lines()[1])


def bench_api(requests: int = 300) -> None:
    """The case endpoint against the cheapest authenticated endpoint, on the same stack."""
    from django.test import Client
    from django.utils import timezone

    from nrm.authorities.models import Institution, Membership, User
    from nrm.authorities.tokens import token_create
    from nrm.cases.models import Case, CaseAssignment

    user = User.objects.create_user(username="bench-police")
    police = Institution.objects.get(code="kosovo-police")
    # A grant set up by the benchmark itself, in force at once (no second person to approve).
    Membership.objects.create(user=user, institution=police, role="police_investigator",
                              approved_at=timezone.now(), expires_on=timezone.localdate())
    case = Case.objects.order_by("pk").first()
    if case is None:
        raise SystemExit("no case was generated")
    CaseAssignment.objects.create(case=case, institution=police, user=user, capacity="lead")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")

    def timed(path: str) -> float:
        client.get(path)
        started = time.perf_counter()
        for _ in range(requests):
            status = client.get(path).status_code
            if status != 200:
                raise SystemExit(f"GET {path} answered {status}")
        return (time.perf_counter() - started) / requests

    trivial = timed("/api/v1/me")
    detail = timed(f"/api/v1/cases/{case.pk}")
    duties = timed("/api/v1/duties")
    print(f"API, {requests} requests each: GET /cases/ID costs {detail / trivial:.1f}x GET /me; "
          f"GET /duties {duties / trivial:.1f}x GET /me "
          f"(/me {1000 * trivial:.1f} ms, /cases/ID {1000 * detail:.1f} ms on this machine)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nrm.bench", description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="sweep processes (default: one per core)")
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
        print(f"sweep workers: {args.workers}")
        bench_sweep(args.cases, args.workers)
        bench_api()
    return 0


if __name__ == "__main__":
    sys.exit(main())
