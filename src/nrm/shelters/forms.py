"""Forms of the shelter manager's page: they parse; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nrm.shelters.models import Destination, ExtensionBasis

DATE = forms.DateInput(attrs={"type": "date"})


class AdmissionForm(forms.Form):
    case_id = forms.TypedChoiceField(label=_("Referred victim (case)"), coerce=int)
    unit_id = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    admitted_on = forms.DateField(label=_("Admitted on"), widget=DATE)
    days = forms.IntegerField(label=_("Assessed stay in days (30 to 90, Art. 23.6)"),
                              min_value=0, max_value=36_500)

    def __init__(self, *args: Any, cases: list[tuple[int, str]], units: list[tuple[int, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_id"].choices = cases  # type: ignore[attr-defined]
        self.fields["unit_id"].choices = units  # type: ignore[attr-defined]


class ExtensionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    basis = forms.ChoiceField(label=_("Basis"), choices=ExtensionBasis.choices)
    days = forms.IntegerField(label=_("Days"), min_value=0, max_value=36_500)
    document = forms.CharField(label=_("Document (reference of the recommendation or request)"),
                               max_length=120)


class DischargeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    left_on = forms.DateField(label=_("Left on"), widget=DATE)
    destination = forms.ChoiceField(label=_("Destination"), choices=Destination.choices)


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Unit name"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    capacity = forms.IntegerField(label=_("Beds"), max_value=10_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from nrm.shelters.models import UnitKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = UnitKind.choices  # type: ignore[attr-defined]


class SecurityRequestForm(forms.Form):
    """The shelter asks the police for assistance and safety (23.5)."""

    police = forms.ChoiceField(label=_("Police institution"), choices=[])
    reason = forms.CharField(label=_("Why the shelter needs the police"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, police: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["police"].choices = police  # type: ignore[attr-defined]


class SecurityResponseForm(forms.Form):
    response = forms.CharField(label=_("The police's response"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))
