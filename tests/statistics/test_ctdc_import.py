"""`nrm import ctdc`: anonymous records into the analysis store, never cases."""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nrm.cases.models import Case
from nrm.statistics.ctdc import exploit_label
from nrm.statistics.disclosure import TOTAL
from nrm.statistics.models import AnalysisImport, AnalysisRecord
from nrm.statistics.selectors import table_count

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ctdc"
DERIVED = DATA / "DERIVED_global_dataset_2020-04-14_7cols_excl2019.csv"
VP = DATA / "CTDC_VPsynthetic_condensed.csv"

HEADER = "yearOfRegistration,gender,ageBroad,citizenship,isForcedLabour,isSexualExploit,CountryOfExploitation\n"


def write(tmp_path, text: str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_global_file_loads_with_a_summary_and_bad_rows_rejected_with_reasons(
        coordinator, as_user, tmp_path, capsys):
    path = write(tmp_path, HEADER
                 + "2016,Female,18--20,UA,0.0,1.0,RU\n" * 6
                 + "2017,Male,30--38,MD,1.0,0.0,\n" * 2
                 + "2017,Robot,30--38,MD,1.0,0.0,\n"
                 + "201x,Male,30--38,MD,1.0,0.0,\n")
    call_command("import", "ctdc", str(path), "--user", as_user(coordinator))
    said = capsys.readouterr().out
    assert "global layout: 10 rows read, 8 loaded, 2 rejected" in said
    assert "rejected 1: gender not in the CTDC's vocabulary" in said
    assert "rejected 1: yearOfRegistration is not a year" in said
    assert AnalysisRecord.objects.count() == 8
    assert not Case.objects.exists()
    record = AnalysisRecord.objects.filter(gender="Female").first()
    assert (record.year, record.age_broad, record.majority, record.exploit,
            record.exploitation_country) == ("2016", "18--20", "Adult", "sexual", "RU")


def test_the_same_file_twice_loads_once(coordinator, as_user, tmp_path, capsys):
    path = write(tmp_path, HEADER + "2016,Female,18--20,UA,0.0,1.0,RU\n")
    call_command("import", "ctdc", str(path), "--user", as_user(coordinator))
    call_command("import", "ctdc", str(path), "--user", as_user(coordinator))
    assert "already loaded" in capsys.readouterr().out
    assert AnalysisImport.objects.count() == 1 and AnalysisRecord.objects.count() == 1


@pytest.mark.parametrize(("text", "where"), [
    (HEADER + "2016,Female,18--20,UA,0.0,1.0,RU\n2016,Female,18--20\n", "line 3, column 4"),
    (HEADER + '2016,Female,18--20,UA,0.0,1.0,"RU\n', "line 2"),
    ("name,birthday\nAna,2001-01-01\n", "line 1"),
])
def test_a_malformed_file_is_refused_naming_line_and_column_and_nothing_stays(
        coordinator, as_user, tmp_path, text, where):
    path = write(tmp_path, text)
    with pytest.raises(CommandError, match=where) as refused:
        call_command("import", "ctdc", str(path), "--user", as_user(coordinator))
    assert "nothing was loaded" in str(refused.value)
    assert not AnalysisImport.objects.exists() and not AnalysisRecord.objects.exists()


def test_bytes_that_are_not_utf8_are_refused_naming_line_and_column(coordinator, as_user, tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(HEADER.encode() + b"2016,Fem\xffale,18--20,UA,0.0,1.0,RU\n")
    with pytest.raises(CommandError, match="line 2, column 9"):
        call_command("import", "ctdc", str(path), "--user", as_user(coordinator))
    assert not AnalysisRecord.objects.exists()


def test_a_police_investigator_may_not_import(police, as_user, tmp_path):
    path = write(tmp_path, HEADER + "2016,Female,18--20,UA,0.0,1.0,RU\n")
    with pytest.raises(CommandError, match="National Coordinator"):
        call_command("import", "ctdc", str(path), "--user", as_user(police))
    assert not AnalysisRecord.objects.exists()


def plain_counts(path: Path, columns: tuple[str, str], derive) -> Counter:
    """The count anyone gets from the file itself, with no NRM code in between."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counts: Counter = Counter()
    for row in rows:
        a, b = (derive(c, row) or "unknown" for c in columns)
        for key in ((a, b), (a, TOTAL), (TOTAL, b), (TOTAL, TOTAL)):
            counts[key] += 1
    return counts


def assert_tables_reproduce_the_file(user, batch, path, dims, derive):
    expected = plain_counts(path, dims, derive)
    table = table_count(user=user, dims=dims, source="imported", batch=batch.pk)
    for key in table.keys():
        assert table.value(key) == expected.get(key, 0), key
    assert table.value((TOTAL, TOTAL)) == batch.rows_loaded


@pytest.mark.realdata
def test_the_derived_global_extract_loads_whole_and_its_tables_match_a_plain_count(
        coordinator, as_user, capsys):
    if not DERIVED.is_file():
        pytest.skip(f"{DERIVED} is not beside the work tree")
    started = time.monotonic()
    call_command("import", "ctdc", str(DERIVED), "--user", as_user(coordinator))
    out, err = capsys.readouterr()
    assert "48773 rows read, 48773 loaded, 0 rejected" in out
    assert "warning: column nacionalidade_lat is not in the global layout; ignored" in err
    assert time.monotonic() - started < 120
    batch = AnalysisImport.objects.get()

    def derive(column, row):
        if column == "typeOfExploit":
            return exploit_label(row)
        return row[{"gender": "gender", "yearOfRegistration": "yearOfRegistration",
                    "citizenship": "citizenship", "ageBroad": "ageBroad"}[column]]
    assert_tables_reproduce_the_file(coordinator, batch, DERIVED, ("gender", "ageBroad"), derive)
    assert_tables_reproduce_the_file(coordinator, batch, DERIVED,
                                     ("citizenship", "yearOfRegistration"), derive)
    assert_tables_reproduce_the_file(coordinator, batch, DERIVED,
                                     ("typeOfExploit", "gender"), derive)


@pytest.mark.realdata
def test_the_victim_perpetrator_synthetic_release_loads_whole(coordinator, as_user, capsys):
    if not VP.is_file():
        pytest.skip(f"{VP} is not beside the work tree")
    call_command("import", "ctdc", str(VP), "--user", as_user(coordinator))
    assert "vp_synthetic layout: 21195 rows read, 21195 loaded, 0 rejected" in capsys.readouterr().out
    batch = AnalysisImport.objects.get()

    def derive(column, row):
        if column == "typeOfExploit":
            return exploit_label(row)
        return row[{"gender": "gender", "yearOfRegistration": "yearRegister",
                    "majorityStatus": "majorityStatus", "UN_COO_Region": "UN_COO_Region"}[column]]
    assert_tables_reproduce_the_file(coordinator, batch, VP, ("gender", "yearOfRegistration"), derive)
    assert_tables_reproduce_the_file(coordinator, batch, VP, ("UN_COO_Region", "typeOfExploit"), derive)


def test_stats_table_over_an_imported_file_writes_the_same_long_form(
        coordinator, as_user, tmp_path):
    path = write(tmp_path, HEADER + "2016,Female,18--20,UA,0.0,1.0,RU\n" * 7
                 + "2016,Male,30--38,MD,1.0,0.0,\n" * 6 + "2017,Male,30--38,MD,1.0,0.0,\n" * 2)
    call_command("import", "ctdc", str(path), "--user", as_user(coordinator))
    out = tmp_path / "t.csv"
    call_command("stats", "table", "gender", "yearOfRegistration", "--source", "imported",
                 "--user", as_user(coordinator), "--out", str(out))
    with open(out, newline="", encoding="utf-8") as handle:
        cells = {(r["gender"], r["yearOfRegistration"]): (r["count"], r["suppressed"])
                 for r in csv.DictReader(handle)}
    truth = {("Female", "2016"): 7, ("Male", "2016"): 6, ("Female", "2017"): 0,
             ("Female", "Total"): 7, ("Male", "Total"): 8, ("Total", "2016"): 13,
             ("Total", "Total"): 15}
    for key, count in truth.items():
        assert cells[key] in ((str(count), "false"), ("", "true")), key
    assert cells[("Male", "2017")] == ("", "true")  # 2 people
    assert cells[("Total", "2017")] == ("", "true")
    assert sum(1 for _, hidden in cells.values() if hidden == "true") >= 2
