"""Every word the engine shows reaches the translators, and the law's text can be loaded
in another language.

The engine has no Django, so its words are marked for ``makemessages`` in
``nrm/cases/law_labels.py``; this test reads that file as Python source (no Django
import) and keeps each of its lists equal to the engine's.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

import nrm.law.rules  # noqa: F401  (registers the rules' reasons)
from nrm.law import assess, codes, text
from nrm.law.assessment import Reason, reason_texts
from nrm.law.explain import render

LAW_LABELS = Path(__file__).parents[2] / "src" / "nrm" / "cases" / "law_labels.py"


def _marked() -> dict[str, list[str]]:
    """Each list of law_labels.py with the strings it marks with gettext_noop."""
    tree = ast.parse(LAW_LABELS.read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
            name = node.targets[0].id  # type: ignore[attr-defined]
            strings = []
            for element in node.value.elts:
                assert isinstance(element, ast.Call), ast.dump(element)
                assert getattr(element.func, "id", None) == "gettext_noop"
                strings.append(ast.literal_eval(element.args[0]))
            found[name] = strings
    return found


MARKED = _marked()


@pytest.mark.parametrize(
    ("name", "engine"),
    [
        ("LABELS", list(codes.LABELS.values())),
        ("TITLES", list(text.titles())),
        ("FACT_WORDS", list(codes.FACT_WORDS.values())),
        ("REASONS", list(reason_texts())),
    ],
)
def test_every_word_the_engine_shows_is_marked_for_translation(
    name: str, engine: list[str]
) -> None:
    assert sorted(set(MARKED[name])) == sorted(set(engine)), f"update {LAW_LABELS.name} {name}"


def test_every_article_has_a_title_marked_but_the_one_without() -> None:
    assert len(text.titles()) == 49  # Art. 46 has no title
    assert "Presumption of age" in MARKED["TITLES"]


def test_a_reason_reads_in_another_language_with_its_placeholders_filled() -> None:
    reason = Reason("the %(days)s days granted end on %(last)s", values=(("days", 60),))
    dates = {"last": dt.date(2026, 6, 29)}
    french = {
        "the %(days)s days granted end on %(last)s": "les %(days)s jours finissent le %(last)s"
    }
    assert reason.words(dates) == "the 60 days granted end on 2026-06-29"
    assert reason.words(dates, translate=lambda s: french.get(s, s)) == (
        "les 60 jours finissent le 2026-06-29"
    )
    # A translation that broke a placeholder falls back to the English words.
    broken = {"the %(days)s days granted end on %(last)s": "les %(days) jours"}
    assert reason.words(dates, translate=lambda s: broken.get(s, s)).startswith("the 60 days")


def test_every_missing_fact_the_engine_names_has_plain_words() -> None:
    from tests.law.test_rules import SITUATIONS

    named = {name for _, s in SITUATIONS for name in s.missing}
    # Assess every scenario so that missing facts named by the rules are collected too.
    from nrm.law import check

    for outcome in check.run([Path(__file__).parents[2] / "src" / "nrm" / "law" / "scenarios"]):
        data = outcome.scenario.data
        if "error" not in data:
            named |= set(assess(data["facts"] or {}, data["as_of"]).missing_facts)
    assert named and named <= set(codes.FACT_WORDS)


# --- An official translation of the law's text ----------------------------------------

ALBANIAN = """\
KREU IV

Neni 31
Dhënia e ndihmës dhe mbrojtjes për viktimat e trafikimit

1. Viktimat e trafikimit kanë të drejtë në ndihmë dhe mbrojtje.

2. Viktimat dhe viktimat e supozuara përfitojnë shërbime mjekësore pa pagesë.

3. Shteti, përmes autoriteteve dhe organizatave të tij, merr masa të menjëhershme
(a test text, not the official translation).
"""


@pytest.fixture
def albanian(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "law-04-L-218.sq.txt"
    path.write_text(ALBANIAN, encoding="utf-8")
    text.load_translation("sq", path)
    try:
        yield path
    finally:
        text._TRANSLATIONS.pop("sq", None)
        text.provisions.cache_clear()


def test_the_law_s_text_stays_english_until_a_translation_is_loaded() -> None:
    assert not text.translated("sq")
    assert text.article_text("31.3", "sq") == text.article_text("31.3")
    assert text.article_text("31.3", "sq").startswith("3. The State")


def test_a_loaded_translation_gives_its_provisions_and_english_for_the_rest(
    albanian: Path,
) -> None:
    assert text.translated("sq")
    assert text.article_text("31.3", "sq").startswith("3. Shteti")
    assert (
        text.article_title("31", "sq") == "Dhënia e ndihmës dhe mbrojtjes për viktimat e trafikimit"
    )
    assert text.provisions("sq")["31"].chapter == "IV"
    # A provision the translation lacks stays English; English stays English.
    assert text.article_text("23.6", "sq") == text.article_text("23.6")
    assert text.article_text("31.3", "en").startswith("3. The State")
    # explain quotes the law in the language asked for.
    facts = {
        "person": {"citizenship": "MD"},
        "case": {"reflection": {"start": "2026-05-01", "days": 60}},
    }
    assert "Art. 31.3: \u201c3. Shteti" in render(assess(facts, dt.date(2026, 5, 2)), "sq")


def test_a_page_s_language_chooses_the_translation_when_no_language_is_named(
    albanian: Path,
) -> None:
    current = ["en"]
    text.follow_language(lambda: current[0])
    try:
        assert text.article_text("31.3").startswith("3. The State")
        current[0] = "sq"
        assert text.article_text("31.3").startswith("3. Shteti")
        current[0] = "sr-latn"  # no Serbian translation loaded: English
        assert text.article_text("31.3").startswith("3. The State")
    finally:
        text._language_of_the_moment.clear()
