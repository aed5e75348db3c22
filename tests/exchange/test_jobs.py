"""Large imports run as background jobs in batches, each its own short transaction, and
resume from the last committed batch after a crash (issue 7, finding 10): a 4,000-row
import once held SQLite's write lock for 27 s, and 20,000 rows got the worker killed."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from nrm.audit.models import AuditEvent
from nrm.authorities.roles import Role
from nrm.cases.models import Case
from nrm.errors import ImportRejected
from nrm.exchange import jobs
from nrm.exchange.jobs import import_job_run, import_job_start
from nrm.exchange.models import ImportJob, ImportJobRow
from tests.factories import official, registered_case

ROOT = Path(__file__).resolve().parents[2]


def rows(count: int) -> list[dict[str, str]]:
    return [{"cas_CaseNumber": f"EXT-{n}", "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
             "prs_FirstName": f"Name{n}", "prs_SecondName": "Testa", "prs_Birthdate": "1990-01-01"}
            for n in range(count)]


@pytest.mark.django_db
def test_a_bad_file_is_refused_whole_before_any_job_or_case_is_stored():
    worker = official(Role.SOCIAL_WORKER)
    bad = rows(30)
    bad[17]["prs_Birthdate"] = "someday"
    with pytest.raises(ImportRejected) as rejected:
        import_job_start(actor=worker, rows=bad, size=10)
    assert [(e.row, e.field) for e in rejected.value.errors] == [(18, "prs_Birthdate")]
    assert not ImportJob.objects.exists() and not Case.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_batch_commits_on_its_own_and_others_write_between_batches():
    worker = official(Role.SOCIAL_WORKER)
    other = official(Role.POLICE_INVESTIGATOR)
    job = import_job_start(actor=worker, rows=rows(25), size=10, enqueue=False)
    seen: list[int] = []

    def between(state: ImportJob) -> None:
        # Outside any transaction: the batch and its count are committed, the lock is free.
        assert not connection.in_atomic_block
        seen.append(state.rows_done)
        assert Case.objects.filter(registered_by=job.institution).count() == state.rows_done
        registered_case(other, given_name=f"Between{len(seen)}")  # another writer gets in

    done = import_job_run(job_id=job.pk, on_batch=between)
    assert seen == [10, 20, 25]
    assert (done.status, done.rows_done) == ("done", 25)
    assert Case.objects.count() == 25 + 3
    assert AuditEvent.objects.filter(action="import").count() == 3  # one per batch
    assert AuditEvent.objects.filter(action="import.done").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_resumes_after_a_crash_from_the_last_committed_batch(monkeypatch):
    worker = official(Role.SOCIAL_WORKER)
    job = import_job_start(actor=worker, rows=rows(25), size=10, enqueue=False)
    real = jobs.import_register
    calls = []

    def crash_on_third(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(jobs, "import_register", crash_on_third)
    with pytest.raises(RuntimeError):
        import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.rows_done) == ("running", 20)
    assert Case.objects.count() == 20  # the third batch left nothing behind
    monkeypatch.setattr(jobs, "import_register", real)
    done = import_job_run(job_id=job.pk)
    assert (done.status, done.rows_done) == ("done", 25)
    assert Case.objects.count() == 25
    assert sorted(ImportJobRow.objects.values_list("row", flat=True)) == list(range(1, 26))
    assert [r["source"] for r in done.results()] == [f"EXT-{n}" for n in range(25)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_api_import_is_queued_and_run_by_the_database_worker(api, capsys):
    worker = official(Role.SOCIAL_WORKER)
    response = api(worker).post("/api/v1/imports/htcds", {"rows": rows(3)},
                                content_type="application/json")
    assert response.status_code == 202 and Case.objects.count() == 0
    call_command("db_worker", "--batch", "--no-startup-delay")
    job = api(worker).get(f"/api/v1/imports/htcds/{response.json()['id']}").json()
    assert (job["status"], job["rows_done"], len(job["created"])) == ("done", 3, 3)


@pytest.mark.django_db
def test_the_import_command_runs_the_job_inline_printing_progress(tmp_path, capsys):
    import json

    worker = official(Role.SOCIAL_WORKER)
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"cases": rows(5)}))
    call_command("import", "htcds", str(path), user=worker.username, batch_size=2)
    captured = capsys.readouterr()
    assert "  2/5 rows" in captured.err and "  5/5 rows" in captured.err
    assert "imported 5 case(s)" in captured.out and Case.objects.count() == 5


SCRIPT = textwrap.dedent("""
    import datetime, threading, time, django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.db import connection
    from nrm.authorities.models import Institution, Membership, User
    from nrm.cases.services import case_register
    from nrm.exchange.jobs import import_job_run, import_job_start
    from nrm.exchange.models import ImportJob
    def member(name, code, role):
        user = User.objects.create_user(username=name)
        Membership.objects.create(user=user, institution=Institution.objects.get(code=code),
                                  role=role, expires_on=datetime.date(2100, 1, 1),
                                  approved_at=datetime.datetime.now(datetime.UTC))
        return user
    importer = member("importer", "kosovo-police", "police_investigator")
    other = member("other", "kosovo-police", "prosecutor")
    rows = [{"cas_CaseNumber": "E-%%d" %% n, "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
             "prs_FirstName": "N%%d" %% n, "prs_SecondName": "T", "prs_Birthdate": "1990-01-01"}
            for n in range(%(rows)d)]
    job = import_job_start(actor=importer, rows=rows, size=%(size)d, enqueue=False)
    def run():
        import_job_run(job_id=job.pk)
        connection.close()
    worker = threading.Thread(target=run)
    worker.start()
    waits, during = [], 0
    while worker.is_alive():
        started = time.monotonic()
        case_register(actor=other, identity={"given_name": "W"}, purpose="concurrent")
        waits.append(time.monotonic() - started)
        done = ImportJob.objects.get(pk=job.pk).rows_done
        during += 0 < done < %(rows)d
        time.sleep(0.05)
    worker.join()
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == %(rows)d, (job.status, job.error)
    assert during >= 2, (during, len(waits), waits[:5])  # writes went in while the import was half done
    assert max(waits) < 5, max(waits)  # never the whole import's lock
    print("writes", len(waits), "during", during, "longest wait %%.2f s" %% max(waits))
""")


def test_a_case_is_written_while_an_import_runs_on_a_real_sqlite_file(tmp_path):
    database = tmp_path / "nrm.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NRM_", "DJANGO_"))}
    env.update({
        "DATABASE_URL": f"sqlite:///{database}",
        "NRM_SECRET_KEY": secrets.token_urlsafe(50),
        "NRM_FIELD_KEYS": "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "NRM_AUDIT_CHECKPOINTS": str(tmp_path / "checkpoints.jsonl"),
        "DJANGO_SETTINGS_MODULE": "nrm.conf.settings",
    })
    result = subprocess.run([sys.executable, "-c", SCRIPT % {"rows": 400, "size": 25}],
                            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "writes" in result.stdout


@pytest.mark.django_db
def test_a_job_whose_official_lost_the_grant_fails_without_quoting_any_row():
    worker = official(Role.SOCIAL_WORKER)
    job = import_job_start(actor=worker, rows=rows(3), size=2, enqueue=False)
    worker.memberships.update(role=Role.HEALTH_WORKER)  # no longer registers people
    failed = import_job_run(job_id=job.pk)
    assert failed.status == "failed" and failed.rows_done == 0
    assert failed.error == "forbidden: " and "Name" not in failed.error
    assert Case.objects.count() == 0
