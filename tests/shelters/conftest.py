"""One setup for the shelter tests: a case team that refers an adult and a child to a
licensed NGO's shelter with an adults' and a children's unit, and officials around it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client

from nrm.authorities.models import Institution, User
from nrm.authorities.roles import InstitutionKind, Role
from nrm.authorities.tokens import token_create
from nrm.cases.models import Case
from nrm.referrals import services as referrals
from nrm.shelters import services
from nrm.shelters.models import Shelter, Unit
from tests.factories import InstitutionFactory, official, registered_case

TODAY = dt.date(2026, 6, 15)
GROUNDS = "2026-06-01"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@dataclass
class World:
    police: Institution
    ngo: Institution
    worker: User  # police investigator on both cases: refers them
    manager: User  # shelter staff of the NGO
    other_manager: User  # shelter staff of another NGO
    coordinator: User
    outsider: User
    adult: Case
    child: Case
    shelter: Shelter
    adults: Unit
    children: Unit


def refer(worker: User, manager: User, case: Case, ngo: Institution, *, child: bool = False) -> Any:
    referrals.consent_record(actor=worker, case=case,
                             given_by="legal_representative" if child else "victim",
                             given_on=TODAY, scope=["shelter"])
    referral = referrals.referral_create(actor=worker, case=case, service="shelter", provider=ngo.code)
    return referrals.referral_accept(actor=manager, referral=referral)


@pytest.fixture
def world(db) -> World:
    police = InstitutionFactory(code="police-unit")
    ngo = InstitutionFactory(code="shelter-ngo", kind=InstitutionKind.LICENSED_NGO,
                             services=["shelter", "psycho_social"])
    other = InstitutionFactory(code="other-ngo", kind=InstitutionKind.LICENSED_NGO, services=["shelter"])
    worker = official(Role.POLICE_INVESTIGATOR, police, username="worker")
    manager = official(Role.SHELTER_STAFF, ngo, username="manager")
    adult = registered_case(worker, given_name="Adulta", birth_date=dt.date(1996, 2, 3),
                            case_facts={"reasonable_grounds_on": GROUNDS})
    child = registered_case(worker, given_name="Childa", birth_date=dt.date(2013, 5, 1), child=True,
                            case_facts={"reasonable_grounds_on": GROUNDS})
    refer(worker, manager, adult, ngo)
    refer(worker, manager, child, ngo, child=True)
    shelter = services.shelter_create(actor=manager, name="House North", address="Hidden road 9",
                                      founder="ngo", services=["accommodation", "food"],
                                      approved_on=dt.date(2025, 1, 10), approval_reference="NA-1")
    adults = services.unit_add(actor=manager, shelter_id=shelter.pk, name="Adults", kind="adults", capacity=2)
    children = services.unit_add(actor=manager, shelter_id=shelter.pk, name="Children",
                                 kind="children", capacity=1)
    return World(
        police=police, ngo=ngo, worker=worker, manager=manager,
        other_manager=official(Role.SHELTER_STAFF, other, username="other-manager"),
        coordinator=official(Role.NATIONAL_COORDINATOR, InstitutionFactory(code="coordination"),
                             username="coordinator"),
        outsider=official(Role.SOCIAL_WORKER, InstitutionFactory(code="elsewhere"), username="outsider"),
        adult=adult, child=child, shelter=shelter, adults=adults, children=children,
    )


class Api:
    """The JSON API as one official sees it, through a bearer token."""

    def __init__(self, user: User) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"}

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}", **self.headers)

    def post(self, path: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.post(f"/api/v1{path}", body or {}, content_type="application/json",
                                **self.headers, **headers)

    def patch(self, path: str, body: dict[str, Any], **headers: str) -> Any:
        return self.client.patch(f"/api/v1{path}", body, content_type="application/json",
                                 **self.headers, **headers)


@pytest.fixture
def api():
    return Api


@pytest.fixture
def proceedings_are():
    """Proceedings are another app's fact: a stand-in provider states them per case."""
    from nrm.cases.legal import (
        PROVIDERS,
        FactProvider,
        fact_provider_register,
        fact_provider_unregister,
    )

    stated: dict[int, dict[str, Any]] = {}
    real = [p for p in PROVIDERS.values() if "proceedings" in p.facts]
    for provider in real:
        fact_provider_unregister(provider.name)
    fact_provider_register(FactProvider(
        name="test-proceedings", facts=("proceedings",),
        read=lambda ids: {pk: {"proceedings": stated[pk]} for pk in ids if pk in stated}))

    def state(case: Case, **proceedings: Any) -> None:
        stated[case.pk] = proceedings

    yield state
    fact_provider_unregister("test-proceedings")
    for provider in real:
        fact_provider_register(provider)
