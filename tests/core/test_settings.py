from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEYS = {
    "NRM_SECRET_KEY": secrets.token_urlsafe(50),
    "NRM_FIELD_KEYS": "k1:" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=",
}


def nrm(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("NRM_", "DJANGO_SETTINGS"))}
    environment.update(env)
    return subprocess.run(
        # A folder of no package: `python -m` puts its working folder first on sys.path, and
        # tests/statistics there would shadow the standard library's statistics module.
        [sys.executable, "-m", "nrm", *args], cwd=tempfile.gettempdir(), env=environment,
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_a_missing_secret_stops_the_start_naming_it() -> None:
    result = nrm("check", NRM_FIELD_KEYS=GOOD_KEYS["NRM_FIELD_KEYS"])
    assert result.returncode != 0
    assert "NRM_SECRET_KEY is not set" in result.stderr


def test_missing_field_keys_stop_the_start_naming_them() -> None:
    result = nrm("check", NRM_SECRET_KEY=GOOD_KEYS["NRM_SECRET_KEY"])
    assert result.returncode != 0
    assert "NRM_FIELD_KEYS is not set" in result.stderr


def test_a_malformed_field_key_stops_the_start_naming_the_setting() -> None:
    result = nrm("check", NRM_SECRET_KEY="s" * 60, NRM_FIELD_KEYS="k1:c2hvcnQ=")
    assert result.returncode != 0
    assert "NRM_FIELD_KEYS: key 'k1' must be 32 bytes" in result.stderr


def test_production_settings_refuse_demo_mode() -> None:
    result = nrm("check", "--settings", "nrm.conf.production", NRM_DEMO="1", **GOOD_KEYS)
    assert result.returncode != 0
    assert "NRM_DEMO=1 is refused by the production settings" in result.stderr


def test_production_settings_refuse_debug_pages() -> None:
    result = nrm("check", "--settings", "nrm.conf.production", NRM_DEBUG="1", **GOOD_KEYS)
    assert result.returncode != 0 and "NRM_DEBUG=1 is refused" in result.stderr


def test_the_deployment_check_passes_with_production_settings() -> None:
    result = nrm("check", "--deploy", "--fail-level", "WARNING",
                 "--settings", "nrm.conf.production", **GOOD_KEYS)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
