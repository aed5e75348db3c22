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
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nrm.audit.services import record
from nrm.authorities import access
from nrm.cases import decisions, services
from nrm.cases.fact_labels import FACT_LABELS
from nrm.cases.forms import (
    CaseRegisterForm,
    DecisionForm,
    DutyCompleteForm,
    RightsForm,
    add_service_error,
)
from nrm.cases.models import Case, Duty, DutyStatus, Stage
from nrm.cases.presenters import case_dict
from nrm.cases.selectors import case_get, case_scope, duty_scope, identity_of
from nrm.errors import ActingUnclear, CaseNotFound, NotAllowed, NotFound
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
    # The contract's plain words, translated where the catalogue has them.
    return _(codes.LABELS.get(code, code.replace("_", " ")))


def _item(entry: dict[str, Any], **dates: str | None) -> dict[str, Any]:
    return {"code": entry["code"], "label": label(entry["code"]),
            "provision": provision(str(entry["article"])), **dates}


def fact_lines(facts: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Facts as (label, value) lines: yes/no for booleans, lists joined, nested dicts flattened."""
    lines: list[tuple[str, str]] = []
    for key, value in facts.items():
        name = f"{prefix}{key}"
        label = str(FACT_LABELS.get(name, name))
        if isinstance(value, dict):
            lines += fact_lines(value, prefix=f"{name}.")
        elif isinstance(value, bool):
            lines.append((label, _("yes") if value else _("no")))
        elif isinstance(value, list):
            lines.append((label, ", ".join(str(v) for v in value)))
        else:
            lines.append((label, "—" if value is None else str(value)))
    return lines


def legal_lines(assessment: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The assessment's four lists, one line each, with dates and the article cited."""
    return {
        "entitlements": [_item(e, start=e.get("from"), end=e.get("until"))
                         for e in assessment.get("entitlements", [])],
        "obligations": [_item(o, due=o.get("due")) for o in assessment.get("obligations", [])],
        "prohibitions": [_item(p, end=p.get("until")) for p in assessment.get("prohibitions", [])],
        "violations": [_item(v) for v in assessment.get("violations", [])],
    }


# --- My duties --------------------------------------------------------------------------

def my_open_duties(user: Any) -> QuerySet[Duty]:
    """Open duties owed by my institutions on cases I may see (as GET /api/v1/duties)."""
    return (duty_scope(user=user).filter(status=DutyStatus.OPEN)
            .select_related("case", "institution").order_by("due_on", "case_id", "id"))


def duty_groups(duties: list[Duty], today: date) -> list[tuple[str, str, list[Duty]]]:
    """Most pressing first: late, owed at once (no date), due today, due later."""
    groups: dict[str, list[Duty]] = {"overdue": [], "immediately": [], "today": [], "later": []}
    for duty in duties:
        if duty.due_on is None:
            groups["immediately"].append(duty)
        elif duty.due_on < today:
            groups["overdue"].append(duty)
        elif duty.due_on == today:
            groups["today"].append(duty)
        else:
            groups["later"].append(duty)
    titles = {"overdue": _("Overdue"), "immediately": _("Owed immediately"),
              "today": _("Due today"), "later": _("Due later")}
    return [(key, titles[key], rows) for key, rows in groups.items()]


@guarded
def duty_list(request: HttpRequest) -> HttpResponse:
    duties = list(my_open_duties(request.user)[:1000])
    for duty in duties:
        duty.label = label(duty.code)  # type: ignore[attr-defined]
        duty.provision = provision(duty.article)  # type: ignore[attr-defined]
    return render(request, "cases/duties.html", {
        "groups": duty_groups(duties, timezone.localdate()),
        "count": len(duties),
        "form": DutyCompleteForm(),
    })


@guarded
@require_POST
def duty_complete(request: HttpRequest, duty_id: int) -> HttpResponse:
    form = DutyCompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("cases:duties")
    try:
        decisions.duty_complete(actor=request.user, duty_id=duty_id, note=form.cleaned_data["note"])
    except (CaseError, ActingUnclear, NotAllowed) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Duty completed."))
    return redirect("cases:duties")


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
        return render(request, "cases/new.html", {"refused": True}, status=403)
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
            rights_form: RightsForm | None = None, refusal: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    case = case_get(user=user, case_id=case_id, purpose="case view")
    shown = case_dict(case, user=user)
    may_change = access.cases(user, access.Action.CHANGE).filter(pk=case.pk).exists()
    history = list(case.decisions.select_related("institution", "decided_by"))
    for duty in shown["duties"]:
        duty["label"] = label(duty["code"])
        duty["provision"] = provision(duty["article"])
    for alert in shown["alerts"]:
        alert["label"] = label(alert["code"])
        alert["provision"] = provision(alert["article"])
    stages = _stages_after(case)
    missing = shown["rights_not_explained"]
    today = timezone.localdate()
    return render(request, "cases/detail.html", {
        "case": case,
        "shown": shown,
        "identity": shown["identity"],
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
    form = DutyCompleteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        decisions.duty_complete(actor=request.user, duty_id=duty_id, note=note)
    except CaseError as error:
        messages.error(request, error.message)
    except NotFound:
        messages.error(request, str(CANNOT_CHANGE))
    except (ActingUnclear, NotAllowed) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Duty completed."))
    return redirect("cases:detail", case_id=case.pk)
