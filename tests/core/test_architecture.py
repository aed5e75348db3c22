"""Rules of the architecture that a reviewer should not have to remember."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "nrm"

# Models that hold or point at victims' personal data.
PROTECTED = {
    "Case", "Person", "Duty", "Alert", "LegalState", "StageDecision", "RightsExplanation",
    "ProtectionMeasure", "Shelter", "Placement", "Referral", "Consent", "CarePlanGoal",
    "Screening", "MergeDecision", "HtcdsFields", "AuditEvent",
}


def handler_modules() -> list[Path]:
    paths = list(SRC.glob("*/views.py")) + list(SRC.glob("*/api.py")) + list(SRC.glob("api/*.py"))
    return sorted(paths)


def test_no_view_or_api_handler_queries_a_protected_model_directly() -> None:
    """Reads go through selectors that start from the access policy (docs/access.md)."""
    offences = []
    for path in handler_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr in {"objects", "_base_manager"}
                    and isinstance(node.value, ast.Name) and node.value.id in PROTECTED):
                offences.append(f"{path.relative_to(SRC)}:{node.lineno} {node.value.id}.{node.attr}")
    assert offences == []


def test_the_handlers_were_found() -> None:
    names = {p.relative_to(SRC).as_posix() for p in handler_modules()}
    assert {"cases/views.py", "cases/api.py", "referrals/api.py", "screening/views.py"} <= names


def test_only_the_audit_service_creates_audit_events() -> None:
    offences = []
    for path in SRC.rglob("*.py"):
        if path.match("audit/services.py") or path.match("audit/models.py") or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "AuditEvent(" in text or "AuditEvent.objects.create" in text:
            offences.append(str(path.relative_to(SRC)))
    assert offences == []
