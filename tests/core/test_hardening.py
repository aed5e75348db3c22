"""Side doors closed after the attack of issue 7: caches, the access log, file modes,
demo accounts in production, and who an export is attributed to."""

from __future__ import annotations

import datetime as dt
import getpass
import io
import os
import sqlite3
import stat
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db.utils import ConnectionHandler
from django.test import Client
from django.utils import timezone

from nrm.audit.models import AuditEvent
from nrm.authorities.models import ApiToken, User
from nrm.authorities.roles import Role
from nrm.authorities.tokens import token_create
from tests.core.test_settings import GOOD_KEYS, nrm
from tests.factories import official, registered_case

pytestmark = pytest.mark.django_db


# Finding 13: nothing personal stays in a browser's or a proxy's cache.

def assert_not_stored(response) -> None:
    assert response["Cache-Control"] == "no-store, private"
    assert response["Pragma"] == "no-cache"


@pytest.fixture
def worker(settings):
    settings.NRM_DEMO = True  # the demo user passes the second factor without a phone
    user = official(Role.POLICE_INVESTIGATOR, is_demo=True)
    return user


def test_a_case_page_shown_to_a_signed_in_official_is_not_stored(worker) -> None:
    case = registered_case(worker, given_name="Cachea")
    client = Client()
    client.force_login(worker)
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200 and "Cachea" in response.content.decode()
    assert_not_stored(response)
    assert_not_stored(client.get("/cases/"))


def test_api_responses_are_not_stored_whether_the_token_is_good_or_not(worker) -> None:
    case = registered_case(worker, given_name="Cachea")
    client = Client(headers={"Authorization": f"Bearer {token_create(user=worker)}"})
    response = client.get(f"/api/v1/cases/{case.pk}")
    assert response.status_code == 200 and "Cachea" in response.content.decode()
    assert_not_stored(response)
    assert_not_stored(Client().get(f"/api/v1/cases/{case.pk}"))


def test_static_files_stay_cacheable_even_for_a_signed_in_official(worker, settings) -> None:
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(worker)
    response = client.get("/static/web/nrm.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# Finding 15: the database, its companions, exports and dumps are their owner's only.

def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask():
    """The umask most systems start with, which makes files world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def sqlite_connection(path):
    from django.conf import settings

    options = settings.DATABASES["default"].get("OPTIONS", {})
    handler = ConnectionHandler({"default": {
        "ENGINE": "nrm.conf.sqlite3", "NAME": str(path),
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", **options},
    }})
    return handler["default"]


def test_a_new_sqlite_file_and_its_wal_and_shm_are_readable_by_their_owner_only(
        tmp_path, loose_umask) -> None:
    path = tmp_path / "nrm.sqlite3"
    connection = sqlite_connection(path)
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE person (name TEXT)")
            cursor.execute("INSERT INTO person VALUES ('Secreta')")
        wal, shm = path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")
        assert wal.exists() and shm.exists()
        assert [mode(path), mode(wal), mode(shm)] == [0o600, 0o600, 0o600]
    finally:
        connection.close()


def test_an_existing_world_readable_sqlite_file_is_made_owner_only_on_connecting(
        tmp_path, loose_umask) -> None:
    path = tmp_path / "nrm.sqlite3"
    sqlite3.connect(path).close()
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"")
    assert mode(path) == 0o644 and mode(wal) == 0o644
    connection = sqlite_connection(path)
    try:
        connection.ensure_connection()
        assert mode(path) == 0o600 and mode(wal) == 0o600
    finally:
        connection.close()


def test_the_nrm_command_creates_the_database_and_a_dump_owner_only(tmp_path, loose_umask) -> None:
    database = tmp_path / "var" / "nrm.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", **GOOD_KEYS}
    result = nrm("migrate", "--no-input", **env)
    assert result.returncode == 0, result.stderr
    assert mode(database) == 0o600
    dump = tmp_path / "dump.json"
    result = nrm("dumpdata", "authorities", "--output", str(dump), **env)
    assert result.returncode == 0, result.stderr
    assert mode(dump) == 0o600


# Finding 9: no demo account, and no account with the demo password, where real data is kept.

def test_production_refuses_the_demo_accounts_and_check_deploy_names_them(tmp_path) -> None:
    database = tmp_path / "nrm.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", **GOOD_KEYS}
    assert nrm("migrate", "--no-input", **env).returncode == 0
    loaded = nrm("demo", **env)
    assert loaded.returncode == 0, loaded.stderr
    result = nrm("check", "--deploy", "--settings", "nrm.conf.production", **env)
    assert result.returncode != 0
    assert "nrm.E101" in result.stderr and "admin" in result.stderr and "police" in result.stderr
    serving = nrm("serve", "--port", "8799", "--settings", "nrm.conf.production", **env)
    assert serving.returncode != 0 and "nrm.E101" in serving.stderr
    assert "NRM on http" not in serving.stdout
    refused = nrm("demo", "--settings", "nrm.conf.production", **env)
    assert refused.returncode != 0 and "production settings" in refused.stderr


def messages():
    from nrm.conf.checks import demo_accounts

    return {message.id: message.msg for message in demo_accounts()}


def test_an_account_that_signs_in_with_the_demo_password_is_named() -> None:
    from tests.factories import UserFactory

    UserFactory(username="director", password="nrm-demo-2026").save()
    UserFactory(username="former", password="nrm-demo-2026", is_active=False).save()
    UserFactory(username="careful").save()
    found = messages()
    assert "nrm.E101" not in found
    assert "director" in found["nrm.E102"]
    # Inactive accounts cannot sign in; the check spends its time on those that can.
    assert "former" not in found["nrm.E102"] and "careful" not in found["nrm.E102"]


def test_a_demo_account_is_named_even_with_a_new_password() -> None:
    from tests.factories import UserFactory

    UserFactory(username="police", is_demo=True).save()
    found = messages()
    assert "police" in found["nrm.E101"] and "nrm.E102" not in found


def test_the_password_check_is_bounded_and_looks_first_where_the_demo_password_is_likely(
        monkeypatch) -> None:
    from tests.factories import UserFactory

    monkeypatch.setattr("nrm.conf.checks.PASSWORD_CHECKS", 2)
    for name in ("newest-1", "newest-2"):
        UserFactory(username=name, password="nrm-demo-2026").save()
    UserFactory(username="admin", password="nrm-demo-2026").save()  # a demo name, made by hand
    UserFactory(username="it-staff", password="nrm-demo-2026", is_staff=True).save()
    found = messages()
    assert found["nrm.E102"] == "Accounts whose password is the demo password: admin, it-staff."
    assert "Checked 2 of 4 active accounts" in found["nrm.I101"]


def test_serve_in_production_refuses_to_start_while_a_demo_account_exists(settings,
                                                                        monkeypatch) -> None:
    from tests.factories import UserFactory

    started = []
    monkeypatch.setattr("os.execv", lambda *args: started.append(args))
    settings.NRM_PRODUCTION = True
    UserFactory(username="judge", is_demo=True).save()
    with pytest.raises(SystemCheckError, match="judge"):
        call_command("serve", stdout=io.StringIO())
    assert started == []
    User.objects.filter(username="judge").delete()
    call_command("serve", stdout=io.StringIO())
    assert len(started) == 1


def test_nobody_may_choose_the_demo_password() -> None:
    with pytest.raises(ValidationError, match="demo password"):
        validate_password("nrm-demo-2026")


# Finding 14 (part): the server's access log names the official.

def access_log_line(response) -> str:
    """The line gunicorn's own access logger writes for this request, in `nrm serve`'s format."""
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    from nrm.web.management.commands.serve import ACCESS_LOG_FORMAT

    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", ACCESS_LOG_FORMAT)
    logger = Logger(config)
    environ = {"RAW_URI": response.wsgi_request.get_full_path(), **response.wsgi_request.META}
    sent = SimpleNamespace(status=f"{response.status_code} X", sent=len(response.content),
                           headers=list(response.items()))
    with patch.object(logger.access_log, "info") as info:
        logger.access(sent, environ, environ, dt.timedelta(milliseconds=5))
    template, atoms = info.call_args.args
    return template % atoms


def test_the_access_log_names_the_official_of_a_page_and_of_an_api_request(worker) -> None:
    case = registered_case(worker)
    client = Client()
    client.force_login(worker)
    page = client.get(f"/cases/{case.pk}/")
    assert access_log_line(page).endswith(f"s user={worker.username}")
    api = Client(headers={"Authorization": f"Bearer {token_create(user=worker)}"})
    line = access_log_line(api.get(f"/api/v1/cases/{case.pk}"))
    assert f'"GET /api/v1/cases/{case.pk} HTTP/1.1" 200' in line
    assert line.endswith(f"s user={worker.username}")


def test_the_username_never_leaves_in_the_response_and_a_visitor_is_logged_as_a_dash(
        worker) -> None:
    client = Client()
    client.force_login(worker)
    response = client.get("/cases/")
    assert not any(worker.username in value for value in response.headers.values())
    assert access_log_line(Client().get("/account/login/")).endswith("s user=-")


def test_signing_out_is_logged_under_the_official_who_signed_out(worker) -> None:
    client = Client()
    client.force_login(worker)
    assert access_log_line(client.post("/account/logout/")).endswith(f"s user={worker.username}")


# Finding 18: an export is attributed to an official only by one who holds their account.

@pytest.fixture
def exporter(monkeypatch):
    from nrm.exchange.management.commands import export

    monkeypatch.delenv("NRM_TOKEN", raising=False)
    monkeypatch.setattr(export.sys.stdin, "isatty", lambda: False, raising=False)
    user = official(Role.SOCIAL_WORKER)
    registered_case(user, given_name="Exporta")
    return user


def test_an_export_as_another_official_without_their_token_is_refused(exporter, tmp_path) -> None:
    out = tmp_path / "cases.csv"
    with pytest.raises(CommandError, match="give an API token"):
        call_command("export", "htcds", user=exporter.username, out=str(out))
    assert not out.exists()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_an_export_with_someone_elses_or_a_revoked_token_is_refused(exporter, tmp_path,
                                                                    monkeypatch) -> None:
    out = tmp_path / "cases.csv"
    monkeypatch.setenv("NRM_TOKEN", token_create(user=official(Role.SOCIAL_WORKER)))
    with pytest.raises(CommandError, match="not a current API token"):
        call_command("export", "htcds", user=exporter.username, out=str(out))
    token = token_create(user=exporter)
    ApiToken.objects.filter(user=exporter).update(revoked_at=timezone.now())
    monkeypatch.setenv("NRM_TOKEN", token)
    with pytest.raises(CommandError, match="not a current API token"):
        call_command("export", "htcds", user=exporter.username, out=str(out))
    assert not out.exists() and not AuditEvent.objects.filter(action="export").exists()


def test_an_export_with_the_officials_token_is_audited_with_the_operating_system_user(
        exporter, tmp_path, monkeypatch) -> None:
    out = tmp_path / "cases.csv"
    monkeypatch.setenv("NRM_TOKEN", token_create(user=exporter))
    call_command("export", "htcds", user=exporter.username, out=str(out), stdout=io.StringIO())
    assert out.read_bytes().count(b"\r\n") == 2  # the header and the one case
    event = AuditEvent.objects.get(action="export")
    assert event.actor == exporter
    assert event.detail["os_uid"] == os.getuid()
    assert event.detail["os_user"] == getpass.getuser()
    assert event.detail["via"] == "nrm export"


def _insert_many(path: str, rows: int) -> None:
    """One worker process: a fresh connection per write, as the server opens one a request."""
    for number in range(rows):
        connection = sqlite_connection(Path(path))
        try:
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO t (n) VALUES (%s)", [number])
        finally:
            connection.close()


def test_parallel_writers_through_the_owner_only_backend_lose_no_committed_row(tmp_path) -> None:
    """Found by an attack on a running server: the backend's permission fix opened and
    closed the database files beside live connections, which drops SQLite's POSIX locks;
    parallel workers then lost committed rows and corrupted the file."""
    import multiprocessing

    path = tmp_path / "nrm.sqlite3"
    connection = sqlite_connection(path)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n INTEGER)")
    connection.close()
    workers = [multiprocessing.get_context("fork").Process(target=_insert_many, args=(str(path), 150))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT count(*) FROM t").fetchone()[0] == 600
    finally:
        check.close()
    assert mode(path) == 0o600
