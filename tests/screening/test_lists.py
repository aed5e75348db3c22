"""Indicator lists: the shipped list, loading a list file, adopting it (Art. 12.2)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from nrm.audit.models import AuditEvent
from nrm.screening.listfile import SHIPPED, ListFileError, read, validate
from nrm.screening.models import IndicatorList, ListStatus
from nrm.screening.selectors import indicator_list_in_force

DIMENSIONS = {
    "deceptive_recruitment", "coercive_recruitment", "recruitment_abuse_of_vulnerability",
    "exploitative_conditions", "coercion_at_destination", "abuse_of_vulnerability_at_destination",
}
PAIRS = {("adult", "labour"), ("adult", "sexual"), ("child", "labour"), ("child", "sexual")}


def shipped_data() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def government_list(tmp_path: Path, *, pairs=PAIRS, adopted_on="2027-03-01", suffix=".json") -> Path:
    """A new version of the list, as the Government might adopt it: the shipped one, renumbered."""
    data = copy.deepcopy(shipped_data())
    data.update(code="kosovo-government", version="2027-1", adopted_on=adopted_on,
                title="Indicator list adopted by the Government")
    data["lists"] = [g for g in data["lists"] if (g["audience"], g["exploitation"]) in pairs]
    path = tmp_path / f"government{suffix}"
    path.write_text(json.dumps(data) if suffix == ".json" else yaml.safe_dump(data), encoding="utf-8")
    return path


def test_the_shipped_list_validates_with_six_dimensions_and_four_lists():
    spec = read(SHIPPED)
    assert set(spec.dimensions) == DIMENSIONS
    assert {(i.audience, i.exploitation) for i in spec.indicators} == PAIRS
    for audience, exploitation in PAIRS:
        mine = [i for i in spec.indicators if (i.audience, i.exploitation) == (audience, exploitation)]
        assert {i.dimension for i in mine} == DIMENSIONS
        assert {i.strength for i in mine} == {"strong", "medium", "weak"}
    assert all(i.text["en"] for i in spec.indicators)


@pytest.mark.django_db
def test_the_shipped_list_is_in_force_for_every_audience_and_exploitation():
    for audience, exploitation in PAIRS:
        in_force = indicator_list_in_force(on=dt.date(2026, 1, 1), audience=audience,
                                           exploitation=exploitation)
        assert in_force is not None and in_force.code == "ilo-eu-2009"


def test_a_bad_list_names_every_bad_item_and_field():
    data = shipped_data()
    data["lists"][1]["indicators"][3]["strength"] = "very strong"
    data["lists"][2]["indicators"][0]["dimension"] = "transport"
    del data["lists"][0]["indicators"][5]["en"]
    data["rule"]["combinations"][0]["strong"] = 0
    with pytest.raises(ListFileError) as caught:
        validate(data, source="bad.yaml")
    paths = dict(caught.value.problems)
    assert "must be one of strong, medium, weak" in paths["lists[1].indicators[3].strength"]
    assert "unknown dimension" in paths["lists[2].indicators[0].dimension"]
    assert paths["lists[0].indicators[5].en"] == "is required"
    assert "at least 1" in paths["rule.combinations[0].strong"]


@pytest.mark.django_db
def test_loading_a_bad_file_is_rejected_whole_and_stores_nothing(tmp_path):
    path = government_list(tmp_path)
    data = json.loads(path.read_text())
    data["lists"][3]["indicators"][7]["strength"] = "strongest"
    path.write_text(json.dumps(data))
    before = (IndicatorList.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError, match=r"lists\[3\]\.indicators\[7\]\.strength: must be one of"):
        call_command("indicators", "load", str(path), "--adopt")
    assert (IndicatorList.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_loading_an_unreadable_file_is_rejected(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("code: [unclosed")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("indicators", "load", str(path))


@pytest.mark.django_db
def test_a_loaded_list_is_a_draft_until_adopted(tmp_path):
    call_command("indicators", "load", str(government_list(tmp_path, suffix=".yaml")))
    loaded = IndicatorList.objects.get(code="kosovo-government")
    assert loaded.status == ListStatus.DRAFT
    assert indicator_list_in_force(on=dt.date(2027, 6, 1), audience="adult",
                                   exploitation="labour").code == "ilo-eu-2009"


@pytest.mark.django_db
def test_adopting_a_list_puts_it_in_force_from_its_date_and_retires_the_previous(tmp_path):
    call_command("indicators", "load", str(government_list(tmp_path)), "--adopt")
    shipped = IndicatorList.objects.get(code="ilo-eu-2009")
    assert (shipped.status, shipped.retired_on) == (ListStatus.RETIRED, dt.date(2027, 3, 1))

    def in_force(on: dt.date) -> str:
        return indicator_list_in_force(on=on, audience="child", exploitation="sexual").code

    assert in_force(dt.date(2027, 2, 28)) == "ilo-eu-2009"
    assert in_force(dt.date(2027, 3, 1)) == "kosovo-government"
    assert AuditEvent.objects.filter(action="adopt", record_type="screening.indicatorlist").exists()


@pytest.mark.django_db
def test_a_list_for_some_audiences_only_replaces_the_previous_one_for_those(tmp_path):
    path = government_list(tmp_path, pairs={("adult", "labour")})
    call_command("indicators", "load", str(path), "--adopt")
    later = dt.date(2027, 6, 1)
    assert indicator_list_in_force(on=later, audience="adult", exploitation="labour").code == "kosovo-government"
    assert indicator_list_in_force(on=later, audience="child", exploitation="labour").code == "ilo-eu-2009"
    assert IndicatorList.objects.get(code="ilo-eu-2009").status == ListStatus.ADOPTED


@pytest.mark.django_db
def test_the_same_list_version_cannot_be_loaded_twice(tmp_path):
    path = government_list(tmp_path)
    call_command("indicators", "load", str(path))
    with pytest.raises(CommandError, match="already loaded"):
        call_command("indicators", "load", str(path))


@pytest.mark.django_db
def test_the_list_command_shows_each_list_with_its_status_and_dates(tmp_path, capsys):
    call_command("indicators", "load", str(government_list(tmp_path)), "--adopt")
    assert "as adopted, adopted_on 2027-03-01" in capsys.readouterr().out
    call_command("indicators", "list")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("kosovo-government\t2027-1\tadopted\t2027-03-01\t")
    assert lines[1].startswith("ilo-eu-2009\t2009-09\tretired\t2009-09-01 until 2027-03-01\t")
