"""Side doors closed after the attack of issue 7: caches, the access log, file modes,
demo accounts in production, and who an export is attributed to."""

from __future__ import annotations

import pytest
from django.test import Client

from nrm.authorities.roles import Role
from nrm.authorities.tokens import token_create
from tests.factories import official, registered_case

pytestmark = pytest.mark.django_db


# Finding 13: nothing personal stays in a browser's or a proxy's cache.

def assert_not_stored(response) -> None:
    assert response["Cache-Control"] == "no-store, private"
    assert response["Pragma"] == "no-cache"


@pytest.fixture
def worker(settings):
    settings.NRM_DEMO = True  # the demo user passes the second factor without a phone
    user = official(Role.POLICE_INVESTIGATOR, is_demo=True)
    return user


def test_a_case_page_shown_to_a_signed_in_official_is_not_stored(worker) -> None:
    case = registered_case(worker, given_name="Cachea")
    client = Client()
    client.force_login(worker)
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200 and "Cachea" in response.content.decode()
    assert_not_stored(response)
    assert_not_stored(client.get("/cases/"))


def test_api_responses_are_not_stored_whether_the_token_is_good_or_not(worker) -> None:
    case = registered_case(worker, given_name="Cachea")
    client = Client(headers={"Authorization": f"Bearer {token_create(user=worker)}"})
    response = client.get(f"/api/v1/cases/{case.pk}")
    assert response.status_code == 200 and "Cachea" in response.content.decode()
    assert_not_stored(response)
    assert_not_stored(Client().get(f"/api/v1/cases/{case.pk}"))


def test_static_files_stay_cacheable_even_for_a_signed_in_official(worker, settings) -> None:
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(worker)
    response = client.get("/static/web/nrm.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
