"""One setup for the foreigners and returns tests: a foreigner's case and a foreign child's
with the ministry for foreigners on the team, a citizen abroad with a consular mission on
hers, border police and a foreigners officer who are on no team, and the auditor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from nrm.authorities.models import Institution, User
from nrm.authorities.roles import InstitutionKind, Role
from nrm.cases.models import Capacity, Case
from nrm.cases.services import case_assign
from tests.factories import InstitutionFactory, official, registered_case

TODAY = dt.date(2026, 6, 15)
GROUNDS = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    police: Institution
    ministry: Institution
    mission: Institution
    registrar: User  # police investigator who registered the cases
    officer: User  # foreigners officer, the ministry on the foreigner's and the child's team
    consul: User  # consular officer, the mission on the citizen's team
    border: User  # border police: on no team, may make removal checks
    stranger: User  # foreigners officer of another office: on no team
    nurse: User  # health worker on the foreigner's team: may not touch returns
    auditor: User
    adult: Case
    child: Case
    citizen: Case


@pytest.fixture
def world(db) -> World:
    police = InstitutionFactory(code="police-unit")
    ministry = InstitutionFactory(code="mia-dcam", kind=InstitutionKind.AUTHORITY)
    mission = InstitutionFactory(code="embassy-de", kind=InstitutionKind.CONSULAR_MISSION)
    clinic = InstitutionFactory(code="clinic")
    registrar = official(Role.POLICE_INVESTIGATOR, police, username="registrar")
    adult = registered_case(registrar, given_name="Adulta", family_name="Sample",
                            birth_date=dt.date(1996, 2, 3), citizenship="AL",
                            person_facts={"stay": "irregular"},
                            case_facts={"reasonable_grounds_on": GROUNDS.isoformat()})
    adult.person.document_number = "AB 123456"
    adult.person.save()
    child = registered_case(registrar, given_name="Childa", family_name="Sample",
                            birth_date=dt.date(2013, 5, 1), child=True, citizenship="AL",
                            case_facts={"reasonable_grounds_on": GROUNDS.isoformat()})
    citizen = registered_case(registrar, given_name="Qytetare", family_name="Sample",
                              birth_date=dt.date(1994, 3, 4), citizenship="XK",
                              case_facts={"reasonable_grounds_on": GROUNDS.isoformat()})
    for case in (adult, child):
        case_assign(actor=registrar, case=case, institution=ministry, capacity=Capacity.RESIDENCE)
    case_assign(actor=registrar, case=adult, institution=clinic, capacity=Capacity.CASE_MANAGEMENT)
    case_assign(actor=registrar, case=citizen, institution=mission, capacity=Capacity.CONSULAR)
    officer = official(Role.FOREIGNERS_OFFICER, ministry, username="officer")
    return World(
        police=police, ministry=ministry, mission=mission, registrar=registrar, officer=officer,
        consul=official(Role.CONSULAR_OFFICER, mission, username="consul"),
        border=official(Role.POLICE_INVESTIGATOR, InstitutionFactory(code="border-police"),
                        username="border"),
        stranger=official(Role.FOREIGNERS_OFFICER, InstitutionFactory(code="mia-other"),
                          username="stranger"),
        nurse=official(Role.HEALTH_WORKER, clinic, username="nurse"),
        auditor=official(Role.AUDITOR, InstitutionFactory(code="audit"), username="auditor"),
        adult=adult, child=child, citizen=citizen,
    )
