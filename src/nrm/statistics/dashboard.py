"""The Coordinator's dashboard and the annual report share one set of published figures."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, F, Q, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nrm.authorities import access
from nrm.cases.models import Alert, Duty, DutyStatus, Stage, StageDecision
from nrm.compensation.models import Claim, ClaimDecision, Decision
from nrm.law.codes import VIOLATIONS
from nrm.proceedings.models import Asset, Proceeding
from nrm.referrals.models import Referral, ReferralStatus
from nrm.returns.models import (
    ConsularAssistance,
    ReflectionPeriod,
    RemovalOrder,
    ReturnPlan,
    ReturnStatus,
)
from nrm.shelters.models import Placement
from nrm.statistics.charts import Chart, bars
from nrm.statistics.dimensions import CASES, NATIONAL_TABLES
from nrm.statistics.disclosure import TOTAL, Parameters, Protected, Table, protect
from nrm.statistics.selectors import population, statistics_allowed
from nrm.statistics.services import national_release, release_record


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
    assets: list[tuple[str, str, int, Any]] = field(default_factory=list)
    returns: Protected | None = None
    claims_filed: Protected | None = None
    compensation: Protected | None = None
    awarded: list[tuple[str, int, Any]] = field(default_factory=list)
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

    def returns_rows(self) -> list[tuple[str, str, int | None]]:
        """Returns outcomes as published, each named in plain words."""
        return _labelled(self.returns, RETURN_OUTCOMES, _("All outcomes"))

    def compensation_rows(self) -> list[tuple[str, str, int | None]]:
        """Commission decisions by kind, as published."""
        return _labelled(self.compensation, DECISION_KINDS, _("All decisions"))


def _labelled(protected: Protected | None, labels: dict[str, Any],
              total: Any) -> list[tuple[str, str, int | None]]:
    if protected is None:
        return []
    return [(year, str(total if kind == TOTAL else labels.get(kind, kind)), count)
            for (year, kind), count in protected.rows()]


def _grouped(rows: Any, name: str, every: Any = ()) -> Table:
    """A one-dimension table of `rows`; `every` names categories shown even at 0, so that
    a row does not appear because one person is in it."""
    interior = {(str(value),): 0 for value in every}
    interior.update({(str(r[name]),): r["n"] for r in rows})
    return Table(dims=(name,), categories=(tuple(sorted(k[0] for k in interior)),),
                 interior=interior)


def national_figures(*, user: Any, year: int | None = None, on: dt.date,
                     parameters: Parameters | None = None, recipient: str,
                     channel: str) -> Figures:
    """Every figure the Coordinator sees or publishes, through one disclosure control."""
    statistics_allowed(user)
    params = parameters or Parameters()
    published = national_release(user=user, parameters=params)
    figures = Figures(year=year, tables=dict(zip(NATIONAL_TABLES, published, strict=True)))
    figures.charts.append(bars(published[0], dim=0, title=_title(NATIONAL_TABLES[0][0])))
    for dims, table in figures.tables.items():
        figures.charts.append(bars(table, dim=1, title=_title(dims[1])))
    cases = access.cases(user).filter(pk__in=population(source="cases").values("pk"))
    # Duties are counted per case's duty, not per person, yet a small count by institution
    # still narrows who: they pass the same control, as their own release.
    overdue = (Duty.objects.filter(case__in=cases, status=DutyStatus.OPEN, due_on__lt=on)
               .order_by().values(institution_code=F("institution__code"))
               .annotate(n=Count("pk")))
    (figures.overdue,) = protect([_grouped(overdue, "institution_code")], parameters=params)
    found = (Alert.objects.filter(case__in=cases, resolved_on__isnull=True).order_by()
             .values("code").annotate(n=Count("pk")))
    # Every violation the law knows is a row, found or not: a row of its own would say one
    # exists (a child interviewed on unsuitable premises) even with its count hidden.
    (figures.violations,) = protect([_grouped(found, "code", every=VIOLATIONS)],
                                    parameters=params)
    (figures.proceedings,) = protect([_grouped(_proceedings(), "result")], parameters=params)
    figures.assets = _assets(params.k, on)
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
    (figures.returns,) = protect([_year_table(_returns(cases), "outcome")], parameters=params)
    filed = (Claim.objects.filter(case__in=cases).order_by()
             .values(year=ExtractYear("filed_on")).annotate(n=Count("pk")))
    (figures.claims_filed,) = protect([_grouped(filed, "year")], parameters=params)
    # A decision an appeal replaced is no longer the outcome: only the standing one counts.
    decided_claims = (ClaimDecision.objects.filter(claim__case__in=cases,
                                                   replaced_by__isnull=True).order_by()
                      .values("decision", year=ExtractYear("decided_on")).annotate(n=Count("pk")))
    (figures.compensation,) = protect([_year_table(
        [{"year": r["year"], "outcome": r["decision"], "n": r["n"]} for r in decided_claims],
        "outcome")], parameters=params)
    figures.awarded = _awarded(cases, params.k, on)
    figures.charts.append(bars(figures.returns, dim=0, title=str(_("Returns outcomes, by year"))))
    every = [*published, figures.overdue, figures.violations, figures.proceedings,
             figures.services, figures.shelter_stays, figures.decisions, figures.returns,
             figures.claims_filed, figures.compensation]
    # The euro sums as published (None where suppressed) are in the hash with the counts.
    sums = [[[*key, None if total is None else str(total)] for *key, _n, total in rows]
            for rows in (figures.assets, figures.awarded)]
    output = json.dumps([*(sorted((list(k), v) for k, v in p.counts.items()) for p in every),
                         *sums], sort_keys=True).encode()
    figures.release_id = release_record(
        actor=user, what="national figures", recipient=recipient, channel=channel,
        source="cases", parameters=params.as_dict(), tables=every, output=output).pk
    return figures


# Where the figures' wording differs from the dimension's own label; any other national
# table takes its title from the dimension registry, so a new one needs no edit here.
TITLES = {"yearOfRegistration": _("Victims by year of registration"), "gender": _("By sex"),
          "majorityStatus": _("Children and adults"),
          "typeOfExploit": _("Forms of exploitation")}

# Returns outcomes in plain words: the events the returns app records (26, 29, 30, 31.3, 37).
RETURN_OUTCOMES = {
    "reflection_granted": _("Reflection period granted"),
    "reflection_extended": _("Reflection period extended"),
    "removal_order": _("Removal order recorded"),
    "return_assessed": _("Return carried out, risk assessed"),
    "return_not_assessed": _("Return carried out, no risk assessment"),
    "repatriated": _("Repatriated from abroad with consular assistance"),
}
DECISION_KINDS = {str(value): label for value, label in Decision.choices}


def _title(name: str) -> str:
    return str(TITLES.get(name, CASES[name].label))


def _year_table(rows: Any, name: str) -> Table:
    interior = {(str(r["year"]), r[name]): r["n"] for r in rows}
    return Table(dims=("year", name),
                 categories=(tuple(sorted({k[0] for k in interior})),
                             tuple(sorted({k[1] for k in interior}))),
                 interior=interior)


def _returns(cases: Any) -> list[dict[str, Any]]:
    """Each outcome by its year, one GROUP BY each over the population's cases. The outcomes
    are disjoint events, so a year's total is a sum of events, never of people."""
    def by_year(queryset: Any, day: str, outcome: str) -> list[dict[str, Any]]:
        grouped = (queryset.filter(case__in=cases).order_by()
                   .values(year=ExtractYear(day)).annotate(n=Count("pk")))
        return [{"year": r["year"], "outcome": outcome, "n": r["n"]} for r in grouped]

    done = ReturnPlan.objects.filter(status=ReturnStatus.CARRIED_OUT, carried_out_on__isnull=False)
    return [
        *by_year(ReflectionPeriod.objects.filter(extends__isnull=True), "start", "reflection_granted"),
        *by_year(ReflectionPeriod.objects.filter(extends__isnull=False), "start",
                 "reflection_extended"),
        *by_year(RemovalOrder.objects.all(), "ordered_on", "removal_order"),
        *by_year(done.filter(risk_assessed=True), "carried_out_on", "return_assessed"),
        *by_year(done.filter(risk_assessed=False), "carried_out_on", "return_not_assessed"),
        *by_year(ConsularAssistance.objects.filter(repatriated_on__isnull=False), "repatriated_on",
                 "repatriated"),
    ]


def _awarded(cases: Any, k: int, on: dt.date) -> list[tuple[str, int, Any]]:
    """Compensation awarded in euros (full and additional) by the year each decision was
    entered, under the rule for magnitudes in `_sum_shown`, one contributor a claim (a
    claim may have a full and an additional decision). Only a year that has ended is
    published: a year still open grows by one award between two releases, and their
    difference would be that award, naming its claimant. No all-years sum is published, so
    a hidden year is not the difference.

    A year's sum is the decisions entered in it as they stood at its end: one replaced by a
    decision entered the same year is left out, one replaced by a decision entered later is
    not, and the replacement counts in the year it was entered. So no entry made after a
    year has ended moves its sum: neither a decision dated back into it (a session may be
    recorded after its day) nor an appeal that replaces one of its decisions."""
    year = ExtractYear("created_at", tzinfo=timezone.get_default_timezone())
    replaced = ExtractYear("replaced_by__created_at", tzinfo=timezone.get_default_timezone())
    rows = (ClaimDecision.objects.filter(claim__case__in=cases,
                                         decision__in=[Decision.FULL, Decision.ADDITIONAL])
            .annotate(year=year, replaced_in=replaced)
            .filter(Q(replaced_in__isnull=True) | Q(replaced_in__gt=F("year")))
            .order_by().values_list("year", "claim_id", "amount"))
    return [(str(y), len(parts), _sum_shown(parts, k) if y < on.year else None)
            for (y,), parts in _contributions(rows)]


# A sum of amounts is shown only when k or more contributors make it up (the proceedings
# whose assets, or the claims whose awards, are summed) and no one of them is most of it (a
# dominance rule, as statistical offices apply to magnitudes), rounded to the nearest
# thousand euros. Dominance is by contributor, never by record: one proceeding's ten assets
# are one contributor's share. Years go by when a record was entered, never by the day it
# names, so once a year has ended its sums stand.
DOMINANCE = Decimal("0.85")
ROUNDING = Decimal("1000")


def _contributions(rows: Any) -> list[tuple[tuple[Any, ...], list[Decimal]]]:
    """Rows of (*cell, contributor, amount), as each cell's contributors' sums, by cell."""
    sums: dict[tuple[Any, ...], dict[Any, Decimal]] = {}
    for *cell, contributor, amount in rows:
        of_cell = sums.setdefault(tuple(cell), {})
        of_cell[contributor] = of_cell.get(contributor, Decimal(0)) + amount
    return [(cell, list(sums[cell].values())) for cell in sorted(sums)]


def _sum_shown(contributions: list[Decimal], k: int) -> Decimal | None:
    """The sum of the contributors' sums, rounded, or None when it would be disclosive."""
    total = sum(contributions, Decimal(0))
    if len(contributions) < k or total <= 0 or max(contributions) > DOMINANCE * total:
        return None
    return (total / ROUNDING).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * ROUNDING


def _proceedings() -> Any:
    """Proceedings by how far they got (11): a concluded one by its outcome."""
    result = SqlCase(When(stage="concluded", then=F("outcome")), default=F("stage"),
                     output_field=CharField())
    return (Proceeding.objects.filter(joined_into__isnull=True).order_by()
            .annotate(result=result).values("result").annotate(n=Count("pk")))


def _assets(k: int, on: dt.date) -> list[tuple[str, str, int, Any]]:
    """Assets in euros by the year each was entered and the action (11.3), under the rule
    for magnitudes in `_sum_shown`, one contributor a proceeding: one proceeding's
    confiscation would name its defendant. As with compensation, only ended years are
    published and no all-years sum, so no two releases differ by one proceeding's asset;
    an asset dated back into an ended year counts in the year it was entered."""
    year = ExtractYear("created_at", tzinfo=timezone.get_default_timezone())
    rows = (Asset.objects.annotate(year=year).filter(year__lt=on.year).order_by()
            .values_list("year", "action", "proceeding_id", "amount"))
    return [(str(y), action, len(parts), _sum_shown(parts, k))
            for (y, action), parts in _contributions(rows)]
