"""Issue 10, item 7: an indicator list file may carry Albanian and Serbian texts and title,
and the shipped ILO/EU list shows no English on an Albanian or Serbian screening page."""

from __future__ import annotations

import pytest

from nrm.screening.listfile import SHIPPED, ListFileError, read, validate
from tests.web.screening_helpers import shipped

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_after():
    """A request in Albanian or Serbian leaves its language active in the thread."""
    from django.utils import translation

    yield
    translation.activate("en")


def test_every_shipped_indicator_and_the_title_have_albanian_and_serbian_texts():
    spec = read(SHIPPED)
    assert set(spec.titles or {}) == {"en", "sq", "sr"}
    for indicator in spec.indicators:
        assert set(indicator.text) == {"en", "sq", "sr"}, indicator.code
        assert indicator.text["sq"] != indicator.text["en"] != indicator.text["sr"], indicator.code
    stored = shipped()
    assert stored.title_sq and stored.title_sr
    assert not stored.indicators.filter(text_sq="").exists() and not stored.indicators.filter(text_sr="").exists()


def test_a_list_files_title_may_be_text_or_translations_but_needs_english():
    data = {"code": "x", "version": "1", "adopted_on": "2020-01-01", "source": "s",
            "dimensions": [{"code": "d", "title": {"en": "D"}}],
            "rule": {"combinations": [{"strong": 1}],
                     "elements": [{"code": "e", "dimensions": ["d"], "required_for": ["adult"]}]},
            "lists": [{"audience": "adult", "exploitation": "labour", "indicators": [
                {"code": "I-1", "dimension": "d", "strength": "strong", "en": "One", "sq": "Një"}]}]}
    assert validate({**data, "title": "Plain"}).titles == {"en": "Plain"}
    spec = validate({**data, "title": {"en": "Title", "sq": "Titulli", "sr": "Naslov"}})
    assert spec.title == "Title" and spec.titles["sr"] == "Naslov"
    with pytest.raises(ListFileError) as refused:
        validate({**data, "title": {"sq": "Titulli"}})
    assert ("title.en", "is required") in refused.value.problems


@pytest.mark.parametrize(("language", "expected_title"), [
    ("sq", "Treguesit operacionalë"), ("sr-latn", "Operativni indikatori")])
def test_the_screening_page_shows_the_list_in_the_officials_language(browser, world, language,
                                                                   expected_title):
    client = browser(world.worker)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/cases/{world.adult.pk}/screening/").content.decode()
    assert expected_title in page and "Operational indicators" not in page
    english = shipped().indicators.filter(audience="adult", exploitation="labour")
    for indicator in english:
        assert indicator.text not in page.replace(indicator.localised_text(language), ""), indicator.code
