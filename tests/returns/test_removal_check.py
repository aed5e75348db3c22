"""The removal check: a bar or none, and nothing else; a match with no bar and no match
cannot be told apart by body, status, headers or time; every check audited, limited, and
fishing alerts the auditor."""

from __future__ import annotations

import datetime as dt
import statistics
import time

import pytest
import time_machine

from nrm.audit.models import AuditEvent
from nrm.returns import services
from tests.api_client import ApiClient
from tests.returns.conftest import GROUNDS

ADULT = {"given_name": "Adulta", "family_name": "Sample", "birth_date": "1996-02-03"}
NOBODY = {"given_name": "Nobody", "family_name": "Known", "birth_date": "1980-01-01"}


def _check(client, on, **who):
    return client.post("/removal-check", {"on": on, **who})


def test_an_officer_who_cannot_read_the_case_is_told_no_removal_inside_the_period_and_no_bar_after(world):
    services.reflection_grant(actor=world.officer, case_id=world.adult.pk, start=GROUNDS, days=30,
                              granted_by="mia-dcam")
    client = ApiClient(world.stranger)
    assert client.get(f"/cases/{world.adult.pk}").status_code == 404  # may not read the case
    inside = _check(client, "2026-06-30", **ADULT)
    assert inside.status_code == 200
    assert inside.json() == {"on": "2026-06-30", "answer": "no removal before 2026-07-01 (Art. 31.3)",
                             "barred": True, "until": "2026-07-01", "articles": ["31.3"]}
    after = _check(client, "2026-07-01", **ADULT)
    assert after.json() == {"on": "2026-07-01", "answer": "no bar recorded", "barred": False,
                            "until": None, "articles": []}
    events = list(AuditEvent.objects.filter(action="removal_check").order_by("id"))
    assert [e.detail["barred"] for e in events] == [True, False]
    assert events[0].actor_username == "stranger" and events[0].role == "foreigners_officer"
    assert events[0].detail["lookup"] == events[1].detail["lookup"]  # a keyed hash, no name
    assert "Adulta" not in str(events[0].detail) and events[0].record_ids == []


def test_the_document_number_finds_the_person_too(world):
    services.reflection_grant(actor=world.officer, case_id=world.adult.pk, start=GROUNDS, days=30,
                              granted_by="mia-dcam")
    answer = _check(ApiClient(world.border), "2026-06-20", document_number="ab-123456").json()
    assert answer["answer"] == "no removal before 2026-07-01 (Art. 31.3)"


def test_a_standing_prohibition_is_answered_with_its_article(world):
    services.return_plan(actor=world.officer, case_id=world.adult.pk, destination="AL",
                         planned_on=dt.date(2026, 6, 14), wants_to_return=False, asylum_requested=True)
    answer = _check(ApiClient(world.border), "2027-01-01", **ADULT).json()
    assert answer["answer"] == "no removal (Art. 29.3, 48.3)"
    assert answer["articles"] == ["29.3", "48.3"]


def _headers(response):
    return sorted(response.headers.items())


def test_a_match_without_a_bar_is_indistinguishable_from_no_match(world):
    client = ApiClient(world.border)
    matched = _check(client, "2026-06-20", **ADULT)  # in NRM, no reflection period, no asylum
    nobody = _check(client, "2026-06-20", **NOBODY)
    assert matched.status_code == nobody.status_code == 200
    assert matched.content == nobody.content
    assert _headers(matched) == _headers(nobody)


def test_a_match_without_a_bar_takes_the_same_time_as_no_match(world, settings):
    settings.NRM_REMOVAL_CHECK_LIMIT = 1000
    settings.NRM_REMOVAL_CHECK_DISTINCT = 1000
    client = ApiClient(world.border)
    timings: dict[str, list[float]] = {"matched": [], "nobody": []}
    for _ in range(3):  # warm up both paths
        _check(client, "2026-06-20", **ADULT)
        _check(client, "2026-06-20", **NOBODY)
    for _ in range(30):
        for name, who in (("matched", ADULT), ("nobody", NOBODY)):
            began = time.perf_counter()
            _check(client, "2026-06-20", **who)
            timings[name].append(time.perf_counter() - began)
    matched, nobody = (statistics.median(timings[k]) for k in ("matched", "nobody"))
    # Within noise (two cores shared): the medians differ by less than a quarter of the
    # slower one, or 3 ms.
    assert abs(matched - nobody) < max(0.25 * max(matched, nobody), 0.003), (matched, nobody)


@pytest.mark.parametrize(("body", "field"), [
    ({**ADULT}, "on"),
    ({"on": "20-06-2026", **ADULT}, "on"),
    ({"on": "2026-06-20", "document_number": "AB#12"}, "document_number"),
    ({"on": "2026-06-20", "given_name": "Adulta"}, "family_name"),
])
def test_bad_input_is_refused_naming_the_field_and_audited(world, body, field):
    response = ApiClient(world.border).post("/removal-check", body)
    assert response.status_code == 400
    assert response.json()["field"] == field
    event = AuditEvent.objects.filter(action="removal_check").latest("id")
    assert event.detail["refused"] == field


def test_roles_that_do_not_remove_people_may_not_check(world):
    for user in (world.nurse, world.consul, world.auditor):
        response = _check(ApiClient(user), "2026-06-20", **ADULT)
        assert response.status_code == 403


def test_checks_are_limited_per_officer(world, settings):
    settings.NRM_REMOVAL_CHECK_LIMIT = 3
    client = ApiClient(world.border)
    answers = [_check(client, "2026-06-20", **ADULT).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    # Another officer is not limited by the first one's checks.
    assert _check(ApiClient(world.stranger), "2026-06-20", **ADULT).status_code == 200


def test_many_names_with_few_removals_is_fishing_and_alerts_the_auditor(world, settings):
    settings.NRM_REMOVAL_CHECK_DISTINCT = 3
    client = ApiClient(world.border)
    statuses = [_check(client, "2026-06-20", given_name=f"Name{i}", family_name="Fish",
                       birth_date="1980-01-01").status_code for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    alerts = ApiClient(world.auditor).get("/removal-check/alerts")
    assert alerts.status_code == 200
    assert [a["actor"] for a in alerts.json()] == ["border"]
    assert alerts.json()[0]["detail"]["distinct_lookups"] == 4
    assert ApiClient(world.border).get("/removal-check/alerts").status_code == 403


def test_the_check_on_a_day_before_the_period_starts_says_no_bar(world):
    # The engine assesses the day asked about: the bar is the period's, not today's.
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        services.reflection_grant(actor=world.officer, case_id=world.adult.pk,
                                  start=dt.date(2026, 6, 10), days=30, granted_by="mia-dcam")
    assert _check(ApiClient(world.border), "2026-06-09", **ADULT).json()["answer"] == "no bar recorded"


def test_one_person_checked_on_date_after_date_is_fishing_for_a_child_s_birthday(world):
    # A child's return bar ends at 18: dates tried one by one with a document number alone
    # would find the birth date.
    client = ApiClient(world.border)
    days = ["2031-04-28", "2031-04-29", "2031-04-30", "2031-05-01", "2031-05-02"]
    statuses = [_check(client, day, document_number="CH999999").status_code for day in days]
    assert statuses == [200, 200, 200, 200, 429]
    alert = AuditEvent.objects.get(action="removal_check.fishing")
    assert alert.detail["same_person_dates"] == 5


def test_a_made_up_name_beside_a_real_document_number_does_not_reset_the_dates_tried(world):
    """Found by the attack on a running server: each check with a new made-up name made a
    new lookup, so a binary search over dates on the child's document number went on under
    the distinct-lookups limit and found the birth date in 11 checks."""
    client = ApiClient(world.border)
    days = ["2031-04-28", "2031-04-29", "2031-04-30", "2031-05-01", "2031-05-02"]
    statuses = [_check(client, day, document_number="CH999999", given_name=f"x{n}",
                       family_name="y", birth_date="1970-01-01").status_code
                for n, day in enumerate(days)]
    assert statuses == [200, 200, 200, 200, 429]
    assert AuditEvent.objects.filter(action="removal_check.fishing").exists()


def test_the_dates_tried_for_a_person_outlast_the_hourly_window(world, settings):
    client = ApiClient(world.border)
    start = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    for hours, day in enumerate(["2031-04-28", "2031-04-29", "2031-04-30", "2031-05-01"]):
        with time_machine.travel(start + dt.timedelta(hours=2 * hours), tick=False):
            assert _check(client, day, document_number="CH999999").status_code == 200
    with time_machine.travel(start + dt.timedelta(days=3), tick=False):
        assert _check(client, "2031-05-02", document_number="CH999999").status_code == 429


def test_a_date_before_the_law_is_refused_naming_on_whatever_matches(world):
    client = ApiClient(world.border)
    for who in ({"document_number": "CH999999"}, NOBODY):
        response = _check(client, "0001-01-01", **who)
        assert response.status_code == 400, response.content
        assert response.json()["field"] == "on"
