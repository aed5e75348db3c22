"""The Coordinator's dashboard: every figure through disclosure control, only for them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from nrm.authorities.roles import Role
from nrm.cases.models import Alert, Duty
from nrm.statistics.models import Release
from tests.factories import official
from tests.statistics.conftest import cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(settings):
    settings.NRM_DEMO = True  # demo officials pass the second factor in demo mode only

    def sign_in(role, institution=None):
        client = Client()
        client.force_login(official(role, institution, is_demo=True))
        return client
    return sign_in


@pytest.fixture
def registered(police_institution):
    made = cases(police_institution, 12, sex="female", year=2025, exploitation=["sexual"])
    made += cases(police_institution, 9, sex="male", year=2026, exploitation=["forced_labour"])
    made += cases(police_institution, 2, sex="male", year=2026, citizenship="AL",
                  exploitation=["begging"])
    for case in made[:7]:
        Duty.objects.create(case=case, code="inform_of_rights", article="20.2.1",
                            institution=police_institution, due_on=dt.date(2026, 1, 1),
                            created_on=dt.date(2025, 12, 1))
    Alert.objects.create(case=made[0], code="late_identification", article="12.1",
                         raised_on=dt.date(2026, 1, 2))
    return made


def test_the_coordinator_sees_figures_charts_overdue_duties_and_violations(registered, page):
    response = page(Role.NATIONAL_COORDINATOR).get(reverse("statistics:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "Victims by year of registration" in html
    assert re.search(r"<dd>23</dd>", html)  # all years: 12 + 9 + 2
    assert re.search(r"<td>KP</td><td>7</td>", html)
    # One violation on one case: below k, so suppressed, never "1".
    assert re.search(r"<td>late_identification</td><td>suppressed</td>", html)
    assert Release.objects.filter(channel="dashboard").count() == 1


def test_every_violation_is_a_row_so_no_row_says_one_was_found(registered, page):
    # A row of its own, even suppressed, told the Coordinator that a child was interviewed
    # on unsuitable premises somewhere (found by the attack on a running server).
    from nrm.law.codes import VIOLATIONS

    html = page(Role.NATIONAL_COORDINATOR).get(reverse("statistics:dashboard")).content.decode()
    for code in VIOLATIONS - {"late_identification"}:
        assert f"<td>{code}</td><td>0</td>" in html, code


def test_no_figure_below_k_reaches_the_page(registered, page):
    html = page(Role.SECRETARIAT_ANALYST).get(reverse("statistics:dashboard")).content.decode()
    # The two AL cases of 2026 are a cell of 2: the citizenship bar for AL is suppressed.
    assert re.search(r">AL</text>\s*<text[^>]*>suppressed</text>", html)
    shown = {int(n) for n in re.findall(r"<text [^>]*>(\d+)</text>", html)}
    assert not shown & {1, 2, 3, 4}


def test_the_page_has_no_inline_script_or_style(registered, page):
    html = page(Role.NATIONAL_COORDINATOR).get(reverse("statistics:dashboard")).content.decode()
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.parametrize("role", [Role.POLICE_INVESTIGATOR, Role.SOCIAL_WORKER, Role.AUDITOR,
                                  Role.SYSTEM_ADMIN])
def test_other_roles_are_refused_the_dashboard_and_see_no_link(registered, page, role):
    client = page(role)
    assert client.get(reverse("statistics:dashboard")).status_code == 403
    assert reverse("statistics:dashboard") not in client.get(reverse("web:home")).content.decode()
    assert not Release.objects.exists()


def test_the_coordinator_has_the_link(page):
    html = page(Role.NATIONAL_COORDINATOR).get(reverse("web:home")).content.decode()
    assert reverse("statistics:dashboard") in html


def test_shelter_stays_by_year_pass_the_same_control(registered, page, police_institution):
    from nrm.shelters.models import Placement, Shelter

    shelter = Shelter.objects.create(operator=police_institution, name="House 1", capacity=10)
    for case in registered[:6]:
        Placement.objects.create(case=case, shelter=shelter, admitted_on=dt.date(2026, 2, 1))
    Placement.objects.create(case=registered[6], shelter=shelter, admitted_on=dt.date(2025, 2, 1))
    html = page(Role.NATIONAL_COORDINATOR).get(reverse("statistics:dashboard")).content.decode()
    # 2026: 6, 2025: 1; the total 7 would give 2025 away from 2026, so both are hidden.
    assert "<td>2025</td><td>suppressed</td>" in html
    assert "<td>2026</td><td>suppressed</td>" in html
    assert "<td>Total</td><td>7</td>" in html


def test_reasonable_grounds_and_identification_decisions_are_counted_by_year(
        registered, page, police, police_institution):
    from nrm.cases.models import StageDecision

    for case in registered[:8]:
        StageDecision.objects.create(case=case, from_stage="screening", to_stage="presumed_victim",
                                     decided_on=dt.date(2026, 3, 1), decided_by=police,
                                     institution=police_institution, role="police_investigator")
    for case in registered[:6]:
        StageDecision.objects.create(case=case, from_stage="presumed_victim", to_stage="identified",
                                     decided_on=dt.date(2026, 5, 1), decided_by=police,
                                     institution=police_institution, role="police_investigator")
    html = page(Role.NATIONAL_COORDINATOR).get(reverse("statistics:dashboard")).content.decode()
    assert "<td>2026</td><td>presumed_victim</td><td>8</td>" in html
    assert "<td>2026</td><td>identified</td><td>6</td>" in html
    assert "<td>Total</td><td>Total</td><td>14</td>" in html


def test_the_dashboard_and_report_of_an_empty_system_render(page):
    client = page(Role.NATIONAL_COORDINATOR)
    assert client.get(reverse("statistics:dashboard")).status_code == 200
    assert client.get(reverse("statistics:annual_report", args=[2026])).status_code == 200
