from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_keyring_cache() -> None:
    """Tests that change NRM_FIELD_KEYS get a keyring parsed from their own settings."""
    from nrm.crypto.keyring import _cached

    _cached.cache_clear()


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings, tmp_path) -> None:
    """Each test signs audit checkpoints into a file of its own, never a shared one."""
    settings.NRM_AUDIT_CHECKPOINTS = str(tmp_path / "audit-checkpoints.jsonl")
