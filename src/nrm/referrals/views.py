"""Pages: a provider's referral inbox, and a case's referrals, consents and care plan.

Views parse, call a selector or service, and render or redirect; every rule and every
access check is in the services and selectors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nrm.authorities import access
from nrm.authorities.models import Institution
from nrm.cases.forms import EXPLOITATION_CHOICES, add_service_error
from nrm.cases.models import Person
from nrm.cases.selectors import case_get
from nrm.errors import Conflict, Invalid
from nrm.referrals import selectors, services
from nrm.referrals.forms import ConsentForm, DeclineForm, GoalForm, GoalStatusForm, ReferralForm
from nrm.web.guard import guarded

EXPLOITATION_LABELS = dict(EXPLOITATION_CHOICES)


def _providers() -> list[tuple[str, str]]:
    """Institutions that provide a service: reference data, visible to every official,
    named and with their services in the page's language."""
    from nrm.referrals.models import Service

    language = get_language() or "en"
    services_ = dict(Service.choices)
    return [(i.code, f"{i.localised_name(language)} ({', '.join(str(services_.get(s, s)) for s in i.services)})")
            for i in Institution.objects.filter(active=True).order_by("name") if i.services]


def _done(request: HttpRequest, call: Callable[[], Any], success: str, form: forms.Form) -> bool:
    """Run a service with a valid form's data. A refusal of the input is put next to the
    field it names (or above the form), so the page can be shown again with what was typed."""
    if not form.is_valid():
        return False
    try:
        call()
    except (Invalid, Conflict) as exc:
        # Bad input is the form's to report; refusals (404, 403, unclear acting) go to guarded.
        add_service_error(form, exc.field, exc.message)
        return False
    messages.success(request, success)
    return True


@guarded
def inbox(request: HttpRequest) -> HttpResponse:
    if not access.institutions(request.user, roles=selectors.PROVIDER_ROLES):
        raise PermissionDenied(_("You work at no institution that receives referrals."))
    return _inbox_page(request)


def _inbox_page(request: HttpRequest, *, failed: int | None = None, form: forms.Form | None = None,
                status: int = 200) -> HttpResponse:
    rows = [
        {"referral": view.referral, "person": view.person is not None, "inbox": view,
         "exploitation": [EXPLOITATION_LABELS.get(code, code)
                          for code in (view.case_summary or {}).get("exploitation", [])],
         "fields": [(Person._meta.get_field(name).verbose_name, value)
                    for name, value in (view.person or {}).items()]}
        for view in selectors.referral_inbox(user=request.user)
    ]
    return render(request, "referrals/inbox.html", {"rows": rows, "decline_form": DeclineForm(),
                                                    "failed": failed, "failed_form": form},
                  status=status)


@guarded
@require_POST
def answer(request: HttpRequest, referral_id: int) -> HttpResponse:
    view = selectors.referral_get(user=request.user, referral_id=referral_id, purpose="referral answer")
    if request.POST.get("action") == "accept":
        form: forms.Form = forms.Form({})
        done = _done(request, lambda: services.referral_accept(actor=request.user, referral=view.referral),
                     _("Referral accepted: your institution has joined the case's team."), form)
    else:
        form = DeclineForm(request.POST)
        done = _done(request, lambda: services.referral_decline(
            actor=request.user, referral=view.referral, **form.cleaned_data),
            _("Referral declined."), form)
    if done:
        return redirect("referrals:inbox")
    return _inbox_page(request, failed=view.referral.pk, form=form, status=400)


@guarded
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id, audit=False)
    return _case_page(request, case)


def _case_page(request: HttpRequest, case: Any, *, status: int = 200, **bound: forms.Form) -> HttpResponse:
    """The case's referrals page; `bound` holds a refused form, shown again with its errors
    next to its fields and what was typed."""
    views = [selectors.ReferralView(r, None, True)
             for r in selectors.case_referrals(user=request.user, case=case)]
    return render(request, "referrals/case.html", {
        "case": case,
        "referrals": views,
        "consents": selectors.case_consents(user=request.user, case=case),
        "goals": selectors.care_plan(user=request.user, case=case),
        "consent_form": bound.get("consent_form") or ConsentForm(),
        "referral_form": bound.get("referral_form") or ReferralForm(providers=_providers()),
        "goal_form": bound.get("goal_form") or GoalForm(),
        "goal_status_form": bound.get("goal_status_form"),
        "statuses": GoalStatusForm.base_fields["status"].choices,  # type: ignore[attr-defined]
    }, status=status)


@guarded
@require_POST
def consent_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id, audit=False)
    form = ConsentForm(request.POST)
    if not _done(request, lambda: services.consent_record(
            actor=request.user, case=case, **{**form.cleaned_data,
                                              "recipient": form.cleaned_data["recipient"] or None}),
            _("Consent recorded."), form):
        return _case_page(request, case, consent_form=form, status=400)
    return redirect("referrals:case", case_id=case.pk)


@guarded
@require_POST
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = selectors.consent_get(user=request.user, consent_id=consent_id)
    form = forms.Form({})
    if not _done(request, lambda: services.consent_withdraw(actor=request.user, consent=consent),
                 _("Consent withdrawn; referrals not yet answered under it were cancelled."), form):
        _errors_as_messages(request, form)
    return redirect("referrals:case", case_id=consent.case_id)


@guarded
@require_POST
def referral_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id, audit=False)
    form = ReferralForm(request.POST, providers=_providers())
    if not _done(request, lambda: services.referral_create(actor=request.user, case=case,
                                                           **form.cleaned_data),
                 _("Referral sent."), form):
        return _case_page(request, case, referral_form=form, status=400)
    return redirect("referrals:case", case_id=case.pk)


@guarded
@require_POST
def goal_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id, audit=False)
    form = GoalForm(request.POST)
    if not _done(request, lambda: services.goal_add(
            actor=request.user, case=case, **{**form.cleaned_data,
                                              "owner_user": form.cleaned_data["owner_user"] or None}),
            _("Goal added to the care plan."), form):
        return _case_page(request, case, goal_form=form, status=400)
    return redirect("referrals:case", case_id=case.pk)


@guarded
@require_POST
def goal_status(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.goal_get(user=request.user, goal_id=goal_id)
    form = GoalStatusForm(request.POST)
    if not _done(request, lambda: services.goal_update(actor=request.user, goal=goal, **form.cleaned_data),
                 _("Goal updated."), form):
        _errors_as_messages(request, form)
    return redirect("referrals:case", case_id=goal.case_id)


def _errors_as_messages(request: HttpRequest, form: forms.Form) -> None:
    """A one-button form (withdraw, a goal's status) has no field to put its error next to."""
    for field, errors in form.errors.items():
        messages.error(request, " ".join(errors) if field == "__all__" else f"{field}: {' '.join(errors)}")
