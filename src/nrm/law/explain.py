"""The assessment in words, for a person who is not a programmer (``nrm law explain``).

Each right, duty, prohibition and violation is one line with its dates; below
it, why it has that date (the provision that set it) or which fact caused the
violation, then the text of the article it comes from. The compensation shows
its arithmetic; missing facts are given in plain words beside their names.
"""

from __future__ import annotations

import datetime as dt
import textwrap

from nrm.law import text
from nrm.law.assessment import Assessment, Item, Reason
from nrm.law.codes import LABELS, fact_words
from nrm.law.versions import until_of

_WIDTH = 88
_TEXT_INDENT = "      "


def day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _article(citation: str) -> str:
    return f"Art. {citation}"


def _wrap(words: str) -> list[str]:
    return textwrap.wrap(
        words, width=_WIDTH, initial_indent=_TEXT_INDENT, subsequent_indent=_TEXT_INDENT + "  "
    )


def _quote(citation: str, language: str | None) -> list[str]:
    try:
        words = text.article_text(citation, language)
    except KeyError:
        return [_TEXT_INDENT + "(this provision is not in the law's text)"]
    return textwrap.wrap(
        f"Art. {citation}: \u201c{words}\u201d",
        width=_WIDTH,
        initial_indent=_TEXT_INDENT,
        subsequent_indent=_TEXT_INDENT,
    )


def why(item: Item) -> str | None:
    """The item's reason in words, with dates as a reader writes them."""
    reason: Reason | None = item.reason
    return None if reason is None else reason.words(item.dates(), day=day)


def _open(item: Item) -> bool:
    """Whether the item's reason stands instead of its missing end or due date."""
    return item.reason is not None and item.reason.open_end


def _line(label: str, item: Item, when: str, language: str | None, cause: str = "Why") -> list[str]:
    head = f"  - {label} ({_article(item.article)})"
    # One line per item, however long, so that each can be found with grep.
    lines = [f"{head}: {when}  [{item.code}]" if when else f"{head}: [{item.code}]"]
    words = why(item)
    if words and not _open(item):
        lines += _wrap(f"{cause}: {words}")
    return [*lines, *_quote(item.article, language)]


def _span(item: Item, start: dt.date | None, until: dt.date | None, open_ended: str) -> str:
    parts = []
    if start is not None:
        parts.append(f"from {day(start)}")
    if until is not None:
        parts.append(f"until {day(until)}")
    else:
        # A period not set yet says why ("no reflection period has been granted
        # yet"), rather than "no end date".
        words = why(item) if _open(item) else None
        if words:
            return ", ".join([" ".join(parts), words] if parts else [words])
        parts.append(open_ended)
    return " ".join(parts)


def render(assessment: Assessment, language: str | None = None) -> str:
    """The assessment in English words; the law's text in `language` when a translation
    of it is loaded (``nrm.law.text``), else in English."""
    a = assessment
    until = until_of(a.law)
    out = [
        f"Assessment on {day(a.on)} under {a.law.title}",
        f"(Law No. {a.law.name}, in force from {day(a.law.in_force)}"
        + (f" until {day(until)})" if until is not None else ")"),
        "",
    ]
    if a.child:
        basis = (
            "under 18 on this date (Art. 3.1.2)"
            if a.child_basis == "age"
            else "presumed a child until the age is finally ascertained (Art. 36)"
        )
        out.append(f"Child: yes, {basis}")
    else:
        out.append("Child: no")
    grounds = ", ".join(g.replace("_", " ") for g in a.vulnerable_grounds)
    out.append(
        f"Vulnerable victim: yes, as {grounds} (Art. 3.1.3)"
        if a.vulnerable
        else "Vulnerable victim: no"
    )

    out += ["", "RIGHTS OF THE PERSON"]
    for e in a.entitlements:
        when = _span(e, e.from_, e.until, "with no end date")
        if e.min_days is not None and e.max_days is not None:
            when += f", {e.min_days} to {e.max_days} days"
        elif e.max_days is not None:
            when += f", up to {e.max_days} days"
        out += _line(LABELS[e.code], e, when, language)
    if not a.entitlements:
        out.append("  (none yet: no reasonable grounds recorded on this date)")

    out += ["", "DUTIES OF THE AUTHORITIES"]
    for o in a.obligations:
        if o.due is not None:
            when = f"due {day(o.due)}"
        else:
            when = (why(o) if _open(o) else None) or "at once"
        out += _line(LABELS[o.code], o, when, language)
    if not a.obligations:
        out.append("  (none)")

    out += ["", "WHAT NO AUTHORITY MAY DO"]
    for p in a.prohibitions:
        out += _line(LABELS[p.code], p, _span(p, None, p.until, "with no end date"), language)
    if not a.prohibitions:
        out.append("  (none)")

    out += ["", "VIOLATIONS THE FACTS SHOW"]
    for v in a.violations:
        out += _line(LABELS[v.code], v, "", language, cause="Caused by")
    if not a.violations:
        out.append("  (none)")

    if a.compensation is not None:
        c = a.compensation
        amount = f"EUR {c.amount_cents / 100:,.2f}"
        words = {
            "refused": "refused",
            "full": f"full compensation of {amount}",
            "additional": f"additional compensation of {amount}",
            "none": "nothing more is due from the State",
        }[c.decision]
        out += ["", "STATE COMPENSATION"]
        out.append(f"  - {words[0].upper() + words[1:]} ({_article(c.article)})  [{c.decision}]")
        if c.reason is not None:
            out += _wrap(f"How: {c.reason.words(day=day)}")
        out += _quote(c.article, language)

    if a.missing_facts:
        out += ["", "FACTS STILL MISSING (they could change this assessment)"]
        out += [f"  - {fact_words(name)} ({name})" for name in a.missing_facts]
    return "\n".join(out) + "\n"
