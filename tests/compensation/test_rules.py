"""The fact provider's fixed cost, and the response rule: a write answers what the same
official's read shows, never more."""

from __future__ import annotations

import datetime as dt

from nrm.authorities.roles import Role
from nrm.cases.models import Capacity, CaseAssignment
from nrm.compensation.facts import read
from tests.compensation.test_api import CLAIM
from tests.factories import InstitutionFactory, official, registered_case


def test_the_provider_reads_any_number_of_cases_in_three_queries(world, django_assert_num_queries):
    world.claim()
    with django_assert_num_queries(3):
        one = read([world.adult.pk])
    more = [registered_case(world.advocate, given_name=f"N{n}") for n in range(4)]
    for case in more:
        world.claim(case=case, receipts=[{"source": "other", "amount": "1.00", "received_on": dt.date(2026, 5, 1)}])
    with django_assert_num_queries(3):
        many = read([world.adult.pk, *[c.pk for c in more]])
    assert many[world.adult.pk] == one[world.adult.pk] and len(many) == 5


def test_a_write_answers_no_more_than_the_same_official_s_read(world, api):
    centre = InstitutionFactory(code="centre")
    CaseAssignment.objects.create(case=world.child, institution=centre, capacity=Capacity.CASE_MANAGEMENT)
    social = official(Role.SOCIAL_WORKER, centre)  # may change claims, may not see the child's identity
    filed = api(world.advocate).post(f"/cases/{world.child.pk}/compensation-claims",
                                     {**CLAIM, "claimant": "legal_representative"}).json()
    path = f"/compensation/claims/{filed['id']}"
    written = api(social).patch(path, {"defendant": "unable_to_pay"}, HTTP_IF_MATCH='"1"')
    assert written.status_code == 200
    read_after = api(social).get(path).json()
    assert written.json() == read_after
    assert read_after["claimant_name"] is None and read_after["documents"][0]["description"] is None
    created = api(social).post(f"/cases/{world.child.pk}/compensation-claims",
                               {**CLAIM, "claimant": "legal_representative"})
    assert created.status_code == 201 and created.json()["claimant_name"] is None
