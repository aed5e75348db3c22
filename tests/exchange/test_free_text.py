"""Free text from an import is encrypted at rest and follows the identity rule, whatever
field it came in by (issue 7, finding 7): places and organisations were kept in plain JSON
and written into analysts' exports."""

from __future__ import annotations

import base64
import importlib
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from nrm.authorities.roles import Role
from nrm.exchange import htcds
from nrm.exchange.models import HtcdsFields
from nrm.exchange.services import htcds_export, htcds_import
from tests.factories import official

ROOT = Path(__file__).resolve().parents[2]
FREE_TEXT = {
    "vic_LocationOfRecruitment": "Kafe Vrinova Ferizaj",
    "vic_LocationOfExploitation": "Bar Kristalkoka Prizren",
    "cas_ReferringOrganisation": "Shoqata Zhubilaj",
    "cas_ReferredOrganisation": "Qendra Ujvaret",
    "cas_IncomingReferralDetails": "Sent by Qerimxhane",
}
ROW = {"cas_CaseNumber": "EXT-QERIMXHANE-9", "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
       "prs_FirstName": "Apia", "prs_SecondName": "Testa", "prs_Birthdate": "1990-01-01",
       "con_Consent": "true", **FREE_TEXT}


def test_every_free_text_field_of_the_mapping_is_kept_encrypted_and_shown_only_with_identity():
    for field in htcds.FIELDS:
        if field.type == "text" and field.kept:
            assert field.kept == "text", field.name
            assert field.identity or field.name == "cas_ReferringOrganisation", field.name


@pytest.mark.django_db
def test_imported_free_text_is_encrypted_and_left_out_of_pseudonymous_exports():
    worker = official(Role.SOCIAL_WORKER)
    (imported,) = htcds_import(actor=worker, rows=[ROW])
    kept = HtcdsFields.objects.get(case=imported.case)
    assert kept.values == {"con_Consent": True}
    assert json.loads(kept.text) == FREE_TEXT
    analyst = official(Role.SECRETARIAT_ANALYST)
    for user, with_identity in ((analyst, False), (worker, False)):
        for fmt in ("json", "csv"):
            content = htcds_export(user=user, with_identity=with_identity, fmt=fmt).decode()
            assert imported.case.reference in content
            for text in FREE_TEXT.values():
                assert text not in content, (user, fmt, text)
    (row,) = json.loads(htcds_export(user=analyst, with_identity=False, fmt="json"))["cases"]
    assert row["cas_ReferringOrganisation"] == imported.case.registered_by.name
    shown = htcds_export(user=worker, with_identity=True, fmt="json").decode()
    assert all(text in shown for text in FREE_TEXT.values())


@pytest.mark.django_db
def test_the_data_migration_moves_plain_free_text_into_the_encrypted_column():
    worker = official(Role.SOCIAL_WORKER)
    (imported,) = htcds_import(actor=worker, rows=[{**ROW, **dict.fromkeys(FREE_TEXT, "")}])
    # As an earlier release kept it: the places and organisations in plain values.
    HtcdsFields.objects.filter(case=imported.case).update(
        values={"con_Consent": True, "vic_LocationOfExploitation": "Bar Kristalkoka Prizren",
                "cas_ReferredOrganisation": "Qendra Ujvaret"})
    migration = importlib.import_module("nrm.exchange.migrations.0003_encrypt_kept_free_text")
    migration.encrypt_kept_free_text(apps, None)
    kept = HtcdsFields.objects.get(case=imported.case)
    assert kept.values == {"con_Consent": True}
    assert json.loads(kept.text) == {"vic_LocationOfExploitation": "Bar Kristalkoka Prizren",
                                     "cas_ReferredOrganisation": "Qendra Ujvaret"}
    with connection.cursor() as cursor:
        cursor.execute('SELECT text, "values" FROM exchange_htcdsfields WHERE id = %s', [kept.pk])
        stored = cursor.fetchone()
    assert "Kristalkoka" not in str(stored) and "Ujvaret" not in str(stored)


SCRIPT = textwrap.dedent("""
    import datetime, json, django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.test import Client
    from nrm.authorities.models import Institution, Membership, User
    from nrm.authorities.tokens import token_create
    from nrm.exchange.jobs import import_job_run
    police = Institution.objects.get(code="kosovo-police")
    def member(name, role):
        user = User.objects.create_user(username=name)
        Membership.objects.create(user=user, institution=police, role=role,
                                  expires_on=datetime.date(2100, 1, 1),
                                  approved_at=datetime.datetime.now(datetime.UTC))
        return Client(HTTP_AUTHORIZATION="Bearer " + token_create(user=user))
    registrar = member("registrar", "police_investigator")
    analyst = member("analyst", "secretariat_analyst")
    rows = json.loads(%(rows)r)
    response = registrar.post("/api/v1/imports/htcds", json.dumps({"rows": rows}),
                              content_type="application/json")
    assert response.status_code == 202, response.content
    job = import_job_run(job_id=response.json()["id"])
    assert job.status == "done", job.error
    for fmt in ("json", "csv"):
        export = analyst.get("/api/v1/exports/htcds?format=" + fmt)
        assert export.status_code == 200, export.content
        assert b"NRM-" in export.content
        for secret in %(secrets)r:
            assert secret.encode() not in export.content, (fmt, secret)
""")


def test_imported_free_text_is_nowhere_in_a_real_sqlite_file_nor_an_analysts_export(tmp_path):
    database = tmp_path / "nrm.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NRM_", "DJANGO_"))}
    env.update({
        "DATABASE_URL": f"sqlite:///{database}",
        "NRM_SECRET_KEY": secrets.token_urlsafe(50),
        "NRM_FIELD_KEYS": "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "NRM_ALLOWED_HOSTS": "testserver",
        "NRM_AUDIT_CHECKPOINTS": str(tmp_path / "checkpoints.jsonl"),
        "DJANGO_SETTINGS_MODULE": "nrm.conf.settings",
    })
    hidden = [*FREE_TEXT.values(), "EXT-QERIMXHANE-9"]
    script = SCRIPT % {"rows": json.dumps([ROW]), "secrets": [*FREE_TEXT.values()]}
    subprocess.run([sys.executable, "-c", script], env=env, cwd=tmp_path, check=True,
                   timeout=300)
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        dump = "\n".join(connection.iterdump())
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("nrm.sqlite3*"))
    assert "exchange_htcdsfields" in dump and "exchange_importjob" in dump  # the dump is real
    for secret in hidden:
        assert secret not in dump, secret
        assert secret.encode() not in raw, secret
