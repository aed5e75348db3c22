"""Issue 10, items 3, 5 and 9: the navigation each role can use, error pages in the
application's own shell and language, the admin's redirect loop, htmx failures shown."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client, RequestFactory

from nrm.authorities.roles import Role
from tests.factories import InstitutionFactory, official
from tests.web.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    """A request in Albanian or Serbian leaves its language active in the thread."""
    from django.utils import translation

    yield
    translation.activate("en")

NAV = {"duties": "/duties/", "cases": "/cases/", "register": "/cases/new/", "inbox": "/referrals/inbox/"}


def nav_links(page: str) -> set[str]:
    block = page[page.index('<nav class="main"'):page.index("</nav>")]
    return {name for name, url in NAV.items() if f'href="{url}"' in block}


def test_each_role_sees_only_the_pages_it_can_use(browser, world):
    assert nav_links(browser(world.worker).get("/").content.decode()) == set(NAV)
    # A view-only team role works duties and cases, but registers none.
    assert nav_links(browser(world.viewer).get("/").content.decode()) == {"duties", "cases", "inbox"}
    assert nav_links(browser(world.analyst).get("/").content.decode()) == {"cases"}
    coordinator = official(Role.NATIONAL_COORDINATOR, InstitutionFactory(), is_demo=True)
    assert nav_links(browser(coordinator).get("/").content.decode()) == {"cases"}
    for role in (Role.AUDITOR, Role.SYSTEM_ADMIN):
        user = official(role, InstitutionFactory(), is_demo=True)
        assert nav_links(browser(user).get("/").content.decode()) == set(), role
    cases = browser(world.analyst).get("/cases/").content.decode()
    assert 'href="/cases/new/"' not in cases


def test_a_refusal_is_a_styled_page_in_the_officials_language(browser, world):
    client = browser(world.analyst)
    client.post("/i18n/setlang/", {"language": "sq", "next": "/"})
    response = client.get("/cases/new/")
    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="sq">' in page and "web/nrm" in page
    assert 'class="card error-page"' in page and '<nav class="main"' in page
    assert "403 Forbidden" not in page


def test_a_missing_page_is_a_styled_404(browser, world):
    response = browser(world.worker).get("/cases/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'class="card error-page"' in page and "Not found" in page and "nrm" in page


def test_a_server_error_is_a_styled_page(world):
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert 'class="card error-page"' in page and "Something went wrong" in page and "nrm" in page


def test_a_form_sent_without_its_token_gets_a_styled_page_saying_what_to_do(settings, world):
    settings.NRM_DEMO = True
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.worker)
    response = client.post("/cases/new/", {"given_name": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert 'class="card error-page"' in page and "The form has expired" in page
    assert "reload the page" in page


def test_the_admin_does_not_loop_for_an_official_who_is_not_staff(browser, world):
    response = browser(world.worker).get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2
    assert "no access to the administration" in response.content.decode()


def test_htmx_swaps_refusals_into_the_target_instead_of_ignoring_them(browser, world):
    page = browser(world.worker).get("/").content.decode()
    config = json.loads(re.search(r'name="htmx-config" content=\'([^\']+)\'', page).group(1))
    rules = config["responseHandling"]

    def first(status: str) -> dict:
        return next(rule for rule in rules if re.fullmatch(rule["code"], status))

    for status in ("400", "403", "404", "409", "412", "422"):
        assert first(status)["swap"] is True, status
    assert first("500")["swap"] is True and first("204")["swap"] is False


@pytest.mark.parametrize("screened_on", ["", "2026-07-01"])
def test_a_screening_refused_through_htmx_answers_the_panel_with_the_error_by_the_date(
        browser, world, screened_on):
    response = browser(world.worker).post(f"/cases/{world.adult.pk}/screening/", {
        "exploitation": "labour", "screened_on": screened_on}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 400
    assert "<html" not in page  # the panel alone, swapped into #screening-panel
    assert "errorlist" in page[page.index('id="id_screened_on"'):][:300]
    assert TODAY.isoformat() != screened_on


def test_a_refusal_through_htmx_is_a_panel_not_a_whole_page(browser, world):
    response = browser(world.analyst).post(f"/cases/{world.adult.pk}/screening/", {
        "exploitation": "labour", "screened_on": TODAY.isoformat()}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 403 and "<html" not in page
    assert "Not allowed" in page


def test_a_long_name_wraps_instead_of_widening_the_page():
    from pathlib import Path

    import nrm.web

    css = (Path(nrm.web.__file__).parent / "static/web/nrm.css").read_text()
    assert re.search(r"main, dd, td, \.card[^{]*\{[^}]*overflow-wrap: anywhere", css)
