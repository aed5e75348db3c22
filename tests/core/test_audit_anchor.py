"""The audit chain anchored outside the database by signed checkpoints (issue 7, finding 5).

Each attack is done the way the database's owner would do it, with SQL beside the ORM:
a wipe, a rollback to a saved head, a rollback written over with new entries. Then the
checkpoint file itself is attacked: altered, re-ordered, and signed with another key.
"""

from __future__ import annotations

import base64
import json
import stat
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from nrm.audit import checkpoint
from nrm.audit.services import record, verify
from nrm.authorities.roles import Role
from tests.factories import official


def _events(actor, count: int) -> None:
    for i in range(count):
        record(actor=actor, action="read", record_type="cases.case", records=[i],
               fields=["given_name"], purpose="test")


@pytest.fixture
def actor(db):
    return official(Role.SOCIAL_WORKER)


@pytest.fixture
def anchored(actor) -> Path:
    """Five entries, and a signed checkpoint of them in this test's own file."""
    _events(actor, 5)
    call_command("audit", "checkpoint")
    return Path(settings.NRM_AUDIT_CHECKPOINTS)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _write(path: Path, lines: list[dict]) -> None:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))


def _saved_head() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, last_id, last_hash, seal FROM audit_audithead")
        return cursor.fetchone()


def _restore_head(saved: tuple) -> None:
    pk, last_id, last_hash, seal = saved
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_audithead SET last_id = %s, last_hash = %s, seal = %s "
                       "WHERE id = %s", [last_id, last_hash, seal, pk])


def test_an_anchored_chain_verifies_and_says_what_it_was_held_to(anchored, actor, capsys) -> None:
    _events(actor, 2)  # entries after the checkpoint are fine: the chain grew from it
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "audit chain intact: 7 entries, last #7" in out
    assert "1 signed checkpoints, the latest at #5" in out
    assert verify().anchored_at == 5


def test_the_checkpoint_names_the_last_entry_and_its_seal_and_is_signed(anchored) -> None:
    from nrm.audit.models import AuditEvent

    (line,) = _lines(anchored)
    assert line["sequence"] == 5
    assert line["hash"] == AuditEvent.objects.get(pk=5).hash
    public = checkpoint.parse_public_key(checkpoint.public_key_text())
    assert line["key"] == checkpoint.key_id(public)
    # An auditor with the public key alone checks the signature.
    public.verify(base64.b64decode(line["signature"]),
                  checkpoint.Checkpoint(**line).signed_message())


def test_the_checkpoint_file_is_created_readable_by_its_owner_only(anchored) -> None:
    assert stat.S_IMODE(anchored.stat().st_mode) == 0o600


def test_each_checkpoint_is_appended_never_rewritten(anchored, actor) -> None:
    first = anchored.read_text()
    _events(actor, 3)
    call_command("audit", "checkpoint")
    text = anchored.read_text()
    assert text.startswith(first)
    assert [line["sequence"] for line in _lines(anchored)] == [5, 8]


def test_wiping_every_event_and_the_head_is_detected(anchored) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.execute("DELETE FROM audit_audithead")
    verdict = verify()
    assert not verdict.ok
    assert "the audit chain is empty" in verdict.message
    assert "up to #5: the log was wiped" in verdict.message
    with pytest.raises(CommandError, match="the log was wiped"):
        call_command("audit", "verify")


def test_a_wipe_without_a_checkpoint_is_not_passed_off_as_anchored(actor) -> None:
    _events(actor, 2)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.execute("DELETE FROM audit_audithead")
    assert "not anchored" in verify().message
    with pytest.raises(CommandError, match="no signed checkpoint"):
        call_command("audit", "verify", "--require-checkpoint")


def test_rolling_back_to_a_saved_head_is_detected(actor) -> None:
    _events(actor, 5)
    saved = _saved_head()
    _events(actor, 3)
    call_command("audit", "checkpoint")  # the nightly checkpoint sees entries 6 to 8
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id > 5")
    _restore_head(saved)
    verdict = verify()
    assert not verdict.ok and verdict.bad_id == 8
    assert ("the audit chain ends at entry #5, but the checkpoint signed at" in verdict.message
            and "records entries up to #8: the chain was rolled back" in verdict.message)


def test_a_rollback_written_over_with_new_entries_is_detected(actor) -> None:
    _events(actor, 5)
    saved = _saved_head()
    _events(actor, 3)
    call_command("audit", "checkpoint")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id > 5")
    _restore_head(saved)
    _events(actor, 4)  # entries 6 to 9 again, so the chain is longer than the checkpoint
    verdict = verify()
    assert not verdict.ok and verdict.bad_id == 8
    assert "#8 is not the entry a signed checkpoint recorded" in verdict.message


def test_no_checkpoint_is_signed_over_a_rolled_back_chain(actor) -> None:
    _events(actor, 5)
    saved = _saved_head()
    _events(actor, 3)
    call_command("audit", "checkpoint")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id > 5")
    _restore_head(saved)
    _events(actor, 4)
    before = Path(settings.NRM_AUDIT_CHECKPOINTS).read_text()
    with pytest.raises(CommandError, match="no longer holds entry #8"):
        call_command("audit", "checkpoint")
    assert Path(settings.NRM_AUDIT_CHECKPOINTS).read_text() == before


def test_an_altered_checkpoint_fails_its_signature(anchored) -> None:
    # Lowering the checkpoint to entry #3 would make a rollback to #3 pass, were it unsigned.
    lines = _lines(anchored)
    lines[0]["sequence"] = 3
    _write(anchored, lines)
    verdict = verify()
    assert not verdict.ok
    assert "line 1: the signature does not match the checkpoint" in verdict.message


def test_checkpoints_put_out_of_order_are_detected(anchored, actor) -> None:
    _events(actor, 3)
    call_command("audit", "checkpoint")
    _write(anchored, list(reversed(_lines(anchored))))
    verdict = verify()
    assert not verdict.ok
    assert "line 2 names entry #5 after a checkpoint of entry #8" in verdict.message


def test_a_line_that_is_no_checkpoint_is_named(anchored) -> None:
    with anchored.open("a") as handle:
        handle.write('{"sequence": "9"}\n')
    with pytest.raises(CommandError, match="line 2 is not a checkpoint"):
        call_command("audit", "verify")


def test_a_checkpoint_signed_with_another_key_is_refused(anchored) -> None:
    forger = Ed25519PrivateKey.generate()
    (line,) = _lines(anchored)
    forged = replace(checkpoint.Checkpoint(**line), sequence=3,
                     key=checkpoint.key_id(forger.public_key()))
    forged = replace(forged, signature=base64.b64encode(
        forger.sign(forged.signed_message())).decode())
    _write(anchored, [asdict(forged)])
    verdict = verify()
    assert not verdict.ok
    assert "line 1 is signed by key" in verdict.message and "not by the audit key" in verdict.message


def test_a_forged_signature_under_the_right_key_id_is_refused(anchored) -> None:
    forger = Ed25519PrivateKey.generate()
    (line,) = _lines(anchored)
    line["sequence"] = 3
    line["signature"] = base64.b64encode(
        forger.sign(checkpoint.Checkpoint(**line).signed_message())).decode()
    _write(anchored, [line])
    with pytest.raises(CommandError, match="signature does not match the checkpoint"):
        call_command("audit", "verify")


def test_an_auditors_copy_and_pinned_key_are_used(anchored, actor, tmp_path, capsys) -> None:
    copy = tmp_path / "auditor-copy.jsonl"
    copy.write_text(anchored.read_text())
    call_command("audit", "public-key")
    public = capsys.readouterr().out.strip()
    call_command("audit", "verify", "--checkpoints", str(copy), "--public-key", public)
    assert "latest at #5" in capsys.readouterr().out
    other = checkpoint.public_key_text(Ed25519PrivateKey.generate().public_key())
    with pytest.raises(CommandError, match="not by the audit key"):
        call_command("audit", "verify", "--checkpoints", str(copy), "--public-key", other)


def test_the_auditors_copy_catches_a_rollback_the_servers_file_no_longer_shows(actor, tmp_path) -> None:
    _events(actor, 5)
    saved = _saved_head()
    _events(actor, 3)
    call_command("audit", "checkpoint")
    copy = tmp_path / "auditor-copy.jsonl"
    copy.write_text(Path(settings.NRM_AUDIT_CHECKPOINTS).read_text())
    Path(settings.NRM_AUDIT_CHECKPOINTS).unlink()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id > 5")
    _restore_head(saved)
    assert verify().ok  # without the file, nothing is left to tell
    with pytest.raises(CommandError, match="the chain was rolled back"):
        call_command("audit", "verify", "--checkpoints", str(copy))


def test_no_checkpoint_is_signed_for_a_chain_with_no_entry(db) -> None:
    with pytest.raises(CommandError, match="has no entry yet"):
        call_command("audit", "checkpoint")
    assert not Path(settings.NRM_AUDIT_CHECKPOINTS).exists()


def test_the_sweep_writes_a_checkpoint_once_it_commits(actor, django_capture_on_commit_callbacks) -> None:
    from nrm.audit.models import AuditHead
    from nrm.cases.sweep import sweep

    with django_capture_on_commit_callbacks(execute=True):
        sweep(date(2026, 3, 1))
    (line,) = _lines(Path(settings.NRM_AUDIT_CHECKPOINTS))
    head = AuditHead.objects.get()
    assert (line["sequence"], line["hash"]) == (head.last_id, head.last_hash)
    assert verify().anchored_at == head.last_id


def test_an_entry_altered_after_the_latest_checkpoint_stops_the_next_one(anchored, actor) -> None:
    _events(actor, 3)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET purpose = 'nothing to see' WHERE id = 7")
    with pytest.raises(CommandError, match="no checkpoint written: audit entry #7 was altered"):
        call_command("audit", "checkpoint")
    assert [line["sequence"] for line in _lines(anchored)] == [5]


def test_each_test_signs_into_a_checkpoint_file_of_its_own(tmp_path) -> None:
    assert Path(settings.NRM_AUDIT_CHECKPOINTS).parent == tmp_path
