"""A prosecutor records an interview and a protection measure in the distribution's
Chromium; the National Coordinator's views then reveal neither."""

from __future__ import annotations

import re

import pytest

from tests.live import navigate, sign_in

pytestmark = pytest.mark.browser


def test_a_prosecutor_records_an_interview_and_a_measure_the_coordinator_never_sees(page, browser):
    sign_in(page, "prosecutor")
    page.goto("/cases/")
    link = page.locator("table a", has_text="NRM-").first
    reference = link.inner_text().strip()
    case_url = link.get_attribute("href")
    case_id = re.search(r"/cases/(\d+)/", case_url).group(1)

    navigate(page, "nav.main a:has-text('Proceedings')")
    page.fill("#id_court_file_number", "PP-77/26")
    page.fill("#id_case_reference", reference)
    page.fill("#id_investigation_on", "2026-01-05")
    navigate(page, "button:has-text('Open')")
    assert "PP-77/26" in page.content()

    page.goto(f"/cases/{case_id}/justice/")
    page.fill("#id_held_on", "2026-01-06")
    page.fill("#id_interviewer", "Interviewer Zeta")
    page.fill("#id_premises", "Victim-friendly room")
    page.check("#id_recorded_for_trial")
    navigate(page, "button:has-text('Record the interview')")
    assert page.locator("tr.interview", has_text="Interviewer Zeta").count() == 1

    page.select_option("#id_kind", "video_link")
    page.select_option("#id_article", "15.3")
    page.fill("#id_ordered_on", "2026-01-07")
    page.fill("#id_details", "Screen in courtroom B")
    navigate(page, "button:has-text('Record the measure')")
    assert page.locator("tr.measure", has_text="Testimony by video link").count() == 1
    assert page.csp_violations == []

    context = browser.new_context(base_url=page.url.split("/cases/")[0], locale="en")
    coordinator = context.new_page()
    sign_in(coordinator, "coordinator")
    seen = coordinator.goto(f"/cases/{case_id}/")
    assert seen.status == 200 and reference in coordinator.content()
    for secret in ("Interviewer Zeta", "Victim-friendly room", "video link", "Video link",
                   "Screen in courtroom B", "Protection measure", "/justice/", "Interviews"):
        assert secret not in coordinator.content()
    assert coordinator.goto(f"/cases/{case_id}/justice/").status == 404
    assert coordinator.goto("/proceedings/").status == 403
    assert "Proceedings" not in coordinator.locator("nav.main").inner_text()
    context.close()
