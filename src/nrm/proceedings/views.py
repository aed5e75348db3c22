"""Pages: the prosecutor's proceedings and the victims' notices due, one proceeding, and a
case's interview log and protection measures.

Views parse, call a selector or service, and render; a service's refusal of the input
sits next to the field it names and the input is kept (status 400). Refusals of access
(404, 403) are the guard's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nrm.cases.forms import add_service_error
from nrm.cases.presenters import due_withheld
from nrm.cases.selectors import duty_scope
from nrm.errors import Conflict, Invalid, NotFound
from nrm.proceedings import assets, protection, selectors, services
from nrm.proceedings.forms import (
    AssetForm,
    ClosureDecisionForm,
    ClosureForm,
    CustodyForm,
    DefendantForm,
    InformForm,
    InterviewForm,
    MeasureForm,
    OpenForm,
    SessionForm,
    StageForm,
    WithdrawalForm,
)
from nrm.web.guard import guarded


def _attempt(form: forms.Form, call: Callable[[dict[str, Any]], Any]) -> bool:
    """Run a service with a valid form's data; its refusal of the input goes to its field."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except (Invalid, Conflict) as error:
        add_service_error(form, error.field, error.message)
        return False
    except NotFound as error:
        if not error.field:
            raise
        add_service_error(form, error.field, error.message)
        return False
    return True


@guarded
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.justice_roles(user):
        raise PermissionDenied(_("Your role does not work on criminal proceedings."))
    form = OpenForm(request.POST or None)
    opened: list[int] = []
    if request.method == "POST":
        def open_(data: dict[str, Any]) -> None:
            case_id = selectors.case_id_by_reference(user=user, reference=data["case_reference"],
                                                     field="case_reference")
            proceeding = services.proceeding_open(
                actor=user, court_file_number=data["court_file_number"], case_ids=[case_id],
                investigation_on=data["investigation_on"])
            opened.append(proceeding.pk)

        if _attempt(form, open_):
            messages.success(request, _("Proceeding opened."))
            return redirect("proceedings:detail", proceeding_id=opened[0])
    duties = list(duty_scope(user=user).filter(status="open")
                  .select_related("case__person", "institution").order_by("due_on", "id")[:100])
    # A due date that moves with a birth date the reader may not see is withheld, and its
    # duty goes last, so that its place among the dates does not tell it either.
    withheld = due_withheld(user, duties, timezone.localdate())
    for duty in duties:
        duty.due_withheld = duty.pk in withheld  # type: ignore[attr-defined]
    duties.sort(key=lambda duty: (True, duty.case_id, duty.pk) if duty.pk in withheld else (False, 0, 0))
    return render(request, "proceedings/home.html", {
        "proceedings": selectors.proceeding_list(user=user, limit=100, offset=0),
        "notices": selectors.notices_due(user=user), "duties": duties, "form": form,
        "cases": selectors.justice_cases(user=user),
        "inform_form": InformForm(),
    }, status=400 if request.method == "POST" else 200)


@guarded
def detail(request: HttpRequest, proceeding_id: int) -> HttpResponse:
    user = request.user
    proceeding = selectors.proceeding_get(user=user, proceeding_id=proceeding_id)
    victims = [(v.case_id, v.case.reference) for v in proceeding.victims.all()]
    defendants = [(d.pk, d.name) for d in proceeding.defendants.all()]
    action = request.POST.get("action") if request.method == "POST" else None
    post = request.POST if action else None
    stage_form = StageForm(post if action == "stage" else None, initial={
        "version": proceeding.version, "stage": proceeding.stage,
        "prosecution_on": proceeding.prosecution_on, "trial_on": proceeding.trial_on,
        "concluded_on": proceeding.concluded_on, "outcome": proceeding.outcome})
    withdrawal_form = WithdrawalForm(post if action == "withdraw" else None, victims=victims)
    defendant_form = DefendantForm(post if action == "defendant" else None)
    custody_form = CustodyForm(post if action == "custody" else None, defendants=defendants)
    session_form = SessionForm(post if action == "session" else None)
    asset_form = AssetForm(post if action == "asset" else None)
    closure_form = ClosureForm(post if action == "closure" else None)
    pending = [(c.pk, c.requested_on.isoformat()) for c in proceeding.closures.all() if c.decision == "pending"]
    decision_form = ClosureDecisionForm(post if action == "decide" else None, closures=pending)

    def stage(data: dict[str, Any]) -> None:
        services.proceeding_update(actor=user, proceeding_id=proceeding.pk, version=data.pop("version"),
                                   **{k: v for k, v in data.items()})

    def withdraw(data: dict[str, Any]) -> None:
        services.statement_withdraw(actor=user, proceeding_id=proceeding.pk, **data)

    def defendant(data: dict[str, Any]) -> None:
        reference = data.pop("victim_case_reference")
        victim_case_id = (selectors.case_id_by_reference(user=user, reference=reference,
                                                         field="victim_case_reference")
                          if reference else None)
        services.defendant_add(actor=user, proceeding_id=proceeding.pk, victim_case_id=victim_case_id,
                               **data)

    def custody(data: dict[str, Any]) -> None:
        services.defendant_custody(actor=user, **data)

    def session(data: dict[str, Any]) -> None:
        services.sentencing_session_schedule(actor=user, proceeding_id=proceeding.pk, **data)

    def asset(data: dict[str, Any]) -> None:
        assets.asset_record(actor=user, proceeding_id=proceeding.pk, action=data.pop("asset_action"), **data)

    def closure(data: dict[str, Any]) -> None:
        assets.closure_request(actor=user, proceeding_id=proceeding.pk, **data)

    def decide(data: dict[str, Any]) -> None:
        assets.closure_decide(actor=user, **data)

    handlers: dict[str, tuple[forms.Form, Callable[[dict[str, Any]], None], str]] = {
        "asset": (asset_form, asset, _("Assets recorded.")),
        "closure": (closure_form, closure, _("Closure requested.")),
        "decide": (decision_form, decide, _("Decision recorded.")),
        "stage": (stage_form, stage, _("The proceeding was moved on.")),
        "withdraw": (withdrawal_form, withdraw, _("The withdrawn statement was recorded: the proceeding continues.")),
        "defendant": (defendant_form, defendant, _("Recorded.")),
        "custody": (custody_form, custody, _("Custody recorded.")),
        "session": (session_form, session, _("Sentencing session set: the victims are to be told.")),
    }
    if action in handlers:
        form, call, done = handlers[action]
        if _attempt(form, call):
            messages.success(request, done)
            return redirect("proceedings:detail", proceeding_id=proceeding.pk)
    return render(request, "proceedings/detail.html", {
        "proceeding": proceeding, "stage_form": stage_form, "withdrawal_form": withdrawal_form,
        "defendant_form": defendant_form, "custody_form": custody_form, "session_form": session_form,
        "asset_form": asset_form, "closure_form": closure_form, "decision_form": decision_form,
        "pending": pending,
        # What each defendant shows of a victim's case is the API's (selectors.victim_link).
        "defendants": [(d, selectors.victim_link(d)) for d in proceeding.defendants.all()],
    }, status=400 if action else 200)


@guarded
def alerts(request: HttpRequest) -> HttpResponse:
    rows = selectors.non_punishment_alerts(user=request.user)
    return render(request, "proceedings/alerts.html", {"alerts": rows})


@guarded
@require_POST
def inform(request: HttpRequest, notice_id: int) -> HttpResponse:
    form = InformForm(request.POST)
    if _attempt(form, lambda data: services.notice_inform(actor=request.user, notice_id=notice_id, **data)):
        messages.success(request, _("Recorded: the victim was told."))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: "
                                    f"{' '.join(errors)}")
    return redirect("proceedings:home")


def _child_appropriate(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


@guarded
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request.user
    case, see_interviews, see_measures = selectors.case_views(user=user, case_id=case_id)
    action = request.POST.get("action") if request.method == "POST" else None
    interview_form = InterviewForm(request.POST if action == "interview" else None)
    measure_form = MeasureForm(request.POST if action == "measure" else None)

    def interview(data: dict[str, Any]) -> None:
        data["child_appropriate_premises"] = _child_appropriate(data["child_appropriate_premises"])
        protection.interview_record(actor=user, case_id=case.pk, **data)

    def measure(data: dict[str, Any]) -> None:
        protection.measure_order(actor=user, case_id=case.pk, **data)

    if action == "interview" and see_interviews and _attempt(interview_form, interview):
        messages.success(request, _("Interview recorded."))
        return redirect("proceedings:case", case_id=case.pk)
    if action == "measure" and see_measures and _attempt(measure_form, measure):
        messages.success(request, _("Protection measure recorded."))
        return redirect("proceedings:case", case_id=case.pk)
    return render(request, "proceedings/case.html", {
        "case": case,
        "interviews": selectors.interview_list(user=user, case_id=case.pk) if see_interviews else None,
        "measures": selectors.measure_list(user=user, case_id=case.pk) if see_measures else None,
        "repeat_article": protection.repeat_interview_warning(case),
        "interview_form": interview_form, "measure_form": measure_form,
    }, status=400 if action else 200)
