"""Pages: the foreigners officer's page (reflection periods ending soon, the removal check)
and a case's foreigners and return records. Views parse, call, render: the rules and the
access checks are the services' and selectors'. A refused form is shown again with its
input, the refusal next to the field it names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nrm.audit.services import record
from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.errors import Conflict, Invalid, PreconditionFailed, TooManyRequests
from nrm.returns import forms as f
from nrm.returns import removal, selectors, services
from nrm.web.guard import guarded

CASE_FORMS: dict[str, tuple[type[forms.Form], Callable[..., Any]]] = {
    "reflection": (f.ReflectionForm, lambda user, case_id, d: services.reflection_grant(
        actor=user, case_id=case_id, start=d["start"], days=d["days"], granted_by=d["granted_by"],
        extends_id=d["extends"])),
    "removal_order": (f.RemovalOrderForm, lambda user, case_id, d: services.removal_order_record(
        actor=user, case_id=case_id, **d)),
    "informed": (f.InformedForm, lambda user, case_id, d: services.residence_informed(
        actor=user, case_id=case_id, **d)),
    "permit": (f.PermitForm, lambda user, case_id, d: services.permit_issue(
        actor=user, case_id=case_id, **d)),
    "support": (f.SupportForm, lambda user, case_id, d: services.living_support_record(
        actor=user, case_id=case_id, **d)),
    "return": (f.ReturnForm, lambda user, case_id, d: services.return_plan(
        actor=user, case_id=case_id, **d)),
    "consular": (f.ConsularForm, lambda user, case_id, d: services.consular_open(
        actor=user, case_id=case_id, **d)),
    "cooperation": (f.CooperationForm, lambda user, case_id, d: services.cooperation_record(
        actor=user, case_id=case_id, **d)),
}
SUCCESS = {  # what the official is told once the form is stored
    "reflection": lambda: _("Reflection period recorded."),
    "removal_order": lambda: _("Removal order recorded."),
    "informed": lambda: _("Recorded that the person was told their options."),
    "permit": lambda: _("Residence permit recorded."),
    "support": lambda: _("Living support recorded."),
    "return": lambda: _("Return planned."),
    "consular": lambda: _("Consular assistance recorded."),
    "cooperation": lambda: _("Cooperation request recorded."),
}


def _refuse(form: forms.Form, error: Invalid | Conflict | PreconditionFailed | TooManyRequests) -> None:
    """The service's refusal next to the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _tri(plan: dict[str, Any]) -> dict[str, Any]:
    """A plan's checks as the checks form shows them (yes / no / not known)."""
    shown = {k: plan[k] for k in f.ReturnChecksForm.base_fields if k in plan and k != "risk_assessment"}
    found = plan["risk_found"]
    shown["risk_found"] = "" if found is None else ("yes" if found else "no")
    return shown


def _case_context(request: HttpRequest, case_id: int, bound: dict[str, forms.Form] | None = None,
                  plan_forms: dict[int, forms.Form] | None = None,
                  consular_forms: dict[int, forms.Form] | None = None,
                  check_forms: dict[int, forms.Form] | None = None,
                  answer_forms: dict[int, forms.Form] | None = None) -> dict[str, Any]:
    view = selectors.case_returns(user=request.user, case_id=case_id)
    bound = bound or {}
    # Each form's fields get ids of their own: one page holds many forms (labels must point
    # at their own field).
    plans = [{"plan": plan, "form": (plan_forms or {}).get(plan["id"]) or f.CarryOutForm(
        initial={"version": plan["version"]}, auto_id=f"id_return{plan['id']}_%s"),
        "checks": (check_forms or {}).get(plan["id"]) or f.ReturnChecksForm(
            initial={**_tri(plan), "version": plan["version"]}, auto_id=f"id_checks{plan['id']}_%s")}
        for plan in view.records["returns"]]
    cooperation = [{"request": row, "form": (answer_forms or {}).get(row["id"]) or
                    f.CooperationAnswerForm(auto_id=f"id_answer{row['id']}_%s")}
                   for row in view.records["cooperation"]]
    consular = [{"help": row, "form": (consular_forms or {}).get(row["id"]) or f.ConsularUpdateForm(
        initial={"version": row["version"], **{k: row[k] for k in (
            "travel_document_issued_on", "repatriated_on", "handed_over_to")}},
        auto_id=f"id_consular{row['id']}_%s")}
        for row in view.records["consular"]]
    return {"case": view.case, "view": view, "records": view.records, "plans": plans,
            "consular_rows": consular, "cooperation_rows": cooperation,
            "forms": {name: bound.get(name) or cls(auto_id=f"id_{name}_%s")
                      for name, (cls, _call) in CASE_FORMS.items()}}


@guarded
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return render(request, "returns/case.html", _case_context(request, case_id))


@guarded
@require_POST
def case_post(request: HttpRequest, case_id: int, form_name: str) -> HttpResponse:
    if form_name not in CASE_FORMS:
        raise PermissionDenied(_("No such form."))
    cls, call = CASE_FORMS[form_name]
    form = cls(request.POST, auto_id=f"id_{form_name}_%s")
    if form.is_valid():
        data = form.service_data() if isinstance(form, f.ReturnForm) else form.cleaned_data
        try:
            call(request.user, case_id, data)
        except (Invalid, Conflict) as error:
            _refuse(form, error)
        else:
            messages.success(request, SUCCESS[form_name]())
            return redirect("returns:case", case_id=case_id)
    return render(request, "returns/case.html", _case_context(request, case_id, {form_name: form}),
                  status=400)


def _record_form(request: HttpRequest, *, form: forms.Form, case_id: int,
                 call: Callable[[dict[str, Any]], Any], success: str,
                 shown: dict[str, dict[int, forms.Form]]) -> HttpResponse:
    """One form on a record of the case page: the service's refusal by its field and the
    input kept on the page again (400), or the success message and back to the case."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except (Invalid, Conflict, PreconditionFailed) as error:
            _refuse(form, error)
        else:
            messages.success(request, success)
            return redirect("returns:case", case_id=case_id)
    return render(request, "returns/case.html", _case_context(request, case_id, **shown), status=400)


@guarded
@require_POST
def carry_out(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.record_get(user=request.user, kind="returns", pk=plan_id)
    form = f.CarryOutForm(request.POST, auto_id=f"id_return{plan_id}_%s")
    return _record_form(
        request, form=form, case_id=plan.case_id, success=_("Return marked carried out."),
        shown={"plan_forms": {plan_id: form}},
        call=lambda data: services.return_carry_out(
            actor=request.user, plan_id=plan_id, carried_out_on=data["carried_out_on"],
            expected_version=data["version"]))


@guarded
@require_POST
def consular_update(request: HttpRequest, assistance_id: int) -> HttpResponse:
    row = selectors.record_get(user=request.user, kind="consular", pk=assistance_id)
    form = f.ConsularUpdateForm(request.POST, auto_id=f"id_consular{assistance_id}_%s")
    return _record_form(
        request, form=form, case_id=row.case_id, success=_("Consular assistance updated."),
        shown={"consular_forms": {assistance_id: form}},
        call=lambda data: services.consular_update(
            actor=request.user, assistance_id=assistance_id, expected_version=data["version"],
            **{k: v for k, v in data.items() if k != "version"}))


@guarded
@require_POST
def return_checks(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.record_get(user=request.user, kind="returns", pk=plan_id)
    form = f.ReturnChecksForm(request.POST, auto_id=f"id_checks{plan_id}_%s")
    return _record_form(
        request, form=form, case_id=plan.case_id, success=_("Return checks recorded."),
        shown={"check_forms": {plan_id: form}},
        call=lambda data: services.return_update(
            actor=request.user, plan_id=plan_id, expected_version=data["version"],
            **form.service_data()))


@guarded
@require_POST
def cooperation_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    row = selectors.record_get(user=request.user, kind="cooperation", pk=request_id)
    form = f.CooperationAnswerForm(request.POST, auto_id=f"id_answer{request_id}_%s")
    return _record_form(
        request, form=form, case_id=row.case_id, success=_("Answer recorded."),
        shown={"answer_forms": {request_id: form}},
        call=lambda data: services.cooperation_answer(actor=request.user, request_id=request_id,
                                                      **data))


def _spoken(answer: removal.Answer) -> str:
    """The check's answer in the reader's language; the API keeps the law's English."""
    if answer.barred and answer.until is not None:
        return _("No removal before %(date)s (Art. 31.3)") % {"date": answer.until.isoformat()}
    if answer.barred:
        return _("No removal (Art. %(articles)s)") % {"articles": ", ".join(answer.articles)}
    return _("No bar recorded")


def _may_use(user: Any) -> bool:
    return (selectors.may_use_returns(user)
            or access.national_allows(user, Action.VIEW, Kind.REMOVAL_CHECK))


def _officer_page(request: HttpRequest, form: forms.Form, answer: str | None = None,
                  status: int = 200) -> HttpResponse:
    cases = list(access.returns_cases(request.user).order_by("-id")[:50])
    if cases:
        record(actor=request.user, action="read", record_type="cases.case", records=cases,
               fields=["reference", "stage"], purpose="foreigners officer's cases")
    return render(request, "returns/officer.html", {
        "endings": selectors.reflection_ending(user=request.user) if cases else [],
        "cases": cases, "form": form, "answer": answer,
        "may_check": access.national_allows(request.user, Action.VIEW, Kind.REMOVAL_CHECK),
    }, status=status)


@guarded
def officer(request: HttpRequest) -> HttpResponse:
    if not _may_use(request.user):
        raise PermissionDenied(_("You hold no role that works with foreigners' records."))
    return _officer_page(request, f.RemovalCheckForm())


@guarded
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    if not _may_use(request.user):
        raise PermissionDenied(_("You hold no role that works with foreigners' records."))
    form = f.RemovalCheckForm(request.POST)
    if not form.is_valid():
        return _officer_page(request, form, status=400)
    try:
        answer = removal.removal_check(user=request.user, **form.cleaned_data)
    except (Invalid, TooManyRequests) as error:
        _refuse(form, error)
        return _officer_page(request, form, status=error.status)
    # The same page for a match with no bar and for no match: only the answer is shown.
    return _officer_page(request, f.RemovalCheckForm(initial={"on": form.cleaned_data["on"]}),
                         answer=_spoken(answer))
