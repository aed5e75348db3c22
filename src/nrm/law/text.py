"""The law's text as data: Law No. 04/L-218 parsed into articles, paragraphs
and sub-paragraphs, so that every citation the engine returns resolves to the
words of the law.

The official English text is kept in the package (``data/law-04-L-218.txt``)
and parsed once, lazily, on first use. A citation is written as the law
numbers it: ``"23"`` is Article 23, ``"23.7"`` its paragraph 7 and
``"23.7.1"`` sub-paragraph 1 of that paragraph.

The law's text stays English until an official translation is loaded. A
translation is a text file in the same layout as the English one (its articles
headed ``Article N``, ``Neni N`` or ``Član N``), read when present from the
package as ``data/law-04-L-218.<language>.txt`` (``sq``, ``sr-latn``), or from
any path given to ``load_translation``. Each provision then reads in that
language, and in English where the translation lacks it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

LAW_FILE = "law-04-L-218.txt"
ENGLISH = "en"

# Article headings as the English, Albanian and Serbian texts write them.
_ARTICLE = re.compile(r"^\s*(?:Article|Neni|Član|Clan|Člen)\s*(\d+)\s*$", re.IGNORECASE)
_CHAPTER = re.compile(r"^\s*(?:CHAPTER|KREU|KAPITULLI|POGLAVLJE)\s+([IVXL]+)\s*$")
# "1.", "23.7.", "1.5 " (the text once omits the final dot, Art. 3.1.5).
_MARKER = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s+\S")


@dataclass(frozen=True, slots=True)
class Provision:
    """One numbered unit of the law: an article, a paragraph or a sub-paragraph."""

    citation: str
    text: str
    title: str = ""
    chapter: str = ""


def _successors(current: tuple[int, ...]) -> set[tuple[int, ...]]:
    """The markers that may follow `current`: the next unit at any level or a first child.

    Checking the sequence keeps a stray number at the start of a line (a year,
    a count) from being read as a new paragraph.
    """
    nexts = {current[:level] + (current[level] + 1,) for level in range(len(current))}
    nexts.add(current + (1,))
    return nexts


def _clean(lines: list[str]) -> str:
    return " ".join(" ".join(line.split()) for line in lines if line.strip()).strip()


def _parse_article(number: int, lines: list[str], chapter: str) -> list[Provision]:
    # The title is the text between the heading and the first numbered paragraph
    # (it may run over lines apart, as Art. 32's does). An article with no numbered
    # paragraph has for title its first block, unless that block is all there is
    # (Art. 46 has no title).
    body_start = 0
    while body_start < len(lines) and not lines[body_start].strip():
        body_start += 1
    first_marker = next((i for i in range(body_start, len(lines)) if _MARKER.match(lines[i])), None)
    title_lines: list[str] = []
    cursor = body_start
    if first_marker is not None:
        title_lines = lines[body_start:first_marker]
        cursor = first_marker
    else:
        while cursor < len(lines) and lines[cursor].strip():
            title_lines.append(lines[cursor])
            cursor += 1
    rest = lines[cursor:]
    if any(line.strip() for line in title_lines) and any(line.strip() for line in rest):
        title = _clean(title_lines)
        body = rest
    else:
        title = ""
        body = lines[body_start:]

    units: dict[tuple[int, ...], list[str]] = {(): []}
    order: list[tuple[int, ...]] = [()]
    current: tuple[int, ...] = ()
    for line in body:
        match = _MARKER.match(line)
        if match:
            marker = tuple(int(part) for part in match.group(1).split("."))
            if marker in _successors(current):
                current = marker
                units[current] = []
                order.append(current)
        units[current].append(line)

    article = str(number)
    own = {key: _clean(value) for key, value in units.items()}
    provisions = [Provision(article, _clean(body), title, chapter)]
    for key in order[1:]:
        # A paragraph's text includes its sub-paragraphs, as a reader would quote it.
        full = " ".join(own[other] for other in order if other[: len(key)] == key and own[other])
        citation = article + "." + ".".join(str(part) for part in key)
        provisions.append(Provision(citation, full, title, chapter))
    return provisions


def parse(text: str) -> dict[str, Provision]:
    """Split the law's text into provisions keyed by citation."""
    provisions: dict[str, Provision] = {}
    chapter = ""
    pending_chapter = ""
    number: int | None = None
    lines: list[str] = []
    in_chapter_heading = False

    def flush() -> None:
        if number is not None:
            for provision in _parse_article(number, lines, chapter):
                provisions[provision.citation] = provision

    for line in text.splitlines():
        heading = _ARTICLE.match(line)
        if heading:
            flush()
            number = int(heading.group(1))
            lines = []
            in_chapter_heading = False
            chapter = pending_chapter or chapter
            continue
        chapter_heading = _CHAPTER.match(line)
        if chapter_heading:
            # A chapter heading and its title run until the next article.
            in_chapter_heading = True
            pending_chapter = chapter_heading.group(1)
            continue
        if not in_chapter_heading and number is not None:
            lines.append(line)
    flush()
    return provisions


_TRANSLATIONS: dict[str, Path] = {}
_language_of_the_moment: list[Callable[[], str | None]] = []


def _normal(language: str | None) -> str:
    return (language or ENGLISH).lower().replace("_", "-")


def load_translation(language: str, path: str | Path) -> None:
    """Read the law's text in `language` from `path` (an official translation)."""
    _TRANSLATIONS[_normal(language)] = Path(path)
    provisions.cache_clear()


def follow_language(current: Callable[[], str | None]) -> None:
    """Give the law's text, when no language is named, in the language `current()`
    returns (a web page's language) wherever a translation is loaded."""
    _language_of_the_moment[:] = [current]


def _source(language: str) -> str | None:
    path = _TRANSLATIONS.get(language)
    if path is not None:
        return path.read_text(encoding="utf-8") if path.is_file() else None
    packaged = resources.files("nrm.law").joinpath(
        "data", LAW_FILE.replace(".txt", f".{language}.txt")
    )
    return packaged.read_text(encoding="utf-8") if packaged.is_file() else None


@cache
def provisions(language: str | None = None) -> dict[str, Provision]:
    """Every provision of the law, parsed once; in `language` if a translation is
    loaded, else ({} for a language with no translation) in English."""
    language = _normal(language)
    if language == ENGLISH or language.startswith(ENGLISH + "-"):
        source = resources.files("nrm.law").joinpath("data", LAW_FILE)
        return parse(source.read_text(encoding="utf-8"))
    translated = _source(language)
    return {} if translated is None else parse(translated)


def translated(language: str | None) -> bool:
    """Whether an official translation of the law's text in `language` is loaded."""
    language = _normal(language)
    return language != ENGLISH and bool(provisions(language))


def _language(language: str | None) -> str:
    if language is None and _language_of_the_moment:
        language = _language_of_the_moment[0]()
    return _normal(language)


def _provision(citation: str, language: str | None) -> Provision:
    chosen = _language(language)
    if chosen != ENGLISH:
        found = provisions(chosen).get(citation)
        if found is not None:
            return found
    return provisions()[citation]


def exists(citation: str) -> bool:
    return citation in provisions()


def article_text(citation: str, language: str | None = None) -> str:
    """The text of a provision, e.g. ``article_text("23.7.1")``, in `language` where an
    official translation is loaded, else in English.

    Raises KeyError for a citation that is not in the law.
    """
    try:
        return _provision(citation, language).text
    except KeyError:
        raise KeyError(f"Law No. 04/L-218 has no provision {citation!r}") from None


def article_title(citation: str, language: str | None = None) -> str:
    """The title of the article a citation belongs to ("" when it has none)."""
    return _provision(citation, language).title


def titles() -> tuple[str, ...]:
    """Every article title of the English text, in the law's order (for translation)."""
    return tuple(p.title for c, p in provisions().items() if "." not in c and p.title)
