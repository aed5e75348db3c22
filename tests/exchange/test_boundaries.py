"""Exchange acts through the one acting identity and writes cases only through the cases
services (issue 8): read from its code, and shown through the API with two memberships."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nrm.audit.models import AuditEvent
from nrm.authorities.models import Membership
from nrm.authorities.roles import Role
from nrm.cases.models import Case
from tests.factories import IN_FORCE, InstitutionFactory, official

EXCHANGE = Path(__file__).resolve().parents[2] / "src" / "nrm" / "exchange"
FORBIDDEN = {
    "works out memberships itself": re.compile(r"\.memberships\b|access\.memberships\("),
    "writes another app's case tables": re.compile(
        r"\b(Case|StageDecision|LegalState|Duty|Alert|CaseAssignment|Person)\.objects\."
        r"(create|update|bulk_create|get_or_create|update_or_create)|\bcase\.save\(|"
        r"\bmerge\.save\(|\.merged_into(_id)?\s*=(?!=)|\.stage\s*=(?!=)"),
    "uses the transitional error shim": re.compile(r"nrm\.api\.errors|api\.create_response"),
}


def test_no_exchange_module_works_out_memberships_or_writes_cases_itself():
    sources = [p for p in EXCHANGE.rglob("*.py") if "migrations" not in p.parts]
    assert len(sources) > 5
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for what, pattern in FORBIDDEN.items():
            assert not pattern.search(text), f"{path.name} {what}: {pattern.search(text)[0]}"
    assert not (EXCHANGE / "errors.py").exists()


@pytest.mark.django_db
def test_an_official_with_two_memberships_imports_as_the_one_chosen_and_is_audited_so(api):
    worker = official(Role.SOCIAL_WORKER)
    second = InstitutionFactory()
    Membership.objects.create(user=worker, institution=second, role=Role.VICTIM_ADVOCATE,
                              **IN_FORCE)
    row = {"cas_CaseNumber": "E-1", "vic_TraffickingStatus": "PossibleVictimOfTrafficking"}
    unclear = api(worker).post("/api/v1/imports/htcds", {"rows": [row]},
                               content_type="application/json")
    assert unclear.status_code == 409 and unclear.json()["error"] == "acting_unclear"
    chosen = api(worker).post("/api/v1/imports/htcds", {"rows": [row]},
                              content_type="application/json",
                              headers={"X-Acting-As": second.code})
    assert chosen.status_code == 202, chosen.content
    from nrm.exchange.jobs import import_job_run

    import_job_run(job_id=chosen.json()["id"])
    case = Case.objects.get()
    assert case.registered_by == second
    for action in ("import.start", "import", "create"):
        event = AuditEvent.objects.filter(action=action).get()
        assert (event.institution, event.role) == (second.code, Role.VICTIM_ADVOCATE), action
