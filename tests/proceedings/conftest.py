"""One setup for the proceedings tests: a prosecution office, police and a court on two
victims' cases (an adult and a child), a social worker on the same team, and outsiders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client

from nrm.authorities.models import Institution, User
from nrm.authorities.roles import InstitutionKind, Role
from nrm.cases.models import Capacity, Case
from nrm.cases.services import case_assign
from tests.factories import InstitutionFactory, official, registered_case

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@dataclass
class World:
    prosecution: Institution
    police: Institution
    prosecutor: User  # named on both cases
    investigator: User  # registered both cases: named on them
    colleague: User  # a prosecutor of the same office, not named on the cases
    social_worker: User  # on the team, named, but no grant on measures or proceedings
    coordinator: User
    outsider: User  # a prosecutor of another office
    adult: Case
    child: Case


@pytest.fixture
def world(db) -> World:
    police = InstitutionFactory(code="police-unit")
    prosecution = InstitutionFactory(code="prosecution")
    csw = InstitutionFactory(code="csw", kind=InstitutionKind.SOCIAL_WORK_CENTRE)
    investigator = official(Role.POLICE_INVESTIGATOR, police, username="investigator")
    prosecutor = official(Role.PROSECUTOR, prosecution, username="prosecutor")
    colleague = official(Role.PROSECUTOR, prosecution, username="colleague")
    social_worker = official(Role.SOCIAL_WORKER, csw, username="social")
    grounds = {"reasonable_grounds_on": "2026-06-01"}
    adult = registered_case(investigator, given_name="Adulta", birth_date=dt.date(1996, 2, 3),
                            case_facts=grounds)
    child = registered_case(investigator, given_name="Childa", birth_date=dt.date(2013, 5, 1),
                            child=True, case_facts=grounds)
    for case in (adult, child):
        case_assign(actor=investigator, case=case, institution=prosecution,
                    capacity=Capacity.PROCEEDINGS)
        case_assign(actor=investigator, case=case, institution=prosecution,
                    capacity=Capacity.PROCEEDINGS, user=prosecutor)
        case_assign(actor=investigator, case=case, institution=csw,
                    capacity=Capacity.CASE_MANAGEMENT, user=social_worker)
    coordination = InstitutionFactory(code="coordination", kind=InstitutionKind.COORDINATION)
    return World(
        prosecution=prosecution, police=police, prosecutor=prosecutor, investigator=investigator,
        colleague=colleague, social_worker=social_worker,
        coordinator=official(Role.NATIONAL_COORDINATOR, coordination, username="coordinator"),
        outsider=official(Role.PROSECUTOR, InstitutionFactory(code="elsewhere"), username="outsider"),
        adult=adult, child=child,
    )


def page_client(user: User) -> Client:
    """A browser-less client signed in as `user`, past the second factor (demo mode only:
    the page tests turn NRM_DEMO on)."""
    user.is_demo = True
    user.save(update_fields=["is_demo"])
    client = Client()
    client.force_login(user)
    return client
