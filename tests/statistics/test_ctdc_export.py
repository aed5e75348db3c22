"""`nrm export ctdc`: cases out as k-anonymous CTDC records, and back in as the same tables."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nrm.statistics.ctdc_export import QUASI, anonymise
from nrm.statistics.disclosure import protect
from nrm.statistics.models import AnalysisImport, AnalysisRecord, Release
from nrm.statistics.selectors import table_count
from tests.statistics.conftest import cases

pytestmark = pytest.mark.django_db

QUASI_COLUMNS = ("gender", "majorityStatus", "citizenship", "CountryOfExploitation",
                 "typeOfExploitConcatenated", "yearOfRegistration")


def rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def registered(police_institution):
    cases(police_institution, 12, sex="female", year=2025, exploitation=["sexual"])
    cases(police_institution, 9, sex="female", year=2026, exploitation=["forced_labour"])
    cases(police_institution, 7, sex="male", year=2025, citizenship="AL",
          exploitation=["forced_labour"])
    cases(police_institution, 2, sex="male", year=2026, citizenship="MK", exploitation=["begging"])


def test_every_exported_record_shares_its_quasi_identifiers_with_k_minus_one_others(
        registered, coordinator, as_user, tmp_path, capsys):
    out = tmp_path / "ctdc.csv"
    call_command("export", "ctdc", "--user", as_user(coordinator), "--out", str(out))
    said = capsys.readouterr().out
    records = rows(out)
    classes = Counter(tuple(r[c] for c in QUASI_COLUMNS) for r in records)
    assert min(classes.values()) >= 5
    assert "k achieved 7" in said, said
    assert "XK (Kosovo) written as RS" in said
    assert {r["citizenship"] for r in records} <= {"RS", "AL", ""}
    assert "MK" not in out.read_text()  # two people from MK: generalised or left out
    assert len(records) + int(said.split(" left out")[0].rsplit(" ", 1)[1]) == 30
    assert list(records[0]) [:4] == ["gender", "ageBroad", "majorityStatus", "citizenship"]
    release = Release.objects.get(channel="ctdc export")
    assert release.parameters["k_achieved"] == 7


def test_generalising_blanks_the_least_telling_identifier_first():
    q = dict(zip(QUASI, range(len(QUASI)), strict=True))
    key = ["Female", "Adult", "XK", "XK", "sexual", "2026"]
    other = list(key)
    other[q["CountryOfExploitation"]] = ""
    kept, generalised, left_out = anonymise(Counter({tuple(key): 2, tuple(other): 4}), 5)
    assert kept == Counter({tuple(other): 6}) and generalised == 2 and left_out == 0


def test_a_police_investigator_may_not_export_ctdc(registered, police, as_user, tmp_path):
    with pytest.raises(CommandError, match="National Coordinator"):
        call_command("export", "ctdc", "--user", as_user(police), "--out", str(tmp_path / "x.csv"))
    assert not (tmp_path / "x.csv").exists()


def test_a_ctdc_file_round_trips_into_a_fresh_store_with_the_same_tables(
        police_institution, coordinator, as_user, tmp_path):
    # Classes of 5 or more only, so that the export generalises nothing.
    cases(police_institution, 12, sex="female", year=2025, exploitation=["sexual"])
    cases(police_institution, 3, sex="female", year=2026, exploitation=["sexual"], child=True)
    cases(police_institution, 3, sex="female", year=2026, exploitation=["sexual"], child=True)
    cases(police_institution, 7, sex="male", year=2025, citizenship="AL",
          exploitation=["forced_labour"])
    cases(police_institution, 5, sex="male", year=2026, exploitation=["begging", "sexual"])
    cases(police_institution, 6, sex="other", year=2026, citizenship="")
    out = tmp_path / "ctdc.csv"
    call_command("export", "ctdc", "--keep-xk", "--user", as_user(coordinator), "--out", str(out))
    assert not AnalysisRecord.objects.exists()
    call_command("import", "ctdc", str(out), "--user", as_user(coordinator))
    batch = AnalysisImport.objects.get()
    for dims in (("gender", "yearOfRegistration"), ("citizenship", "typeOfExploit"),
                 ("majorityStatus", "gender"), ("typeOfExploit",)):
        from_cases = protect([table_count(user=coordinator, dims=dims, source="cases")])
        from_file = protect([table_count(user=coordinator, dims=dims, source="imported",
                                         batch=batch.pk)])
        assert from_file[0].counts == from_cases[0].counts, dims
    assert from_file[0].counts[("multiple",)] == 5
