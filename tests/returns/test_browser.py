"""As a new user would, in the distribution's Chromium: a foreigners officer records a
reflection period and sees the deportation bar on the case and in the removal check."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.live import navigate, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _today():
    """The server runs on the real clock: this module does not travel in time."""
    yield


def test_a_foreigners_officer_records_a_reflection_period_and_sees_the_bar(page) -> None:
    today = dt.date.today()
    sign_in(page, "foreigners")
    navigate(page, "nav.main >> text=Foreigners and removals")
    # The demo's foreigner: the ministry is on her team for residence.
    navigate(page, "text=Cases on your team >> xpath=.. >> a >> nth=0")
    assert "Foreigners, return and cooperation" in page.content()
    page.fill("#id_reflection_start", today.isoformat())
    page.fill("#id_reflection_days", "60")
    page.fill("#id_reflection_granted_by", "nowhere")  # first a mistake: no such institution
    navigate(page, "#reflection button.primary")
    assert "no institution 'nowhere'" in page.locator("#reflection .errorlist").inner_text()
    assert page.input_value("#id_reflection_days") == "60"  # the input is kept
    page.fill("#id_reflection_granted_by", "mia-dcam")
    navigate(page, "#reflection button.primary")
    assert "Reflection period recorded." in page.content()
    last = today + dt.timedelta(days=59)
    bars = page.locator("#bars").inner_text()
    assert "No deportation during the reflection period" in bars and last.isoformat() in bars
    # The case page shows the same prohibition in the legal state.
    navigate(page, "h1 a")
    assert "Applying any deportation order" in page.content()
    # The removal check, as the officer would ask it at the border.
    navigate(page, "nav.main >> text=Foreigners and removals")
    page.fill("#id_on", (today + dt.timedelta(days=10)).isoformat())
    page.fill("#id_given_name", "Demo-Adult")
    page.fill("#id_family_name", "Example-One")
    page.fill("#id_birth_date", dt.date(today.year - 29, 3, 14).isoformat())
    navigate(page, "#removal-check button.primary")
    after = (last + dt.timedelta(days=1)).isoformat()
    assert f"No removal before {after} (Art. 31.3)" in page.locator("#removal-check").inner_text()
    assert page.csp_violations == []
