"""Forms of the compensation pages: they parse; the services decide. Amounts are text, so
"120.50" stays exact; the service refuses what is not an amount to the cent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nrm.compensation.models import (
    AppealOutcome,
    Basis,
    Claimant,
    Decision,
    Defendant,
    Ground,
    PaymentKind,
)

DATE = forms.DateInput(attrs={"type": "date"})
AMOUNT = {"max_length": 20, "required": False, "help_text": _("Euro, e.g. 120.50")}


class ClaimForm(forms.Form):
    commission = forms.ChoiceField(label=_("Commission"))
    claimant = forms.ChoiceField(label=_("Who claims"), choices=Claimant.choices)
    claimant_name = forms.CharField(label=_("Claimant's name"), max_length=200)
    basis = forms.ChoiceField(label=_("Basis of the claim"), choices=Basis.choices)
    defendant = forms.ChoiceField(label=_("The defendant"), required=False,
                                  choices=[("", _("Not recorded")), *Defendant.choices])
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE)
    time_runs_from = forms.DateField(label=_("The deadline runs from"), widget=DATE,
                                     help_text=_("The event from which the Criminal Procedure Code counts it (44.1)"))
    material_amount = forms.CharField(label=_("Material harm"), **AMOUNT)
    material_evidence = forms.CharField(label=_("Evidence of the material harm"), required=False, max_length=4000)
    physical_amount = forms.CharField(label=_("Physical harm"), **AMOUNT)
    physical_evidence = forms.CharField(label=_("Evidence of the physical harm"), required=False, max_length=4000)
    emotional_amount = forms.CharField(label=_("Emotional harm"), **AMOUNT)
    emotional_evidence = forms.CharField(label=_("Evidence of the emotional harm"), required=False, max_length=4000)
    offender_amount = forms.CharField(label=_("Received from the offender"), **AMOUNT)
    insurance_amount = forms.CharField(label=_("Received from insurance"), **AMOUNT)
    other_amount = forms.CharField(label=_("Received from other sources"), **AMOUNT)
    received_on = forms.DateField(label=_("Received on"), widget=DATE, required=False)
    documents = forms.CharField(label=_("Supporting documents, one a line"), widget=forms.Textarea(attrs={"rows": 3}),
                                required=False, max_length=4000)
    restitution_ordered = forms.CharField(label=_("Restitution ordered by the court"), **AMOUNT)
    fines_ordered = forms.CharField(label=_("Fines ordered on the offender"), **AMOUNT)

    def __init__(self, *args: Any, commissions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commission"].choices = commissions  # type: ignore[attr-defined]

    def service_arguments(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The service's arguments, and which form field each indexed service field is."""
        data = self.cleaned_data
        where: dict[str, str] = {}
        harms = []
        for kind in ("material", "physical", "emotional"):
            if data[f"{kind}_amount"] or data[f"{kind}_evidence"]:
                n = len(harms)
                where[f"harms.{n}.amount"], where[f"harms.{n}.evidence"] = f"{kind}_amount", f"{kind}_evidence"
                where[f"harms.{n}.kind"] = f"{kind}_amount"
                harms.append({"kind": kind, "amount": data[f"{kind}_amount"], "evidence": data[f"{kind}_evidence"]})
        where["harms"] = "material_amount"
        receipts = []
        for source in ("offender", "insurance", "other"):
            if data[f"{source}_amount"]:
                n = len(receipts)
                where[f"receipts.{n}.amount"] = f"{source}_amount"
                where[f"receipts.{n}.received_on"] = "received_on"
                receipts.append({"source": source, "amount": data[f"{source}_amount"],
                                 "received_on": data["received_on"] or data["filed_on"]})
        documents = [{"description": line.strip(), "received_on": data["filed_on"]}
                     for line in data["documents"].splitlines() if line.strip()]
        for n in range(len(documents)):
            where[f"documents.{n}.description"] = "documents"
        return {
            "commission": data["commission"], "claimant": data["claimant"], "claimant_name": data["claimant_name"],
            "basis": data["basis"], "defendant": data["defendant"], "filed_on": data["filed_on"],
            "time_runs_from": data["time_runs_from"], "harms": harms, "receipts": receipts,
            "documents": documents, "restitution_ordered": data["restitution_ordered"] or None,
            "fines_ordered": data["fines_ordered"] or None,
        }, where


class SessionForm(forms.Form):
    commission = forms.ChoiceField(label=_("Commission"))
    held_on = forms.DateField(label=_("Session day"), widget=DATE)

    def __init__(self, *args: Any, commissions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commission"].choices = commissions  # type: ignore[attr-defined]


class AgendaForm(forms.Form):
    claim = forms.ChoiceField(label=_("Claim to put on the agenda"))

    def __init__(self, *args: Any, claims: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["claim"].choices = claims  # type: ignore[attr-defined]


class PresentForm(forms.Form):
    members = forms.MultipleChoiceField(label=_("Members present"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = members  # type: ignore[attr-defined]


class MotionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision put to the vote"), choices=Decision.choices)
    amount = forms.CharField(label=_("Amount"), max_length=20, help_text=_("Euro, e.g. 120.50"))
    grounds = forms.MultipleChoiceField(label=_("Grounds for refusing or reducing"), choices=Ground.choices,
                                        widget=forms.SelectMultiple(attrs={"size": 4}), required=False)
    reason = forms.CharField(label=_("Reason for departing from the proposal"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(forms.Form):
    lodged_on = forms.DateField(label=_("Appeal lodged on"), widget=DATE)
    grounds = forms.CharField(label=_("Grounds of the appeal"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[c for c in AppealOutcome.choices if c[0] != "pending"])
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    decision = forms.ChoiceField(label=_("New decision"), required=False, choices=[("", "—"), *Decision.choices])
    amount = forms.CharField(label=_("New amount"), **AMOUNT)
    grounds = forms.MultipleChoiceField(label=_("Grounds for refusing or reducing"), choices=Ground.choices,
                                        widget=forms.SelectMultiple(attrs={"size": 4}), required=False)
    reason = forms.CharField(label=_("Why the appeal succeeded"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Payment"), choices=PaymentKind.choices)
    amount = forms.CharField(label=_("Amount"), max_length=20, help_text=_("Euro, e.g. 120.50"))
    on = forms.DateField(label=_("On"), widget=DATE)
    instalment = forms.IntegerField(label=_("Instalment"), min_value=1, max_value=1000, initial=1)
