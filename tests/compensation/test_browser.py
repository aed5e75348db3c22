"""The main journey as new users make it, in the distribution's Chromium: the administrator
records a member's term, the victim advocate files a claim from the case page, the member
opens the queue, plans a session, puts the claim on it, votes and adopts the law's proposal,
and the case team sees the decision on the case page."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.live import navigate
from tests.live import sign_in as sign_in_page

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _today():
    """The server runs on the real clock: so does this test (the package's frozen day is off)."""
    yield


@pytest.fixture
def person(browser, live_server_url):
    """A fresh browser for each official, signed in with the demo password."""
    contexts = []

    def sign_in(username: str):
        context = browser.new_context(base_url=live_server_url, locale="en")
        contexts.append(context)
        page = context.new_page()
        page.csp_violations = []
        page.on("console", lambda message: page.csp_violations.append(message.text)
                if "Content Security Policy" in message.text else None)
        sign_in_page(page, username)
        return page

    yield sign_in
    for context in contexts:
        context.close()


def test_a_member_votes_in_a_session_and_the_case_team_sees_the_decision(person) -> None:
    today = dt.date.today().isoformat()
    admin = person("admin")
    admin.goto("/admin/compensation/commissionmember/add/")
    commission = admin.locator("#id_commission option", has_text="Commission").first.get_attribute("value")
    admin.select_option("#id_commission", commission)
    admin.select_option("#id_user", label="commission")
    admin.fill("#id_term_start", "2020-01-01")
    navigate(admin, "input[name=_save]")
    shown = admin.locator("body").inner_text()
    assert "was added successfully" in shown, shown[:2000]

    advocate = person("advocate")
    advocate.goto("/cases/")
    navigate(advocate, "tr:has-text('Demo-Adult') a")
    case_url = advocate.url
    navigate(advocate, "text=File a claim for compensation")
    advocate.select_option("#id_basis", "state_compensation")
    advocate.fill("#id_claimant_name", "Demo-Claimant")
    advocate.select_option("#id_defendant", "unknown")
    advocate.fill("#id_filed_on", today)
    advocate.fill("#id_time_runs_from", today)
    advocate.fill("#id_material_amount", "-5")
    advocate.fill("#id_material_evidence", "receipts")
    navigate(advocate, "button:has-text('File the claim')")
    assert "may not be negative" in advocate.locator(".field.has-error").inner_text()
    advocate.fill("#id_material_amount", "1250.75")
    navigate(advocate, "button:has-text('File the claim')")
    assert advocate.url == case_url
    section = advocate.locator("#compensation").inner_text()
    assert "Full compensation · 1250.75 EUR" in section and "No decision yet." in section
    reference = advocate.locator("h1").inner_text().split()[0]

    member = person("commission")
    navigate(member, "nav.main >> text=Compensation Commission")
    assert reference in member.content()
    member.fill("#id_held_on", today)
    navigate(member, "button:has-text('Plan the session')")
    member.select_option("#id_claim", index=0)
    navigate(member, "button:has-text('Put on the agenda')")
    assert "Full compensation · 1250.75 EUR" in member.locator("article.item").inner_text()
    member.locator("#id_members input[type=checkbox]").first.check()
    navigate(member, "button:has-text('Record presence')")
    assert "1 present; the quorum is 1." in member.content()
    navigate(member, "button:has-text('Vote for')")
    assert "You voted: For" in member.content()
    navigate(member, "button:has-text('Adopt the decision')")
    assert "Adopted" in member.locator("article.item").inner_text()
    assert member.csp_violations == []

    advocate.goto(case_url)
    section = advocate.locator("#compensation").inner_text()
    assert "Decision: Full compensation · 1250.75 EUR" in section
    assert advocate.csp_violations == []
