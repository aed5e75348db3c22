"""Age group and region over cases (issue 15): counted in the database from the band the cases
services keep on the registration day and from where the person was identified, and
published only through disclosure control."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from nrm.cases.models import AgeGroup, Case, Region
from nrm.cases.services import case_register
from nrm.statistics.selectors import table_count

pytestmark = pytest.mark.django_db

# Registered at noon in Kosovo (10:00 UTC in summer): the local day is 15 June 2026.
REGISTERED = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 6, 15)
K = 5

# (sex, age on the registration day or None for no birth date, region, how many): some
# cells well above k, some below it, so both the published and the hidden are tested.
SPEC = [
    ("female", 7, "prishtina", 6), ("female", 15, "prizren", 7), ("female", 21, "prishtina", 9),
    ("female", 30, "peja", 3), ("female", 40, "abroad", 5), ("female", 61, "gjilan", 1),
    ("female", None, "", 2),
    ("male", 16, "mitrovica", 4), ("male", 19, "ferizaj", 6), ("male", 28, "prishtina", 8),
    ("male", 44, "gjakova", 2), ("male", 55, "abroad", 5), ("male", None, "", 5),
]


def band_by_hand(age: int | None) -> str:
    """The brief's bands, written out again here, independently of the services."""
    if age is None:
        return "unknown"
    for low, high in ((0, 11), (12, 17), (18, 24), (25, 34), (35, 49)):
        if low <= age <= high:
            return f"{low}-{high}"
    return "50+"


def read(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def register(actor, *, born: dt.date | None, sex: str = "female", region: str = "") -> Case:
    identity = {"given_name": "Gen", "family_name": "Erated"}
    if born is not None:
        identity["birth_date"] = born
    return case_register(actor=actor, identity=identity, sex=sex, region=region)


@pytest.fixture
def generated(police, time_machine) -> list[tuple[str, int | None, str]]:
    """The cases of SPEC, registered through the service, and what was generated."""
    time_machine.move_to(REGISTERED, tick=False)
    made = []
    for sex, age, region, count in SPEC:
        for _ in range(count):
            # Born in January: on 15 June the person is `age` years old.
            born = dt.date(DAY.year - age, 1, 10) if age is not None else None
            register(police, born=born, sex=sex, region=region)
            made.append((sex, age, region))
    # A demo case is never counted.
    case_register(actor=police, identity={"birth_date": dt.date(1990, 1, 1)}, sex="female",
                  region="prishtina", demo=True)
    return made


def margins(interior: Counter) -> Counter:
    """Every cell of a two-way table, interior and margins, counted by hand."""
    cells: Counter = Counter()
    for (a, b), n in interior.items():
        for key in ((a, b), (a, "Total"), ("Total", b), ("Total", "Total")):
            cells[key] += n
    return cells


def test_age_by_sex_gives_the_plain_count_wherever_a_cell_is_shown_and_hides_cells_below_k(
        generated, coordinator, as_user, tmp_path):
    out = tmp_path / "x.csv"
    call_command("stats", "table", "ageBroad", "gender", "--user", as_user(coordinator),
                 "--out", str(out))
    rows = read(out)
    assert list(rows[0]) == ["ageBroad", "gender", "count", "suppressed"]
    truth = margins(Counter((band_by_hand(age), sex.capitalize()) for sex, age, _r in generated))
    published = {(r["ageBroad"], r["gender"]): r for r in rows}
    shown = hidden = 0
    for key, row in published.items():
        expected = truth.get(key, 0)
        if row["suppressed"] == "false":
            assert int(row["count"]) == expected, key
            shown += 1
        else:
            assert row["count"] == ""
            hidden += 1
        if 0 < expected < K:
            assert row["suppressed"] == "true", (key, expected)
    assert published[("Total", "Total")]["count"] == str(len(generated))
    assert shown >= 8 and hidden >= 2
    # Every band and both sexes are there: the table counted what was generated, and no
    # demo case (a 36-year-old woman in Prishtina).
    assert {r["ageBroad"] for r in rows} >= {"0-11", "12-17", "18-24", "25-34", "35-49", "50+",
                                              "unknown"}


def test_the_same_counts_from_the_stored_bands_as_from_a_plain_query(generated, coordinator):
    table = table_count(user=coordinator, dims=("ageBroad", "gender"))
    for band in AgeGroup.values:
        for sex in ("female", "male"):
            plain = Case.objects.filter(demo=False, age_group=band, person__sex=sex).count()
            assert table.value((band, sex.capitalize())) == plain


def test_region_is_counted_with_blank_as_unknown_and_small_regions_hidden(
        generated, coordinator, as_user, tmp_path):
    out = tmp_path / "r.csv"
    call_command("stats", "table", "region", "--user", as_user(coordinator), "--out", str(out))
    rows = {r["region"]: r for r in read(out)}
    truth = Counter(region or "unknown" for _s, _a, region in generated)
    assert "" not in rows and rows["unknown"]["count"] == str(truth["unknown"])
    for region, row in rows.items():
        if region == "Total":
            assert row["count"] == str(len(generated))
            continue
        assert region in Region.values or region == "unknown"
        if row["suppressed"] == "false":
            assert int(row["count"]) == truth[region], region
        if 0 < truth[region] < K:
            assert row["suppressed"] == "true", region
    assert rows["prishtina"]["count"] == str(truth["prishtina"])  # 23: well above k


# (age reached on the registration day, the band from that day, the band the day before)
EDGES = [(12, "12-17", "0-11"), (18, "18-24", "12-17"), (25, "25-34", "18-24"),
         (35, "35-49", "25-34"), (50, "50+", "35-49")]


def test_each_band_begins_on_the_birthday_it_names_on_the_registration_day(police, time_machine):
    time_machine.move_to(REGISTERED, tick=False)
    for age, band, before in EDGES:
        turned_today = register(police, born=DAY.replace(year=DAY.year - age))
        turns_tomorrow = register(police, born=DAY.replace(year=DAY.year - age) + dt.timedelta(days=1))
        assert (turned_today.age_group, turns_tomorrow.age_group) == (band, before), age
        assert Case.objects.get(pk=turned_today.pk).age_group == band
        assert Case.objects.get(pk=turns_tomorrow.pk).age_group == before
    newborn = register(police, born=DAY)
    assert newborn.age_group == "0-11"
    assert register(police, born=None, sex="male").age_group == AgeGroup.UNKNOWN


def test_the_registration_day_is_the_local_day_not_the_utc_one(police, time_machine):
    # 22:30 UTC on 14 June is half past midnight on 15 June in Kosovo.
    time_machine.move_to(dt.datetime(2026, 6, 14, 22, 30, tzinfo=dt.UTC), tick=False)
    case = register(police, born=dt.date(2014, 6, 15))
    assert Case.objects.get(pk=case.pk).age_group == "12-17"


def test_someone_born_on_29_february_turns_a_year_older_on_1_march(police, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 28, 10, 0, tzinfo=dt.UTC), tick=False)
    assert register(police, born=dt.date(2008, 2, 29)).age_group == "12-17"
    time_machine.move_to(dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC), tick=False)
    assert register(police, born=dt.date(2008, 2, 29)).age_group == "18-24"


def test_the_edges_are_grouped_as_stored(police, coordinator, time_machine):
    time_machine.move_to(REGISTERED, tick=False)
    for age, _band, _before in EDGES:
        register(police, born=DAY.replace(year=DAY.year - age))
        register(police, born=DAY.replace(year=DAY.year - age) + dt.timedelta(days=1))
    register(police, born=None, sex="male")
    table = table_count(user=coordinator, dims=("ageBroad",))
    expected = Counter()
    for _age, band, before in EDGES:
        expected[band] += 1
        expected[before] += 1
    expected["unknown"] += 1
    assert {key[0]: table.value(key) for key in table.keys() if key[0] != "Total"} == {
        band: expected.get(band, 0) for band in table.categories[0]}
    assert set(table.categories[0]) == set(expected)


def test_the_benchmark_generates_cases_with_an_age_group_and_a_region(time_machine):
    from django.utils import timezone

    from nrm.bench import generate
    from nrm.cases.services import age_group_of

    time_machine.move_to(REGISTERED, tick=False)
    generate(60)
    made = list(Case.objects.select_related("person").filter(reference__startswith="NRM-BENCH-"))
    assert len(made) == 60
    for case in made:
        assert case.age_group == age_group_of(case.person.birth_date,
                                              timezone.localdate(case.created_at))
    assert len({case.age_group for case in made}) >= 4
    assert {case.region for case in made} <= {*Region.values, ""}
    assert len({case.region for case in made}) >= 5
