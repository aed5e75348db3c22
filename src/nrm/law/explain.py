"""The assessment in words, for a person who is not a programmer (``nrm law explain``).

Each right, duty, prohibition and violation is one line with its dates,
followed by the text of the article it comes from.
"""

from __future__ import annotations

import datetime as dt
import textwrap

from nrm.law import text
from nrm.law.assessment import Assessment
from nrm.law.codes import LABELS

_WIDTH = 88
_TEXT_INDENT = "      "


def day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _article(citation: str) -> str:
    return f"Art. {citation}"


def _quote(citation: str) -> list[str]:
    try:
        words = text.article_text(citation)
    except KeyError:
        return [_TEXT_INDENT + "(this provision is not in the law's text)"]
    return textwrap.wrap(
        f"Art. {citation}: \u201c{words}\u201d",
        width=_WIDTH,
        initial_indent=_TEXT_INDENT,
        subsequent_indent=_TEXT_INDENT,
    )


def _line(label: str, code: str, citation: str, when: str) -> list[str]:
    head = f"  - {label} ({_article(citation)})"
    detail = f"{when}  [{code}]" if when else f"[{code}]"
    return [f"{head}: {detail}", *_quote(citation)]


def _span(start: dt.date | None, until: dt.date | None, open_ended: str) -> str:
    parts = []
    if start is not None:
        parts.append(f"from {day(start)}")
    parts.append(f"until {day(until)}" if until is not None else open_ended)
    return " ".join(parts)


def render(assessment: Assessment) -> str:
    a = assessment
    out = [
        f"Assessment on {day(a.on)} under {a.law.title}",
        f"(Law No. {a.law.name}, in force from {day(a.law.in_force)})",
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
        when = _span(e.from_, e.until, "with no end date")
        if e.min_days is not None and e.max_days is not None:
            when += f", {e.min_days} to {e.max_days} days"
        elif e.max_days is not None:
            when += f", up to {e.max_days} days"
        out += _line(LABELS[e.code], e.code, e.article, when)
    if not a.entitlements:
        out.append("  (none yet: no reasonable grounds recorded on this date)")

    out += ["", "DUTIES OF THE AUTHORITIES"]
    for o in a.obligations:
        out += _line(LABELS[o.code], o.code, o.article, f"due {day(o.due)}" if o.due else "at once")
    if not a.obligations:
        out.append("  (none)")

    out += ["", "WHAT NO AUTHORITY MAY DO"]
    for p in a.prohibitions:
        out += _line(LABELS[p.code], p.code, p.article, _span(None, p.until, "with no end date"))
    if not a.prohibitions:
        out.append("  (none)")

    out += ["", "VIOLATIONS THE FACTS SHOW"]
    for v in a.violations:
        out += _line(LABELS[v.code], v.code, v.article, "")
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
        out += _line(words[0].upper() + words[1:], c.decision, c.article, "")

    if a.missing_facts:
        out += ["", "FACTS STILL MISSING (they could change this assessment)"]
        out += [f"  - {name}" for name in a.missing_facts]
    return "\n".join(out) + "\n"
