"""Pages: the Commission's queue and session agenda, a claim, and filing one for a case.

Views parse, call a selector or service, and render; a refused input is shown next to its
field with the input kept, and every access rule is in the selectors and services.
"""

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

from nrm.authorities import access
from nrm.authorities.access import Action
from nrm.authorities.models import Institution
from nrm.authorities.roles import InstitutionKind
from nrm.cases.selectors import case_get
from nrm.compensation import selectors, services
from nrm.compensation.forms import (
    AgendaForm,
    AppealForm,
    ClaimForm,
    MotionForm,
    OutcomeForm,
    PaymentForm,
    PresentForm,
    SessionForm,
)
from nrm.compensation.models import AppealOutcome, ClaimStatus
from nrm.errors import Conflict, Invalid, NotFound
from nrm.web.guard import guarded


def attempt(form: forms.Form, call: Callable[[], Any], where: dict[str, str] | None = None) -> Any:
    """Run a service with a valid form's data; a refusal is put next to its field."""
    if not form.is_valid():
        return None
    try:
        return call()
    except (Invalid, Conflict) as exc:
        name = (where or {}).get(exc.field, exc.field)
        form.add_error(name if name in form.fields else None, exc.message)
        return None


def _commission_choices(user: Any) -> list[tuple[str, str]]:
    return [(str(i.pk), i.name) for i in Institution.objects.filter(pk__in=access.commissions(user))]


def _member_of_a_commission(user: Any) -> None:
    if not access.commissions(user):
        raise PermissionDenied(_("Only members of the Compensation Commission work here."))


@guarded
def queue(request: HttpRequest) -> HttpResponse:
    _member_of_a_commission(request.user)
    claims = selectors.queue(user=request.user)
    groups = [(label, [c for c in claims if c.status == value]) for value, label in ClaimStatus.choices]
    form = SessionForm(commissions=_commission_choices(request.user))
    if request.method == "POST":
        form = SessionForm(request.POST, commissions=_commission_choices(request.user))
        session = attempt(form, lambda: services.session_plan(
            actor=request.user, commission_id=int(form.cleaned_data["commission"]),
            held_on=form.cleaned_data["held_on"]))
        if session is not None:
            messages.success(request, _("Session planned."))
            return redirect("compensation:session", session_id=session.pk)
    return render(request, "compensation/queue.html", {
        "groups": [(label, rows) for label, rows in groups if rows],
        "next_session": selectors.next_session(user=request.user),
        "sessions": selectors.sessions_scope(request.user).order_by("-held_on")[:20],
        "session_form": form,
    })


def _session_context(request: HttpRequest, session_id: int, **forms_: Any) -> dict[str, Any]:
    session = selectors.session_get(user=request.user, session_id=session_id)
    serving = selectors.members_serving(session.commission_id, session.held_on)
    waiting = selectors.claims_scope(request.user).filter(
        commission_id=session.commission_id, status__in=(ClaimStatus.FILED, ClaimStatus.APPEALED),
        basis="state_compensation").exclude(agenda_items__session=session)
    items = []
    for item in session.items.all():
        motion = forms_.get(f"motion-{item.pk}") or MotionForm(prefix=f"m{item.pk}", initial={
            "decision": item.motion_decision, "amount": item.motion_amount, "grounds": item.motion_grounds,
            "reason": item.motion_reason})
        mine = next((v for v in item.votes.all() if v.member.user_id == request.user.pk), None)
        items.append({"item": item, "motion": motion, "vote_error": forms_.get(f"vote-{item.pk}"),
                      "mine": mine, "decided": getattr(item, "decision", None)})
    present = {m.pk for m in session.present.all()}
    return {
        "session": session, "items": items, "quorum": selectors.quorum(session),
        "present_count": len(present), "serving": serving,
        "agenda_form": forms_.get("agenda") or AgendaForm(claims=[(str(c.pk), f"{c.case.reference} · {c.filed_on}")
                                                                  for c in waiting]),
        "present_form": forms_.get("present") or PresentForm(
            members=[(str(m.pk), m.user.get_full_name() or m.user.username) for m in serving],
            initial={"members": [str(p) for p in present]}),
    }


@guarded
def session_page(request: HttpRequest, session_id: int) -> HttpResponse:
    return render(request, "compensation/session.html", _session_context(request, session_id))


@guarded
@require_POST
def session_act(request: HttpRequest, session_id: int) -> HttpResponse:
    """Every form of the session page posts here, naming what it does."""
    session = selectors.session_get(user=request.user, session_id=session_id)
    action = request.POST.get("action", "")
    bound: dict[str, Any] = {}
    done = None
    if action == "agenda":
        context = _session_context(request, session_id)
        form = AgendaForm(request.POST, claims=list(context["agenda_form"].fields["claim"].choices))
        done = attempt(form, lambda: services.agenda_add(
            actor=request.user, session=session,
            claim=selectors.claim_get(user=request.user, claim_id=int(form.cleaned_data["claim"]),
                                      action=Action.CHANGE)))
        bound["agenda"] = form
    elif action == "present":
        serving = selectors.members_serving(session.commission_id, session.held_on)
        form = PresentForm(request.POST, members=[(str(m.pk), m.user.username) for m in serving])
        done = attempt(form, lambda: services.session_attend(
            actor=request.user, session=session, members=[int(m) for m in form.cleaned_data["members"]]))
        bound["present"] = form
    elif action in ("motion", "vote", "adopt"):
        raw = request.POST.get("item", "")
        item = selectors.item_get(user=request.user, item_id=int(raw) if raw.isdigit() and len(raw) < 19 else 0)
        if item.session_id != session.pk:
            raise NotFound("not found")
        if action == "motion":
            form = MotionForm(request.POST, prefix=f"m{item.pk}")
            done = attempt(form, lambda: services.motion_set(actor=request.user, item=item, **form.cleaned_data))
            bound[f"motion-{item.pk}"] = form
        else:
            try:
                if action == "vote":
                    done = services.vote_cast(actor=request.user, item=item, choice=request.POST.get("choice", ""))
                else:
                    done = services.decision_adopt(actor=request.user, item=item)
            except (Invalid, Conflict) as exc:
                bound[f"vote-{item.pk}"] = exc
    if done is not None:
        messages.success(request, _("Recorded."))
        return redirect("compensation:session", session_id=session.pk)
    return render(request, "compensation/session.html", _session_context(request, session_id, **bound), status=400)


def _claim_context(request: HttpRequest, claim_id: int, **forms_: Any) -> dict[str, Any]:
    claim = selectors.claim_get(user=request.user, claim_id=claim_id)
    view = selectors.claim_view(user=request.user, claim=claim, purpose="claim page")
    member = claim.commission_id in access.commissions(request.user, Action.CHANGE)
    may_change = access.allows(request.user, Action.CHANGE, access.Kind.COMPENSATION_CLAIM, claim)
    pending = next((a for a in view.appeals if a.outcome == AppealOutcome.PENDING), None)
    return {
        "view": view, "claim": view.claim, "member": member, "pending": pending,
        "may_appeal": may_change and view.decision is not None and pending is None,
        "appeal_form": forms_.get("appeal") or AppealForm(),
        "outcome_form": forms_.get("outcome") or OutcomeForm(),
        "payment_form": forms_.get("payment") or PaymentForm(),
    }


@guarded
def claim_page(request: HttpRequest, claim_id: int) -> HttpResponse:
    return render(request, "compensation/claim.html", _claim_context(request, claim_id))


@guarded
@require_POST
def claim_act(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_get(user=request.user, claim_id=claim_id)
    action = request.POST.get("action", "")
    bound: dict[str, Any] = {}
    done = None
    view = selectors.claim_view(user=request.user, claim=claim, audit=False)
    if action == "appeal" and view.decision is not None:
        form = AppealForm(request.POST)
        done = attempt(form, lambda: services.appeal_lodge(actor=request.user, decision=view.decision,
                                                           **form.cleaned_data))
        bound["appeal"] = form
    elif action == "outcome":
        pending = next((a for a in view.appeals if a.outcome == AppealOutcome.PENDING), None)
        form = OutcomeForm(request.POST)
        if pending is not None:
            done = attempt(form, lambda: services.appeal_decide(
                actor=request.user, appeal=pending,
                **{**form.cleaned_data, "decision": form.cleaned_data["decision"] or None,
                   "amount": form.cleaned_data["amount"] or None}))
        bound["outcome"] = form
    elif action == "payment" and view.decision is not None:
        form = PaymentForm(request.POST)
        done = attempt(form, lambda: services.payment_record(actor=request.user, decision=view.decision,
                                                             **form.cleaned_data))
        bound["payment"] = form
    if done is not None:
        messages.success(request, _("Recorded."))
        return redirect("compensation:claim", claim_id=claim.pk)
    return render(request, "compensation/claim.html", _claim_context(request, claim_id, **bound), status=400)


@guarded
def claim_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id, audit=False)
    commissions = [(i.code, i.name) for i in Institution.objects.filter(
        active=True, kind=InstitutionKind.COMPENSATION_COMMISSION).order_by("name")]
    form = ClaimForm(commissions=commissions)
    if request.method == "POST":
        form = ClaimForm(request.POST, commissions=commissions)
        if form.is_valid():
            arguments, where = form.service_arguments()
            claim = attempt(form, lambda: services.claim_file(actor=request.user, case=case, **arguments), where)
            if claim is not None:
                messages.success(request, _("Claim filed with the Commission."))
                return redirect("cases:detail", case_id=case.pk)
    return render(request, "compensation/claim_new.html", {"case": case, "form": form},
                  status=400 if form.is_bound else 200)
