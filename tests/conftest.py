from __future__ import annotations

import pytest

# The live server and Chromium for browser tests, shared by every app (tests/live.py).
pytest_plugins = ["tests.live"]


@pytest.fixture(autouse=True)
def _fresh_keyring_cache() -> None:
    """Tests that change NRM_FIELD_KEYS get a keyring parsed from their own settings."""
    from nrm.crypto.keyring import _cached

    _cached.cache_clear()


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings, tmp_path) -> None:
    """Each test signs audit checkpoints into a file of its own, never a shared one."""
    settings.NRM_AUDIT_CHECKPOINTS = str(tmp_path / "audit-checkpoints.jsonl")
