"""HTCDS files as NRM writes and reads them: CSV (one row per case) or JSON.

CSV cells: multiselect picklists joined by ';' (as Salesforce, where HTCDS comes from, does),
checkboxes as true/false, NRM's JSON extensions as JSON text, unknown as an empty cell.
JSON: {"standard": "HTCDS 2.0", "cases": [...]} with lists, booleans and objects as such.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any

from nrm.errors import Invalid, RowError
from nrm.exchange import htcds

FORMATS = ("csv", "json")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


# A cell that a spreadsheet would run as a formula (and which could then send the
# neighbouring identity cells elsewhere) is written with a leading apostrophe, which
# spreadsheets show as text; reading the file back removes it. Spreadsheets skip leading
# blanks and control characters and read full-width signs (＝ ＋ － ＠) as ASCII ones, so
# the test looks at the cell as a spreadsheet would: NFKC-normalised, those skipped.
FORMULA_START = frozenset("=+-@|%")


def _as_a_spreadsheet_reads(text: str) -> str:
    normalised = unicodedata.normalize("NFKC", text)
    for index, char in enumerate(normalised):
        # C*: control and format characters (tab, CR, BOM, zero-width); Z*: separators.
        if not (char.isspace() or unicodedata.category(char)[0] in "CZ"):
            return normalised[index:]
    return ""


def _needs_quote(text: str) -> bool:
    """Whether `text` would run as a formula, or is a quote before one (so reading back
    removes only the quote this module added: a value that itself starts with a quote
    before a formula gets a second one)."""
    if _as_a_spreadsheet_reads(text)[:1] in FORMULA_START:
        return True
    return text.startswith("'") and _needs_quote(text[1:])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        text = ";".join(value)
    elif isinstance(value, dict):
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    else:
        text = str(value)
    return "'" + text if _needs_quote(text) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and _needs_quote(text[1:]) else text


def write(rows: list[dict[str, Any]], fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise Invalid("format", f"{fmt!r} is not csv or json")
    if fmt == "json":
        body = {"standard": "HTCDS 2.0", "cases": rows}
        return json.dumps(body, ensure_ascii=False, indent=1).encode()
    out = io.StringIO()
    # RFC 4180's CRLF: the csv module quotes a cell holding any character of the line
    # terminator, so a lone CR inside a value can no longer start a row of its own (whose
    # first cell a spreadsheet would run as a formula).
    writer = csv.DictWriter(out, fieldnames=[f.name for f in htcds.FIELDS], lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: _cell(value) for name, value in row.items()})
    return out.getvalue().encode()


def read(content: bytes, fmt: str) -> list[dict[str, Any]]:
    """The file's cases as dicts; a file that is not CSV or JSON at all is one error."""
    if fmt not in FORMATS:
        raise Invalid("format", f"{fmt!r} is not csv or json (say it by the extension)")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("file", "not UTF-8 text") from None
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows: list[dict[str, Any]] = []
        for row in reader:
            if None in row:  # more cells than the header names
                row.pop(None)  # type: ignore[call-overload]
                row["*"] = "more cells than the header has columns"
            rows.append({k: _uncell(v) if isinstance(v, str) else v for k, v in row.items()})
        return rows
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise Invalid("file", f"not valid JSON (line {error.lineno}: {error.msg})") from None
    cases = data.get("cases") if isinstance(data, dict) else data
    if not isinstance(cases, list):
        raise Invalid("cases", "expected a list of cases, or an object with 'cases'")
    return cases


def format_of(path: str) -> str:
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if suffix not in FORMATS:
        raise Invalid("file", f"{path}: name it .csv or .json so its format is known")
    return suffix


def error_lines(errors: list[RowError]) -> list[str]:
    return [str(error) for error in errors]
