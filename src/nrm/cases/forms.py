"""Forms that parse the case pages' posts; the rules are the services', not the forms'.

A form only turns text into types. Whether the facts hold together, and who may decide
what, is decided by nrm.cases.services and nrm.cases.decisions, whose errors the views put
back next to the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nrm.cases.models import ClosureReason, Right, Sex, Stage
from nrm.law import codes

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNKNOWN = [("", _("Not known"))]
TRISTATE = [("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]

EXPLOITATION_CHOICES = [
    ("sexual", _("Sexual exploitation")),
    ("pornography", _("Pornography")),
    ("begging", _("Begging")),
    ("forced_labour", _("Forced labour or services")),
    ("slavery", _("Slavery or practices similar to slavery")),
    ("servitude", _("Servitude")),
    ("organ_removal", _("Removal of organs")),
    ("forced_marriage", _("Forced marriage")),
    ("illegal_adoption", _("Illegal adoption")),
    ("other", _("Other")),
]
assert {c for c, _label in EXPLOITATION_CHOICES} == codes.EXPLOITATION_TYPES  # noqa: S101 - kept in step

STAY_CHOICES = UNKNOWN + [("regular", _("Regular")), ("irregular", _("Irregular"))]
assert {c for c, _label in STAY_CHOICES if c} == codes.STAYS  # noqa: S101
LOCATED_CHOICES = UNKNOWN + [("kosovo", _("In Kosovo")), ("abroad", _("Abroad"))]
assert {c for c, _label in LOCATED_CHOICES if c} == codes.LOCATIONS  # noqa: S101


def _tristate(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class CaseRegisterForm(forms.Form):
    """Who the person is, and the facts known at first contact (Art. 3.1.17, 9.2, 20.5)."""

    given_name = forms.CharField(label=_("Given name"), required=False)
    family_name = forms.CharField(label=_("Family name"), required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    contact = forms.CharField(label=_("Contact details"), required=False)
    document_number = forms.CharField(label=_("Identity document number"), required=False)
    address = forms.CharField(label=_("Address"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    citizenship = forms.CharField(
        label=_("Citizenship"), required=False, max_length=2,
        help_text=_("Two-letter country code (ISO 3166); XK for Kosovo."))
    stay = forms.ChoiceField(label=_("Stay in Kosovo"), choices=STAY_CHOICES, required=False)
    believed_under_18 = forms.BooleanField(
        label=_("Believed to be under 18 (age not ascertained, Art. 36)"), required=False)
    lacks_means = forms.BooleanField(label=_("Lacks means of subsistence"), required=False)
    reasonable_grounds_on = forms.DateField(
        label=_("Reasonable grounds recorded on"), required=False, widget=DATE,
        help_text=_("With reasonable grounds the person is a presumed victim at once (Art. 3.1.17, 20.5)."))
    exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation"), choices=EXPLOITATION_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple)
    located = forms.ChoiceField(label=_("Where the person is"), choices=LOCATED_CHOICES, required=False)
    cooperating = forms.ChoiceField(
        label=_("Cooperating with the authorities"), choices=TRISTATE, required=False)

    IDENTITY = ("given_name", "family_name", "birth_date", "contact", "document_number", "address")

    def service_arguments(self) -> dict[str, Any]:
        """The keyword arguments of nrm.cases.services.case_register, from clean data."""
        data = self.cleaned_data
        person_facts: dict[str, Any] = {}
        if data["stay"]:
            person_facts["stay"] = data["stay"]
        if data["believed_under_18"]:
            person_facts["believed_under_18"] = True
        if data["lacks_means"]:
            person_facts["lacks_means"] = True
        case_facts: dict[str, Any] = {}
        if data["reasonable_grounds_on"]:
            case_facts["reasonable_grounds_on"] = data["reasonable_grounds_on"].isoformat()
        if data["exploitation"]:
            case_facts["exploitation"] = list(data["exploitation"])
        if data["located"]:
            case_facts["located"] = data["located"]
        cooperating = _tristate(data["cooperating"])
        if cooperating is not None:
            case_facts["cooperating"] = cooperating
        return {
            "identity": {k: data[k] for k in self.IDENTITY if data[k] not in (None, "")},
            "sex": data["sex"],
            "citizenship": (data["citizenship"] or "").strip().upper(),
            "person_facts": person_facts,
            "case_facts": case_facts,
        }


class DutyCompleteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    """A stage decision (identification, closure...): the service checks who may take it."""

    to_stage = forms.ChoiceField(label=_("New stage"), choices=())
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}))
    closure_reason = forms.ChoiceField(
        label=_("Reason for closing (only when closing)"), required=False,
        choices=UNKNOWN + list(ClosureReason.choices))

    def __init__(self, *args: Any, stages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Stage.choices) | {"reopen": _("Reopen the case")}
        self.fields["to_stage"].choices = [(s, labels[s]) for s in stages]  # type: ignore[attr-defined]


class RightsForm(forms.Form):
    """Rights explained to the person (20.2.1; to a child as a child understands, 35.1.4)."""

    rights = forms.MultipleChoiceField(label=_("Rights explained"), choices=Right.choices,
                                       widget=forms.CheckboxSelectMultiple)
    explained_on = forms.DateField(label=_("Explained on"), widget=DATE)
    language = forms.CharField(label=_("Language used (ISO 639 code, e.g. sq, sr, en)"), max_length=12)
    interpreter = forms.BooleanField(label=_("Through an interpreter"), required=False)
    child_appropriate = forms.BooleanField(
        label=_("Explained in a manner a child understands (Art. 35.1.4)"), required=False)

    def __init__(self, *args: Any, missing: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Right.choices)
        self.fields["rights"].choices = [(r, labels[r]) for r in missing]  # type: ignore[attr-defined]


def field_of(form: forms.Form, dotted: str) -> str | None:
    """The form field a service's dotted field names ("person.birth_date" → "birth_date")."""
    parts = dotted.split(".")
    if parts and parts[0] in ("person", "case"):
        parts = parts[1:]
    for name in (".".join(parts), parts[0] if parts else ""):
        if name in form.fields:
            return name
    return None


def add_service_error(form: forms.Form, dotted: str, message: str) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    name = field_of(form, dotted)
    if name is None:
        form.add_error(None, f"{dotted}: {message}" if dotted else message)
    else:
        form.add_error(name, message)
