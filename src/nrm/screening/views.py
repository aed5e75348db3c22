"""Pages: screen a case against the indicator list in force, see the combination's advice
per element, and decide reasonable grounds (Art. 3.1.17, 9.2, 12.2, 20.5).

The advice never decides: the official does. Views parse, call the screening services
and selectors, and render; with htmx the result panel is swapped in place, and without
JavaScript the same forms post and redirect.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from nrm.authorities import access
from nrm.cases.models import Case
from nrm.cases.selectors import case_get
from nrm.errors import ActingUnclear, CaseNotFound, NotAllowed, ScreeningError
from nrm.screening.models import Audience, Decision, Exploitation, IndicatorList, Screening
from nrm.screening.selectors import indicator_list_in_force, screening_list
from nrm.screening.services import screening_decide, screening_record
from nrm.web.guard import guarded

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CANNOT_CHANGE = gettext_lazy("You may see this case but your role may not screen it or decide on it.")
# The case facts' forms of exploitation that the sexual-exploitation indicators cover.
SEXUAL = frozenset({"sexual", "pornography"})


class ScreeningForm(forms.Form):
    exploitation = forms.ChoiceField(label=gettext_lazy("Form of exploitation"),
                                     choices=Exploitation.choices)
    screened_on = forms.DateField(label=gettext_lazy("Screened on"), widget=DATE)
    observed = forms.MultipleChoiceField(label=gettext_lazy("Indicators observed"), required=False,
                                         choices=(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observed"].choices = [(c, c) for c in codes]  # type: ignore[attr-defined]


class ScreeningDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), widget=forms.RadioSelect,
        choices=[(Decision.REASONABLE_GROUNDS, Decision.REASONABLE_GROUNDS.label),
                 (Decision.NO_REASONABLE_GROUNDS, Decision.NO_REASONABLE_GROUNDS.label)])
    grounds = forms.CharField(label=gettext_lazy("Grounds"), widget=forms.Textarea(attrs={"rows": 3}))


def default_exploitation(case: Case) -> str:
    chosen = set(case.facts.get("exploitation") or [])
    return Exploitation.SEXUAL if chosen & SEXUAL and not chosen - SEXUAL else Exploitation.LABOUR


def _title(titles: Any, language: str) -> str:
    if not isinstance(titles, dict):
        return str(titles)
    return titles.get(language[:2]) or titles.get("en") or next(iter(titles.values()), "")


def indicator_groups(indicator_list: IndicatorList, audience: str, exploitation: str) -> list[dict[str, Any]]:
    """The list's indicators for this audience and form, grouped by dimension in the rule's order."""
    language = get_language() or "en"
    indicators = list(indicator_list.indicators.filter(audience=audience, exploitation=exploitation)
                      .order_by("code"))
    order = [d for e in indicator_list.rule.get("elements", []) for d in e["dimensions"]]
    order += [d for d in indicator_list.dimensions if d not in order]
    groups = []
    for dimension in order:
        mine = [{"code": i.code, "strength": i.strength, "strength_label": i.get_strength_display(),
                 "text": i.localised_text(language)} for i in indicators if i.dimension == dimension]
        if mine:
            groups.append({"code": dimension, "indicators": mine,
                           "title": _title(indicator_list.dimensions.get(dimension, dimension), language)})
    return groups


def result_lines(screening: Screening) -> list[dict[str, Any]]:
    element_titles = {"recruitment": _("Recruitment"), "exploitation": _("Exploitation"),
                      "means": _("Means")}
    return [{"code": code, "title": element_titles.get(code, code), **data}
            for code, data in screening.result.items()]


def _may_change(user: Any, case: Case) -> bool:
    return access.cases(user, access.Action.CHANGE).filter(pk=case.pk).exists()


def _page(request: HttpRequest, case: Case, *, form: ScreeningForm | None = None,
          exploitation: str | None = None, result: Screening | None = None,
          decision_form: ScreeningDecisionForm | None = None, refusal: str = "",
          status: int = 200) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    audience = Audience.CHILD if case.child else Audience.ADULT
    if exploitation not in Exploitation.values:
        exploitation = default_exploitation(case)
    in_force = indicator_list_in_force(on=today, audience=audience, exploitation=exploitation)
    groups = indicator_groups(in_force, audience, exploitation) if in_force else []
    codes = [i["code"] for g in groups for i in g["indicators"]]
    if form is None:
        form = ScreeningForm(codes=codes, initial={"exploitation": exploitation, "screened_on": today})
    observed = set(form["observed"].value() or [])
    for group in groups:
        for indicator in group["indicators"]:
            indicator["checked"] = indicator["code"] in observed
    context = {
        "case": case, "audience": audience, "audience_label": Audience(audience).label,
        "exploitation": exploitation, "in_force": in_force, "groups": groups, "form": form,
        "in_force_title": in_force.localised_title(get_language() or "en") if in_force else "",
        "result": result, "result_lines": result_lines(result) if result else [],
        "decision_form": decision_form or ScreeningDecisionForm(),
        "screenings": list(screening_list(user=user).filter(case=case)),
        "may_change": _may_change(user, case), "refusal": refusal,
        "exploitations": Exploitation.choices,
    }
    template = "screening/_panel.html" if getattr(request, "htmx", False) else "screening/case.html"
    return render(request, template, context, status=status)


@guarded
def case_screening(request: HttpRequest, case_id: int) -> HttpResponse:
    if request.method == "POST":
        return _screen(request, case_id)
    case = case_get(user=request.user, case_id=case_id, purpose="screening")
    result = None
    if request.GET.get("result", "").isdigit():
        result = screening_list(user=request.user).filter(case=case, pk=int(request.GET["result"])).first()
    return _page(request, case, exploitation=request.GET.get("exploitation"), result=result)


def _screen(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id, purpose="screening")
    audience = Audience.CHILD if case.child else Audience.ADULT
    exploitation = request.POST.get("exploitation", "")
    if exploitation not in Exploitation.values:
        exploitation = default_exploitation(case)
    today = timezone.localdate()
    in_force = indicator_list_in_force(on=today, audience=audience, exploitation=exploitation)
    codes = [] if in_force is None else list(
        in_force.indicators.filter(audience=audience, exploitation=exploitation).values_list("code", flat=True))
    form = ScreeningForm(request.POST, codes=codes)
    if not form.is_valid():
        return _page(request, case, form=form, exploitation=exploitation, status=400)
    data = form.cleaned_data
    listed = indicator_list_in_force(on=data["screened_on"], audience=audience, exploitation=exploitation)
    if listed is None:
        form.add_error("screened_on", _("No indicator list was in force on that date."))
        return _page(request, case, form=form, exploitation=exploitation, status=400)
    try:
        screening = screening_record(actor=request.user, case=case, list=listed, observed=data["observed"],
                                     screened_on=data["screened_on"], audience=audience,
                                     exploitation=exploitation)
    except ScreeningError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, str(error).removeprefix(f"{error.field}: "))
        return _page(request, case, form=form, exploitation=exploitation, status=400)
    except (CaseNotFound, NotAllowed, ActingUnclear) as error:
        refusal = str(CANNOT_CHANGE) if isinstance(error, CaseNotFound) else error.message
        return _page(request, case, form=form, exploitation=exploitation, refusal=refusal,
                     status=403)
    if getattr(request, "htmx", False):
        return _page(request, case, form=form, exploitation=exploitation, result=screening)
    url = reverse("screening:case", kwargs={"case_id": case.pk})
    return redirect(f"{url}?exploitation={exploitation}&result={screening.pk}")


@guarded
def screening_decision(request: HttpRequest, screening_id: int) -> HttpResponse:
    screening = screening_list(user=request.user).filter(pk=screening_id).first()
    if screening is None:
        raise Http404
    if request.method != "POST":
        return redirect("screening:case", case_id=screening.case_id)
    case = case_get(user=request.user, case_id=screening.case_id, audit=False)
    form = ScreeningDecisionForm(request.POST)
    problem = {"form": None, "exploitation": screening.exploitation, "result": screening,
               "decision_form": form}
    if not form.is_valid():
        return _page(request, case, **problem, status=400)
    try:
        screening_decide(actor=request.user, screening=screening, **form.cleaned_data)
    except ScreeningError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, str(error).removeprefix(f"{error.field}: "))
        return _page(request, case, **problem, status=400)
    except (CaseNotFound, NotAllowed, ActingUnclear) as error:
        refusal = str(CANNOT_CHANGE) if isinstance(error, CaseNotFound) else error.message
        return _page(request, case, **problem, refusal=refusal, status=403)
    if form.cleaned_data["decision"] == Decision.REASONABLE_GROUNDS:
        messages.success(request, _("Reasonable grounds recorded: the person is a presumed victim "
                                    "and is treated as an identified victim at once (Art. 20.5)."))
    else:
        messages.success(request, _("Decision recorded: no reasonable grounds."))
    return redirect("cases:detail", case_id=case.pk)
