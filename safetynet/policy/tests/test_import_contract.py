"""Import contract: the policy app stays pure (no other safetynet app, no ORM), so it runs anywhere (Spark too)."""

from __future__ import annotations

import ast
from pathlib import Path

import safetynet.policy

POLICY = Path(safetynet.policy.__file__).parent
ALLOWED_SAFETYNET = ("safetynet.core", "safetynet.policy")


def imported_modules(path: Path) -> list[str]:
    modules: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return modules


def violations(path: Path) -> list[str]:
    found = []
    for module in imported_modules(path):
        other_app = module.startswith("safetynet.") and not module.startswith(ALLOWED_SAFETYNET)
        if other_app or module == "django.db" or module.startswith("django.db."):
            found.append(f"{path.name}: {module}")
    return found


def test_policy_imports_no_other_safetynet_app_and_no_orm() -> None:
    files = sorted(POLICY.rglob("*.py"))
    assert len(files) > 10
    assert [v for path in files for v in violations(path)] == []


def test_the_contract_check_would_catch_a_forbidden_import(tmp_path: Path) -> None:
    # given: a module that reaches into the registry and the ORM
    bad = tmp_path / "forbidden.py"
    bad.write_text("from safetynet.registry.models import Household\nfrom django.db import models\n")
    # then
    assert violations(bad) == [
        "forbidden.py: safetynet.registry.models", "forbidden.py: safetynet.registry.models.Household",
        "forbidden.py: django.db", "forbidden.py: django.db.models",
    ]
