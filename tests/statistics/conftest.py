from __future__ import annotations

import datetime as dt
import itertools

import pytest

from nrm.authorities.roles import Role
from nrm.authorities.tokens import token_create
from nrm.cases.models import Case, Person
from tests.factories import InstitutionFactory, official

_numbers = itertools.count(1)


def cases(institution, n: int, *, sex: str = "female", citizenship: str = "XK",
          year: int = 2026, child: bool = False, exploitation: list[str] | None = None,
          demo: bool = False) -> list[Case]:
    """n pseudonymous cases with no identity, straight into the tables: statistics read
    only the pseudonymous columns, so the registration service's checks add nothing here."""
    made = []
    for _ in range(n):
        person = Person.objects.create(sex=sex, citizenship=citizenship)
        case = Case.objects.create(
            reference=f"T-{next(_numbers):06d}", person=person, registered_by=institution,
            child=child, demo=demo,
            facts={"exploitation": exploitation} if exploitation is not None else {})
        Case.objects.filter(pk=case.pk).update(
            created_at=dt.datetime(year, 3, 1, tzinfo=dt.UTC))
        made.append(case)
    return made


@pytest.fixture
def police_institution():
    return InstitutionFactory(code="KP")


@pytest.fixture
def coordinator():
    return official(Role.NATIONAL_COORDINATOR)


@pytest.fixture
def analyst():
    return official(Role.SECRETARIAT_ANALYST)


@pytest.fixture
def police(police_institution):
    return official(Role.POLICE_INVESTIGATOR, police_institution)


@pytest.fixture
def as_user(monkeypatch):
    """Run a command as this official: their API token in NRM_TOKEN."""
    def use(user):
        monkeypatch.setenv("NRM_TOKEN", token_create(user=user))
        return user.username
    return use
