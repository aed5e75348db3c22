"""One setup for the page and screening API tests: a case team, a viewer, an outsider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client

from nrm.authorities.models import Institution, User
from nrm.authorities.roles import Role
from nrm.cases.models import Case
from tests.factories import InstitutionFactory, official, registered_case

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@dataclass
class World:
    police: Institution
    worker: User  # police investigator who registered both cases: may change them
    viewer: User  # labour inspector of the same institution: may view, not change
    outsider: User  # a social worker elsewhere: sees nothing
    analyst: User  # national role: sees pseudonymous cases, changes nothing
    adult: Case
    child: Case


@pytest.fixture
def world(db) -> World:
    police = InstitutionFactory(code="police-unit", name="Police unit")
    worker = official(Role.POLICE_INVESTIGATOR, police, username="worker", is_demo=True)
    viewer = official(Role.LABOUR_INSPECTOR, police, username="viewer", is_demo=True)
    adult = registered_case(worker, given_name="Adulta", family_name="Sample",
                            birth_date=dt.date(1996, 2, 3), sex="female", citizenship="MD",
                            person_facts={"stay": "irregular"},
                            case_facts={"reasonable_grounds_on": "2026-06-01",
                                        "exploitation": ["forced_labour"]})
    child = registered_case(worker, given_name="Childa", birth_date=dt.date(2013, 5, 1), child=True)
    return World(
        police=police, worker=worker, viewer=viewer,
        outsider=official(Role.SOCIAL_WORKER, InstitutionFactory(code="elsewhere"),
                          username="outsider", is_demo=True),
        analyst=official(Role.SECRETARIAT_ANALYST, InstitutionFactory(code="secretariat"),
                         username="analyst", is_demo=True),
        adult=adult, child=child,
    )


@pytest.fixture
def browser(settings, world):
    """A signed-in browser; demo users pass the second factor in demo mode only."""
    settings.NRM_DEMO = True

    def sign_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in
