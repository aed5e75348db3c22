"""Forms that parse the pages' posts; the rules are the services', not the forms'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nrm.returns.models import CooperationPurpose, Direction, PermitKind


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required,
                           widget=forms.DateInput(attrs={"type": "date"}))


class ReflectionForm(forms.Form):
    start = _date(_("First day"))
    days = forms.IntegerField(label=_("Days granted (30 to 90)"), min_value=1, max_value=365)
    granted_by = forms.CharField(label=_("Granting authority (institution code)"), max_length=40)
    extends = forms.IntegerField(label=_("Extends the grant number (an extension only)"),
                                 required=False, min_value=1)


class RemovalOrderForm(forms.Form):
    ordered_on = _date(_("Applied on"))
    issued_by = forms.CharField(label=_("Issued by (institution code)"), max_length=40)


class InformedForm(forms.Form):
    informed_on = _date(_("Told on"))
    language = forms.CharField(label=_("Language used (ISO 639, e.g. sq)"), max_length=12)
    interpreter = forms.BooleanField(label=_("With an interpreter"), required=False)
    safe_return = forms.BooleanField(label=_("Told also of a safe return and the help with it (29.1.2)"),
                                     required=False)


class PermitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PermitKind.choices)
    valid_from = _date(_("Valid from"))
    valid_until = _date(_("Valid until"))
    issued_by = forms.CharField(label=_("Issued by (institution code)"), max_length=40)


class SupportForm(forms.Form):
    from_on = _date(_("From"))
    until_on = _date(_("Until (optional)"), required=False)
    provided_by = forms.CharField(label=_("Provided by (institution code)"), max_length=40)


TRISTATE = [("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]


class ReturnForm(forms.Form):
    destination = forms.CharField(label=_("Destination country (two letters)"), max_length=2)
    planned_on = _date(_("Planned for"))
    wants_to_return = forms.BooleanField(label=_("The person wishes to return"), required=False)
    asylum_requested = forms.ChoiceField(label=_("Asked, or may ask, for asylum (48.3)"),
                                         choices=TRISTATE, required=False)
    risk_assessed = forms.BooleanField(label=_("Risk and security assessment made"), required=False)
    risk_found = forms.ChoiceField(label=_("The assessment found a risk"), choices=TRISTATE,
                                   required=False)
    risk_assessment = forms.CharField(label=_("Risk and security assessment"), required=False,
                                      max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    non_refoulement_checked = forms.BooleanField(label=_("Non-refoulement checked (29.3)"),
                                                 required=False)
    asylum_checked = forms.BooleanField(label=_("Asylum checked (48.3)"), required=False)
    guardian_consent = forms.BooleanField(label=_("A child: the guardian consents (37.1)"),
                                          required=False)
    receiving_authority_consent = forms.BooleanField(
        label=_("A child: the receiving country's child protection authority consents (37.1)"),
        required=False)
    best_interests_determined = forms.BooleanField(
        label=_("A child: best interests determined (29.2)"), required=False)

    def service_data(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        for name in ("asylum_requested", "risk_found"):
            data[name] = {"yes": True, "no": False}.get(data.get(name) or "")
        return data


class ReturnChecksForm(forms.Form):
    """The checks recorded on a planned return since it was planned."""

    asylum_requested = ReturnForm.base_fields["asylum_requested"]
    risk_assessed = ReturnForm.base_fields["risk_assessed"]
    risk_found = ReturnForm.base_fields["risk_found"]
    risk_assessment = ReturnForm.base_fields["risk_assessment"]
    non_refoulement_checked = ReturnForm.base_fields["non_refoulement_checked"]
    asylum_checked = ReturnForm.base_fields["asylum_checked"]
    guardian_consent = ReturnForm.base_fields["guardian_consent"]
    receiving_authority_consent = ReturnForm.base_fields["receiving_authority_consent"]
    best_interests_determined = ReturnForm.base_fields["best_interests_determined"]
    version = forms.IntegerField(widget=forms.HiddenInput)

    def service_data(self) -> dict[str, object]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for name in ("asylum_requested", "risk_found"):
            data[name] = {"yes": True, "no": False}.get(data.get(name) or "")
        if data["risk_assessment"] == "":
            del data["risk_assessment"]  # an empty box keeps what was written, unseen or not
        return data


class CarryOutForm(forms.Form):
    carried_out_on = _date(_("Carried out on"))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConsularForm(forms.Form):
    mission = forms.CharField(label=_("Consular mission (institution code)"), max_length=40)
    country = forms.CharField(label=_("Country where the person is (two letters)"), max_length=2)
    contacted_on = _date(_("First contact on"))
    wants_to_return = forms.BooleanField(label=_("The person wishes to come home"), required=False)
    assistance = forms.CharField(label=_("Assistance given"), required=False, max_length=4000,
                                 widget=forms.Textarea(attrs={"rows": 2}))


class ConsularUpdateForm(forms.Form):
    travel_document_issued_on = _date(_("Free travel document issued on (32.1.2)"), required=False)
    repatriated_on = _date(_("Repatriated on"), required=False)
    handed_over_to = forms.CharField(label=_("Handed over to the case team at home (code)"),
                                     required=False, max_length=40)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CooperationForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    country = forms.CharField(label=_("Country (two letters)"), max_length=2)
    authority = forms.CharField(label=_("The other country's authority"), max_length=200)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=CooperationPurpose.choices)
    sent_on = _date(_("Sent or received on"))
    shares_identity = forms.BooleanField(label=_("Shares the victim's identity"), required=False)
    consent_id = forms.IntegerField(label=_("Under the consent number"), required=False, min_value=1)
    legal_basis = forms.CharField(label=_("Or the legal basis"), required=False, max_length=200)
    shared = forms.CharField(label=_("What was shared"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CooperationAnswerForm(forms.Form):
    answered_on = _date(_("Answered on"))
    answer = forms.CharField(label=_("The answer"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RemovalCheckForm(forms.Form):
    # Dates as text: the check refuses a malformed one itself, after auditing it.
    on = forms.CharField(label=_("Removal date (YYYY-MM-DD)"), required=False, max_length=20,
                         widget=forms.DateInput(attrs={"type": "date"}))
    given_name = forms.CharField(label=_("Given name"), required=False, max_length=200)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=200)
    birth_date = forms.CharField(label=_("Date of birth"), required=False, max_length=20,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    document_number = forms.CharField(label=_("Or the document number"), required=False,
                                      max_length=40)
