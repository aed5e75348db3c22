"""Writes: loading and adopting indicator lists, recording screenings, deciding them.

Each write is one transaction with its audit event. The combination rule only advises;
the official decides whether there are reasonable grounds (Art. 9.2, 20.5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.models import User
from nrm.cases.models import Case, Stage
from nrm.errors import (
    CaseNotFound,
    FutureDate,
    IndicatorFromOtherList,
    ListNotInForce,
    NotAllowed,
    ScreeningError,
    UnknownIndicator,
)
from nrm.screening import rule as combination
from nrm.screening.listfile import ListSpec
from nrm.screening.models import (
    Audience,
    Decision,
    Exploitation,
    Indicator,
    IndicatorList,
    ListStatus,
    Screening,
)
from nrm.screening.selectors import indicator_list_in_force
from nrm.screening.store import list_store


def _may_change_reference_data(actor: User | None) -> None:
    # None is the server operator at the command line; an official needs the grant.
    if actor is not None and not access.allows(actor, access.Action.CHANGE, access.Kind.REFERENCE_DATA):
        raise NotAllowed(_("indicator lists: only a system administrator may load or adopt them"))


@transaction.atomic
def indicator_list_load(*, actor: User | None, spec: ListSpec, adopt: bool = False) -> IndicatorList:
    """Store a checked list as a draft, and adopt it at once when asked."""
    _may_change_reference_data(actor)
    if IndicatorList.objects.filter(code=spec.code, version=spec.version).exists():
        raise ScreeningError("version", _("%(code)s %(version)s is already loaded")
                             % {"code": spec.code, "version": spec.version})
    indicator_list = list_store(spec, status=ListStatus.DRAFT)
    record(actor=actor, action="create", record_type="screening.indicatorlist",
           records=[indicator_list], fields=["indicators", "rule"],
           detail={"code": spec.code, "version": spec.version, "indicators": len(spec.indicators)})
    if adopt:
        return indicator_list_adopt(actor=actor, indicator_list=indicator_list)
    return indicator_list


def _pairs(indicator_list: IndicatorList) -> set[tuple[str, str]]:
    return set(indicator_list.indicators.values_list("audience", "exploitation").distinct())


@transaction.atomic
def indicator_list_adopt(*, actor: User | None, indicator_list: IndicatorList) -> IndicatorList:
    """In force from its adopted_on date (Art. 12.2); a previous list that it covers wholly
    is retired on that date and stays for the screenings that cite it."""
    _may_change_reference_data(actor)
    indicator_list = IndicatorList.objects.select_for_update().get(pk=indicator_list.pk)
    if indicator_list.status != ListStatus.DRAFT:
        raise ScreeningError("status", _("%(list)s is %(status)s, not a draft")
                             % {"list": indicator_list, "status": indicator_list.status})
    covered = _pairs(indicator_list)
    retired = []
    earlier = IndicatorList.objects.select_for_update().filter(
        status=ListStatus.ADOPTED, adopted_on__lt=indicator_list.adopted_on
    ).exclude(pk=indicator_list.pk)
    for previous in earlier:
        if _pairs(previous) <= covered:
            previous.status, previous.retired_on = ListStatus.RETIRED, indicator_list.adopted_on
            previous.save(update_fields=["status", "retired_on"])
            retired.append(previous)
    indicator_list.status = ListStatus.ADOPTED
    indicator_list.save(update_fields=["status"])
    record(actor=actor, action="adopt", record_type="screening.indicatorlist",
           records=[indicator_list, *retired], fields=["status", "retired_on"],
           detail={"adopted_on": indicator_list.adopted_on.isoformat(),
                   "retired": [str(r) for r in retired]})
    return indicator_list


def _observed(indicator_list: IndicatorList, observed: Iterable[str], audience: str,
              exploitation: str) -> list[Indicator]:
    codes = list(dict.fromkeys(observed))  # once each, in the order given
    found = {i.code: i for i in indicator_list.indicators.filter(code__in=codes)}
    elsewhere = set(
        Indicator.objects.filter(code__in=set(codes) - set(found)).values_list("code", flat=True)
    )
    for code in codes:
        if code in elsewhere:
            raise IndicatorFromOtherList("observed", _("%(code)s is not on %(list)s")
                                         % {"code": code, "list": indicator_list})
        if code not in found:
            raise UnknownIndicator("observed", _("unknown indicator code %(code)s") % {"code": repr(code)})
        if (found[code].audience, found[code].exploitation) != (audience, exploitation):
            raise IndicatorFromOtherList(
                "observed", _("%(code)s is on the %(list_audience)s/%(list_exploitation)s list, "
                              "not %(audience)s/%(exploitation)s")
                % {"code": code, "list_audience": found[code].audience,
                   "list_exploitation": found[code].exploitation,
                   "audience": audience, "exploitation": exploitation})
    return [found[c] for c in codes]


def _changeable_case(actor: User, case: Case) -> Case:
    """The case, locked, if the actor may change it; otherwise as if it did not exist."""
    locked = access.cases(actor, access.Action.CHANGE).select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise CaseNotFound(case.pk)
    return locked


@transaction.atomic
def screening_record(
    *,
    actor: User,
    case: Case,
    list: IndicatorList,  # the version used; shadows the builtin here only
    observed: Iterable[str],
    screened_on: dt.date,
    audience: str,
    exploitation: str,
) -> Screening:
    """Screen a case against the list in force and record the combination's advice."""
    case = _changeable_case(actor, case)
    acting = access.acting(actor, case=case)
    if audience not in Audience.values:
        raise ScreeningError("audience", _("must be one of %(values)s") % {"values": ", ".join(Audience.values)})
    if exploitation not in Exploitation.values:
        raise ScreeningError("exploitation",
                             _("must be one of %(values)s") % {"values": ", ".join(Exploitation.values)})
    # A child, or a person presumed one (Art. 36), is screened on the child lists.
    if case.child and audience != Audience.CHILD:
        raise ScreeningError("audience", _("the case is a child's: use the child indicators (Art. 36)"))
    if screened_on > timezone.localdate():
        raise FutureDate("screened_on", _("%(date)s is in the future") % {"date": screened_on.isoformat()})
    in_force = indicator_list_in_force(on=screened_on, audience=audience, exploitation=exploitation)
    if in_force is None or in_force.pk != list.pk:
        raise ListNotInForce(
            "list", _("%(list)s is not the list in force on %(date)s for %(audience)s/%(exploitation)s "
                      "(in force: %(in_force)s)")
            % {"list": list, "date": screened_on.isoformat(), "audience": audience,
               "exploitation": exploitation, "in_force": in_force or "none"})
    indicators = _observed(list, observed, audience, exploitation)
    results = combination.assess(
        combination.Rule.from_data(list.rule),
        [combination.Observed(i.code, i.dimension, i.strength) for i in indicators],
        audience,
    )
    screening = Screening.objects.create(
        case=case, indicator_list=list, audience=audience, exploitation=exploitation,
        screened_on=screened_on, screened_by=actor, institution_id=acting.institution_id,
        observed=[i.code for i in indicators],
        result={code: asdict(r) for code, r in results.items()},
        meets_threshold=combination.meets_threshold(results),
    )
    record(actor=actor, action="create", record_type="screening.screening", records=[screening],
           fields=["observed", "result", "meets_threshold"], detail={"case": case.pk}, acting=acting)
    return screening


@transaction.atomic
def screening_decide(*, actor: User, screening: Screening, decision: str, grounds: str) -> Screening:
    """The official's decision. Reasonable grounds make the person a presumed victim at
    once, with the same treatment as an identified one (3.1.17, 9.2, 20.5, 38.1)."""
    case = _changeable_case(actor, screening.case)
    acting = access.acting(actor, case=case)
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    if decision not in (Decision.REASONABLE_GROUNDS, Decision.NO_REASONABLE_GROUNDS):
        raise ScreeningError("decision", _("must be reasonable_grounds or no_reasonable_grounds"))
    if screening.decision != Decision.PENDING:
        raise ScreeningError("decision", _("this screening was already decided: %(decision)s")
                             % {"decision": screening.decision})
    if not grounds.strip():
        raise ScreeningError("grounds", _("state the grounds for the decision"))
    screening.decision, screening.grounds = decision, grounds.strip()
    screening.decided_by, screening.decided_at = actor, timezone.now()
    screening.save(update_fields=["decision", "grounds", "decided_by", "decided_at"])
    record(actor=actor, action="decide", record_type="screening.screening", records=[screening],
           fields=["decision", "grounds", "decided_by", "decided_at"],
           detail={"decision": decision, "meets_threshold": screening.meets_threshold},
           acting=acting)
    if decision == Decision.REASONABLE_GROUNDS:
        _presume_victim(actor=actor, case=case, screening=screening, on=timezone.localdate())
    return screening


def _presume_victim(*, actor: User, case: Case, screening: Screening, on: dt.date) -> None:
    """Reasonable grounds through the cases' own write path: a recorded decision, its audit
    event and the legal state at once, in this transaction (3.1.17, 9.2, 20.5)."""
    from nrm.cases.decisions import case_decide
    from nrm.cases.services import case_update

    grounds = _("Reasonable grounds on screening #%(id)s (Art. 9.2, 20.5): %(grounds)s") % {
        "id": screening.pk, "grounds": screening.grounds}
    if case.stage == Stage.SCREENING:
        case_decide(actor=actor, case_id=case.pk, to_stage=Stage.PRESUMED_VICTIM, decided_on=on,
                    grounds=grounds)
    elif not case.facts.get("reasonable_grounds_on"):
        case_update(actor=actor, case_id=case.pk, expected_version=None,
                    case={"reasonable_grounds_on": on.isoformat()},
                    purpose="reasonable grounds (Art. 9.2, 20.5)")
