"""The screening page: the list in force, the advice per element, the official's decision."""

from __future__ import annotations

import pytest

from nrm.cases.models import Stage
from nrm.screening.models import Decision, Screening
from nrm.screening.services import screening_record
from tests.web.conftest import TODAY
from tests.web.screening_helpers import shipped, trafficked_adult

pytestmark = pytest.mark.django_db


def test_the_screening_page_shows_the_list_in_force_by_dimension_with_strengths(browser, world):
    response = browser(world.worker).get(f"/cases/{world.adult.pk}/screening/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Operational indicators of trafficking" in page and "Deceptive recruitment" in page
    assert "Strong" in page and 'name="observed"' in page and "Record the screening" in page
    assert 'hx-post="/cases/' in page and 'action="/cases/' in page  # htmx, and a plain post without it


def test_a_childs_case_is_screened_on_the_child_indicators(browser, world):
    page = browser(world.worker).get(f"/cases/{world.child.pk}/screening/").content.decode()
    child_code = shipped().indicators.filter(audience="child").values_list("code", flat=True).first()
    adult_code = shipped().indicators.filter(audience="adult").values_list("code", flat=True).first()
    assert f'value="{child_code}"' in page and f'value="{adult_code}"' not in page


def test_the_screening_page_is_404_for_an_outsider(browser, world):
    assert browser(world.outsider).get(f"/cases/{world.adult.pk}/screening/").status_code == 404
    assert browser(world.outsider).post(f"/cases/{world.adult.pk}/screening/", {}).status_code == 404


def test_a_screening_posted_without_javascript_shows_the_result_per_element(browser, world):
    client = browser(world.worker)
    response = client.post(f"/cases/{world.adult.pk}/screening/", {
        "exploitation": "labour", "screened_on": TODAY.isoformat(), "observed": trafficked_adult()})
    assert response.status_code == 302
    screening = Screening.objects.get(case=world.adult)
    assert screening.meets_threshold is True
    page = client.get(response["Location"]).content.decode()
    assert "Recruitment" in page and "Means" in page
    assert "The combination meets the threshold" in page and "Your decision" in page


def test_a_screening_posted_with_htmx_returns_only_the_result_panel(browser, world):
    response = browser(world.worker).post(
        f"/cases/{world.adult.pk}/screening/",
        {"exploitation": "labour", "screened_on": TODAY.isoformat(), "observed": trafficked_adult()[:1]},
        HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert "does not meet the threshold" in page


def test_a_screening_with_a_future_date_is_refused_next_to_the_date(browser, world):
    response = browser(world.worker).post(f"/cases/{world.adult.pk}/screening/", {
        "exploitation": "labour", "screened_on": "2026-07-01", "observed": trafficked_adult()})
    assert response.status_code == 400 and "is in the future" in response.content.decode()
    assert not Screening.objects.exists()


def test_a_team_member_who_may_only_view_may_not_screen(browser, world):
    response = browser(world.viewer).post(f"/cases/{world.adult.pk}/screening/", {
        "exploitation": "labour", "screened_on": TODAY.isoformat(), "observed": trafficked_adult()})
    assert response.status_code == 403 and not Screening.objects.exists()


def test_reasonable_grounds_decided_on_the_page_make_a_presumed_victim(browser, world):
    screening = screening_record(actor=world.worker, case=world.child, list=shipped(), observed=[],
                                 screened_on=TODAY, audience="child", exploitation="labour")
    client = browser(world.worker)
    refused = client.post(f"/screenings/{screening.pk}/decision/",
                          {"decision": Decision.REASONABLE_GROUNDS, "grounds": ""})
    assert refused.status_code == 400 and "This field is required." in refused.content.decode()
    response = client.post(f"/screenings/{screening.pk}/decision/",
                           {"decision": Decision.REASONABLE_GROUNDS, "grounds": "Statement and documents"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{world.child.pk}/"
    world.child.refresh_from_db()
    assert world.child.stage == Stage.PRESUMED_VICTIM
    assert world.child.facts["reasonable_grounds_on"] == TODAY.isoformat()
    # What the official sees next, without any sweep: the legal state of a presumed victim
    # at once (20.5) and the decision in the case's history.
    page = client.get(response["Location"]).content.decode()
    assert "Assistance and support" in page
    assert "No decision yet." not in page
    assert page.count("None.") < 4, "rights, duties and prohibitions must not all be empty"


def test_a_screening_decision_is_404_for_an_outsider_and_403_for_a_viewer(browser, world):
    screening = screening_record(actor=world.worker, case=world.adult, list=shipped(), observed=[],
                                 screened_on=TODAY, audience="adult", exploitation="labour")
    body = {"decision": Decision.NO_REASONABLE_GROUNDS, "grounds": "Nothing observed"}
    assert browser(world.outsider).post(f"/screenings/{screening.pk}/decision/", body).status_code == 404
    assert browser(world.viewer).post(f"/screenings/{screening.pk}/decision/", body).status_code == 403
    screening.refresh_from_db()
    assert screening.decision == Decision.PENDING
