from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.authorities import access
from nrm.authorities.access import Action, Kind
from nrm.errors import Conflict, Invalid
from nrm.statistics import plan
from nrm.statistics.dashboard import national_figures
from nrm.statistics.forms import ProgressForm
from nrm.statistics.report import report_context
from nrm.web.guard import guarded


@guarded
def dashboard(request: HttpRequest) -> HttpResponse:
    figures = national_figures(user=request.user, on=timezone.localdate(),
                               recipient=request.user.get_username(), channel="dashboard")
    overdue = list(plan.activities_overdue(user=request.user, on=timezone.localdate()))
    return render(request, "statistics/dashboard.html", {"figures": figures, "overdue": overdue})


@guarded
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    context = report_context(user=request.user, year=year, on=timezone.localdate(),
                             recipient=request.user.get_username(), channel="annual report page")
    return render(request, "statistics/report_page.html", context)


@guarded
def action_plan(request: HttpRequest) -> HttpResponse:
    on = timezone.localdate()
    form = ProgressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan.activity_progress_report(
                actor=request.user, activity_id=form.cleaned_data["activity"],
                version=form.cleaned_data["version"], progress=form.cleaned_data["progress"],
                completed=form.cleaned_data["completed"], on=on)
        except (Invalid, Conflict) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect("statistics:action_plan")
    activities = list(plan.activities_list(user=request.user, on=on))
    return render(request, "statistics/action_plan.html", {
        "activities": activities, "form": form, "on": on,
        "may_report": access.allows(request.user, Action.CHANGE, Kind.ACTION_PLAN),
        "coverage": plan.training_coverage(user=request.user, on=on),
    })
