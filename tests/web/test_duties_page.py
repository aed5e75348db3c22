"""My duties: the open duties of my institutions, most pressing first, each with its article."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nrm.cases.models import Duty, DutyStatus
from nrm.cases.views import duty_groups
from tests.factories import registered_case
from tests.web.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_my_duties_lists_my_institutions_open_duties_with_the_article_cited(browser, world):
    page = browser(world.worker).get("/duties/").content.decode()
    assert world.adult.reference in page and f'href="/cases/{world.adult.pk}/"' in page
    assert "Inform the person of their rights" in page and "Art. 20.2.1" in page
    assert "<details" in page and "Mark done" in page
    assert world.adult.reference not in browser(world.outsider).get("/duties/").content.decode()


def test_duties_are_grouped_overdue_immediately_today_and_later():
    def duty(due):
        return Duty(code="x", article="1", due_on=due)

    groups = duty_groups([duty(TODAY - dt.timedelta(days=1)), duty(None), duty(TODAY),
                          duty(TODAY + dt.timedelta(days=3))], TODAY)
    assert [(key, len(rows)) for key, _title, rows in groups] == [
        ("overdue", 1), ("immediately", 1), ("today", 1), ("later", 1)]


def test_completing_a_duty_with_a_note_closes_it(browser, world):
    duty = Duty.objects.filter(case=world.adult, status=DutyStatus.OPEN).first()
    response = browser(world.worker).post(f"/duties/{duty.pk}/complete/", {"note": "Done by phone"})
    assert response.status_code == 302 and response["Location"] == "/duties/"
    duty.refresh_from_db()
    assert duty.status == DutyStatus.DONE and duty.completed_by == world.worker
    assert duty.note == "Done by phone"


def test_an_official_who_may_not_change_the_case_cannot_complete_its_duty(browser, world):
    duty = Duty.objects.filter(case=world.adult, status=DutyStatus.OPEN).first()
    assert browser(world.outsider).post(f"/duties/{duty.pk}/complete/", {}).status_code == 404
    assert browser(world.viewer).post(f"/duties/{duty.pk}/complete/", {}).status_code == 404
    duty.refresh_from_db()
    assert duty.status == DutyStatus.OPEN


def test_the_duties_page_runs_the_same_queries_however_many_duties_there_are(browser, world):
    client = browser(world.worker)
    client.get("/duties/")  # warm the session and the law's text

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/duties/").status_code == 200
        return len(queries)

    few = count()
    for _ in range(3):
        registered_case(world.worker, case_facts={"reasonable_grounds_on": "2026-06-01"})
    assert Duty.objects.filter(status=DutyStatus.OPEN).count() > 6
    assert count() == few
