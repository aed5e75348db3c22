"""One setup for the referral tests: a case team, a shelter and a clinic, and an outsider."""

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
from tests.factories import InstitutionFactory, official, registered_case

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@dataclass
class World:
    police: Institution
    shelter: Institution
    clinic: Institution
    worker: User  # police investigator who registered both cases: may change them
    viewer: User  # on the team through the police institution, may view but not change
    shelter_staff: User
    nurse: User
    outsider: User
    adult: Case
    child: Case


@pytest.fixture
def world(db) -> World:
    police = InstitutionFactory(code="police-unit")
    shelter = InstitutionFactory(code="shelter-ngo", kind=InstitutionKind.LICENSED_NGO,
                                 services=["shelter", "psycho_social", "vocational_training"])
    clinic = InstitutionFactory(code="clinic", services=["medical", "interpretation"])
    worker = official(Role.POLICE_INVESTIGATOR, police, username="worker")
    # A labour inspector of the same institution: on the team, may view but not change.
    viewer = official(Role.LABOUR_INSPECTOR, police, username="viewer")
    adult = registered_case(worker, given_name="Adulta", family_name="Sample",
                            birth_date=dt.date(1996, 2, 3))
    adult.person.contact = "+000 000"
    adult.person.address = "Nowhere street 1"
    adult.person.document_number = "DOC-0"
    adult.person.save()
    child = registered_case(worker, given_name="Childa", birth_date=dt.date(2013, 5, 1), child=True)
    return World(
        police=police, shelter=shelter, clinic=clinic, worker=worker, viewer=viewer,
        shelter_staff=official(Role.SHELTER_STAFF, shelter, username="shelter-staff"),
        nurse=official(Role.HEALTH_WORKER, clinic, username="nurse"),
        outsider=official(Role.SOCIAL_WORKER, InstitutionFactory(code="elsewhere"), username="outsider"),
        adult=adult, child=child,
    )


class Api:
    """The JSON API as one official sees it, through a bearer token."""

    def __init__(self, user: User) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"}

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}", **self.headers)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(f"/api/v1{path}", body or {}, content_type="application/json",
                                **self.headers)

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.patch(f"/api/v1{path}", body, content_type="application/json",
                                 **self.headers)


@pytest.fixture
def api():
    return Api
