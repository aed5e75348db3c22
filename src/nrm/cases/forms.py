"""Forms that parse the case pages' posts; the rules are the services', not the forms'.

A form only turns text into types. Whether the facts hold together, and who may decide
what, is decided by nrm.cases.services and nrm.cases.decisions, whose errors the views put
back next to the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nrm.cases.models import ClosureReason, Region, Right, Sex, Stage
from nrm.cases.services import IDENTITY_MAX_LENGTH
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
# A child deprived of parental care (unaccompanied, separated, or whose parents cannot
# care for them) is owed a legal guardian (38.5) and an urgent search for the family (38.11).
PARENTAL_CARE_CHOICES = [
    ("", _("Not known")),
    ("yes", _("Under the care of a parent")),
    ("no", _("Without parental care (unaccompanied or separated child)")),
]
# Where the person was identified (a quasi-identifier, shown with the identity only).
REGION_CHOICES = UNKNOWN + list(Region.choices)
GROUNDS_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 2000


def _text(label: Any, name: str, **kwargs: Any) -> forms.CharField:
    """A text field with the service's limit, also as the input's maxlength."""
    return forms.CharField(label=label, required=False, max_length=IDENTITY_MAX_LENGTH[name], **kwargs)


def _tristate(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class CaseRegisterForm(forms.Form):
    """Who the person is, and the facts known at first contact (Art. 3.1.17, 9.2, 20.5)."""

    given_name = _text(_("Given name"), "given_name")
    family_name = _text(_("Family name"), "family_name")
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    contact = _text(_("Contact details"), "contact")
    document_number = _text(_("Identity document number"), "document_number")
    address = _text(_("Address"), "address")
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    citizenship = forms.CharField(
        label=_("Citizenship"), required=False, max_length=2,
        help_text=_("Two-letter country code (ISO 3166); XK for Kosovo."))
    stay = forms.ChoiceField(label=_("Stay in Kosovo"), choices=STAY_CHOICES, required=False)
    believed_under_18 = forms.BooleanField(
        label=_("Believed to be under 18 (age not ascertained, Art. 36)"), required=False)
    parental_care = forms.ChoiceField(
        label=_("Parental care (for a child, Art. 38.5, 38.11)"), choices=PARENTAL_CARE_CHOICES,
        required=False,
        help_text=_("A child without parental care is owed a legal guardian and a search for the family."))
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
    region = forms.ChoiceField(
        label=_("Region where the person was identified"), choices=REGION_CHOICES, required=False,
        help_text=_("Shown only to those who may see the person's identity."))

    IDENTITY = ("given_name", "family_name", "birth_date", "contact", "document_number", "address")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A fact an app's provider owns (where the person is: returns) is recorded there, not
        # at registration (docs/adding-an-app.md).
        from nrm.cases.legal import PROVIDERS

        owned = {fact for provider in PROVIDERS.values() for fact in provider.facts}
        for name in ("located", "cooperating"):
            if name in owned:
                del self.fields[name]

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
        parental_care = _tristate(data["parental_care"])
        if parental_care is not None:
            person_facts["parental_care"] = parental_care
        case_facts: dict[str, Any] = {}
        if data["reasonable_grounds_on"]:
            case_facts["reasonable_grounds_on"] = data["reasonable_grounds_on"].isoformat()
        if data["exploitation"]:
            case_facts["exploitation"] = list(data["exploitation"])
        if data.get("located"):
            case_facts["located"] = data["located"]
        cooperating = _tristate(data.get("cooperating", ""))
        if cooperating is not None:
            case_facts["cooperating"] = cooperating
        return {
            "identity": {k: data[k] for k in self.IDENTITY if data[k] not in (None, "")},
            "sex": data["sex"],
            "citizenship": (data["citizenship"] or "").strip().upper(),
            "person_facts": person_facts,
            "case_facts": case_facts,
            "region": data["region"] or "",
        }


class DutyCompleteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    """A stage decision (identification, closure...): the service checks who may take it."""

    to_stage = forms.ChoiceField(label=_("New stage"), choices=())
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    grounds = forms.CharField(label=_("Grounds"), max_length=GROUNDS_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 3}))
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
    for name in (".".join(parts), "_".join(parts), parts[0] if parts else ""):
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


# --- The facts form ---------------------------------------------------------------------
# Every fact of the law contract (law/CONTRACT.md) that no other record provides: not the
# identity (registration), not the dates decisions record (reasonable grounds,
# identification), not what an app's fact provider owns (a stay in a shelter, proceedings).
# (form field, dotted fact, kind); a boolean is a three-way choice: not known, yes, no.
FACT_FIELDS: list[tuple[str, str, str]] = [
    ("birth_date", "person.birth_date", "date"),
    ("age_ascertained", "person.age_ascertained", "bool"),
    ("believed_under_18", "person.believed_under_18", "bool"),
    ("sex", "person.sex", "sex"),
    ("citizenship", "person.citizenship", "country"),
    ("parental_care", "person.parental_care", "parental_care"),
    ("stay", "person.stay", "stay"),
    ("lacks_means", "person.lacks_means", "bool"),
    ("asylum_requested", "person.asylum_requested", "bool"),
    ("pregnant", "person.pregnant", "bool"),
    ("disability", "person.disability", "bool"),
    ("domestic_partner_of_offender", "person.domestic_partner_of_offender", "bool"),
    ("located", "case.located", "located"),
    ("exploitation", "case.exploitation", "exploitation"),
    ("cooperating", "case.cooperating", "bool"),
    ("risk_to_life", "case.risk_to_life", "bool"),
    ("organized_crime_involvement", "case.organized_crime_involvement", "bool"),
    ("presence_needed_for_proceedings", "case.presence_needed_for_proceedings", "bool"),
    ("wants_to_return", "case.wants_to_return", "bool"),
    ("deportation_ordered_on", "case.deportation_ordered_on", "date"),
    ("reflection_start", "case.reflection.start", "date"),
    ("reflection_days", "case.reflection.days", "days"),
]


def _fact_field(name: str, dotted: str, kind: str) -> forms.Field:
    from nrm.cases.fact_labels import FACT_LABELS

    label = FACT_LABELS.get(dotted.partition(".")[2], dotted)
    if kind == "date":
        return forms.DateField(label=label, required=False, widget=DATE)
    if kind == "days":
        return forms.IntegerField(label=label, required=False, min_value=1, max_value=3650)
    if kind == "country":
        return forms.CharField(label=label, required=False, max_length=2,
                               help_text=_("Two-letter country code (ISO 3166); XK for Kosovo."))
    if kind == "exploitation":
        return forms.MultipleChoiceField(label=label, choices=EXPLOITATION_CHOICES, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    choices = {"bool": TRISTATE, "sex": list(Sex.choices), "stay": STAY_CHOICES,
               "located": LOCATED_CHOICES, "parental_care": PARENTAL_CARE_CHOICES}[kind]
    return forms.ChoiceField(label=label, choices=choices, required=False)


def _as_form(kind: str, value: Any) -> Any:
    if value is None:
        return [] if kind == "exploitation" else ""
    if kind in ("bool", "parental_care"):
        return "yes" if value else "no"
    if kind == "exploitation":
        return list(value)
    return value


def _as_fact(kind: str, value: Any) -> Any:
    if kind in ("bool", "parental_care"):
        return _tristate(value)
    if kind == "date":
        return value.isoformat() if value else None
    if kind == "exploitation":
        return list(value) or None
    if kind == "country":
        return (value or "").strip().upper() or None
    return None if value in ("", None) else value


class FactsForm(forms.Form):
    """The facts the law reads, as the case team may change them; `version` is the If-Match
    of the page: the version of the case the official read."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, current: dict[str, Any], owned: set[str], birth_date_shown: bool,
                 region: str | None = None, **kwargs: Any) -> None:
        """`current`: {"person": ..., "case": ...} as shown to the official; `owned`: dotted
        facts an app provides; the birth date, and `region` (where the person was
        identified, as shown), only to whoever sees the identity."""
        self.specs = [(n, d, k) for n, d, k in FACT_FIELDS
                      if d.partition(".")[2].partition(".")[0] not in owned
                      and (birth_date_shown or n != "birth_date")]
        self.current = current
        initial = kwargs.pop("initial", {})
        for name, dotted, kind in self.specs:
            initial.setdefault(name, _as_form(kind, self._current(dotted)))
        self.region_shown = birth_date_shown
        self.region = region or ""
        if self.region_shown:
            initial.setdefault("region", self.region)
        super().__init__(*args, initial=initial, **kwargs)
        for name, dotted, kind in self.specs:
            self.fields[name] = _fact_field(name, dotted, kind)
        if self.region_shown:
            # Not a fact of the law: the case's own column, changed with the facts (If-Match).
            self.fields["region"] = forms.ChoiceField(
                label=_("Region where the person was identified"), choices=REGION_CHOICES,
                required=False)

    def _current(self, dotted: str) -> Any:
        value: Any = self.current
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if dotted == "person.sex" and value is None:
            return Sex.UNKNOWN
        return value

    def patch(self) -> dict[str, Any]:
        """A merge patch of what the official changed, and nothing else (a fact not known
        is removed), shaped as nrm.cases.services.case_update takes it: "person" and
        "case", and "region" only when it changed."""
        data = self.cleaned_data
        patch: dict[str, Any] = {"person": {}, "case": {}}
        if self.region_shown and (data.get("region") or "") != self.region:
            patch["region"] = data.get("region") or ""
        reflection: dict[str, Any] = {}
        reflection_changed = False
        for name, dotted, kind in self.specs:
            new = _as_fact(kind, data.get(name))
            old = self._current(dotted)
            if dotted.startswith("case.reflection."):
                reflection[dotted.rpartition(".")[2]] = new
                reflection_changed |= new != old
                continue
            if kind == "date" and old is not None:
                old = str(old)
            if kind == "exploitation":
                changed = sorted(new or []) != sorted(old or [])
            else:
                changed = new != (old if old != "" else None)
            if changed:
                section, _dot, fact = dotted.partition(".")
                patch[section][fact] = new
        if reflection_changed:
            kept = {k: v for k, v in reflection.items() if v is not None}
            patch["case"]["reflection"] = kept or None
        return patch
