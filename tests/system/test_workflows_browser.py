"""Issue 10, tried again as a new user would, in the distribution's Chromium: register a
child without parental care and see the guardianship duties at once, in English, Albanian
and Serbian; a refused screening shows its error; each role's navigation; styled errors."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.live import navigate, sign_in

pytestmark = pytest.mark.browser


def choose_language(page, code: str) -> None:
    page.select_option("#language", code)
    navigate(page, "form.lang button")
    assert page.locator("html").get_attribute("lang") == code


def duty_rows(page) -> str:
    return " ".join(page.locator("table tbody tr").all_inner_texts())


@pytest.mark.parametrize("language", ["en", "sq", "sr-latn"])
def test_a_child_registered_without_parental_care_shows_the_guardianship_duties_at_once(
        page, language) -> None:
    sign_in(page, "police")
    choose_language(page, language)
    navigate(page, 'nav.main a[href="/cases/new/"]')
    page.fill("#id_given_name", f"Test child {language}")
    page.fill("#id_birth_date", "2014-03-03")
    page.select_option("#id_parental_care", "no")
    page.fill("#id_reasonable_grounds_on", dt.date.today().isoformat())
    navigate(page, 'form[action="/cases/new/"] button.primary')
    assert "/cases/new/" not in page.url
    rows = duty_rows(page)
    # Each duty names its article: a legal guardian (38.5), a search for the family (38.11).
    assert "38.5" in rows and "38.11" in rows
    if language == "en":
        assert "Appoint a legal guardian" in rows and "Search urgently for the child" in rows
    assert page.csp_violations == []


def test_an_implausible_registration_keeps_what_was_typed_with_the_error_by_its_field(page) -> None:
    sign_in(page, "police")
    page.goto("/cases/new/")
    page.fill("#id_given_name", "Keep me")
    page.fill("#id_birth_date", "1800-01-01")
    navigate(page, 'form[action="/cases/new/"] button.primary')
    error = page.locator(".field.has-error", has=page.locator("#id_birth_date"))
    assert "1900" in error.inner_text()
    assert page.input_value("#id_given_name") == "Keep me"
    # No browser bubble stood in the way: the form's own message answered.
    assert page.url.endswith("/cases/new/")


def test_a_screening_refused_through_htmx_shows_its_error(page) -> None:
    sign_in(page, "police")
    page.goto("/cases/")
    navigate(page, "table tbody tr a")
    navigate(page, 'p.links a[href$="/screening/"]')
    page.fill("#id_screened_on", "")
    page.click("#screening-panel form.card button.primary")
    error = page.locator("#screening-panel .errorlist").first
    error.wait_for(timeout=10_000)
    assert error.inner_text().strip()
    assert page.csp_violations == []


def test_the_coordinator_sees_no_register_link_and_a_styled_refusal(page) -> None:
    sign_in(page, "coordinator")
    assert page.locator('nav.main a[href="/cases/new/"]').count() == 0
    assert page.locator('nav.main a[href="/referrals/inbox/"]').count() == 0
    response = page.goto("/cases/new/")
    assert response.status == 403
    assert page.locator(".card.error-page").count() == 1
    assert "403 Forbidden" not in page.content()


def test_the_admin_page_does_not_loop_for_an_official_who_is_not_staff(page) -> None:
    sign_in(page, "police")
    response = page.goto("/admin/")
    assert response.status == 403
    assert page.locator(".card.error-page").count() == 1


def test_a_screening_that_gets_no_answer_says_so(page) -> None:
    sign_in(page, "police")
    page.goto("/cases/")
    navigate(page, "table tbody tr a")
    navigate(page, 'p.links a[href$="/screening/"]')
    page.route("**/screening/", lambda route: route.abort()
               if route.request.method == "POST" else route.continue_())
    page.click("#screening-panel form.card button.primary")
    failed = page.locator("#screening-panel .htmx-failed")
    failed.wait_for(timeout=10_000)
    assert "No answer came from the server" in failed.inner_text()
    assert page.csp_violations == []
