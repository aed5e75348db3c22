"""One setup for the compensation tests: a Commission of three serving members, a victim
advocate's case team with an adult's and a child's case, and officials with no claim."""

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
from nrm.compensation import services
from nrm.compensation.models import Claim, CommissionMember, DeadlineName, DeadlineParameter
from tests.factories import InstitutionFactory, official, registered_case

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@dataclass
class World:
    commission: Institution
    advocates: Institution
    advocate: User  # victim advocate who registered both cases: files claims
    members: list[User]
    terms: list[CommissionMember]
    admin: User
    outsider: User  # a social worker of an institution on no case
    other_commission_member: User  # a member of another Commission
    adult: Case
    child: Case

    def claim(self, case: Case | None = None, **kw: Any) -> Claim:
        """A claim for state compensation: 1,000.10 harm assessed, nothing received."""
        args: dict[str, Any] = {
            "actor": self.advocate, "case": case or self.adult, "commission": self.commission.code,
            "claimant": "victim", "claimant_name": "Claimant Sample", "basis": "state_compensation",
            "filed_on": dt.date(2026, 6, 1), "time_runs_from": dt.date(2026, 3, 1),
            "harms": [{"kind": "material", "amount": "600.05", "evidence": "receipts for lost wages"},
                      {"kind": "emotional", "amount": "400.05", "evidence": "psychologist's report"}],
            "defendant": "unknown",
        }
        args.update(kw)
        return services.claim_file(**args)


@pytest.fixture
def world(db) -> World:
    commission = InstitutionFactory(code="commission", kind=InstitutionKind.COMPENSATION_COMMISSION)
    advocates = InstitutionFactory(code="advocates")
    advocate = official(Role.VICTIM_ADVOCATE, advocates, username="advocate")
    members = [official(Role.COMMISSION_MEMBER, commission, username=f"member-{n}") for n in (1, 2, 3)]
    admin = official(Role.SYSTEM_ADMIN, InstitutionFactory(code="it"), username="admin")
    terms = [services.member_appoint(actor=admin, commission=commission, user=m,
                                     term_start=dt.date(2025, 1, 1), chair=n == 0)
             for n, m in enumerate(members)]
    DeadlineParameter.objects.create(name=DeadlineName.CLAIM, valid_from=dt.date(2013, 9, 19), days=180,
                                     source="Criminal Procedure Code (test value)")
    DeadlineParameter.objects.create(name=DeadlineName.APPEAL, valid_from=dt.date(2013, 9, 19), days=15,
                                     source="sub-legal act (test value)")
    other = InstitutionFactory(code="commission-2", kind=InstitutionKind.COMPENSATION_COMMISSION)
    adult = registered_case(advocate, given_name="Adulta", birth_date=dt.date(1996, 2, 3),
                            citizenship="AL", person_facts={"stay": "irregular"})
    child = registered_case(advocate, given_name="Childa", birth_date=dt.date(2013, 5, 1), child=True)
    return World(
        commission=commission, advocates=advocates, advocate=advocate, members=members, terms=terms,
        admin=admin,
        outsider=official(Role.SOCIAL_WORKER, InstitutionFactory(code="elsewhere"), username="outsider"),
        other_commission_member=official(Role.COMMISSION_MEMBER, other, username="other-member"),
        adult=adult, child=child,
    )


class Api:
    """The JSON API as one official sees it, through a bearer token."""

    def __init__(self, user: User) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"}

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}", **self.headers)

    def post(self, path: str, body: dict[str, Any] | None = None, **headers: Any) -> Any:
        return self.client.post(f"/api/v1{path}", body or {}, content_type="application/json",
                                **self.headers, **headers)

    def patch(self, path: str, body: dict[str, Any], **headers: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", body, content_type="application/json",
                                 **self.headers, **headers)


@pytest.fixture
def api():
    return Api
