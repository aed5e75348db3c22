"""After a case is registered through the API with a distinctive name, that name is nowhere
in the SQLite file or its dump: a real database file, written by a real process."""

from __future__ import annotations

import base64
import os
import secrets
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import json, django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.test import Client
    from nrm.authorities.models import Institution, Membership, User
    from nrm.authorities.tokens import token_create
    user = User.objects.create_user(username="registrar")
    import datetime
    Membership.objects.create(user=user, institution=Institution.objects.get(code="kosovo-police"),
                              role="police_investigator", expires_on=datetime.date(2100, 1, 1),
                              approved_at=datetime.datetime.now(datetime.UTC))
    client = Client(HTTP_AUTHORIZATION="Bearer " + token_create(user=user))
    body = {"person": {"given_name": "Qerimxhane", "family_name": "Zhubilaj",
                       "birth_date": "1993-07-19", "contact": "+383 44 987 654",
                       "document_number": "P9Z8Y7X6", "address": "Rruga Ujvaret 77",
                       "sex": "female", "citizenship": "XK"},
            "case": {"reasonable_grounds_on": "2026-01-05", "exploitation": ["sexual"]},
            "testimony": "Recruited at the Vrinova cafe"}
    response = client.post("/api/v1/cases", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    again = client.get("/api/v1/cases/%d" % response.json()["id"]).json()
    assert again["identity"]["given_name"] == "Qerimxhane"
""")

SECRETS = ["Qerimxhane", "Zhubilaj", "1993-07-19", "987 654", "P9Z8Y7X6", "Ujvaret", "Vrinova"]


def test_a_registered_name_appears_nowhere_in_the_database_file_or_its_dump(tmp_path) -> None:
    database = tmp_path / "nrm.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NRM_", "DJANGO_"))}
    env.update({
        "DATABASE_URL": f"sqlite:///{database}",
        "NRM_SECRET_KEY": secrets.token_urlsafe(50),
        "NRM_FIELD_KEYS": "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "NRM_ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "nrm.conf.settings",
    })
    subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=tmp_path, check=True, timeout=300)
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        dump = "\n".join(connection.iterdump())
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("nrm.sqlite3*"))
    assert "cases_person" in dump  # the dump is real
    for secret in SECRETS:
        assert secret not in dump, secret
        assert secret.encode() not in raw, secret
