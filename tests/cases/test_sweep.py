from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command

from nrm.audit.models import AuditEvent
from nrm.authorities.roles import Role
from nrm.cases.models import Duty, DutyStatus, LegalState
from nrm.cases.sweep import sweep
from tests.factories import official, registered_case

pytestmark = pytest.mark.django_db

FOREIGNER = {"reasonable_grounds_on": "2026-05-01", "reflection": {"start": "2026-05-01", "days": 30}}


@pytest.fixture
def cases(time_machine):
    time_machine.move_to(datetime(2026, 5, 2, 9, tzinfo=UTC), tick=False)
    police = official(Role.POLICE_INVESTIGATOR)
    return [
        registered_case(police, citizenship="MD", person_facts={"stay": "irregular"},
                        case_facts=FOREIGNER),
        registered_case(police, child=True, case_facts={"reasonable_grounds_on": "2026-05-01"}),
    ]


def test_the_sweep_reports_duties_that_became_due_or_overdue(cases) -> None:
    report = sweep(date(2026, 5, 2))
    assert report.cases == 2 and report.errors == 0
    assert report.overdue >= 1  # inform_safe_return was due at the reflection's start (29.1.2)
    assert report.immediate >= 1
    assert AuditEvent.objects.filter(action="sweep").exists()


def test_a_sweep_with_nothing_changed_rewrites_nothing(cases) -> None:
    sweep(date(2026, 5, 2))
    before = dict(LegalState.objects.values_list("case_id", "computed_at"))
    report = sweep(date(2026, 5, 3))
    assert report.reassessed == 0
    assert dict(LegalState.objects.values_list("case_id", "computed_at")) == before


def test_the_sweep_lifts_a_prohibition_when_its_period_ends(cases) -> None:
    foreigner = cases[0]
    assert "deportation" in str(foreigner.legal_state.assessment["prohibitions"])
    sweep(date(2026, 6, 1))  # the 30-day reflection period ended on 2026-05-30
    foreigner.legal_state.refresh_from_db()
    assert "deportation" not in str(foreigner.legal_state.assessment["prohibitions"])


def test_a_completed_duty_stays_completed_through_the_sweep(cases) -> None:
    duty = Duty.objects.filter(case=cases[0], code="inform_of_rights").get()
    Duty.objects.filter(pk=duty.pk).update(status=DutyStatus.DONE)
    sweep(date(2026, 7, 1))
    assert Duty.objects.get(pk=duty.pk).status == DutyStatus.DONE


def test_the_sweep_command_prints_its_report_and_refuses_a_bad_date(cases, capsys) -> None:
    call_command("sweep", "--on", "2026-05-02")
    out = capsys.readouterr().out
    assert "swept 2 cases on 2026-05-02" in out and "overdue" in out
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--on"):
        call_command("sweep", "--on", "2 May")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sweep_runs_as_a_background_task_through_the_database_queue(cases, capsys) -> None:
    # Committed data: the worker opens and closes its own connections.
    call_command("sweep", "--on", "2026-05-02", "--enqueue")
    assert "queued as task" in capsys.readouterr().out
    assert not AuditEvent.objects.filter(action="sweep").exists()
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert AuditEvent.objects.filter(action="sweep").exists()


def test_every_label_of_the_law_engine_is_marked_for_translation() -> None:
    from nrm.cases.law_labels import LABELS
    from nrm.law import codes

    assert set(LABELS) == set(codes.LABELS.values())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_parallel_sweep_gives_the_same_report_as_a_sequential_one(cases) -> None:
    parallel = sweep(date(2026, 5, 2), batch_size=1, workers=2)
    assert (parallel.cases, parallel.errors) == (2, 0)
    assert parallel.reassessed == 0  # registration already assessed both cases today
    sequential = sweep(date(2026, 5, 2), batch_size=1)
    assert (parallel.overdue, parallel.immediate) == (sequential.overdue, sequential.immediate)
    later = sweep(date(2026, 7, 1), batch_size=1, workers=2)  # the reflection period has ended
    assert later.reassessed == 1
    assert LegalState.objects.get(case=cases[0]).assessed_on == date(2026, 7, 1)


def test_a_parallel_sweep_refuses_to_run_inside_a_transaction(cases, settings) -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("the test database is in memory: a parallel sweep runs in-process there")
    with pytest.raises(RuntimeError, match="workers=1"):
        sweep(date(2026, 5, 2), batch_size=1, workers=2)
