"""What a case looks like to the official reading it: only what the policy shows them."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nrm.cases.decisions import rights_not_explained
from nrm.cases.legal import assessment_of, guarded_facts, law_facts, sourced_duties
from nrm.cases.models import Case, Duty, DutyStatus
from nrm.cases.selectors import identity_of
from nrm.errors import NotAllowed
from nrm.law import LawError, assess, text
from nrm.law.assessment import Assessment
from nrm.law.dependencies import codes_reading

# The law's text in the page's language wherever an official translation is loaded
# (nrm.law.text); English until then.
text.follow_language(translation.get_language)


def assessment_dict(case: Case, on: date | None, *, identity_visible: bool = True,
                    hidden: list[str] | None = None) -> dict[str, Any]:
    """The legal state as the reader may see it: what it owes to the `hidden` facts' records
    (facts_not_shown) withheld, `_record_derived`.

    An official who may see the person's identity may assess the case on any date. One who
    may not (a child's case, a pseudonymous role) sees only the stored state, assessed by
    the system today, with every date the law derives from the birth date withheld and any
    error named by its field alone: otherwise dates, flags or messages would rebuild the
    birth date they may not see, by one request or by many (Art. 18, 35.1.5).
    """
    hidden = hidden or []
    if not identity_visible:
        if on is not None:
            raise NotAllowed(_("only officials who may see the person's identity may assess the "
                               "case on another date"), field="on")
        return _record_derived(_pseudonymous(case), hidden)
    if on is None and hasattr(case, "legal_state"):
        return _record_derived(case.legal_state.assessment or {"error": case.legal_state.error},
                               hidden)
    try:
        return _record_derived(assessment_of(case, on or timezone.localdate()).to_dict(), hidden)
    except LawError as error:
        return {"error": str(error), "field": error.field}


RECORD_DERIVED = "items that depend on records you may not see"


def facts_not_shown(user: Any, case: Case) -> list[str]:
    """The case facts, of those an app guards (a proceeding, an interview, a claim), whose
    records on `case` the policy does not show `user`."""
    from django.db.models import BooleanField, ExpressionWrapper

    from nrm.authorities import access

    guarded = guarded_facts()
    if not guarded:
        return []
    shown = Case.objects.filter(pk=case.pk).values(**{  # one query, whatever the facts
        fact: ExpressionWrapper(access.case_condition(user, access.Action.VIEW, access.Kind(kind)),
                                output_field=BooleanField())
        for fact, kind in guarded.items()}).first() or {}
    return sorted(fact for fact in guarded if not shown.get(fact))


def record_derived_codes(hidden: list[str]) -> frozenset[str]:
    return frozenset().union(*(codes_reading(fact) for fact in hidden))


def _record_derived(assessment: dict[str, Any], hidden: list[str]) -> dict[str, Any]:
    """`assessment` without what it owes to the records of the `hidden` facts: every item a
    rule reading one of them may decide, whether decided this time or not (its absence
    would tell as much), the compensation proposal, and the facts it finds missing there.
    Otherwise a duty that comes with a proceeding, or a prohibition that comes with a
    child's second interview, would tell one who may see neither that it exists."""
    if not hidden or not assessment or "error" in assessment:
        return assessment
    codes = record_derived_codes(hidden)
    shown = dict(assessment)
    for name in WITHHELD_LISTS:
        shown[name] = [item for item in assessment.get(name) or [] if item["code"] not in codes]
    if "compensation" in hidden:
        shown["compensation"] = None
    prefixes = tuple(f"case.{fact}" for fact in hidden)
    shown["missing_facts"] = [name for name in assessment.get("missing_facts") or []
                              if not name.startswith(prefixes)]
    if "missing_facts_in_words" in assessment:
        shown["missing_facts_in_words"] = [item for item in assessment["missing_facts_in_words"]
                                           if not item["fact"].startswith(prefixes)]
    shown["withheld"] = [*(assessment.get("withheld") or []), RECORD_DERIVED]
    return shown


WITHHELD_LISTS = ("entitlements", "obligations", "prohibitions", "violations")
# Birth dates tried beside the recorded one: a day either side finds dates computed from it,
# and years either side find what depends on an age band (16 for vocational training, 24).
SHIFTS_DAYS = (-1, 1, -183, 183, -365, 365, -730, 730, -1095, 1095, -1825, 1825)
PRESENCE = "present"


def _items(assessment: dict[str, Any], name: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(str(item["code"]), str(item.get("article", ""))): item
            for item in assessment.get(name) or []}


def birth_derived(case: Case, on: date) -> set[tuple[str, str, str]]:
    """(list, "code@article", key) of what in the assessment moves with the birth date;
    key "present" when the item itself comes and goes.

    Found by assessing the same facts with other birth dates that leave the person as much
    a child as they are (whether the person is a child is shown): whatever changes is
    derived from the birth date, whichever rule derived it, so a new rule needs no list
    kept here.
    """
    facts = law_facts(case)
    born = facts["person"].get("birth_date")
    if not born:
        return set()
    try:
        base = _with_sourced(facts, assess(facts, on), on)
    except LawError:
        return set()
    derived: set[tuple[str, str, str]] = set()
    for days in SHIFTS_DAYS:
        shifted = {**facts, "person": {**facts["person"], "birth_date": (
            date.fromisoformat(born) + timedelta(days=days)).isoformat()}}
        try:
            other = _with_sourced(shifted, assess(shifted, on), on)
        except (LawError, OverflowError, ValueError):
            continue
        if other.get("child") != base.get("child"):
            continue
        for name in WITHHELD_LISTS:
            mine, theirs = _items(base, name), _items(other, name)
            for key in set(mine) ^ set(theirs):
                derived.add((name, "@".join(key), PRESENCE))
            for key in set(mine) & set(theirs):
                derived.update((name, "@".join(key), field) for field, value in mine[key].items()
                               if field not in ("code", "article") and theirs[key].get(field) != value)
    return derived


def _with_sourced(facts: dict[str, Any], assessment: Assessment, on: date) -> dict[str, Any]:
    """The assessment as a dict, its obligations joined by the duties the apps' sources
    derive from it (a stay's end, say): a source's due date moves with the birth date as
    the law's do, so it is compared, and withheld, the same way."""
    found = assessment.to_dict()
    found["obligations"] = [*(found.get("obligations") or []), *(
        {"code": d.code, "article": d.article, "due": d.due.isoformat() if d.due else None}
        for d in sourced_duties(facts, assessment, on))]
    return found


def _pseudonymous(case: Case) -> dict[str, Any]:
    state = getattr(case, "legal_state", None)
    if state is None:
        return {}
    if state.error or not state.assessment:
        field = (state.error or "").partition(":")[0]
        return {"error": _("the recorded facts cannot be assessed; an official who may see the "
                           "person's identity must correct them"), "field": field}
    assessment = copy.deepcopy(state.assessment)
    derived = birth_derived(case, state.assessed_on)
    withheld: list[str] = []
    for name in WITHHELD_LISTS:
        kept = []
        for item in assessment.get(name) or []:
            key = f"{item['code']}@{item.get('article', '')}"
            if (name, key, PRESENCE) in derived:
                continue  # whether it is owed at all depends on the age: not shown
            for field in list(item):
                if (name, key, field) in derived:
                    item[field] = None
                    withheld.append(f"{name}.{item['code']}.{field}")
            kept.append(item)
        assessment[name] = kept
    if any(key == PRESENCE for _, _, key in derived):
        withheld.append("items that depend on the age")
    assessment["withheld"] = withheld
    return assessment


def reasons_of(assessment: Assessment) -> list[dict[str, str]]:
    """Why each item has its date, or which fact caused each violation, in the page's
    language: one {code, article, text} per item that has a reason (``nrm law explain``
    gives the same in English)."""
    return [{"code": item.code, "article": str(item.article),
             "text": item.reason.words(item.dates(), translate=_)}
            for item in assessment.items() if item.reason is not None]


def assessment_reasons(case: Case, on: date | None) -> list[dict[str, str]]:
    """The reasons of the assessment shown: of `on`, else of the stored legal state's day."""
    if on is None:
        state = getattr(case, "legal_state", None)
        on = state.assessed_on if state is not None else timezone.localdate()
    try:
        return reasons_of(assessment_of(case, on))
    except LawError:
        return []


def case_dict(case: Case, *, user: Any, on: date | None = None,
              identity_visible: bool | None = None) -> dict[str, Any]:
    """The case as `user` may see it. `identity_visible`, when given, may only narrow what
    the policy shows: a response to a write never shows more than the reader saw before."""
    person = case.person
    identity = identity_of(user=user, case=case)
    if identity_visible is False:
        identity = None
    if identity and identity.get("birth_date"):
        identity["birth_date"] = identity["birth_date"].isoformat()
    visible = identity is not None
    withheld = (set() if visible else
                {code.partition("@")[0] for name, code, key in birth_derived(case, timezone.localdate())
                 if name == "obligations" and key in ("due", PRESENCE)})
    hidden = facts_not_shown(user, case)
    not_shown = record_derived_codes(hidden)
    return {
        "id": case.pk,
        "reference": case.reference,
        "stage": case.stage,
        "version": case.version,
        "child": case.child,
        "registered_by": case.registered_by.code,
        "merged_into": case.merged_into_id,
        "person": {"sex": person.sex, "citizenship": person.citizenship or None, **person.facts},
        "identity": identity,
        # Where the person was identified is a quasi-identifier: it goes where the identity
        # goes (Art. 18). The age band (case.age_group) is never shown: it derives from the
        # birth date (the derivation rule) and exists for the statistics' GROUP BY only.
        "region": (case.region or None) if visible else None,
        "case": case.facts,
        "assessment": assessment_dict(case, on, identity_visible=visible, hidden=hidden),
        "duties": [duty_dict(d, withhold_due=d.code in withheld)
                   for d in case.duties.select_related("institution").order_by("due_on", "code")
                   if d.code not in not_shown],
        "alerts": [{"code": a.code, "article": a.article, "raised_on": a.raised_on.isoformat()}
                   for a in case.alerts.filter(resolved_on__isnull=True) if a.code not in not_shown],
        "rights_not_explained": rights_not_explained(case),
        # Reasons name dates and facts: only for a reader who may see the person.
        "reasons": [r for r in assessment_reasons(case, on) if r["code"] not in not_shown]
                   if visible else [],
    }


def due_withheld(user: Any, duties: list[Duty], today: date) -> set[int]:
    """The ids of those `duties` whose due date `user` may not see: on a case whose identity
    the policy does not show them, a date that moves with the birth date (the law's, or a
    source's such as a stay's end) would rebuild it (the derivation rule). Every list of
    duties, on a page or in the API, withholds these the same way."""
    from nrm.authorities import access

    by_case: dict[int, Case] = {}
    for duty in duties:
        by_case.setdefault(duty.case_id, duty.case)
    shown = set(access.identities(user, access.Action.VIEW).filter(pk__in=list(by_case))
                .values_list("pk", flat=True))  # one query, however many cases
    hidden: dict[int, set[str]] = {}
    for case_id, case in by_case.items():
        if case_id in shown or not getattr(getattr(case, "person", None), "birth_date", None):
            continue  # seen, or no birth date for a date to move with
        hidden[case_id] = {code.partition("@")[0] for name, code, _key in birth_derived(case, today)
                           if name == "obligations"}
    return {duty.pk for duty in duties if duty.code in hidden.get(duty.case_id, ())}


def duty_dict(duty: Duty, today: date | None = None, *, withhold_due: bool = False) -> dict[str, Any]:
    overdue = bool(today and duty.status == DutyStatus.OPEN and duty.due_on and duty.due_on < today)
    if withhold_due:
        return {**duty_dict(duty, today), "due_on": None, "overdue": None, "due_withheld": True}
    return {
        "id": duty.pk,
        "case_id": duty.case_id,
        "code": duty.code,
        "article": duty.article,
        "institution": duty.institution.code,
        "due_on": duty.due_on.isoformat() if duty.due_on else None,
        "status": duty.status,
        "overdue": overdue,
        "due_withheld": False,
    }
