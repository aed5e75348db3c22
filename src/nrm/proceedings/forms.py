"""Forms that parse the pages' posts; the rules are the services', not the forms'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nrm.proceedings.models import (
    AssetAction,
    ClosureDecision,
    Custody,
    DefendantRole,
    Liability,
    MeasureArticle,
    MeasureKind,
    Outcome,
    PersonKind,
    Stage,
)

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class OpenForm(forms.Form):
    court_file_number = forms.CharField(label=_("Court file number"), max_length=60)
    case_reference = forms.CharField(label=_("Victim's case reference"), max_length=20)
    investigation_on = forms.DateField(label=_("Investigation opened on"), **DATE)


class StageForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    prosecution_on = forms.DateField(label=_("Indictment filed on"), required=False, **DATE)
    trial_on = forms.DateField(label=_("Trial opened on"), required=False, **DATE)
    concluded_on = forms.DateField(label=_("Concluded on"), required=False, **DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=[("", "—"), *Outcome.choices])


class WithdrawalForm(forms.Form):
    case_id = forms.TypedChoiceField(label=_("Victim"), coerce=int, choices=())
    withdrawn_on = forms.DateField(label=_("Statement withdrawn on"), **DATE)

    def __init__(self, *args: object, victims: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["case_id"].choices = victims  # type: ignore[attr-defined]


class DefendantForm(forms.Form):
    kind = forms.ChoiceField(label=_("Natural or legal person"), choices=PersonKind.choices)
    role = forms.ChoiceField(label=_("Suspect or defendant"), choices=DefendantRole.choices)
    name = forms.CharField(label=_("Name"), max_length=300)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, **DATE)
    registration_number = forms.CharField(label=_("Business registration number"), required=False,
                                          max_length=100)
    liability = forms.ChoiceField(label=_("Basis of a legal person's liability"), required=False,
                                  choices=[("", "—"), *Liability.choices])
    victim_case_reference = forms.CharField(
        label=_("If this person is a presumed or identified victim: their case reference"),
        required=False, max_length=20)
    override_ground = forms.CharField(label=_("Ground for proceeding despite the prohibition (13.1, 13.2)"),
                                      required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CustodyForm(forms.Form):
    defendant_id = forms.TypedChoiceField(label=_("Suspect or defendant"), coerce=int, choices=())
    custody = forms.ChoiceField(label=_("Custody"), choices=Custody.choices)
    on = forms.DateField(label=_("On"), **DATE)

    def __init__(self, *args: object, defendants: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["defendant_id"].choices = defendants  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    session_on = forms.DateField(label=_("Sentencing session on"), **DATE)


class InformForm(forms.Form):
    informed_on = forms.DateField(label=_("Told on"), **DATE)
    information = forms.CharField(label=_("What the victim was told"), widget=forms.Textarea(attrs={"rows": 2}))


class InterviewForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), **DATE)
    interviewer = forms.CharField(label=_("Interviewer"), max_length=200)
    premises = forms.CharField(label=_("Premises"), required=False, max_length=200)
    child_appropriate_premises = forms.NullBooleanField(
        label=_("Premises designed or adapted for a child"), required=False,
        widget=forms.Select(choices=[("unknown", _("Not recorded")), ("true", _("Yes")), ("false", _("No"))]))
    recorded_for_trial = forms.BooleanField(label=_("Recorded for use at trial (15.2)"), required=False)
    exceptional_ground = forms.CharField(
        label=_("Exceptional ground for a further interview of a child (16.1.5)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}))
    acknowledge_repeat = forms.BooleanField(
        label=_("The interview took place without an exceptional ground: record it anyway"),
        required=False)


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices)
    article = forms.ChoiceField(label=_("Ordered under"), choices=[("", "—"), *MeasureArticle.choices],
                                required=False)
    ordered_by = forms.CharField(label=_("Ordered by (institution code; yours if empty)"), required=False,
                                 max_length=60)
    ordered_on = forms.DateField(label=_("In force from"), **DATE)
    ended_on = forms.DateField(label=_("In force until"), required=False, **DATE)
    decision_reference = forms.CharField(label=_("Court decision (required for a change of identity)"),
                                         required=False, max_length=60)
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssetForm(forms.Form):
    asset_action = forms.ChoiceField(label=_("Assets"), choices=AssetAction.choices)
    amount = forms.DecimalField(label=_("Amount in euros"), max_digits=14, decimal_places=2)
    on = forms.DateField(label=_("On"), **DATE)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class ClosureForm(forms.Form):
    premises = forms.CharField(label=_("Premises or business to close (Art. 17)"), max_length=500)
    requested_on = forms.DateField(label=_("Requested on"), **DATE)


class ClosureDecisionForm(forms.Form):
    closure_id = forms.TypedChoiceField(label=_("Request"), coerce=int, choices=())
    decision = forms.ChoiceField(label=_("Decision"), choices=[
        (ClosureDecision.GRANTED, ClosureDecision.GRANTED.label),
        (ClosureDecision.REFUSED, ClosureDecision.REFUSED.label)])
    decided_on = forms.DateField(label=_("Decided on"), **DATE)

    def __init__(self, *args: object, closures: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["closure_id"].choices = closures  # type: ignore[attr-defined]
