"""The annual report to the Government (7.5, 8.4.3): the dashboard's published figures, as a
page and as a PDF, in English, Albanian or Serbian (Latin)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from nrm.errors import Invalid
from nrm.statistics import plan
from nrm.statistics.dashboard import national_figures
from nrm.statistics.disclosure import Parameters

LANGUAGES = {"en": "en", "sq": "sq", "sr": "sr-latn"}
STYLESHEET = Path(__file__).parent / "static" / "statistics" / "report.css"


def report_context(*, user: Any, year: int, on: dt.date, recipient: str, channel: str,
                   parameters: Parameters | None = None) -> dict[str, Any]:
    figures = national_figures(user=user, year=year, on=on, parameters=parameters,
                               recipient=recipient, channel=channel)
    return {"figures": figures, "year": year, "of_year": figures.of_year(year), "on": on,
            "activities": list(plan.activities_list(user=user, on=on)),
            "coverage": plan.training_coverage(user=user, on=on)}


def annual_report_html(*, user: Any, year: int, lang: str, on: dt.date, recipient: str,
                       channel: str = "annual report") -> str:
    if lang not in LANGUAGES:
        raise Invalid("lang", f"lang must be one of {', '.join(LANGUAGES)}")
    with translation.override(LANGUAGES[lang]):
        context = report_context(user=user, year=year, on=on, recipient=recipient,
                                 channel=channel)
        return render_to_string("statistics/annual_report.html",
                                {**context, "lang": LANGUAGES[lang]})


def annual_report_pdf(*, user: Any, year: int, lang: str, on: dt.date, recipient: str,
                      progress: Callable[[str], None] | None = None) -> bytes:
    from weasyprint import CSS, HTML  # imported here: the pages never need its system libraries

    say = progress or (lambda _step: None)
    say("counting and protecting the national tables")
    html = annual_report_html(user=user, year=year, lang=lang, on=on, recipient=recipient,
                              channel="annual report pdf")
    say("laying out the PDF")
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
