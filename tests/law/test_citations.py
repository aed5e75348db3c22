"""Every citation the engine can return resolves to the law's text."""

from __future__ import annotations

from pathlib import Path

import pytest

from nrm.law import check, text
from nrm.law.rules import RULES
from nrm.law.versions import cited

SCENARIOS = Path(__file__).parents[2] / "src" / "nrm" / "law" / "scenarios"


def test_every_article_a_rule_can_cite_exists_in_the_law() -> None:
    unknown = sorted(c for c in cited() if not text.exists(c))
    assert unknown == []


def test_every_rule_declares_citations_that_exist() -> None:
    for rule in RULES:
        assert rule.cites, rule.name
        for citation in rule.cites:
            assert text.exists(citation), (rule.name, citation)


def test_every_article_returned_by_a_scenario_was_declared_by_a_rule() -> None:
    declared = {c for rule in RULES for c in rule.cites}
    for outcome in check.run([SCENARIOS]):
        data = outcome.scenario.data
        if "error" in data:
            continue
        from nrm.law import assess

        result = assess(data["facts"] or {}, data["as_of"]).to_dict()
        for key in check.ITEM_LISTS:
            for item in result[key]:
                assert item["article"] in declared, (outcome.scenario.name, item)
        if result["compensation"]:
            assert result["compensation"]["article"] in declared


def test_the_law_has_fifty_articles() -> None:
    articles = [c for c in text.provisions() if "." not in c]
    assert sorted(map(int, articles)) == list(range(1, 51))


@pytest.mark.parametrize(
    ("citation", "words"),
    [
        ("23.7.1", "not longer than six (6) months"),
        ("23.8", "up to one (1) year"),
        ("31.3", "application of any deportation order against such a person is prohibited"),
        ("16.1.5", "limited to one"),
        ("36", "presumed that the victim is a child"),
        ("3.1.5", "Illegal adoption"),
        ("3.1.17", "Presumed victim"),
        ("13.1", "1.3. involvement of the victim"),
        ("44.2", "organized crime"),
    ],
)
def test_a_citation_resolves_to_the_words_of_the_law(citation: str, words: str) -> None:
    assert words in text.article_text(citation)


def test_a_paragraph_that_does_not_exist_raises_key_error() -> None:
    with pytest.raises(KeyError):
        text.article_text("23.9")
    with pytest.raises(KeyError):
        text.article_text("51")


def test_a_number_inside_a_sentence_is_not_read_as_a_paragraph() -> None:
    # Art. 47 mentions "No. 2001/4" and Art. 1.4 "the 1951 Convention".
    assert not text.exists("47.2001")
    assert sorted(c for c in text.provisions() if c.startswith("1.")) == [
        "1.1",
        "1.1.1",
        "1.1.2",
        "1.1.3",
        "1.1.4",
    ]


def test_articles_know_their_titles_and_chapters() -> None:
    provision = text.provisions()["38.8"]
    assert provision.chapter == "V"
    assert text.article_title("36") == "Presumption of age"
    assert text.article_title("46") == ""
