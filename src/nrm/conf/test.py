"""Test settings: fixed throwaway keys, fast password hashing, nothing else changed."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("NRM_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
# Two keys so that the suite always exercises decryption under a non-primary key.
os.environ.setdefault(
    "NRM_FIELD_KEYS",
    "t2:dGVzdC1rZXktdHdvLXRlc3Qta2V5LXR3by10ZXN0LTI=,t1:dGVzdC1rZXktb25lLXRlc3Qta2V5LW9uZS10ZXN0LTE=",
)
os.environ.setdefault("NRM_STATIC_ROOT", "var/test-static")
# Never the real checkpoint file; tests/conftest.py gives each test a file of its own.
os.environ.setdefault("NRM_AUDIT_CHECKPOINTS", os.path.join(
    tempfile.mkdtemp(prefix="nrm-test-audit-"), "audit-checkpoints.jsonl"))

from nrm.conf.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never in production
# pytest-django recognises SQLite, and keeps each worker's test database in memory, only by
# Django's own engine name; the owner-only file backend is tested on a real file by itself
# (tests/core/test_hardening.py).
if DATABASES["default"]["ENGINE"] == "nrm.conf.sqlite3":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from pathlib import Path  # noqa: E402

Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405

# Each test clears the cache, many without a database: a cache in memory per test process.
# Servers share theirs in the database (settings.CACHES).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
