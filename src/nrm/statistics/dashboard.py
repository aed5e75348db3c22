"""The Coordinator's dashboard and the annual report share one set of published figures."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, F, Sum, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from nrm.authorities import access
from nrm.cases.models import Alert, Duty, DutyStatus, Stage, StageDecision
from nrm.proceedings.models import Asset, Proceeding
from nrm.referrals.models import Referral, ReferralStatus
from nrm.shelters.models import Placement
from nrm.statistics.charts import Chart, bars
from nrm.statistics.dimensions import NATIONAL_TABLES
from nrm.statistics.disclosure import TOTAL, Parameters, Protected, Table, protect
from nrm.statistics.selectors import population, statistics_allowed, table_count
from nrm.statistics.services import release_record


@dataclass
class Figures:
    year: int | None
    tables: dict[tuple[str, ...], Protected]
    charts: list[Chart] = field(default_factory=list)
    overdue: Protected | None = None
    violations: Protected | None = None
    proceedings: Protected | None = None
    services: Protected | None = None
    shelter_stays: Protected | None = None
    decisions: Protected | None = None
    assets: list[tuple[str, int, Any]] = field(default_factory=list)
    release_id: int | None = None

    def total(self) -> int | None:
        first = next(iter(self.tables.values()))
        return first.counts[(TOTAL,) * len(first.table.dims)]

    def of_year(self, year: int) -> int | None:
        """Victims registered in the year, as published (None: suppressed or none)."""
        first = next(iter(self.tables.values()))
        return first.counts.get((str(year), TOTAL))

    def rows(self, dims: tuple[str, ...]) -> list[tuple[tuple[str, ...], int | None]]:
        return self.tables[dims].rows()


def _grouped(rows: Any, name: str) -> Table:
    interior = {(str(r[name]),): r["n"] for r in rows}
    return Table(dims=(name,), categories=(tuple(sorted(k[0] for k in interior)),),
                 interior=interior)


def national_figures(*, user: Any, year: int | None = None, on: dt.date,
                     parameters: Parameters | None = None, recipient: str,
                     channel: str) -> Figures:
    """Every figure the Coordinator sees or publishes, through one disclosure control."""
    statistics_allowed(user)
    params = parameters or Parameters()
    counted = [table_count(user=user, dims=dims) for dims in NATIONAL_TABLES]
    published = protect(counted, parameters=params)
    figures = Figures(year=year, tables=dict(zip(NATIONAL_TABLES, published, strict=True)))
    labels = {"yearOfRegistration": _("Victims by year of registration"), "gender": _("By sex"),
              "majorityStatus": _("Children and adults"),
              "typeOfExploit": _("Forms of exploitation"), "citizenship": _("Citizenship"),
              "registeredBy": _("Identifying institution"), "stage": _("Stage")}
    figures.charts.append(bars(published[0], dim=0, title=str(labels["yearOfRegistration"])))
    for dims, table in figures.tables.items():
        figures.charts.append(bars(table, dim=1, title=str(labels[dims[1]])))
    cases = access.cases(user).filter(pk__in=population(source="cases").values("pk"))
    # Duties are counted per case's duty, not per person, yet a small count by institution
    # still narrows who: they pass the same control, as their own release.
    overdue = (Duty.objects.filter(case__in=cases, status=DutyStatus.OPEN, due_on__lt=on)
               .order_by().values(institution_code=F("institution__code"))
               .annotate(n=Count("pk")))
    (figures.overdue,) = protect([_grouped(overdue, "institution_code")], parameters=params)
    found = (Alert.objects.filter(case__in=cases, resolved_on__isnull=True).order_by()
             .values("code").annotate(n=Count("pk")))
    (figures.violations,) = protect([_grouped(found, "code")], parameters=params)
    (figures.proceedings,) = protect([_grouped(_proceedings(), "result")], parameters=params)
    figures.assets = _assets(params.k)
    # Services received: referrals the provider accepted or completed (18, 19), by service.
    received = (Referral.objects.filter(case__in=cases, status__in=[ReferralStatus.ACCEPTED,
                                                                  ReferralStatus.COMPLETED])
                .order_by().values("service").annotate(n=Count("pk")))
    (figures.services,) = protect([_grouped(received, "service")], parameters=params)
    stays = (Placement.objects.filter(case__in=cases).order_by()
             .values(year=ExtractYear("admitted_on")).annotate(n=Count("pk")))
    (figures.shelter_stays,) = protect([_grouped(stays, "year")], parameters=params)
    # Reasonable grounds and conclusive identification, as rapporteurs publish them (the UK
    # NRM's quarterly tables): decisions by the year taken.
    decided = (StageDecision.objects.filter(case__in=cases, to_stage__in=[
        Stage.PRESUMED_VICTIM, Stage.IDENTIFIED, Stage.DECLINED]).order_by()
        .values(year=ExtractYear("decided_on"), decision=F("to_stage")).annotate(n=Count("pk")))
    interior = {(str(r["year"]), r["decision"]): r["n"] for r in decided}
    (figures.decisions,) = protect([Table(
        dims=("year", "decision"),
        categories=(tuple(sorted({k[0] for k in interior})), tuple(sorted({k[1] for k in interior}))),
        interior=interior)], parameters=params)
    every = [*published, figures.overdue, figures.violations, figures.proceedings,
             figures.services, figures.shelter_stays, figures.decisions]
    output = json.dumps([sorted((list(k), v) for k, v in p.counts.items()) for p in every],
                        sort_keys=True).encode()
    figures.release_id = release_record(
        actor=user, what="national figures", recipient=recipient, channel=channel,
        source="cases", parameters=params.as_dict(), tables=every, output=output).pk
    return figures


def _proceedings() -> Any:
    """Proceedings by how far they got (11): a concluded one by its outcome."""
    result = SqlCase(When(stage="concluded", then=F("outcome")), default=F("stage"),
                     output_field=CharField())
    return (Proceeding.objects.filter(joined_into__isnull=True).order_by()
            .annotate(result=result).values("result").annotate(n=Count("pk")))


def _assets(k: int) -> list[tuple[str, int, Any]]:
    """Assets in euros by action (11.3). A sum is shown only when k or more proceedings make
    it up: one proceeding's confiscation would name its defendant (a threshold on
    contributors, as statistical offices apply to magnitudes)."""
    rows = (Asset.objects.order_by().values("action")
            .annotate(total=Sum("amount"), contributors=Count("proceeding", distinct=True)))
    return [(r["action"], r["contributors"], r["total"] if r["contributors"] >= k else None)
            for r in sorted(rows, key=lambda r: r["action"])]
