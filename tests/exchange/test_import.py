"""HTCDS import: every field checked first, a bad file refused whole, a good one registered."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from nrm.audit.models import AuditEvent
from nrm.authorities.roles import Role
from nrm.authorities.tokens import token_create
from nrm.cases.models import Case, Person, StageDecision
from nrm.cases.services import case_register
from nrm.errors import ImportRejected, NotAllowed
from nrm.exchange.models import HtcdsFields
from nrm.exchange.services import htcds_export, htcds_import, htcds_rows
from tests.factories import official, registered_case

pytestmark = pytest.mark.django_db


def good_row(**fields):
    return {
        "cas_CaseNumber": "IOM-77", "vic_TraffickingStatus": "ActualVictimOfTrafficking",
        "prs_FirstName": "Synthia", "prs_SecondName": "Testova", "prs_Birthdate": "1994-02-03",
        "prs_Gender": "Feminine", "prs_Citizenship": "AL",
        "vic_TypeOfExploitation": "ForcedLabour;ForcedBegging",
        "vic_MethodsOfControl": "DebtBondage;WithholdsDocuments",
        "cas_IncomingReferralDetails": "Referred by the outreach team", "con_Consent": "true",
        **fields,
    }


@pytest.fixture
def advocate():
    return official(Role.VICTIM_ADVOCATE)


def test_a_good_file_registers_every_case_through_the_registration_service(advocate):
    imported = htcds_import(actor=advocate, rows=[good_row(), good_row(cas_CaseNumber="IOM-78",
                                                 vic_TraffickingStatus="PossibleVictimOfTrafficking")])
    first, second = (i.case for i in imported)
    assert imported[0].source_number == "IOM-77"
    assert first.reference.startswith("NRM-2026-")
    assert first.stage == "identified" and second.stage == "presumed_victim"
    assert first.registered_by == advocate.memberships.get().institution
    assert first.person.given_name == "Synthia" and first.person.sex == "female"
    assert first.person.citizenship == "AL"
    assert first.facts["exploitation"] == ["begging", "forced_labour"]
    kept = HtcdsFields.objects.get(case=first)
    assert kept.values["vic_MethodsOfControl"] == ["DebtBondage", "WithholdsDocuments"]
    assert kept.values["con_Consent"] is True
    assert json.loads(kept.text) == {"cas_IncomingReferralDetails": "Referred by the outreach team"}
    assert StageDecision.objects.filter(case=first, to_stage="identified").exists()
    assert AuditEvent.objects.filter(action="create", purpose="htcds import").count() == 2
    assert AuditEvent.objects.filter(action="import", actor=advocate).count() == 1


def test_a_bad_file_is_refused_whole_naming_row_field_and_reason_and_stores_nothing(advocate):
    rows = [
        good_row(),
        good_row(prs_Gender="Female", prs_Birthdate="2031-01-01"),
        good_row(vic_TraffickingStatus="", vic_MethodsOfControl="DebtBondage;Blackmail",
                 prs_Citizenship="Kosovo", Nickname="x"),
        good_row(nrm_CaseFacts='{"exploitation": ["stealing"]}', vic_TypeOfExploitation=""),
    ]
    with pytest.raises(ImportRejected) as rejected:
        htcds_import(actor=advocate, rows=rows)
    lines = [str(e) for e in rejected.value.errors]
    assert any(line.startswith("row 2, field prs_Gender: unknown value 'Female'; expected one "
                               "of Feminine, Masculine") for line in lines)
    assert "row 2, field prs_Birthdate: 2031-01-01 is in the future" in lines
    assert any(line.startswith("row 3, field Nickname: not an HTCDS 2.0 field") for line in lines)
    assert "row 3, field vic_TraffickingStatus: required" in lines
    assert any(line.startswith("row 3, field vic_MethodsOfControl: unknown value(s) 'Blackmail'")
               for line in lines)
    assert any(line.startswith("row 3, field prs_Citizenship: unknown value(s) 'Kosovo'")
               for line in lines)
    assert any(line.startswith("row 4, field nrm_CaseFacts: case.exploitation") for line in lines)
    assert not any(line.startswith("row 1") for line in lines)
    assert Case.objects.count() == 0 and Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action__in=["create", "import"]).exists()


def test_a_stage_that_disagrees_with_the_trafficking_status_is_refused(advocate):
    with pytest.raises(ImportRejected) as rejected:
        htcds_import(actor=advocate, rows=[good_row(nrm_Stage="screening")])
    assert str(rejected.value.errors[0]).startswith("row 1, field nrm_Stage: stage 'screening'")


def test_an_analyst_may_not_import(advocate):
    with pytest.raises(NotAllowed):
        htcds_import(actor=official(Role.SECRETARIAT_ANALYST), rows=[good_row()])
    assert Case.objects.count() == 0


def test_a_round_trip_keeps_every_pseudonymous_and_identity_value(advocate):
    original = case_register(
        actor=advocate, institution=advocate.memberships.get().institution,
        identity={"given_name": "Ardita", "family_name": "Testaj",
                  "birth_date": dt.date(1999, 9, 9), "contact": "+38344111222",
                  "document_number": "P-1", "address": "Rr. 1"},
        sex="female", citizenship="XK", person_facts={"stay": "regular", "pregnant": True},
        case_facts={"exploitation": ["slavery", "pornography"],
                    "reasonable_grounds_on": "2026-05-01", "located": "kosovo"},
    )
    exported = json.loads(htcds_export(user=advocate, with_identity=True, fmt="json"))["cases"]
    elsewhere = official(Role.POLICE_INVESTIGATOR)
    (copy,) = (i.case for i in htcds_import(actor=elsewhere, rows=exported))
    copy.refresh_from_db()
    for name in ("given_name", "family_name", "birth_date", "contact", "document_number",
                 "address", "sex", "citizenship", "facts"):
        assert getattr(copy.person, name) == getattr(original.person, name), name
    for name in ("stage", "child", "demo", "facts"):
        assert getattr(copy, name) == getattr(original, name), name
    assert copy.person.match_key == original.person.match_key


def test_the_import_command_prints_every_fault_and_exits_non_zero(advocate, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("cas_CaseNumber,vic_TraffickingStatus,prs_Birthdate\n"
                   "A-1,PossibleVictimOfTrafficking,03/02/1994\nA-2,Maybe,\n")
    with pytest.raises(CommandError, match="nothing stored"):
        call_command("import", "htcds", str(bad), user=advocate.username)
    err = capsys.readouterr().err
    assert "row 1, field prs_Birthdate: '03/02/1994' is not an ISO 8601 date" in err
    assert "row 2, field vic_TraffickingStatus: unknown value 'Maybe'" in err
    assert Case.objects.count() == 0


def test_export_and_import_commands_carry_a_csv_file_between_institutions(advocate, tmp_path,
                                                                           capsys, monkeypatch):
    registered_case(advocate, given_name="Commanda")
    out = tmp_path / "cases.csv"
    monkeypatch.setenv("NRM_TOKEN", token_create(user=advocate))
    call_command("export", "htcds", user=advocate.username, out=str(out), with_identity=True)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    receiver = official(Role.SOCIAL_WORKER)
    call_command("import", "htcds", str(out), user=receiver.username)
    assert "imported 1 case(s)" in capsys.readouterr().out
    copy = Case.objects.filter(registered_by=receiver.memberships.get().institution).get()
    assert copy.person.given_name == "Commanda"


def test_the_export_command_refuses_identity_to_an_analyst(tmp_path, monkeypatch):
    analyst = official(Role.SECRETARIAT_ANALYST)
    monkeypatch.setenv("NRM_TOKEN", token_create(user=analyst))
    with pytest.raises(CommandError, match="with_identity"):
        call_command("export", "htcds", user=analyst.username, out=str(tmp_path / "x.json"),
                     with_identity=True)
    assert not (tmp_path / "x.json").exists()


def test_rows_read_back_from_an_export_validate(advocate):
    registered_case(advocate)
    assert htcds_rows(user=advocate, with_identity=False)[0]["nrm_Stage"] == "screening"
