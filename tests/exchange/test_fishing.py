"""The duplicate check is no lookup service (issue 7, finding 6): a consular officer who may
not see a child's case once found the child's birth date with 365 checks. Now checks are
limited per official, each audited with a keyed hash of what was looked up, and fishing
(one person's names with date after date, or many people) refuses further checks for the
window and alerts the auditor."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.audit.models import AuditEvent
from nrm.authorities.roles import Role
from nrm.errors import TooManyRequests
from nrm.exchange.selectors import duplicates_check
from tests.factories import official, registered_case

pytestmark = pytest.mark.django_db
BORN = dt.date(2014, 2, 2)


@pytest.fixture
def target():
    """A child registered by the police; a consular officer elsewhere has a case of their own."""
    police = official(Role.POLICE_INVESTIGATOR)
    child = registered_case(police, child=True, given_name="Drita", family_name="Hoxha",
                            birth_date=BORN)
    consul = official(Role.CONSULAR_OFFICER)
    own = registered_case(consul, given_name="Other", family_name="Person")
    return child, consul, own


def check(client, case, day, given="Drita", family="Hoxha"):
    return client.post("/api/v1/duplicates/check",
                       {"case": case.pk, "given_name": given, "family_name": family,
                        "birth_date": day.isoformat()}, content_type="application/json")


def test_the_365_request_birth_date_search_is_refused_long_before_it_finds_the_date(target,
                                                                                    api):
    child, consul, own = target
    client = api(consul)
    answers = [check(client, own, dt.date(2014, 1, 1) + dt.timedelta(days=n)) for n in range(365)]
    statuses = [a.status_code for a in answers]
    answered = [a for a in answers if a.status_code == 200]
    # Two dates answered, both before the birth date (the 33rd day): nothing learned.
    assert len(answered) == 2 and all(a.json()["possible_duplicates"] == 0 for a in answered)
    assert statuses[2:] == [429] * 363
    assert answers[2].json()["error"] == "too_many_requests"
    assert not any(a.status_code == 200 and a.json()["possible_duplicates"] for a in answers)
    # The auditor is alerted once, naming who fished, as which membership, and the pattern.
    (alert,) = AuditEvent.objects.filter(action="duplicates.fishing")
    assert alert.actor == consul and alert.role == Role.CONSULAR_OFFICER
    assert alert.detail["same_names_dates"] == 3
    assert "Drita" not in str(alert.detail) and BORN.isoformat() not in str(alert.detail)
    # Every check is audited: two answered, the rest refused.
    assert AuditEvent.objects.filter(action="duplicates.check", actor=consul).count() == 2
    assert AuditEvent.objects.filter(action="duplicates.refused", actor=consul).count() == 362
    seen = api(official(Role.AUDITOR)).get("/api/v1/duplicates/alerts")
    assert seen.status_code == 200
    (shown,) = seen.json()
    assert shown["official"] == consul.username and shown["role"] == Role.CONSULAR_OFFICER
    # Only the auditor sees the alerts.
    assert api(consul).get("/api/v1/duplicates/alerts").status_code == 403


def test_the_block_holds_for_the_window_even_for_an_honest_looking_check(target, api):
    child, consul, own = target
    client = api(consul)
    for n in range(3):
        check(client, own, dt.date(2014, 1, 1) + dt.timedelta(days=n))
    assert check(client, own, BORN, given="Someone", family="Else").status_code == 429


def test_many_distinct_people_looked_up_in_a_window_is_fishing_too(target, api, settings):
    child, consul, own = target
    settings.NRM_DUPLICATE_CHECK_DISTINCT = 4
    client = api(consul)
    statuses = [check(client, own, dt.date(1990, 1, 1), given=f"Name{n}").status_code
                for n in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert AuditEvent.objects.filter(action="duplicates.fishing", actor=consul).count() == 1


def test_an_official_may_repeat_a_check_only_up_to_the_limit(target, settings):
    child, consul, own = target
    settings.NRM_DUPLICATE_CHECK_LIMIT = 3
    for _ in range(3):
        assert duplicates_check(user=consul, case_id=own.pk, given_name="Drita",
                                family_name="Hoxha", birth_date=BORN) == 1
    with pytest.raises(TooManyRequests):
        duplicates_check(user=consul, case_id=own.pk, given_name="Drita", family_name="Hoxha",
                         birth_date=BORN)
    assert not AuditEvent.objects.filter(action="duplicates.fishing").exists()
    # The limit is per official: a colleague elsewhere still checks.
    other = official(Role.SOCIAL_WORKER)
    theirs = registered_case(other)
    assert duplicates_check(user=other, case_id=theirs.pk, given_name="Drita",
                            family_name="Hoxha", birth_date=BORN) == 1
