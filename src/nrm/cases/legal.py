"""A case's legal state: the law engine's assessment, stored, with duties and alerts.

Recomputed whenever a case's facts change (legal_state_refresh) and every night for all
cases (nrm.cases.sweep). Each obligation, and each duty a registered duty source finds
owed beside them, becomes a duty of a named institution; each violation an alert. A duty someone completed stays completed when the case is assessed
again; one the law no longer asks for is marked withdrawn, never deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.db import connection
from django.utils import timezone

from nrm.cases.models import (
    Alert,
    Case,
    CaseAssignment,
    Duty,
    DutyStatus,
    LegalState,
)
from nrm.law import Assessment, LawError, Obligation, Violation, assess
from nrm.law.codes import ALL_CODES, OBLIGATION_OWNERS

# --- Facts from every app -------------------------------------------------------------
# The law engine reads one dictionary of facts. Cases keep their own in Case.facts; other
# apps (shelters, proceedings, foreigners, returns, compensation) keep theirs in their own
# tables and contribute them here through a fact provider, so that a stay, an interview or
# a removal order reaches the legal state the moment it is recorded.

@dataclass(frozen=True)
class FactProvider:
    """Contributes case facts of the law contract from an app's own records.

    `facts` is the list of the contract's case facts it owns (e.g. "accommodation"):
    Case.facts may not hold them too. `read` answers, for many cases at once and in a fixed
    number of queries, {case id: {fact: value}}; a case with nothing recorded is left out.
    `guarded_by` names, for a fact whose records the app keeps from some readers of the
    case, the access kind of those records: what the legal state owes to the fact is
    withheld from a reader the kind does not grant (nrm.law.dependencies).
    """

    name: str
    facts: tuple[str, ...]
    read: Callable[[Sequence[int]], dict[int, dict[str, Any]]]
    guarded_by: Mapping[str, str] = field(default_factory=dict)


def guarded_facts() -> dict[str, str]:
    """{case fact: access kind} of every fact a provider guards."""
    return {fact: kind for provider in PROVIDERS.values()
            for fact, kind in provider.guarded_by.items()}


PROVIDERS: dict[str, FactProvider] = {}


def fact_provider_register(provider: FactProvider) -> None:
    """Called from an app's AppConfig.ready(); one owner for each fact."""
    owned = {fact: other.name for other in PROVIDERS.values() if other.name != provider.name
             for fact in other.facts}
    clash = sorted(set(provider.facts) & set(owned))
    if clash:
        raise ValueError(f"case.{clash[0]} is already provided by {owned[clash[0]]}")
    PROVIDERS[provider.name] = provider


def fact_provider_unregister(name: str) -> None:
    PROVIDERS.pop(name, None)


def contributed_facts(case_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Every provider's facts for these cases: one read per provider, whatever their number."""
    found: dict[int, dict[str, Any]] = defaultdict(dict)
    for provider in PROVIDERS.values():
        for case_id, facts in provider.read(case_ids).items():
            found[case_id].update({k: v for k, v in facts.items() if k in provider.facts})
    return found


# --- Duties from every app -------------------------------------------------------------
# The law engine's obligations are a fixed set (law/CONTRACT.md). An app whose records give
# a duty the law implies but does not name as an obligation (the shelter preparing the end
# of a stay the engine gave a lawful end) contributes it through a duty source: planned,
# owned, completed and withdrawn exactly as the law's obligations are.

class SourcedDuty(NamedTuple):
    """One duty a source finds owed, in the shape of the law's obligations."""

    code: str
    article: str
    due: date | None = None  # None: owed immediately


@dataclass(frozen=True)
class DutySource:
    """Contributes duties beside the law's obligations.

    `owners` maps each code the source owns to the case team's capacities to look for, in
    order (as nrm.law.codes.OBLIGATION_OWNERS; with none on the team, the registrar owes it);
    `labels` gives each code its plain words, marked with gettext_noop for the translator.
    `duties` is pure: from the case's law facts, the engine's assessment of them and the
    date, it answers the duties owed now. It reads nothing, so the sweep stays in bulk.
    """

    name: str
    owners: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, str]
    duties: Callable[[dict[str, Any], Assessment, date], Iterable[SourcedDuty]]


DUTY_SOURCES: dict[str, DutySource] = {}
DUTY_OWNERS: dict[str, tuple[str, ...]] = {}  # every source's codes, for owner_of
DUTY_LABELS: dict[str, str] = {}


def _duty_codes_index() -> None:
    DUTY_OWNERS.clear()
    DUTY_LABELS.clear()
    for source in DUTY_SOURCES.values():
        DUTY_OWNERS.update(source.owners)
        DUTY_LABELS.update(source.labels)


def duty_source_register(source: DutySource) -> None:
    """Called from an app's AppConfig.ready(); one owner for each code, none of the law's."""
    law = sorted(set(source.owners) & (ALL_CODES | set(TEAM_NOTICES)))
    if law:
        raise ValueError(f"{law[0]} is a code of the law; a duty source cannot own it")
    owned = {code: other.name for other in DUTY_SOURCES.values() if other.name != source.name
             for code in other.owners}
    clash = sorted(set(source.owners) & set(owned))
    if clash:
        raise ValueError(f"duty {clash[0]} is already owned by {owned[clash[0]]}")
    unlabelled = sorted(set(source.owners) - set(source.labels))
    if unlabelled:
        raise ValueError(f"duty {unlabelled[0]} has no label")
    DUTY_SOURCES[source.name] = source
    _duty_codes_index()


def duty_source_unregister(name: str) -> None:
    DUTY_SOURCES.pop(name, None)
    _duty_codes_index()


def duty_label(code: str) -> str | None:
    """A registered source's plain words for its code (English, marked for translation)."""
    return DUTY_LABELS.get(code)


def sourced_duties(facts: dict[str, Any], assessment: Assessment, on: date) -> tuple[SourcedDuty, ...]:
    """Every source's duties for one assessed case, in a fixed order (they are fingerprinted)."""
    found: list[SourcedDuty] = []
    for source in DUTY_SOURCES.values():
        for item in source.duties(facts, assessment, on):
            if item.code not in source.owners:
                raise ValueError(f"duty source {source.name} returned {item.code}, not one of its codes")
            found.append(SourcedDuty(item.code, str(item.article), item.due))
    return tuple(sorted(found, key=lambda d: (d.code, d.article)))


def law_facts(case: Case, contributed: dict[str, Any] | None = None) -> dict[str, Any]:
    """The case's facts in the contract's shape (law/CONTRACT.md), with what other apps
    record about it; `contributed` is given when the caller read providers in bulk."""
    person = case.person
    person_facts: dict[str, Any] = dict(person.facts)
    if person.birth_date is not None:
        person_facts["birth_date"] = person.birth_date.isoformat()
    if person.sex:
        person_facts["sex"] = person.sex
    if person.citizenship:
        person_facts["citizenship"] = person.citizenship
    if contributed is None:
        contributed = contributed_facts([case.pk]).get(case.pk, {}) if PROVIDERS else {}
    return {"person": person_facts, "case": {**case.facts, **contributed}}


def assessment_of(case: Case, on: date, contributed: dict[str, Any] | None = None) -> Assessment:
    """Raises LawError, naming the fact, when the stored facts cannot be assessed."""
    return assess(law_facts(case, contributed), on)


Team = list[tuple[str, int]]  # (capacity, institution id) of the case's current assignments


def owner_of(code: str, case: Case, team: Team) -> int:
    """Who owes an obligation, as the law's table next to each obligation says (or, for a
    duty source's code, the source's own table)."""
    capacities = OBLIGATION_OWNERS[code] if code in OBLIGATION_OWNERS else DUTY_OWNERS.get(code, ())
    for capacity in capacities:
        for assigned_capacity, institution_id in team:
            if assigned_capacity == capacity:
                return institution_id
    return case.registered_by_id


@dataclass
class Changes:
    """What one refresh (or a whole sweep) wrote, for the caller to save in bulk."""

    # New rows are plain tuples in column order: the sweep creates hundreds of thousands of
    # them, and building model instances only to insert them cost more than the law itself.
    states_new: list[tuple[Any, ...]] = field(default_factory=list)
    states_changed: list[LegalState] = field(default_factory=list)
    duties_new: list[tuple[Any, ...]] = field(default_factory=list)
    duties_changed: list[Duty] = field(default_factory=list)
    alerts_new: list[Alert] = field(default_factory=list)
    alerts_changed: list[Alert] = field(default_factory=list)
    cases_child_changed: list[Case] = field(default_factory=list)
    errors: int = 0


@dataclass
class Evaluation:
    assessment: Assessment | None
    error: str
    digest: str
    duties: tuple[SourcedDuty, ...] = ()  # the duty sources' duties beside the obligations

    @property
    def law_version(self) -> str:
        return self.assessment.law.name if self.assessment is not None else ""

    def result(self) -> dict[str, Any]:
        return self.assessment.to_dict() if self.assessment is not None else {}


def evaluate(case: Case, on: date, team: Team,
             contributed: dict[str, Any] | None = None) -> Evaluation:
    """Assess a case and fingerprint the outcome, without touching the database.

    The fingerprint is the repr of the engine's immutable result (all but the date it was
    assessed on), of the duty sources' duties and of who owes each duty: a new team member
    can move a duty. The JSON form is made only for the cases whose fingerprint changed.
    """
    facts = law_facts(case, contributed)
    try:
        a = assess(facts, on)
    except LawError as error:
        return Evaluation(None, str(error), hashlib.sha256(str(error).encode()).hexdigest())
    extra = sourced_duties(facts, a, on) if DUTY_SOURCES else ()
    owners = tuple((o.code, owner_of(o.code, case, team)) for o in a.obligations + extra)
    result: tuple[Any, ...] = (a.law.name, a.child, a.child_basis, a.vulnerable, a.vulnerable_grounds,
                               a.entitlements, a.obligations, a.prohibitions, a.violations,
                               a.compensation, a.missing_facts, owners)
    if extra:  # a case no source owes anything keeps the digest it had before sources were
        result += (extra,)
    return Evaluation(a, "", hashlib.sha256(repr(result).encode()).hexdigest(), extra)


def apply_evaluation(
    case: Case,
    on: date,
    evaluation: Evaluation,
    *,
    state: LegalState | None,
    duties: list[Duty],
    alerts: list[Alert],
    team: Team,
    changes: Changes,
) -> None:
    """Work out, without writing, what the case's legal state, duties and alerts become."""
    if evaluation.error:
        changes.errors += 1
    result = evaluation.result()
    if state is None:
        changes.states_new.append((case.pk, on, evaluation.law_version, result, evaluation.digest,
                                   evaluation.error))
    else:
        state.assessed_on, state.law_version = on, evaluation.law_version
        state.assessment, state.digest, state.error = result, evaluation.digest, evaluation.error
        state.computed_at = timezone.now()  # bulk_update does not touch auto_now fields
        changes.states_changed.append(state)
    if evaluation.error:
        return  # keep duties and alerts as they were until the facts are corrected
    assessment = evaluation.assessment
    assert assessment is not None  # noqa: S101 - no error means an assessment
    if case.child != assessment.child:
        case.child = assessment.child
        changes.cases_child_changed.append(case)
    _plan_duties(case, on, assessment.obligations + evaluation.duties, duties, team, changes)
    _plan_alerts(case, on, assessment.violations, alerts, changes)


def _plan_duties(case: Case, on: date, obligations: tuple[Obligation | SourcedDuty, ...], duties: list[Duty],
                 team: Team, changes: Changes) -> None:
    existing = {(duty.code, duty.article): duty for duty in duties}
    owed = set()
    for obligation in obligations:
        code, article, due = obligation.code, str(obligation.article), obligation.due
        owed.add((code, article))
        institution_id = owner_of(code, case, team)
        duty = existing.get((code, article))
        if duty is None:
            changes.duties_new.append(
                (case.pk, code, article, institution_id, due, DutyStatus.OPEN.value, on))
            continue
        if duty.status == DutyStatus.DONE:
            continue  # done stays done (the issue: a completed duty stays completed)
        if (duty.status, duty.due_on, duty.institution_id) != (DutyStatus.OPEN, due, institution_id):
            duty.status, duty.due_on, duty.institution_id = DutyStatus.OPEN, due, institution_id
            changes.duties_changed.append(duty)
    for key, duty in existing.items():
        if key not in owed and duty.status == DutyStatus.OPEN:
            duty.status = DutyStatus.WITHDRAWN
            changes.duties_changed.append(duty)


# Notices to the case team beside the law's violations (a change of whether the person is a
# child, say): kept open until the team has seen to them, never resolved by a refresh.
CHILD_STATUS_CHANGED = "child_status_changed"
TEAM_NOTICES = {CHILD_STATUS_CHANGED: "35.1.5"}


def _plan_alerts(case: Case, on: date, violations: tuple[Violation, ...], alerts: list[Alert],
                 changes: Changes) -> None:
    existing = {(alert.code, alert.article): alert for alert in alerts
                if alert.code not in TEAM_NOTICES}
    shown = set()
    for violation in violations:
        key = (violation.code, str(violation.article))
        shown.add(key)
        alert = existing.get(key)
        if alert is None:
            changes.alerts_new.append(Alert(case_id=case.pk, code=key[0], article=key[1], raised_on=on))
        elif alert.resolved_on is not None:
            alert.resolved_on, alert.raised_on = None, on
            changes.alerts_changed.append(alert)
    for key, alert in existing.items():
        if key not in shown and alert.resolved_on is None:
            alert.resolved_on = on
            changes.alerts_changed.append(alert)


def _insert_many(model: type[Any], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """A plain insert of many rows for the sweep's hot path (COPY on PostgreSQL).

    The ORM's bulk_create prepares every value through every field and spent most of a
    first sweep doing so; these rows are built from values already in database form
    (dates adapted by the backend, JSON serialised once).
    """
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY moves rows in one stream, several times faster than row-by-row parameters.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join("%s" for _ in columns)
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)  # noqa: S608 - names from the model


def save_changes(changes: Changes, batch_size: int = 2000) -> None:
    day = connection.ops.adapt_datefield_value
    now = timezone.now()
    _insert_many(
        LegalState, ["case_id", "assessed_on", "law_version", "assessment", "digest", "error",
                     "computed_at"],
        [(case_id, day(on), version, json.dumps(result, separators=(",", ":")), digest, error,
          connection.ops.adapt_datetimefield_value(now))
         for case_id, on, version, result, digest, error in changes.states_new],
    )
    LegalState.objects.bulk_update(
        changes.states_changed,
        ["assessed_on", "law_version", "assessment", "digest", "error", "computed_at"],
        batch_size=batch_size,
    )
    _insert_many(
        Duty, ["case_id", "code", "article", "institution_id", "due_on", "status", "created_on"],
        [(case_id, code, article, institution_id, day(due), status, day(created))
         for case_id, code, article, institution_id, due, status, created in changes.duties_new],
    )
    Duty.objects.bulk_update(changes.duties_changed, ["status", "due_on", "institution"],
                             batch_size=batch_size)
    Alert.objects.bulk_create(changes.alerts_new, batch_size=batch_size)
    Alert.objects.bulk_update(changes.alerts_changed, ["raised_on", "resolved_on"],
                              batch_size=batch_size)
    Case.objects.bulk_update(changes.cases_child_changed, ["child"], batch_size=batch_size)


def case_team(case_id: int) -> Team:
    return list(CaseAssignment.objects.filter(case_id=case_id, ended_at__isnull=True)
                .order_by("id").values_list("capacity", "institution_id"))


def legal_state_refresh(*, case: Case, on: date) -> Changes:
    """Recompute one case now (call inside the transaction that changed its facts)."""
    changes = Changes()
    team = case_team(case.pk)
    evaluation = evaluate(case, on, team)
    state = LegalState.objects.filter(case=case).first()
    if state is not None and state.digest == evaluation.digest:
        return changes
    apply_evaluation(
        case, on, evaluation, state=state,
        duties=list(Duty.objects.filter(case=case)),
        alerts=list(Alert.objects.filter(case=case)),
        team=team, changes=changes,
    )
    save_changes(changes)
    return changes
