"""The pages as a person uses them, in the distribution's Chromium."""

from __future__ import annotations

import pytest

from tests.live import navigate, sign_in

pytestmark = pytest.mark.browser


def test_an_official_signs_in_and_sees_their_role_without_a_csp_violation(page) -> None:
    sign_in(page, "police")
    assert page.url.endswith("/")
    assert "Police investigator" in page.content()
    assert page.csp_violations == []


def test_the_interface_switches_to_albanian_and_serbian(page) -> None:
    page.goto("/account/login/")
    page.select_option("#language", "sq")
    navigate(page, "form.lang button")
    assert page.locator("html").get_attribute("lang") == "sq"
    assert "Hyr" in page.content()
    page.select_option("#language", "sr-latn")
    navigate(page, "form.lang button")
    assert page.locator("html").get_attribute("lang") == "sr-latn"
    assert "Prijava" in page.content()


def test_a_wrong_password_is_refused_with_a_message(page) -> None:
    page.goto("/account/login/")
    page.fill("#id_username", "police")
    page.fill("#id_password", "not the password")
    navigate(page, "button.primary")
    assert "/account/login/" in page.url
    assert "correct username and password" in page.content()
