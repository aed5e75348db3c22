"""Forms that parse the pages' posts; the rules are the services', not the forms'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nrm.referrals.models import ConsentGiver, DeclineReason, GoalArea, GoalStatus, Service
from nrm.referrals.services import GOAL_MAX_LENGTH, LANGUAGE_MAX_LENGTH, NOTE_MAX_LENGTH

SCOPE_CHOICES = [("all", _("All services")), *Service.choices]


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    given_on = forms.DateField(label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}))
    scope = forms.MultipleChoiceField(label=_("Services covered"), choices=SCOPE_CHOICES)
    recipient = forms.CharField(label=_("Only for institution (code, optional)"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReferralForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    provider = forms.ChoiceField(label=_("Provider"), choices=())
    due_on = forms.DateField(label=_("Answer due (empty: the service's default)"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.CharField(label=_("Language the victim understands"), required=False,
                               max_length=LANGUAGE_MAX_LENGTH)

    def __init__(self, *args: object, providers: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["provider"].choices = providers  # type: ignore[attr-defined]


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH)


class GoalForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=GoalArea.choices)
    description = forms.CharField(label=_("Goal"), max_length=GOAL_MAX_LENGTH,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Owner institution (code)"))
    owner_user = forms.CharField(label=_("Owner official (user name, optional)"), required=False)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH)


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
