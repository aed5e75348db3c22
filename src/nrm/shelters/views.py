"""Pages: the shelter manager's board and stays, and the Coordinator's national counts.

Views parse, call a selector or service, and render; a refused input goes back to its form,
next to its field, with what was typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.errors import Conflict, Invalid, NotFound, PreconditionFailed
from nrm.shelters import presenters, selectors, services
from nrm.shelters.forms import (
    AdmissionForm,
    DischargeForm,
    ExtensionForm,
    SecurityRequestForm,
    SecurityResponseForm,
    UnitForm,
)
from nrm.shelters.models import SecurityRequestStatus, Shelter
from nrm.web.guard import guarded


@guarded
def shelter_list(request: HttpRequest) -> HttpResponse:
    shelters = list(selectors.shelters_managed(user=request.user).select_related("operator"))
    if len(shelters) == 1:
        return redirect("shelters:detail", shelter_id=shelters[0].pk)
    on = timezone.localdate()
    per = selectors.boards(shelters, on)
    return render(request, "shelters/list.html",
                  {"rows": [(s, presenters.board_dict(per[s.pk])) for s in shelters]})


def _admission_form(shelter: Shelter, data: Any = None) -> AdmissionForm:
    cases = [(c.pk, c.reference) for c in selectors.awaiting_admission(shelter=shelter)]
    units = [(u.pk, f"{u.name} ({u.get_kind_display()}, {u.capacity - u.occupied}/{u.capacity})")
             for u in shelter.units.order_by("kind", "name")]
    return AdmissionForm(data, cases=cases, units=units, prefix="admit")


def _try(form: forms.Form, call: Callable[[], Any]) -> bool:
    """Run the service; a refusal goes next to its field in the form, the input kept."""
    try:
        call()
    except (Invalid, Conflict, PreconditionFailed) as error:
        field = error.field if error.field in form.fields else None
        if error.field == "If-Match":
            field = None
        form.add_error(field, error.message)
        return False
    return True


def _security_row(found: Any, *, user: Any) -> dict[str, Any]:
    return {**presenters.security_dict(found, user=user),
            "open": found.status != SecurityRequestStatus.CLOSED,
            "status_label": found.get_status_display(), "police_name": found.police.name}


def _security_form(data: Any) -> SecurityRequestForm:
    police = [(i.code, i.name) for i in selectors.police_institutions()]
    return SecurityRequestForm(data, police=police, prefix="security")


@guarded
def shelter_detail(request: HttpRequest, shelter_id: int) -> HttpResponse:
    shelter = selectors.shelter_get(user=request.user, shelter_id=shelter_id)
    bound: dict[str, forms.Form] = {}
    if request.method == "POST":
        action, stay_id = request.POST.get("action", ""), request.POST.get("stay", "")
        form: forms.Form
        if action == "admit":
            form = _admission_form(shelter, request.POST)
            if form.is_valid() and _try(form, lambda: services.placement_admit(
                    actor=request.user, unit_id=form.cleaned_data["unit_id"],
                    case_id=form.cleaned_data["case_id"], admitted_on=form.cleaned_data["admitted_on"],
                    days=form.cleaned_data["days"])):
                messages.success(request, _("Admitted."))
                return redirect("shelters:detail", shelter_id=shelter.pk)
            bound["admit"] = form
        elif action in ("extend", "discharge") and stay_id.isdigit():
            cls = ExtensionForm if action == "extend" else DischargeForm
            form = cls(request.POST, prefix=f"{action}-{stay_id}")
            if form.is_valid():
                data = dict(form.cleaned_data)
                version = data.pop("version")
                call = services.placement_extend if action == "extend" else services.placement_discharge
                if _try(form, lambda: call(actor=request.user, placement_id=int(stay_id),
                                           expected_version=version, **data)):
                    messages.success(request, _("Extended.") if action == "extend" else _("Discharged."))
                    return redirect("shelters:detail", shelter_id=shelter.pk)
            bound[f"{action}-{stay_id}"] = form
        elif action == "security":
            form = _security_form(request.POST)
            if form.is_valid() and _try(form, lambda: services.security_request(
                    actor=request.user, shelter_id=shelter.pk, **form.cleaned_data)):
                messages.success(request, _("The police were asked for assistance."))
                return redirect("shelters:detail", shelter_id=shelter.pk)
            bound["security"] = form
        elif action == "security-close" and request.POST.get("request", "").isdigit():
            # Only a request of this shelter: another's answers 404, as if it did not exist.
            found = selectors.security_requests_of(shelter=shelter).filter(
                pk=int(request.POST["request"])).first()
            if found is None:
                raise NotFound(_("security request not found"))
            try:
                services.security_close(actor=request.user, request_id=found.pk)
            except Conflict as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The security request is closed."))
            return redirect("shelters:detail", shelter_id=shelter.pk)
        elif action == "unit":
            form = UnitForm(request.POST, prefix="unit")
            if form.is_valid() and _try(form, lambda: services.unit_add(
                    actor=request.user, shelter_id=shelter.pk, **form.cleaned_data)):
                messages.success(request, _("Unit added."))
                return redirect("shelters:detail", shelter_id=shelter.pk)
            bound["unit"] = form
    on = timezone.localdate()
    stays = presenters.stay_dicts(selectors.open_stays(shelter=shelter), user=request.user, on=on,
                                  purpose="shelter page")
    for stay in stays:
        stay["extend_form"] = bound.get(f"extend-{stay['id']}") or ExtensionForm(
            prefix=f"extend-{stay['id']}", initial={"version": stay["version"]})
        stay["discharge_form"] = bound.get(f"discharge-{stay['id']}") or DischargeForm(
            prefix=f"discharge-{stay['id']}", initial={"version": stay["version"], "left_on": on})
    arrivals, departures = selectors.day_movements(shelter=shelter, on=on)
    due_window = selectors.ENDING_WINDOWS[1]
    context = {
        "shelter": presenters.shelter_dict(shelter, user=request.user, purpose="shelter page"),
        "board": presenters.board_dict(selectors.boards([shelter], on)[shelter.pk]),
        "stays": stays,
        "extensions_due": [s for s in stays if s["overstay"] or (
            s["days_left"] is not None and s["days_left"] < due_window)],
        "due_window": due_window,
        "arrivals": arrivals, "departures": departures,
        "admission_form": bound.get("admit") or _admission_form(shelter, None),
        "unit_form": bound.get("unit") or UnitForm(prefix="unit"),
        "security_form": bound.get("security") or _security_form(None),
        "security_requests": [_security_row(r, user=request.user)
                              for r in selectors.security_requests_of(shelter=shelter)[:50]],
        "today": on,
    }
    return render(request, "shelters/detail.html", context, status=400 if bound else 200)


@guarded
def national_board(request: HttpRequest) -> HttpResponse:
    on = timezone.localdate()
    total, rows = selectors.national_board(user=request.user, on=on)
    return render(request, "shelters/national.html", {
        "on": on, "total": presenters.board_dict(total),
        "rows": [(index, presenters.board_dict(board)) for index, (_s, board) in enumerate(rows, 1)],
    })


@guarded
def security_requests(request: HttpRequest) -> HttpResponse:
    """The police's list of shelters' requests addressed to their institution (23.5): they
    answer and close them; a shelter's address is shown only while its request is open."""
    requests = selectors.security_requests_to_police(user=request.user)
    bound: dict[str, forms.Form] = {}
    if request.method == "POST":
        action, request_id = request.POST.get("action", ""), request.POST.get("request", "")
        if not request_id.isdigit() or not requests.filter(pk=int(request_id)).exists():
            raise NotFound(_("security request not found"))
        if action == "respond":
            form = SecurityResponseForm(request.POST, prefix=f"respond-{request_id}")
            if form.is_valid() and _try(form, lambda: services.security_respond(
                    actor=request.user, request_id=int(request_id), **form.cleaned_data)):
                messages.success(request, _("Your response is recorded."))
                return redirect("shelters:security")
            bound[request_id] = form
        elif action == "close":
            try:
                services.security_close(actor=request.user, request_id=int(request_id))
            except Conflict as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The security request is closed."))
            return redirect("shelters:security")
    rows = []
    for found in requests[:200]:
        row = _security_row(found, user=request.user)
        row["form"] = bound.get(str(found.pk)) or SecurityResponseForm(prefix=f"respond-{found.pk}")
        rows.append(row)
    return render(request, "shelters/security.html", {"rows": rows},
                  status=400 if bound else 200)
