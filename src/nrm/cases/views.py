"""Pages: my institutions' duties, the cases I may see, registering a case, and one case
with its legal state and the decisions taken on it.

Views parse, call a selector or service, and render or redirect. Every read starts from
the access policy (nrm.authorities.access, nrm.cases.selectors); every rule is the
services'. A case the user may not see answers 404, exactly as a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nrm.audit.services import record
from nrm.authorities import access
from nrm.cases import decisions, services
from nrm.cases.fact_labels import FACT_LABELS
from nrm.cases.forms import (
    EXPLOITATION_CHOICES,
    LOCATED_CHOICES,
    PARENTAL_CARE_CHOICES,
    STAY_CHOICES,
    CaseRegisterForm,
    DecisionForm,
    DutyCompleteForm,
    FactsForm,
    RightsForm,
    add_service_error,
)
from nrm.cases.legal import PROVIDERS
from nrm.cases.models import Case, Duty, DutyStatus, Region, Sex, Stage
from nrm.cases.presenters import case_dict, due_withheld
from nrm.cases.selectors import case_get, case_scope, duty_scope, identity_of
from nrm.errors import ActingUnclear, CaseNotFound, NotAllowed, NotFound, StaleVersion
from nrm.errors import Invalid as CaseError
from nrm.law import codes
from nrm.law.text import article_text, article_title
from nrm.web.guard import guarded

PAGE_SIZE = 50


# --- The law's words -------------------------------------------------------------------

@dataclass(frozen=True)
class Provision:
    """An article cited by the assessment, with its text for the reader."""

    citation: str
    title: str
    text: str


def provision(citation: str) -> Provision:
    try:
        return Provision(citation, article_title(citation), article_text(citation))
    except KeyError:
        return Provision(citation, "", "")


def label(code: str) -> str:
    # The contract's plain words, or those of the app whose duty source owns the code
    # (nrm.cases.legal.duty_source_register), translated where the catalogue has them.
    from nrm.cases.legal import duty_label

    words = codes.LABELS.get(code) or duty_label(code) or code.replace("_", " ")
    return _(str(words))


def _item(entry: dict[str, Any], **dates: str | None) -> dict[str, Any]:
    return {"code": entry["code"], "label": label(entry["code"]),
            "provision": provision(str(entry["article"])), **dates}


# A fact's coded values in the page's words (the same labels as the forms' choices).
VALUE_LABELS: dict[str, dict[str, Any]] = {
    "exploitation": dict(EXPLOITATION_CHOICES),
    "stay": dict(STAY_CHOICES),
    "located": dict(LOCATED_CHOICES),
    "sex": dict(Sex.choices),
}
DATED_FACTS = frozenset({"birth_date", "reasonable_grounds_on", "identified_on",
                         "deportation_ordered_on", "reflection.start", "proceedings.concluded_on",
                         "accommodation.admitted_on", "accommodation.left_on"})


def day(value: Any) -> str:
    """A date in the page's one format (the locale's short date), whatever it came as."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return date_format(value, "SHORT_DATE_FORMAT")


def fact_value(name: str, value: Any) -> str:
    labels = VALUE_LABELS.get(name, {})
    if name == "parental_care" and isinstance(value, bool):
        return str(dict(PARENTAL_CARE_CHOICES)["yes" if value else "no"])
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(labels.get(v, v)) for v in value)
    if value is None:
        return "—"
    if name in DATED_FACTS:
        return day(value)
    return str(labels.get(value, value))


def fact_lines(facts: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Facts as (label, value) lines, in the page's words: yes/no for booleans, coded values
    by their labels, dates in the locale's format, nested dicts flattened."""
    lines: list[tuple[str, str]] = []
    for key, value in facts.items():
        name = f"{prefix}{key}"
        label = str(FACT_LABELS.get(name, name))
        if isinstance(value, dict):
            lines += fact_lines(value, prefix=f"{name}.")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append((label, str(len(value))))
        else:
            lines.append((label, fact_value(name, value)))
    return lines


def institution_names(codes_: set[str]) -> dict[str, str]:
    """Institutions by code, named in the page's language."""
    from nrm.authorities.models import Institution

    language = get_language() or "en"
    return {i.code: i.localised_name(language) for i in Institution.objects.filter(code__in=codes_)}


def legal_lines(assessment: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The assessment's four lists, one line each, with dates and the article cited."""
    return {
        "entitlements": [_item(e, start=day(e.get("from")), end=day(e.get("until")))
                         for e in assessment.get("entitlements", [])],
        "obligations": [_item(o, due=day(o.get("due"))) for o in assessment.get("obligations", [])],
        "prohibitions": [_item(p, end=day(p.get("until"))) for p in assessment.get("prohibitions", [])],
        "violations": [_item(v) for v in assessment.get("violations", [])],
    }


# --- My duties --------------------------------------------------------------------------

def my_open_duties(user: Any) -> QuerySet[Duty]:
    """Open duties owed by my institutions on cases I may see (as GET /api/v1/duties)."""
    return (duty_scope(user=user).filter(status=DutyStatus.OPEN)
            .select_related("case__person", "institution").order_by("due_on", "case_id", "id"))


def duty_groups(duties: list[Duty], today: date,
                withheld: set[int] | None = None) -> list[tuple[str, str, list[Duty]]]:
    """Most pressing first: late, owed at once (no date), due today, due later; last, in the
    order of their cases, the duties whose due date the reader may not see (`withheld`): a
    group or a place in the order by date would tell the date as well as the date does."""
    groups: dict[str, list[Duty]] = {"overdue": [], "immediately": [], "today": [], "later": [],
                                     "withheld": []}
    for duty in duties:
        if duty.pk in (withheld or ()):
            groups["withheld"].append(duty)
        elif duty.due_on is None:
            groups["immediately"].append(duty)
        elif duty.due_on < today:
            groups["overdue"].append(duty)
        elif duty.due_on == today:
            groups["today"].append(duty)
        else:
            groups["later"].append(duty)
    groups["withheld"].sort(key=lambda duty: (duty.case_id, duty.code, duty.pk))
    titles = {"overdue": _("Overdue"), "immediately": _("Owed immediately"),
              "today": _("Due today"), "later": _("Due later"),
              "withheld": _("Due date not shown to you")}
    return [(key, titles[key], rows) for key, rows in groups.items()
            if rows or key != "withheld"]


def _duty_page(request: HttpRequest, *, failed: dict[str, Any] | None = None,
               status: int = 200) -> HttpResponse:
    duties = list(my_open_duties(request.user)[:1000])
    today = timezone.localdate()
    withheld = due_withheld(request.user, duties, today)
    for duty in duties:
        duty.due_withheld = duty.pk in withheld  # type: ignore[attr-defined]
        duty.label = label(duty.code)  # type: ignore[attr-defined]
        duty.provision = provision(duty.article)  # type: ignore[attr-defined]
        duty.institution_name = duty.institution.localised_name(get_language() or "en")  # type: ignore[attr-defined]
    return render(request, "cases/duties.html", {
        "groups": duty_groups(duties, today, withheld),
        "count": len(duties),
        "form": DutyCompleteForm(),
        "failed": failed or {},
    }, status=status)


@guarded
def duty_list(request: HttpRequest) -> HttpResponse:
    return _duty_page(request)


def _complete(request: HttpRequest, duty_id: int) -> dict[str, Any] | None:
    """Complete the duty as posted; what failed, with the note typed, or None when done.

    A note over the limit refuses the completion (it is never dropped while the duty is
    marked done): the error sits next to the note, and the note is kept."""
    form = DutyCompleteForm(request.POST)
    typed = request.POST.get("note", "")
    if not form.is_valid():
        return {"id": duty_id, "note": typed, "field": "note",
                "message": " ".join(e for errors in form.errors.values() for e in errors)}
    try:
        decisions.duty_complete(actor=request.user, duty_id=duty_id, note=form.cleaned_data["note"])
    except CaseError as error:
        return {"id": duty_id, "note": typed, "field": error.field, "message": error.message,
                "status": 400}
    except (ActingUnclear, NotAllowed) as error:
        return {"id": duty_id, "note": typed, "field": "", "message": error.message,
                "status": 409 if isinstance(error, ActingUnclear) else 403}
    messages.success(request, _("Duty completed."))
    return None


@guarded
@require_POST
def duty_complete(request: HttpRequest, duty_id: int) -> HttpResponse:
    failed = _complete(request, duty_id)
    if failed is None:
        return redirect("cases:duties")
    return _duty_page(request, failed=failed, status=failed.get("status", 400))


# --- Cases ------------------------------------------------------------------------------

@guarded
def case_list(request: HttpRequest) -> HttpResponse:
    queryset = case_scope(user=request.user).order_by("-id")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if rows:
        record(actor=request.user, action="read", record_type="cases.case", records=rows,
               fields=["reference", "stage", "given_name", "family_name"], purpose="case list")
    for case in rows:
        identity = identity_of(user=request.user, case=case)
        case.name = (  # type: ignore[attr-defined]
            " ".join(filter(None, [identity.get("given_name"), identity.get("family_name")]))
            if identity else None)
    return render(request, "cases/list.html", {"page": page, "rows": rows})


def _may_register(user: Any) -> Any:
    """The institution the official registers cases for, as the access layer answers it;
    with several that could, the official chooses in the header (ActingUnclear)."""
    from nrm.authorities.models import Institution

    try:
        acting = access.acting(user, roles=access.REGISTERING_ROLES)
    except NotAllowed:
        return None
    return Institution.objects.get(pk=acting.institution_id)


@guarded
def case_new(request: HttpRequest) -> HttpResponse:
    institution = _may_register(request.user)
    if institution is None:
        raise PermissionDenied(_("Your role may not register cases."))
    form = CaseRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_register(actor=request.user, institution=institution,
                                          **form.service_arguments())
        except NotAllowed as error:
            add_service_error(form, error.field, error.message)
        except CaseError as error:
            add_service_error(form, error.field, error.message)
        else:
            messages.success(request, _("Case %(reference)s registered.") % {"reference": case.reference})
            return redirect("cases:detail", case_id=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/new.html", {"form": form, "institution": institution}, status=status)


def _stages_after(case: Case) -> list[str]:
    if case.stage == Stage.CLOSED:
        return ["reopen"]
    order = [s for s in Stage.values if s in decisions.TRANSITIONS[case.stage]]
    return order


def _detail(request: HttpRequest, case_id: int, *, decision_form: DecisionForm | None = None,
            rights_form: RightsForm | None = None, refusal: str = "", status: int = 200,
            failed: dict[str, Any] | None = None) -> HttpResponse:
    user = request.user
    case = case_get(user=user, case_id=case_id, purpose="case view")
    shown = case_dict(case, user=user)
    may_change = access.cases(user, access.Action.CHANGE).filter(pk=case.pk).exists()
    history = list(case.decisions.select_related("institution", "decided_by"))
    language = get_language() or "en"
    for decision in history:
        decision.institution_name = decision.institution.localised_name(language)  # type: ignore[attr-defined]
    names = institution_names({d["institution"] for d in shown["duties"]})
    for duty in shown["duties"]:
        duty["label"] = label(duty["code"])
        duty["provision"] = provision(duty["article"])
        duty["institution_name"] = names.get(duty["institution"], duty["institution"])
        duty["due"] = day(duty["due_on"])
    for alert in shown["alerts"]:
        alert["raised"] = day(alert.get("raised_on"))
        alert["label"] = label(alert["code"])
        alert["provision"] = provision(alert["article"])
    stages = _stages_after(case)
    missing = shown["rights_not_explained"]
    today = timezone.localdate()
    return render(request, "cases/detail.html", {
        "case": case,
        "shown": shown,
        "identity": shown["identity"],
        "birth_date_shown": day((shown["identity"] or {}).get("birth_date")),
        "region_shown": dict(Region.choices).get(shown["region"] or "", ""),
        "person_facts": fact_lines(shown["person"]),
        "case_facts": fact_lines(shown["case"]),
        "legal": legal_lines(shown["assessment"]),
        "assessment_error": shown["assessment"].get("error"),
        "history": history,
        "may_change": may_change,
        "stages": stages,
        "decision_form": decision_form or DecisionForm(stages=stages, initial={"decided_on": today}),
        "rights_form": rights_form or RightsForm(missing=missing, initial={
            "explained_on": today, "child_appropriate": case.child}),
        "missing_rights": missing,
        "refusal": refusal,
        "failed": failed or {},
    }, status=status)


@guarded
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return _detail(request, case_id)


def _visible(request: HttpRequest, case_id: int) -> Case:
    """The case if the user may see it (404 otherwise); not audited: the page reads it next."""
    return case_get(user=request.user, case_id=case_id, audit=False)


CANNOT_CHANGE = gettext_lazy("You may see this case but your role may not change it.")


@guarded
@require_POST
def case_decide(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _visible(request, case_id)
    form = DecisionForm(request.POST, stages=_stages_after(case))
    if form.is_valid():
        try:
            decisions.case_decide(actor=request.user, case_id=case.pk, **form.cleaned_data)
        except CaseError as error:
            add_service_error(form, error.field, error.message)
        except ActingUnclear as error:
            return _detail(request, case.pk, decision_form=form, refusal=error.message, status=409)
        except CaseNotFound:
            return _detail(request, case.pk, decision_form=form, refusal=str(CANNOT_CHANGE), status=403)
        except NotAllowed as error:
            return _detail(request, case.pk, decision_form=form, refusal=error.message, status=403)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("cases:detail", case_id=case.pk)
    return _detail(request, case.pk, decision_form=form, status=400)


@guarded
@require_POST
def rights_record(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _visible(request, case_id)
    form = RightsForm(request.POST, missing=decisions.rights_not_explained(case))
    if form.is_valid():
        try:
            decisions.rights_explained_record(actor=request.user, case_id=case.pk, **form.cleaned_data)
        except CaseError as error:
            add_service_error(form, error.field, error.message)
        except CaseNotFound:
            return _detail(request, case.pk, rights_form=form, refusal=str(CANNOT_CHANGE), status=403)
        except (ActingUnclear, NotAllowed) as error:
            return _detail(request, case.pk, rights_form=form, refusal=error.message, status=403)
        else:
            messages.success(request, _("Rights explained recorded."))
            return redirect("cases:detail", case_id=case.pk)
    return _detail(request, case.pk, rights_form=form, status=400)


@guarded
@require_POST
def case_duty_complete(request: HttpRequest, case_id: int, duty_id: int) -> HttpResponse:
    """Complete a duty from the case page and come back to it."""
    case = _visible(request, case_id)
    try:
        failed = _complete(request, duty_id)
    except NotFound:
        # The case is visible to the official (it was read above): say why, not "not found".
        failed = {"id": duty_id, "note": request.POST.get("note", ""), "field": "",
                  "message": str(CANNOT_CHANGE), "status": 403}
    if failed is None:
        return redirect("cases:detail", case_id=case.pk)
    return _detail(request, case.pk, failed=failed, status=failed.get("status", 400))


# --- The facts --------------------------------------------------------------------------

def _facts_form(request: HttpRequest, case: Case, data: Any = None) -> tuple[FactsForm, dict[str, Any]]:
    shown = case_dict(case, user=request.user)
    identity = shown["identity"]
    current = {"person": dict(shown["person"]), "case": dict(shown["case"])}
    if identity is not None:
        current["person"]["birth_date"] = identity.get("birth_date")
    owned = {fact for provider in PROVIDERS.values() for fact in provider.facts}
    form = FactsForm(data, current=current, owned=owned, birth_date_shown=identity is not None,
                     region=shown["region"], initial={"version": case.version})
    return form, shown


def _stored_now(form: FactsForm) -> dict[str, str]:
    """After a stale save: each fact where what was typed differs from what is stored now,
    with the stored value in the page's words, so the official sees what changed."""
    notes: dict[str, str] = {}
    for name, field in form.fields.items():
        if name == "version":
            continue
        typed, stored = form[name].value(), form.get_initial_for_field(field, name)
        as_list = isinstance(stored, list) or isinstance(typed, list)
        if as_list:
            typed, stored = sorted(typed or []), sorted(stored or [])
        elif str(typed or "") == str(stored or ""):
            continue
        if typed == stored:
            continue
        labels = dict(getattr(field, "choices", []))
        shown = ([str(labels.get(v, v)) for v in stored] if as_list
                 else str(labels.get(stored or "", stored or "")))
        notes[name] = ", ".join(shown) if as_list else shown
    return notes


def _facts_page(request: HttpRequest, case: Case, form: FactsForm, *, refusal: str = "",
                stale: bool = False, status: int = 200) -> HttpResponse:
    notes = _stored_now(form) if stale else {}
    for name in notes:
        form[name].stored_now = notes[name] or "—"  # type: ignore[attr-defined]
    fields = {name: form[name] for name in form.fields if name != "version"}
    person = [fields[n] for n, d, _k in form.specs if d.startswith("person.")]
    facts = [fields[n] for n, d, _k in form.specs if d.startswith("case.")]
    if "region" in fields:
        facts.append(fields["region"])
    return render(request, "cases/facts.html", {
        "case": case, "form": form, "person_fields": person, "case_fields": facts,
        "refusal": refusal, "stale": stale,
    }, status=status)


@guarded
def case_facts(request: HttpRequest, case_id: int) -> HttpResponse:
    """The facts the law reads, changed by the case team, with the page's If-Match: the
    version read travels in the form, and a stale save is refused with the input kept."""
    if request.method != "POST":
        case = case_get(user=request.user, case_id=case_id, purpose="facts form")
        if not access.cases(request.user, access.Action.CHANGE).filter(pk=case.pk).exists():
            raise PermissionDenied(str(CANNOT_CHANGE))
        return _facts_page(request, case, _facts_form(request, case)[0])
    case = case_get(user=request.user, case_id=case_id, purpose="facts form")
    form, _shown = _facts_form(request, case, request.POST)
    if not form.is_valid():
        return _facts_page(request, case, form, status=400)
    patch = form.patch()
    if not patch["person"] and not patch["case"] and "region" not in patch:
        messages.info(request, _("Nothing was changed."))
        return redirect("cases:detail", case_id=case.pk)
    try:
        services.case_update(actor=request.user, case_id=case.pk,
                             expected_version=form.cleaned_data["version"],
                             person=patch["person"], case=patch["case"],
                             region=patch.get("region"), purpose="facts form")
    except StaleVersion as error:
        # Someone saved the case since this page was read: nothing is stored, what was typed
        # stays on the page, and the next save is checked against the version now stored.
        data = request.POST.copy()
        data["version"] = str(error.current)
        fresh = case_get(user=request.user, case_id=case.pk, audit=False)
        kept, _shown = _facts_form(request, fresh, data)
        return _facts_page(request, fresh, kept, stale=True, status=412)
    except CaseError as error:
        add_service_error(form, error.field, error.message)
        return _facts_page(request, case, form, status=400)
    except CaseNotFound:
        return _facts_page(request, case, form, refusal=str(CANNOT_CHANGE), status=403)
    except NotAllowed as error:
        add_service_error(form, error.field, error.message)
        return _facts_page(request, case, form, refusal=error.message, status=403)
    messages.success(request, _("Facts saved; the legal state follows them."))
    return redirect("cases:detail", case_id=case.pk)
