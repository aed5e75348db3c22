"""Text no database stores alike (a lone surrogate, NUL) is refused at every input: the
import's validation, the API's parser for every JSON body, and the pages' middleware.
Once, one `\\ud800` in an imported field made every HTCDS export answer 500 (issue 7,
finding 8)."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from nrm.authorities.roles import Role
from nrm.cases.models import Case, Person
from nrm.errors import ImportRejected
from nrm.exchange.services import htcds_import
from nrm.web.unicode import first_fault, text_fault
from tests.factories import official

pytestmark = pytest.mark.django_db
ROW = {"cas_CaseNumber": "EXT-1", "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
       "prs_FirstName": "Apia", "prs_SecondName": "Testa", "prs_Birthdate": "1990-01-01"}


@pytest.fixture
def worker():
    return official(Role.SOCIAL_WORKER)


def test_lone_surrogates_and_nul_are_faults_and_real_characters_are_not():
    assert text_fault("Ardita Krasniqi, Prishtinë 😀 ＝") is None
    assert "U+D800" in text_fault("A\ud800")
    assert "U+DFFF" in text_fault("\udfff")
    assert "NUL" in text_fault("a\x00b")
    assert first_fault({"person": {"names": ["ok", "b\udc00d"]}})[0] == "person.names.1"


def test_an_import_with_a_lone_surrogate_is_refused_naming_row_field_and_reason(worker):
    rows = [ROW, {**ROW, "prs_FirstName": "Ap\ud800ia"},
            {**ROW, "nrm_CaseFacts": {"located": "kos\x00ovo"}},
            {**ROW, "vic_MethodsOfControl": ["DebtBondage", "\udfff"]}]
    with pytest.raises(ImportRejected) as rejected:
        htcds_import(actor=worker, rows=rows)
    faults = {(e.row, e.field): e.reason for e in rejected.value.errors}
    assert "lone surrogate (U+D800)" in faults[(2, "prs_FirstName")]
    assert "NUL" in faults[(3, "nrm_CaseFacts.located")]
    assert "U+DFFF" in faults[(4, "vic_MethodsOfControl.1")]
    assert not any(row == 1 for row, _ in faults)
    assert Case.objects.count() == 0 and Person.objects.count() == 0


def test_the_import_command_refuses_a_json_file_with_an_escaped_surrogate(worker, tmp_path,
                                                                          capsys):
    path = tmp_path / "cases.json"
    path.write_text('{"cases": [{"cas_CaseNumber": "E-1", "vic_TraffickingStatus": '
                    '"PossibleVictimOfTrafficking", "vic_LocationOfExploitation": "x\\ud800"}]}')
    with pytest.raises(CommandError, match="nothing stored"):
        call_command("import", "htcds", str(path), user=worker.username)
    assert "row 1, field vic_LocationOfExploitation: contains a lone surrogate" in (
        capsys.readouterr().err)
    assert Case.objects.count() == 0


def test_a_surrogate_in_a_persons_name_is_refused_by_the_api_naming_the_field(worker, api):
    client = api(worker)
    body = {"person": {"given_name": "Ap\ud800ia", "family_name": "Testa"}, "case": {}}
    response = client.post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert response.json()["field"] == "person.given_name"
    assert "surrogate" in response.json()["message"]
    assert Case.objects.count() == 0
    # A NUL anywhere in a JSON body, and an import through the API, answer alike.
    imported = client.post("/api/v1/imports/htcds", {"rows": [{**ROW, "prs_SecondName": "T\x00"}]},
                           content_type="application/json")
    assert imported.status_code == 400 and imported.json()["field"] == "rows.0.prs_SecondName"
    # A body that is not JSON at all is the same 400 shape, never a 500.
    broken = client.post("/api/v1/cases", b'{"person": ', content_type="application/json")
    assert broken.status_code == 400 and broken.json()["field"] == "body"


def test_the_export_keeps_answering_after_an_attempt_to_store_a_surrogate(worker, api):
    client = api(worker)
    client.post("/api/v1/imports/htcds", {"rows": [{**ROW, "prs_FirstName": "\ud800"}]},
                content_type="application/json")
    with pytest.raises(ImportRejected):
        htcds_import(actor=worker, rows=[{**ROW, "cas_OutgoingReferralDetails": "\ud800"}])
    for fmt in ("json", "csv"):
        response = client.get(f"/api/v1/exports/htcds?format={fmt}&with_identity=true")
        assert response.status_code == 200
        response.content.decode()


def test_pages_refuse_a_nul_in_a_query_or_form_value_naming_the_field():
    client = Client()
    response = client.get("/account/login/?next=%2F%00x")
    assert response.status_code == 400 and response.content.decode().startswith("next: ")
    posted = client.post("/account/login/", {"username": "a\x00b", "password": "x"})
    assert posted.status_code == 400 and posted.content.decode().startswith("username: ")
    assert client.get("/account/login/?next=/").status_code == 200


def test_the_page_check_finds_a_surrogate_that_reached_a_form_value():
    from django.http import HttpResponse, QueryDict
    from django.test import RequestFactory

    from nrm.web.unicode import UnicodeMiddleware

    request = RequestFactory().post("/x", {})
    request.POST = QueryDict(mutable=True)  # type: ignore[misc]
    request.POST["note"] = "a\ud800"
    response = UnicodeMiddleware(lambda r: HttpResponse("stored"))(request)
    assert response.status_code == 400 and b"note: contains a lone surrogate" in response.content
    assert json.dumps("ok")  # the middleware passes good requests on (below)
    good = RequestFactory().post("/x", {"note": "Prishtinë"})
    assert UnicodeMiddleware(lambda r: HttpResponse("stored"))(good).content == b"stored"
