"""Two managers admit two victims to the last bed at the same moment, each on its own
database connection: one admission goes in, the other is refused and leaves nothing.

Runs on PostgreSQL (the production database; CI's second pass): there, two transactions
truly overlap and the row lock on the unit decides. SQLite takes one writer at a time, so
the overlap cannot happen there and the test is skipped.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from nrm.audit.models import AuditEvent
from nrm.errors import Conflict
from nrm.shelters import services
from nrm.shelters.models import Placement, Unit
from tests.factories import registered_case
from tests.shelters.conftest import GROUNDS, TODAY, refer


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two overlapping write transactions need PostgreSQL")
def test_two_managers_admitting_to_the_last_bed_at_once(transactional_db, world, monkeypatch):
    second = registered_case(world.worker, given_name="Secunda", birth_date=dt.date(1994, 4, 4),
                             case_facts={"reasonable_grounds_on": GROUNDS})
    refer(world.worker, world.manager, second, world.ngo)
    Unit.objects.filter(pk=world.adults.pk).update(capacity=1)
    audited = AuditEvent.objects.filter(action="shelters.admit").count()

    # Both admissions pass every check before either writes: the bed is free for both.
    both_checked = threading.Barrier(2, timeout=30)
    checks = services._overstay

    def then_wait_for_the_other(case, stay, field):
        checks(case, stay, field)
        both_checked.wait()

    monkeypatch.setattr(services, "_overstay", then_wait_for_the_other)
    outcomes: dict[int, object] = {}

    def admit(case_id: int) -> None:
        try:
            outcomes[case_id] = services.placement_admit(
                actor=world.manager, unit_id=world.adults.pk, case_id=case_id,
                admitted_on=TODAY, days=60)
        except Exception as refused:  # noqa: BLE001 - the outcome is what the test reads
            outcomes[case_id] = refused
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=admit, args=(pk,)) for pk in (world.adult.pk, second.pk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    admitted = [o for o in outcomes.values() if isinstance(o, Placement)]
    refused = [o for o in outcomes.values() if not isinstance(o, Placement)]
    assert len(admitted) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], Conflict) and refused[0].field == "unit_id"
    assert "full" in refused[0].message
    # Nothing half-written: one stay, one bed taken, one audit row.
    assert Placement.objects.filter(unit=world.adults).count() == 1
    assert Unit.objects.get(pk=world.adults.pk).occupied == 1
    assert AuditEvent.objects.filter(action="shelters.admit").count() == audited + 1
