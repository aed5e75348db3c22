"""The law's text as data: Law No. 04/L-218 parsed into articles, paragraphs
and sub-paragraphs, so that every citation the engine returns resolves to the
words of the law.

The official English text is kept in the package (``data/law-04-L-218.txt``)
and parsed once, lazily, on first use. A citation is written as the law
numbers it: ``"23"`` is Article 23, ``"23.7"`` its paragraph 7 and
``"23.7.1"`` sub-paragraph 1 of that paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

LAW_FILE = "law-04-L-218.txt"

_ARTICLE = re.compile(r"^\s*Article\s*(\d+)\s*$")
_CHAPTER = re.compile(r"^\s*CHAPTER\s+([IVXL]+)\s*$")
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
    # The title is the first block of text after the heading, unless that block
    # is all there is (Art. 46 has no title) or it is already a numbered paragraph.
    body_start = 0
    while body_start < len(lines) and not lines[body_start].strip():
        body_start += 1
    title_lines: list[str] = []
    cursor = body_start
    while cursor < len(lines) and lines[cursor].strip() and not _MARKER.match(lines[cursor]):
        title_lines.append(lines[cursor])
        cursor += 1
    rest = lines[cursor:]
    if title_lines and any(line.strip() for line in rest):
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


@cache
def provisions() -> dict[str, Provision]:
    """Every provision of the law, parsed once from the package's copy."""
    source = resources.files("nrm.law").joinpath("data", LAW_FILE)
    return parse(source.read_text(encoding="utf-8"))


def exists(citation: str) -> bool:
    return citation in provisions()


def article_text(citation: str) -> str:
    """The text of a provision, e.g. ``article_text("23.7.1")``.

    Raises KeyError for a citation that is not in the law.
    """
    try:
        return provisions()[citation].text
    except KeyError:
        raise KeyError(f"Law No. 04/L-218 has no provision {citation!r}") from None


def article_title(citation: str) -> str:
    """The title of the article a citation belongs to ("" when it has none)."""
    return provisions()[citation].title
