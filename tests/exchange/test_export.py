"""HTCDS export: what the user may see, identity only where allowed, always audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nrm.audit.models import AuditEvent
from nrm.authorities.roles import Role
from nrm.cases.models import Stage
from nrm.errors import NotAllowed
from nrm.exchange import htcds
from nrm.exchange.services import htcds_export, htcds_rows
from tests.factories import InstitutionFactory, official, registered_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def social_work():
    """A social worker who registered an adult's case, and a colleague's child case in the
    same centre that names only the colleague."""
    centre = InstitutionFactory()
    worker = official(Role.SOCIAL_WORKER, centre)
    colleague = official(Role.SOCIAL_WORKER, centre)
    adult = registered_case(worker, given_name="Adulta", case_facts={"exploitation": ["sexual"]},
                            sex="female", citizenship="XK")
    child = registered_case(colleague, child=True, given_name="Minora",
                            birth_date=dt.date(2012, 3, 4))
    return worker, adult, child


def by_number(rows):
    return {row["cas_CaseNumber"]: row for row in rows}


def test_a_presumed_victim_exports_as_possible_and_an_identified_one_as_actual(social_work):
    worker, adult, child = social_work
    adult.stage = Stage.IDENTIFIED
    adult.save()
    child.stage = Stage.PRESUMED_VICTIM
    child.save()
    rows = by_number(htcds_rows(user=worker, with_identity=False))
    assert rows[adult.reference]["vic_TraffickingStatus"] == "ActualVictimOfTrafficking"
    assert rows[child.reference]["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"


def test_pseudonymous_fields_map_onto_the_standards_picklists(social_work):
    worker, adult, _ = social_work
    row = by_number(htcds_rows(user=worker, with_identity=False))[adult.reference]
    assert row["prs_Gender"] == "Feminine"
    assert row["prs_Citizenship"] == ["XK"]
    assert row["vic_TypeOfExploitation"] == ["SexualExploitation"]
    assert row["cas_Status"] == "Active"
    assert row["nrm_Demo"] is False
    assert row["prs_FirstName"] == "" and row["prs_Birthdate"] == ""


def test_a_case_workers_export_has_identities_only_where_the_policy_shows_them(social_work):
    worker, adult, child = social_work
    rows = by_number(htcds_rows(user=worker, with_identity=True))
    assert rows[adult.reference]["prs_FirstName"] == "Adulta"
    assert rows[adult.reference]["prs_Birthdate"] == "1990-01-01"
    # A child's identity only for officials named on the child's case (35.1.5).
    assert all(rows[child.reference][name] in ("", []) for name in htcds.IDENTITY_COLUMNS)


def test_an_analysts_export_has_no_identifiers_and_asking_for_them_is_refused(social_work):
    analyst = official(Role.SECRETARIAT_ANALYST)
    rows = htcds_rows(user=analyst, with_identity=False)
    assert len(rows) == 2
    assert all(row[name] in ("", []) for row in rows for name in htcds.IDENTITY_COLUMNS)
    with pytest.raises(NotAllowed, match="with_identity"):
        htcds_rows(user=analyst, with_identity=True)
    assert AuditEvent.objects.filter(action="export.refused", actor=analyst).count() == 1


def test_an_official_not_on_any_team_exports_nothing(social_work):
    assert htcds_rows(user=official(Role.POLICE_INVESTIGATOR), with_identity=True) == []


def test_every_export_is_audited_with_the_cases_and_the_identity_shown(social_work):
    worker, adult, child = social_work
    htcds_export(user=worker, with_identity=True, fmt="csv")
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.actor == worker and event.purpose == "htcds export"
    assert sorted(event.record_ids) == sorted([str(adult.pk), str(child.pk)])
    assert "given_name" in event.fields
    assert event.detail["identity_shown"] == [adult.pk]


def test_the_export_reads_every_case_in_the_same_number_of_queries(social_work):
    worker, *_ = social_work
    htcds_rows(user=worker, with_identity=True)  # the user's roles are read once, then kept
    with CaptureQueriesContext(connection) as few:
        htcds_rows(user=worker, with_identity=True)
    for n in range(4):
        registered_case(worker, given_name=f"More{n}")
    with CaptureQueriesContext(connection) as many:
        rows = htcds_rows(user=worker, with_identity=True)
    assert len(rows) == 6
    assert len(many) == len(few)


def test_csv_and_json_files_carry_every_field_in_the_mappings_order(social_work):
    worker, adult, _ = social_work
    table = list(csv.DictReader(io.StringIO(htcds_export(user=worker, with_identity=False,
                                                         fmt="csv").decode())))
    assert list(table[0]) == [f.name for f in htcds.FIELDS]
    row = next(r for r in table if r["cas_CaseNumber"] == adult.reference)
    assert row["nrm_Child"] == "false" and row["prs_Citizenship"] == "XK"
    body = json.loads(htcds_export(user=worker, with_identity=False, fmt="json"))
    assert body["standard"] == "HTCDS 2.0" and len(body["cases"]) == 2


def test_the_demo_flag_travels_with_the_case():
    worker = official(Role.POLICE_INVESTIGATOR)
    demo = registered_case(worker, demo=True)
    assert by_number(htcds_rows(user=worker, with_identity=False))[demo.reference]["nrm_Demo"]
