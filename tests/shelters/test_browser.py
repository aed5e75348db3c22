"""The shelter manager's journey in the distribution's Chromium, against a real server with
the demo data: the police refer a victim to the NGO's shelter, the shelter accepts, adds a
unit, admits, extends and discharges, and sees the board change at each step."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.live import navigate, sign_in

pytestmark = pytest.mark.browser


def board(page, name: str) -> str:
    return page.locator(f'section[aria-labelledby="board-title"] [data-board="{name}"]').inner_text()


def test_a_shelter_manager_admits_extends_and_discharges_and_sees_the_board_change(page) -> None:
    today = dt.date.today().isoformat()
    # The police, on the team of the demo's third case, record consent and refer to the shelter.
    sign_in(page, "police")
    page.goto("/cases/3/referrals/")
    consent = page.locator("form[action$='/referrals/consents/']")
    consent.locator("#id_given_by").select_option("victim")
    consent.locator("#id_given_on").fill(today)
    consent.locator("#id_scope").select_option(["shelter"])
    navigate(page, consent.locator("button[type=submit]"))
    referral = page.locator("form[action$='/referrals/send/']")
    referral.locator("#id_service").select_option("shelter")
    referral.locator("#id_provider").select_option("ngo-shelter")
    navigate(page, referral.locator("button[type=submit]"))
    assert page.csp_violations == []

    # The shelter accepts, finds its shelter in the nav, adds a unit of two beds.
    sign_in(page, "shelter")
    page.goto("/referrals/inbox/")
    navigate(page, page.locator("button.primary", has_text="Accept").first)
    navigate(page, "nav.main >> text=Shelters")
    assert "Demo street 1" in page.content()  # the shelter's own staff see its address
    page.fill("#id_unit-name", "Adults A")
    page.select_option("#id_unit-kind", "adults")
    page.fill("#id_unit-capacity", "2")
    navigate(page, "button:has-text('Add unit')")
    occupied_before = int(board(page, "occupied"))

    # Admit: the referred victim is offered by case reference; the board counts the arrival.
    page.select_option("#id_admit-unit_id", label=page.locator("#id_admit-unit_id option",
                                                                 has_text="Adults A").inner_text())
    # The server's day (its time zone's), as the page says it.
    server_today = page.locator("#today-title").inner_text().rsplit(" ", 1)[-1]
    page.fill("#id_admit-admitted_on", server_today)
    page.fill("#id_admit-days", "60")
    navigate(page, "button:has-text('Admit')")
    assert "Admitted." in page.content(), page.locator("section[aria-labelledby=admit-title]").inner_text()
    assert int(board(page, "occupied")) == occupied_before + 1
    assert int(board(page, "arrivals")) >= 1
    stay = page.locator("article.stay").last
    assert "(Art. 23.6)" in stay.inner_text()

    # Extend on the victim's request: the engine's new end and its reason are on the page.
    stay.locator("select[name$='-basis']").select_option("victim_request")
    stay.locator("input[name$='-days']").fill("30")
    stay.locator("input[name$='-document']").fill("REQ-1")
    navigate(page, stay.locator("button:has-text('Extend')"))
    assert "Extended." in page.content()
    assert "23.7.3" in page.locator("article.stay").last.inner_text()

    # Discharge to the family: the bed is free again and the departure counted.
    last = page.locator("article.stay").last
    last.locator("select[name$='-destination']").select_option("family")
    navigate(page, last.locator("button:has-text('Discharge')"))
    assert "Discharged." in page.content()
    assert int(board(page, "occupied")) == occupied_before
    assert int(board(page, "departures")) == 1
    assert page.csp_violations == []
