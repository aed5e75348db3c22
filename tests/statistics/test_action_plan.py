"""The action plan and training: kept by the Coordinator, read by analysts, flagged when late."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.authorities.roles import Role
from nrm.errors import Conflict, NotAllowed
from nrm.statistics import plan
from nrm.statistics.models import (
    Activity,
    Attendance,
    Course,
    FrontLineStaff,
    Objective,
    Strategy,
    TrainingSession,
)
from tests.factories import InstitutionFactory, official

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)

# Stated again, apart from access.py: who may read and keep the plan.
EXPECTED = {Role.NATIONAL_COORDINATOR: "VC", Role.SECRETARIAT_ANALYST: "V"}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def activities():
    police = InstitutionFactory(code="KP")
    strategy = Strategy.objects.create(title="Strategy 2022-2026", starts_on=dt.date(2022, 1, 1),
                                       ends_on=dt.date(2026, 12, 31))
    objective = Objective.objects.create(strategy=strategy, code="1", title="Identification")
    late = Activity.objects.create(objective=objective, code="1.1", title="Train border police",
                                   responsible=police, deadline=dt.date(2026, 6, 30),
                                   indicator="officials trained", baseline=0, target=200)
    due = Activity.objects.create(objective=objective, code="1.2", title="Update indicators",
                                  responsible=police, deadline=dt.date(2027, 3, 1),
                                  indicator="list published", baseline=0, target=1)
    course = Course.objects.create(title="Identifying victims", provision="9.5")
    held = TrainingSession.objects.create(course=course, held_on=dt.date(2025, 5, 1))
    old = TrainingSession.objects.create(course=course, held_on=dt.date(2021, 5, 1))
    Attendance.objects.create(session=held, institution=police, role="police_investigator",
                              participants=30)
    Attendance.objects.create(session=old, institution=police, role="police_investigator",
                              participants=50)
    FrontLineStaff.objects.create(institution=police, year=2026, officials=120)
    return late, due


@pytest.mark.parametrize("role", list(Role))
def test_only_the_coordinator_keeps_the_plan_and_analysts_read_it(role):
    user = official(role)
    letters = EXPECTED.get(role, "-")
    assert access.allows(user, Action.VIEW, Kind.ACTION_PLAN) == ("V" in letters)
    assert access.allows(user, Action.CHANGE, Kind.ACTION_PLAN) == ("C" in letters)


def test_an_activity_past_its_deadline_and_not_completed_is_overdue(activities, coordinator):
    late, due = activities
    assert [a.code for a in plan.activities_overdue(user=coordinator, on=TODAY)] == ["1.1"]
    plan.activity_progress_report(actor=coordinator, activity_id=late.pk, version=1,
                                  progress=Decimal(200), completed=True, on=TODAY)
    assert not plan.activities_overdue(user=coordinator, on=TODAY).exists()


def test_a_stale_version_is_refused_and_nothing_changes(activities, coordinator):
    late, _ = activities
    plan.activity_progress_report(actor=coordinator, activity_id=late.pk, version=1,
                                  progress=Decimal(50), on=TODAY)
    with pytest.raises(Conflict):
        plan.activity_progress_report(actor=coordinator, activity_id=late.pk, version=1,
                                      progress=Decimal(70), on=TODAY)
    assert Activity.objects.get(pk=late.pk).progress == 50


def test_an_analyst_may_not_report_progress(activities, analyst):
    with pytest.raises(NotAllowed):
        plan.activity_progress_report(actor=analyst, activity_id=activities[0].pk, version=1,
                                      progress=Decimal(1), on=TODAY)


def test_coverage_counts_the_last_three_years_over_the_front_line_staff(activities, analyst):
    (kp,) = plan.training_coverage(user=analyst, on=TODAY)
    assert (kp.institution, kp.trained, kp.officials) == ("KP", 30, 120)
    assert kp.share == 0.25


@pytest.fixture
def page(settings):
    settings.NRM_DEMO = True

    def sign_in(role):
        client = Client()
        client.force_login(official(role, is_demo=True))
        return client
    return sign_in


def test_the_coordinator_reports_progress_on_the_page_and_sees_it(activities, page):
    late, _ = activities
    client = page(Role.NATIONAL_COORDINATOR)
    response = client.post(reverse("statistics:action_plan"),
                           {"activity": late.pk, "version": 1, "progress": "120"}, follow=True)
    html = response.content.decode()
    assert "Progress recorded." in html and "<td>120.00</td>" in html
    assert "overdue" in html and "25%" in html


def test_a_stale_form_on_the_page_says_so(activities, page):
    late, _ = activities
    client = page(Role.NATIONAL_COORDINATOR)
    client.post(reverse("statistics:action_plan"), {"activity": late.pk, "version": 1, "progress": "1"})
    html = client.post(reverse("statistics:action_plan"),
                       {"activity": late.pk, "version": 1, "progress": "2"}).content.decode()
    assert "changed since it was read" in html
    assert Activity.objects.get(pk=late.pk).progress == 1


def test_an_analyst_reads_the_page_without_the_form_and_may_not_post(activities, page):
    client = page(Role.SECRETARIAT_ANALYST)
    html = client.get(reverse("statistics:action_plan")).content.decode()
    assert "Train border police" in html and 'name="progress"' not in html
    response = client.post(reverse("statistics:action_plan"),
                           {"activity": activities[0].pk, "version": 1, "progress": "5"})
    assert response.status_code == 403
    assert Activity.objects.get(pk=activities[0].pk).progress is None


def test_a_police_investigator_may_not_read_the_plan(activities, page):
    assert page(Role.POLICE_INVESTIGATOR).get(reverse("statistics:action_plan")).status_code == 403


def test_the_dashboard_flags_the_overdue_activity(activities, page):
    html = page(Role.NATIONAL_COORDINATOR).get(reverse("statistics:dashboard")).content.decode()
    assert "1.1 Train border police" in html and "Update indicators" not in html
