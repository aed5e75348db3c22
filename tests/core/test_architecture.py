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


def _python(skip: set[str]) -> list[tuple[Path, ast.AST]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "migrations" in path.parts or relative in skip or relative.startswith("law/"):
            continue
        found.append((path, ast.parse(path.read_text(encoding="utf-8"))))
    return found


# Where an official's memberships may be read: the access layer answers "acting as which
# membership" for everyone else (issue 8); the authorities app owns the grants themselves.
MEMBERSHIP_READERS = {"authorities/access.py", "authorities/models.py", "authorities/admin.py",
                      "authorities/services.py", "authorities/seed.py", "authorities/seeding.py",
                      "authorities/checks.py", "conf/checks.py", "demo/services.py"}


def test_no_module_but_the_access_layer_works_out_memberships_itself() -> None:
    offences = []
    for path, tree in _python(MEMBERSHIP_READERS):
        for node in ast.walk(tree):
            reads = (isinstance(node, ast.Attribute) and node.attr == "memberships"
                     and not (isinstance(node.value, ast.Name) and node.value.id == "access"))
            calls = (isinstance(node, ast.Attribute) and node.attr == "memberships"
                     and isinstance(node.value, ast.Name) and node.value.id == "access")
            if reads or calls:
                offences.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offences == [], "use nrm.authorities.access.acting() or access.institutions()"


# The tables of a case's legal life: only the cases app writes them (issue 8, one write path).
CASE_TABLES = {"Case", "StageDecision", "LegalState", "Duty", "Alert", "CaseAssignment"}
WRITES = {"create", "bulk_create", "update", "bulk_update", "delete", "get_or_create",
          "update_or_create"}


def test_no_app_but_cases_writes_the_tables_of_a_case() -> None:
    offences = []
    for path, tree in _python(set()):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith(("cases/", "demo/")) or relative == "bench.py":
            continue  # the owner, and the makers of synthetic data for demos and benchmarks
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            chain, target = node.func, node.func.value
            while isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute):
                target = target.func.value
            names = {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
            if chain.attr in WRITES and names & CASE_TABLES:
                offences.append(f"{relative}:{node.lineno} {sorted(names & CASE_TABLES)}.{chain.attr}")
            if chain.attr == "save" and isinstance(chain.value, ast.Name) and chain.value.id in {
                    "case", "locked", "merge", "keep"}:
                offences.append(f"{relative}:{node.lineno} {chain.value.id}.save()")
    assert offences == [], "call nrm.cases.services or nrm.cases.decisions instead"


def test_every_api_endpoint_answers_a_typed_schema_and_schema_names_are_unique() -> None:
    from nrm.api.app import api

    schema = api.get_openapi_schema()
    files = {"GET /api/v1/exports/htcds"}  # answers a file to download, not JSON
    untyped = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {}).get("application/json", {}).get("schema", {})
                typed = "$ref" in content or "$ref" in content.get("items", {})
                if not typed and f"{method.upper()} {path}" not in files:
                    untyped.append(f"{method.upper()} {path} {status}")
    assert untyped == []
    # Two request bodies once shared the name DecisionIn, and one documented the other.
    components = schema["components"]["schemas"]
    assert "DecisionIn" not in components
    assert {"CaseDecisionIn", "ScreeningDecisionIn"} <= set(components)


def test_domain_modules_do_not_import_the_api_back() -> None:
    """The API imports the routers; a router importing nrm.api.app back made a circle."""
    offences = []
    for path, tree in _python({"api/app.py", "api/urls.py"}):
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "nrm.api.app":
                offences.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offences == []


def test_one_error_kit_one_page_guard() -> None:
    assert sorted(p.relative_to(SRC).as_posix() for p in SRC.glob("*/errors.py")) == ["law/errors.py"]
    guards = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
              if "def guarded(" in p.read_text(encoding="utf-8")]
    assert guards == ["web/guard.py"]
