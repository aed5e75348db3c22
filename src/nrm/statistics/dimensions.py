"""The dimensions a table may cross, each an SQL expression over its source.

Names follow the CTDC's where one exists (gender, ageBroad, majorityStatus, citizenship,
yearOfRegistration, typeOfExploit, CountryOfExploitation); over cases, ageBroad has the
National Reporter's bands (0-11, 12-17, 18-24, 25-34, 35-49, 50+, unknown). A new source (shelters,
proceedings, returns, compensation) adds its dimensions by registering more `Dimension`s
for the cases source: each is one annotation, so a table stays one GROUP BY.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import CharField, F, Q, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast, Coalesce, ExtractYear, NullIf
from django.utils.translation import gettext_lazy as _

from nrm.errors import Invalid

UNKNOWN = "unknown"
SOURCES = ("cases", "imported")
YEAR = "yearOfRegistration"
# The national release: every table crossed by year, so its dimensions form no cycle and the
# attacker's LP over all of them together is exact. The dashboard, the annual report and a
# one-dimension `nrm stats table` over cases all publish slices of it.
NATIONAL_TABLES = ((YEAR, "gender"), (YEAR, "majorityStatus"), (YEAR, "typeOfExploit"),
                   (YEAR, "citizenship"), (YEAR, "registeredBy"), (YEAR, "stage"),
                   (YEAR, "ageBroad"), (YEAR, "region"))


@dataclass(frozen=True)
class Dimension:
    name: str
    label: Any
    expression: Callable[[], Any] | None
    # Why a source cannot give it (said to the user instead of a table of "unknown").
    unavailable: str = ""


def _known(expr: Any) -> Any:
    return Coalesce(NullIf(expr, Value("")), Value(UNKNOWN), output_field=CharField())


def _case_gender() -> Any:
    return SqlCase(
        When(person__sex="female", then=Value("Female")),
        When(person__sex="male", then=Value("Male")),
        When(person__sex="other", then=Value("Other")),
        default=Value(UNKNOWN), output_field=CharField(),
    )


def _case_exploit() -> Any:
    # One label per case so that margins add up: the single form, "multiple" or unknown.
    # Index lookups on the JSON list work on SQLite and PostgreSQL alike (contains does not).
    return SqlCase(
        When(Q(facts__exploitation__0__isnull=True), then=Value(UNKNOWN)),
        When(Q(facts__exploitation__1__isnull=False), then=Value("multiple")),
        default=Cast(KeyTextTransform("0", KeyTransform("exploitation", "facts")), CharField()),
        output_field=CharField(),
    )


CASES: dict[str, Dimension] = {d.name: d for d in (
    Dimension("gender", _("Sex"), _case_gender),
    Dimension("majorityStatus", _("Child or adult"), lambda: SqlCase(
        When(child=True, then=Value("Minor")), default=Value("Adult"), output_field=CharField())),
    # The birth date is encrypted at rest (Art. 18); the cases services keep the age band on
    # the registration day in plaintext beside it (Case.age_group), for this GROUP BY only.
    Dimension("ageBroad", _("Age group"), lambda: F("age_group")),
    Dimension("citizenship", _("Citizenship"), lambda: _known(F("person__citizenship"))),
    Dimension("yearOfRegistration", _("Year of registration"),
              lambda: Cast(ExtractYear("created_at"), CharField())),
    Dimension("typeOfExploit", _("Form of exploitation"), _case_exploit),
    Dimension("registeredBy", _("Identifying institution"), lambda: F("registered_by__code")),
    Dimension("stage", _("Stage"), lambda: F("stage")),
    # Where the person was identified: one of Kosovo's seven regions, abroad, or unknown.
    Dimension("region", _("Region where identified"), lambda: _known(F("region"))),
)}

IMPORTED: dict[str, Dimension] = {d.name: d for d in (
    Dimension("gender", _("Sex"), lambda: _known(F("gender"))),
    Dimension("majorityStatus", _("Child or adult"), lambda: _known(F("majority"))),
    Dimension("ageBroad", _("Age group"), lambda: _known(F("age_broad"))),
    Dimension("citizenship", _("Citizenship"), lambda: _known(F("citizenship"))),
    Dimension("yearOfRegistration", _("Year of registration"), lambda: _known(F("year"))),
    Dimension("typeOfExploit", _("Form of exploitation"), lambda: _known(F("exploit"))),
    Dimension("CountryOfExploitation", _("Country of exploitation"),
              lambda: _known(F("exploitation_country"))),
    # The victim-perpetrator release gives UN regions, not countries (kept in `extra`).
    Dimension("UN_COO_Region", _("Region of origin"),
              lambda: _known(KeyTextTransform("UN_COO_Region", "extra"))),
    Dimension("UN_COE_Region", _("Region of exploitation"),
              lambda: _known(KeyTextTransform("UN_COE_Region", "extra"))),
)}


def registry(source: str) -> dict[str, Dimension]:
    if source not in SOURCES:
        raise Invalid("source", f"source must be one of {', '.join(SOURCES)}")
    return CASES if source == "cases" else IMPORTED


def annotate(queryset: QuerySet[Any], *, source: str, dims: tuple[str, ...],
             most: int = 2) -> QuerySet[Any]:
    """Each dimension as a `d_<name>` annotation, ready for one GROUP BY."""
    known = registry(source)
    if not dims or len(dims) > most:
        raise Invalid("dims", "a table crosses one or two dimensions")
    if len(set(dims)) != len(dims):
        raise Invalid("dims", "a dimension appears twice")
    names = {}
    for dim in dims:
        if dim not in known:
            raise Invalid("dims", f"{dim} is not a dimension of {source} "
                                  f"(one of {', '.join(sorted(known))})")
        if known[dim].expression is None:
            raise Invalid("dims", f"{dim}: {known[dim].unavailable}")
        names[f"d_{dim}"] = known[dim].expression()
    return queryset.annotate(**names)
