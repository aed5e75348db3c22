from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ProgressForm(forms.Form):
    activity = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    progress = forms.DecimalField(label=_("Reported progress"), max_digits=12, decimal_places=2,
                                  min_value=0)
    completed = forms.BooleanField(label=_("Completed"), required=False)
