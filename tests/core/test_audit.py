from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from nrm.audit.models import AppendOnlyError, AuditEvent
from nrm.audit.services import record, verify
from nrm.authorities.roles import Role
from tests.factories import official, registered_case


@pytest.fixture
def chain(db):
    actor = official(Role.SOCIAL_WORKER)
    for i in range(5):
        record(actor=actor, action="read", record_type="cases.case", records=[i],
               fields=["given_name"], purpose="test")
    return actor


def test_an_untouched_chain_verifies(chain, capsys) -> None:
    call_command("audit", "verify")
    assert "audit chain intact: 5 entries" in capsys.readouterr().out


def test_events_name_who_as_what_institution_and_role_but_no_values(chain) -> None:
    event = AuditEvent.objects.last()
    assert event.actor_username == chain.username
    assert event.role == Role.SOCIAL_WORKER
    assert event.institution == chain.memberships.get().institution.code
    assert event.fields == ["given_name"]
    assert event.purpose == "test"


def test_an_altered_entry_is_named(chain) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET purpose = 'nothing to see' WHERE id = 3")
    with pytest.raises(CommandError, match="#3 was altered"):
        call_command("audit", "verify")


def test_a_removed_entry_is_named(chain) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = 2")
    assert verify().bad_id == 3
    assert "removed" in verify().message


def test_removing_the_last_entries_is_detected_by_the_sealed_head(chain) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id >= 4")
    verdict = verify()
    assert not verdict.ok and "removed from the end" in verdict.message


def test_reordered_entries_are_detected(chain) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET id = 100 WHERE id = 2")
        cursor.execute("UPDATE audit_auditevent SET id = 2 WHERE id = 4")
        cursor.execute("UPDATE audit_auditevent SET id = 4 WHERE id = 100")
    assert verify().bad_id == 2


def test_a_forged_entry_recomputed_without_the_key_is_detected(chain) -> None:
    import hashlib

    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET hash = %s WHERE id = 5",
                       [hashlib.sha256(b"forged").hexdigest()])
    assert verify().bad_id == 5


def test_the_orm_refuses_to_change_or_delete_events(chain) -> None:
    event = AuditEvent.objects.first()
    event.purpose = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(purpose="x")


@pytest.mark.django_db
def test_a_failed_write_leaves_neither_record_nor_audit_event() -> None:
    actor = official(Role.POLICE_INVESTIGATOR)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        registered_case(actor)
        raise RuntimeError("the disk is full")
    from nrm.cases.models import Case

    assert Case.objects.count() == 0
    assert AuditEvent.objects.count() == before
    assert verify().ok


@pytest.mark.django_db
def test_registering_a_case_writes_one_audit_event_naming_the_fields() -> None:
    actor = official(Role.POLICE_INVESTIGATOR)
    case = registered_case(actor)
    event = AuditEvent.objects.filter(action="create").get()
    assert event.record_ids == [str(case.pk)]
    assert "given_name" in event.fields
    assert "Testname" not in str(event.detail) + str(event.fields)
