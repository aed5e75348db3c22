"""Reading an HTCDS file's rows into registrations, checking every field of every row first.

Nothing is stored here. Every fault is collected as "row N, field F: reason" so that the
sender can correct the whole file at once; one fault refuses the whole file.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from nrm.errors import RowError
from nrm.exchange import htcds
from nrm.law.errors import LawError
from nrm.law.facts import Facts
from nrm.web.unicode import first_fault

REQUIRED = ("cas_CaseNumber", "vic_TraffickingStatus")
TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}
# Held by the Person's own columns, never twice (the birth date is identity: Art. 18).
PERSON_COLUMNS = {"birth_date": "prs_Birthdate", "sex": "prs_Gender",
                  "citizenship": "prs_Citizenship"}
PAST_FACTS = ("reasonable_grounds_on", "identified_on")


@dataclass
class Registration:
    """One row, ready for case_register: what NRM will store for it."""

    source_number: str
    identity: dict[str, Any]
    sex: str
    citizenship: str
    person_facts: dict[str, Any]
    case_facts: dict[str, Any]
    child: bool
    demo: bool
    stage: str
    kept_values: dict[str, Any] = field(default_factory=dict)
    kept_text: dict[str, Any] = field(default_factory=dict)


class _Row:
    def __init__(self, number: int, data: dict[str, Any], today: dt.date) -> None:
        self.number, self.data, self.today = number, data, today
        self.errors: list[RowError] = []

    def fail(self, name: str, reason: str) -> None:
        self.errors.append(RowError(self.number, name, reason))

    def value(self, name: str) -> Any:
        spec = htcds.BY_NAME[name]
        raw = self.data.get(name)
        if raw is None or raw == "" or raw == []:
            return htcds.empty(spec)
        # Text no database stores alike (a lone surrogate, NUL) is refused here, whatever
        # the field's type: one such value once made every export fail.
        fault = first_fault(raw)
        if fault is not None:
            self.fail(name if not fault[0] else f"{name}.{fault[0]}", fault[1])
            return htcds.empty(spec)
        reader = getattr(self, "_" + spec.type)
        try:
            return reader(spec, raw)
        except ValueError as error:
            self.fail(name, str(error))
            return htcds.empty(spec)

    def _text(self, spec: htcds.Field, raw: Any) -> str:
        if not isinstance(raw, str):
            raise ValueError("expected text")
        return raw.strip()

    def _date(self, spec: htcds.Field, raw: Any) -> str:
        try:
            day = dt.date.fromisoformat(str(raw))
        except ValueError:
            raise ValueError(f"{raw!r} is not an ISO 8601 date (YYYY-MM-DD)") from None
        if day > self.today:
            raise ValueError(f"{day.isoformat()} is in the future")
        return day.isoformat()

    def _picklist(self, spec: htcds.Field, raw: Any) -> str:
        value = self._text(spec, raw)
        if value not in spec.picklist:
            raise ValueError(f"unknown value {value!r}; expected one of {', '.join(spec.picklist)}")
        return value

    def _multi(self, spec: htcds.Field, raw: Any) -> list[str]:
        items = raw.split(";") if isinstance(raw, str) else raw
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ValueError("expected a list of values (in CSV, separated by ';')")
        values = [item.strip() for item in items if item.strip()]
        unknown = [v for v in values if v not in spec.picklist]
        if unknown:
            hint = "ISO 3166 alpha-2 codes, XK for Kosovo" if spec.name == "prs_Citizenship" \
                else ", ".join(spec.picklist)
            raise ValueError(f"unknown value(s) {', '.join(map(repr, unknown))}; expected {hint}")
        return values

    def _checkbox(self, spec: htcds.Field, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in TRUE | FALSE:
            return text in TRUE
        raise ValueError(f"{raw!r} is not true or false")

    def _json(self, spec: htcds.Field, raw: Any) -> dict[str, Any]:
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except json.JSONDecodeError as error:
                raise ValueError(f"not valid JSON ({error.msg})") from None
        if not isinstance(raw, dict):
            raise ValueError("expected a JSON object")
        return raw


def registrations(rows: list[dict[str, Any]], *, today: dt.date) -> tuple[list[Registration], list[RowError]]:
    """Every row read and checked; the registrations are meaningful only without errors."""
    found: list[Registration] = []
    errors: list[RowError] = []
    for number, data in enumerate(rows, start=1):
        row = _Row(number, data if isinstance(data, dict) else {}, today)
        if not isinstance(data, dict):
            row.fail("*", "a case must be an object of HTCDS fields")
        else:
            registration = _read(row)
            if registration is not None:
                found.append(registration)
        errors.extend(row.errors)
    if not rows:
        errors.append(RowError(0, "*", "the file holds no cases"))
    return found, errors


def _read(row: _Row) -> Registration | None:
    for name in row.data:
        if isinstance(name, str) and first_fault(name) is not None:
            row.fail("*", f"a field name {first_fault(name)[1]}")  # type: ignore[index]
        elif name == "*":
            row.fail("*", str(row.data[name]))
        elif name not in htcds.BY_NAME:
            row.fail(name, "not an HTCDS 2.0 field NRM reads (see exchange/MAPPING.md)")
    v = {name: row.value(name) for name in htcds.BY_NAME}
    for name in REQUIRED:
        if not v[name] and not any(e.field == name for e in row.errors):
            row.fail(name, "required")
    if v["nrm_Merged"]:
        row.fail("nrm_Merged", "a merged case is not imported; import the case it was merged into")
    if len(v["prs_Citizenship"]) > 1:
        row.fail("prs_Citizenship", "NRM records one citizenship; the row gives "
                 f"{len(v['prs_Citizenship'])}")
    country = v["prs_MailingCountry"]
    if country and country not in htcds.BY_NAME["prs_Citizenship"].picklist:
        row.fail("prs_MailingCountry", f"{country!r} is not an ISO 3166 alpha-2 code")
    person_facts, case_facts = _facts(row, v)
    stage = _stage(row, v, case_facts)
    birth = dt.date.fromisoformat(v["prs_Birthdate"]) if v["prs_Birthdate"] else None
    child = v["nrm_Child"]
    if child is None:
        # Art. 36: believed under 18, or born less than 18 years ago, is treated as a child.
        child = bool(person_facts.get("believed_under_18")) or (
            birth is not None and _age(birth, row.today) < 18)
    if row.errors:
        return None
    contacts = [v[n] for n in ("nrm_Contact", "prs_Email", "prs_MobilePhone", "prs_HomePhone")]
    address = [v[n] for n in ("prs_MailingStreet", "prs_MailingCity", "prs_MailingState",
                              "prs_MailingPostalCode", "prs_MailingCountry")]
    return Registration(
        source_number=v["cas_CaseNumber"],
        identity={
            "given_name": v["prs_FirstName"] or None, "family_name": v["prs_SecondName"] or None,
            "birth_date": birth, "document_number": v["prs_IdentityNumber"] or None,
            "contact": "; ".join(c for c in contacts if c) or None,
            "address": ", ".join(a for a in address if a) or None,
        },
        sex=htcds.SEX_IN[v["prs_Gender"]] if v["prs_Gender"] else "unknown",
        citizenship=v["prs_Citizenship"][0] if v["prs_Citizenship"] else "",
        person_facts=person_facts, case_facts=case_facts, child=child,
        demo=bool(v["nrm_Demo"]), stage=stage,
        kept_values={f.name: v[f.name] for f in htcds.FIELDS
                     if f.kept == "values" and v[f.name] not in ("", [], None)},
        kept_text={f.name: v[f.name] for f in htcds.FIELDS if f.kept == "text" and v[f.name]},
    )


def _facts(row: _Row, v: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    person_facts = dict(v["nrm_PersonFacts"] or {})
    case_facts = dict(v["nrm_CaseFacts"] or {})
    for fact, column in PERSON_COLUMNS.items():
        if fact in person_facts:
            row.fail("nrm_PersonFacts", f"person.{fact} belongs in {column}")
    types, sex_types = v["vic_TypeOfExploitation"], v["vic_TypeOfSexExploitation"]
    if "exploitation" in case_facts:
        given = case_facts["exploitation"]
        written, _ = htcds.exploitation_out(given if isinstance(given, list) else [])
        if types and set(written) != set(types):
            row.fail("vic_TypeOfExploitation", "disagrees with nrm_CaseFacts.exploitation "
                     f"({', '.join(written) or 'none'})")
    elif types:
        case_facts["exploitation"] = htcds.exploitation_in(types, sex_types)
    try:
        Facts.from_dict({"person": person_facts, "case": case_facts})
    except LawError as error:
        column = "nrm_PersonFacts" if error.field.startswith("person.") else "nrm_CaseFacts"
        row.fail(column, str(error))
        return person_facts, case_facts
    for fact in PAST_FACTS:
        day = case_facts.get(fact)
        if day and dt.date.fromisoformat(str(day)) > row.today:
            row.fail("nrm_CaseFacts", f"case.{fact}: {day} is in the future")
    return person_facts, case_facts


def _stage(row: _Row, v: dict[str, Any], case_facts: dict[str, Any]) -> str:
    status = v["vic_TraffickingStatus"]
    stage = v["nrm_Stage"]
    if not stage:
        return htcds.STAGE_OF_STATUS.get(status, "screening")
    if status and htcds.trafficking_status(stage, case_facts) != status:
        row.fail("nrm_Stage", f"stage {stage!r} disagrees with vic_TraffickingStatus {status!r}")
    return str(stage)


def _age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
