"""CTDC files into the analysis store: anonymous records, never cases.

Two layouts are recognised by their header (Counter-Trafficking Data Collaborative):
- `global`: the victim layout of the Global Dataset (yearOfRegistration, gender, ageBroad,
  citizenship, ... isForcedLabour, isSexualExploit, CountryOfExploitation), as in the
  DERIVED extract and in `nrm export ctdc`; other columns are ignored with a warning.
- `vp_synthetic`: the victim–perpetrator synthetic release of December 2022 (yearRegister
  as a year or a range of years, UN regions of origin and exploitation, IP_* columns).

A file is read whole before anything is stored: a line that is not well-formed CSV (a
wrong number of fields, bytes that are not UTF-8) refuses the file, naming line and column,
and nothing is loaded. A well-formed row with a value outside the layout's vocabulary is
rejected alone, with its reason counted. The same bytes load once (idempotent).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from nrm.audit.services import record
from nrm.errors import Invalid
from nrm.statistics.models import AnalysisImport, AnalysisRecord
from nrm.statistics.selectors import statistics_allowed

GLOBAL_REQUIRED = ("yearOfRegistration", "gender", "ageBroad", "citizenship")
GLOBAL_KNOWN = (*GLOBAL_REQUIRED, "majorityStatus", "CountryOfExploitation", "isForcedLabour",
                "isSexualExploit", "isOtherExploit", "typeOfExploitConcatenated",
                "meansOfControlConcatenated", "typeOfLabourConcatenated",
                "typeOfSexConcatenated", "RecruiterRelationship", "Datasource")
VP_REQUIRED = ("yearRegister", "gender", "majorityStatus", "UN_COO_Region", "UN_COE_Region")
VP_KNOWN = (*VP_REQUIRED, "isForcedLabour", "isSexualExploit", "IP_Exploiter", "IP_Gender",
            "IP_ageBroad", "IP_citizen_UNRegion", "IP_Relation", "IP_PayMoney",
            "IP_RecruiterBroker", "IP_TransactionProcess", "IP_ControlAbuseKidnap")

GENDERS = {"", "Female", "Male", "Transgender/NonConforming", "Other", "unknown"}
MAJORITY = {"", "Adult", "Minor", "unknown"}
FLAGS = {"", "0", "1", "0.0", "1.0"}
AGE = re.compile(r"^$|^\d{1,2}--\d{1,2}$|^\d{1,2}\+$|^unknown$")
YEAR = re.compile(r"^$|^(19|20)\d\d$|^unknown$")
YEARS = re.compile(r"^$|^(19|20)\d\d(-(19|20)\d\d)?$")
COUNTRY = re.compile(r"^$|^[A-Z]{2}$|^0$|^unknown$")


@dataclass
class Summary:
    batch: AnalysisImport | None
    layout: str
    read: int = 0
    loaded: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    ignored_columns: list[str] = field(default_factory=list)
    already: bool = False


def layout_of(header: list[str]) -> tuple[str, list[str]]:
    """The layout a header is in, and the columns it does not know (ignored, with a warning)."""
    names = set(header)
    if set(GLOBAL_REQUIRED) <= names:
        return "global", [c for c in header if c not in GLOBAL_KNOWN]
    if set(VP_REQUIRED) <= names:
        return "vp_synthetic", [c for c in header if c not in VP_KNOWN]
    raise Invalid("header", "line 1: not a CTDC layout: expected the global victim columns ("
                  + ", ".join(GLOBAL_REQUIRED) + ") or the victim-perpetrator synthetic ones ("
                  + ", ".join(VP_REQUIRED) + ")")


def _flag(value: str) -> bool | None:
    return None if value == "" else value in ("1", "1.0")


def exploit_label(row: dict[str, str]) -> str:
    """The one form a record counts under, in NRM's words, as tables over cases use."""
    joined = row.get("typeOfExploitConcatenated", "")
    if joined:
        return "multiple" if ";" in joined else joined
    sexual, labour = _flag(row.get("isSexualExploit", "")), _flag(row.get("isForcedLabour", ""))
    other = _flag(row.get("isOtherExploit", ""))
    forms = [name for name, on in (("sexual", sexual), ("forced_labour", labour),
                                   ("other", other)) if on]
    if len(forms) > 1:
        return "multiple"
    if forms:
        return forms[0]
    return ""


def _minor(age: str) -> str:
    if not age or age == "unknown":
        return ""
    low = int(re.split(r"--|\+", age)[0])
    return "Minor" if low < 18 else "Adult"


Check = tuple[str, Callable[[str], bool], str]
CHECKS: dict[str, list[Check]] = {
    "global": [
        ("gender", lambda v: v in GENDERS, "gender not in the CTDC's vocabulary"),
        ("ageBroad", lambda v: bool(AGE.match(v)), "ageBroad is not an age band like 18--20"),
        ("yearOfRegistration", lambda v: bool(YEAR.match(v)), "yearOfRegistration is not a year"),
        ("citizenship", lambda v: bool(COUNTRY.match(v)), "citizenship is not an ISO 3166 code"),
        ("CountryOfExploitation", lambda v: bool(COUNTRY.match(v)),
         "CountryOfExploitation is not an ISO 3166 code"),
        ("majorityStatus", lambda v: v in MAJORITY, "majorityStatus is not Adult or Minor"),
        ("isForcedLabour", lambda v: v in FLAGS, "isForcedLabour is not 0 or 1"),
        ("isSexualExploit", lambda v: v in FLAGS, "isSexualExploit is not 0 or 1"),
    ],
    "vp_synthetic": [
        ("gender", lambda v: v in GENDERS, "gender not in the CTDC's vocabulary"),
        ("yearRegister", lambda v: bool(YEARS.match(v)), "yearRegister is not a year or a range"),
        ("majorityStatus", lambda v: v in MAJORITY, "majorityStatus is not Adult or Minor"),
        ("isForcedLabour", lambda v: v in FLAGS, "isForcedLabour is not 0 or 1"),
        ("isSexualExploit", lambda v: v in FLAGS, "isSexualExploit is not 0 or 1"),
    ],
}


def _record(layout: str, row: dict[str, str], line: int) -> AnalysisRecord:
    if layout == "global":
        age = row.get("ageBroad", "")
        return AnalysisRecord(
            line=line, year=row["yearOfRegistration"], gender=row["gender"], age_broad=age,
            majority=row.get("majorityStatus") or _minor(age), citizenship=row["citizenship"],
            exploitation_country=row.get("CountryOfExploitation", ""), exploit=exploit_label(row))
    return AnalysisRecord(
        line=line, year=row["yearRegister"], gender=row["gender"],
        majority=row["majorityStatus"], exploit=exploit_label(row),
        extra={c: row[c] for c in VP_KNOWN if c not in ("yearRegister", "gender", "majorityStatus")
               and row.get(c)})


def parse(content: bytes, *, progress: Callable[[int], None] | None = None
          ) -> tuple[str, list[str], list[AnalysisRecord], int, Counter[str]]:
    """Read the whole file; refuse it, naming line and column, if it is not well-formed."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[:error.start].count(b"\n") + 1
        column = error.start - (content.rfind(b"\n", 0, error.start) + 1) + 1
        raise Invalid("file", f"line {line}, column {column}: not UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise Invalid("file", "line 1: the file is empty") from None
    layout, ignored = layout_of(header)
    records: list[AnalysisRecord] = []
    rejected: Counter[str] = Counter()
    read = 0
    try:
        for row in reader:
            line = reader.line_num
            if not row:
                continue
            if len(row) != len(header):
                column = min(len(row), len(header)) + 1
                raise Invalid("file", f"line {line}, column {column}: {len(row)} fields where "
                                      f"the header has {len(header)}")
            read += 1
            values = dict(zip(header, (v.strip() for v in row), strict=True))
            reason = next((why for col, ok, why in CHECKS[layout]
                           if col in values and not ok(values[col])), None)
            if reason:
                rejected[reason] += 1
            else:
                records.append(_record(layout, values, line))
            if progress and read % 5000 == 0:
                progress(read)
    except csv.Error as error:
        raise Invalid("file", f"line {reader.line_num}: not well-formed CSV ({error})") from None
    return layout, ignored, records, read, rejected


def ctdc_import(*, actor: Any, path: Path, progress: Callable[[int], None] | None = None
                ) -> Summary:
    statistics_allowed(actor)
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    existing = AnalysisImport.objects.filter(sha256=digest).first()
    if existing:
        return Summary(batch=existing, layout=existing.layout, read=existing.rows_read,
                       loaded=existing.rows_loaded, rejected=Counter(existing.rejections),
                       already=True)
    layout, ignored, records, read, rejected = parse(content, progress=progress)
    with transaction.atomic():
        batch = AnalysisImport.objects.create(
            sha256=digest, name=path.name[:255], layout=layout, imported_by=actor, rows_read=read,
            rows_loaded=len(records), rows_rejected=sum(rejected.values()),
            rejections=dict(rejected))
        for record_ in records:
            record_.batch = batch
        AnalysisRecord.objects.bulk_create(records, batch_size=2000)
        record(actor=actor, action="statistics.import", record_type="statistics.import",
               records=[batch], detail={"layout": layout, "rows": len(records)})
    return Summary(batch=batch, layout=layout, read=read, loaded=len(records),
                   rejected=rejected, ignored_columns=ignored)
