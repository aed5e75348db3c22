from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from nrm.audit.services import verify
from nrm.authorities.models import User
from nrm.cases.models import Case
from nrm.demo.data import USERS

pytestmark = pytest.mark.django_db


def test_demo_creates_one_official_per_role_and_three_cases_and_the_chain_verifies(capsys) -> None:
    call_command("demo")
    out = capsys.readouterr().out
    assert set(User.objects.filter(is_demo=True).values_list("username", flat=True)) == {
        username for username, _, _ in USERS}
    assert "nrm-demo-2026" in out and "police" in out
    assert Case.objects.filter(demo=True).count() == 3
    assert Case.objects.filter(demo=True, child=True).count() == 1  # the law engine says so
    assert verify().ok


def test_demo_is_idempotent() -> None:
    call_command("demo")
    call_command("demo")
    assert Case.objects.filter(demo=True).count() == 3
    assert User.objects.filter(is_demo=True).count() == len(USERS)


def test_reset_is_refused_outside_demo_mode(settings) -> None:
    settings.NRM_DEMO = False
    with pytest.raises(CommandError, match="NRM_DEMO=1"):
        call_command("demo", "--reset")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reset_starts_over_with_a_fresh_chain(settings) -> None:
    # Outside a test transaction, as the command runs: PostgreSQL will not TRUNCATE tables
    # with deferred constraint checks pending in the same transaction.
    settings.NRM_DEMO = True
    call_command("demo")
    call_command("demo", "--reset")
    assert Case.objects.filter(demo=True).count() == 3
    assert verify().ok
