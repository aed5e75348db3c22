"""The HTCDS mapping: every core field of the standard has a place, and the packaged
picklists are the standard's own."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nrm.cases.models import Stage
from nrm.exchange import htcds
from nrm.exchange import picklists as P

ROOT = Path(__file__).resolve().parents[2]
STANDARD = ROOT.parent / "shared" / "data" / "htcds" / "HTCDS_Field_Standards_2.0.csv"
MAPPING_MD = ROOT / "src" / "nrm" / "exchange" / "MAPPING.md"


def standard() -> dict[str, dict[str, str]]:
    if not STANDARD.exists():
        pytest.skip("../shared/data/htcds is not beside the repository")
    with STANDARD.open(encoding="utf-8") as handle:
        return {row["Field Name including Prefix"]: row for row in csv.DictReader(handle)
                if row["Field Name including Prefix"]}


def test_every_core_field_of_the_standard_has_a_place_in_the_mapping():
    core = {name for name, row in standard().items()
            if row["Core"] == "Core" and row["Status"] != "DEPRECATED"}
    assert core - set(htcds.BY_NAME) == set()


def test_deprecated_core_fields_are_named_as_deprecated_by_the_standard():
    rows = standard()
    for name in htcds.DEPRECATED:
        assert rows[name]["Status"] == "DEPRECATED"


def test_every_field_the_mapping_claims_as_core_is_core_in_the_standard():
    rows = standard()
    for field in htcds.FIELDS:
        if field.core:
            assert rows[field.name]["Core"] == "Core", field.name


@pytest.mark.parametrize("name, values", [
    ("prs_Gender", P.GENDER), ("vic_TraffickingStatus", P.TRAFFICKING_STATUS),
    ("vic_TraffickingStatusDecisionMakingOrg", P.DECISION_MAKING_ORG),
    ("vic_MethodOfRecruitment", P.METHOD_OF_RECRUITMENT),
    ("vic_MethodsOfControl", P.METHODS_OF_CONTROL),
    ("vic_TypeOfExploitation", P.TYPE_OF_EXPLOITATION),
    ("vic_ForcedLabourIndustry", P.FORCED_LABOUR_INDUSTRY),
    ("vic_TypeOfSexExploitation", P.TYPE_OF_SEX_EXPLOITATION),
    ("cas_Status", P.CASE_STATUS), ("cas_ReasonForIncomingReferral", P.REASON_FOR_REFERRAL),
    ("cas_ReasonForOutgoingReferral", P.REASON_FOR_REFERRAL),
])
def test_the_packaged_picklists_are_the_standards_own(name, values):
    given = [v.strip() for v in standard()[name]["Value Names (if picklist)"].splitlines()]
    assert tuple(v for v in given if v) == values


def test_mapping_md_documents_every_field_of_the_mapping():
    text = MAPPING_MD.read_text(encoding="utf-8")
    for field in htcds.FIELDS:
        assert f"| {field.name} |" in text, field.name


def test_every_contract_exploitation_code_and_stage_has_an_htcds_value():
    from nrm.law.codes import EXPLOITATION_TYPES

    assert set(htcds.EXPLOITATION_OUT) == EXPLOITATION_TYPES
    assert set(htcds.EXPLOITATION_IN) == set(P.TYPE_OF_EXPLOITATION)
    assert set(htcds.EXPLOITATION_IN.values()) <= EXPLOITATION_TYPES
    for stage in Stage.values:
        assert htcds.trafficking_status(stage, {}) in P.TRAFFICKING_STATUS


def test_a_presumed_victim_is_possible_and_an_identified_one_actual():
    assert htcds.trafficking_status("presumed_victim", {}) == "PossibleVictimOfTrafficking"
    assert htcds.trafficking_status("identified", {}) == "ActualVictimOfTrafficking"
    assert htcds.trafficking_status("closed", {"identified_on": "2026-01-02"}) == \
        "ActualVictimOfTrafficking"
    assert htcds.trafficking_status("declined", {}) == "NotAVictimOfTrafficking"
