"""Differentially private tables: OpenDP's noise, the budget recorded, then suppression."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nrm.statistics.models import Release
from tests.statistics.conftest import cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(police_institution):
    cases(police_institution, 40, sex="female", year=2025)
    cases(police_institution, 30, sex="male", year=2026)


def test_a_dp_table_records_its_budget_covers_every_public_category_and_hides_small_cells(
        registered, coordinator, as_user, tmp_path):
    out = tmp_path / "t.csv"
    call_command("stats", "table", "gender", "--epsilon", "0.5", "--user", as_user(coordinator),
                 "--out", str(out))
    with open(out, newline="", encoding="utf-8") as handle:
        rows = {r["gender"]: r for r in csv.DictReader(handle)}
    assert set(rows) == {"Female", "Male", "Other", "unknown", "Total"}
    published = [int(r["count"]) for r in rows.values() if r["suppressed"] == "false"]
    assert all(n == 0 or n >= 5 for n in published)
    # Noise of scale 2 on each of the 56 cells (14 public years by 4 sexes) behind the
    # all-years total of 70; clamping negative cells to 0 biases it upwards, at most by
    # about the noise of the empty cells (documented).
    assert 40 < int(rows["Total"]["count"]) < 70 + 56 * 8
    release = Release.objects.get()
    assert release.parameters["epsilon"] == 0.5
    assert "OpenDP" in release.parameters["mechanism"]


def test_a_dimension_without_a_public_list_of_values_is_refused_under_dp(
        registered, coordinator, as_user, tmp_path):
    with pytest.raises(CommandError, match="public list"):
        call_command("stats", "table", "citizenship", "--epsilon", "1", "--user",
                     as_user(coordinator), "--out", str(tmp_path / "t.csv"))
    assert not Release.objects.exists()


@pytest.mark.parametrize(("dim", "values"), [
    ("ageBroad", {"0-11", "12-17", "18-24", "25-34", "35-49", "50+", "unknown"}),
    ("region", {"prishtina", "mitrovica", "peja", "prizren", "ferizaj", "gjilan", "gjakova",
                "abroad", "unknown"}),
])
def test_the_age_band_and_the_region_release_under_dp_over_their_public_values(
        registered, coordinator, as_user, tmp_path, dim, values):
    out = tmp_path / "t.csv"
    call_command("stats", "table", dim, "--epsilon", "1", "--user", as_user(coordinator),
                 "--out", str(out))
    with open(out, newline="", encoding="utf-8") as handle:
        rows = {r[dim]: r for r in csv.DictReader(handle)}
    # Every public value is a row, seen or not: which values occur is not itself told.
    assert set(rows) == values | {"Total"}
    assert all(r["count"] == "" or int(r["count"]) == 0 or int(r["count"]) >= 5
               for r in rows.values())
    assert Release.objects.get().parameters["epsilon"] == 1
