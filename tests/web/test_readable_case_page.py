"""Issue 10, items 6 and 7 on the case page: fact values and institutions by their names in
the page's language, dates in one format, and the forms' own messages instead of the
browser's bubbles."""

from __future__ import annotations

import re

import pytest

from nrm.cases.models import Duty

pytestmark = pytest.mark.django_db


def visible_text(page: str) -> str:
    """What the official reads: no tags, no attribute values (an input's ISO value)."""
    return re.sub(r"<[^>]+>", " ", page)


def test_fact_values_and_institutions_show_by_their_names_not_their_codes(browser, world):
    page = browser(world.worker).get(f"/cases/{world.adult.pk}/").content.decode()
    text = visible_text(page)
    assert "Forced labour or services" in text and "forced_labour" not in text
    assert "Irregular" in text and re.search(r"\birregular\b", text) is None
    assert "Female" in text
    assert Duty.objects.filter(case=world.adult, institution=world.police).exists()
    assert "Police unit" in text and "police-unit" not in text


def test_dates_on_the_case_page_are_in_one_format(browser, world):
    client = browser(world.worker)
    client.post(f"/cases/{world.adult.pk}/decisions/", {
        "to_stage": "identified", "decided_on": "2026-06-14", "grounds": "Interview"})
    text = visible_text(client.get(f"/cases/{world.adult.pk}/").content.decode())
    assert re.search(r"\b\d{4}-\d{2}-\d{2}\b", text) is None
    assert re.search(r"\b[A-Z][a-z]{2}\. \d{1,2}, \d{4}\b", text) is None
    assert "06/14/2026" in text and "06/01/2026" in text  # decision, reasonable grounds


def test_the_forms_answer_with_their_own_messages_not_the_browsers(browser, world):
    client = browser(world.worker)
    for url in ("/cases/new/", f"/cases/{world.adult.pk}/", f"/cases/{world.adult.pk}/facts/",
                "/duties/", f"/cases/{world.adult.pk}/referrals/", f"/cases/{world.adult.pk}/screening/"):
        page = client.get(url).content.decode()
        for form in re.findall(r"<form[^>]*>", page):
            if 'method="post"' in form and not re.search(r'class="(lang|acting|signout)"', form):
                assert "novalidate" in form, (url, form)
    from django.test import Client

    login = Client().get("/account/login/").content.decode()
    assert "novalidate" in re.search(r'<form method="post"[^>]*>', login).group(0)
