from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from nrm.statistics.dashboard import national_figures
from nrm.statistics.report import report_context
from nrm.web.guard import guarded


@guarded
def dashboard(request: HttpRequest) -> HttpResponse:
    figures = national_figures(user=request.user, on=timezone.localdate(),
                               recipient=request.user.get_username(), channel="dashboard")
    return render(request, "statistics/dashboard.html", {"figures": figures})


@guarded
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    context = report_context(user=request.user, year=year, on=timezone.localdate(),
                             recipient=request.user.get_username(), channel="annual report page")
    return render(request, "statistics/report_page.html", context)
