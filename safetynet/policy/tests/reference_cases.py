"""The reference cases (cases/*.yaml) and what a case checks: shared by the engine, CLI and API suites."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CASES_DIR = Path(__file__).parent / "cases"


def load_cases() -> list[dict[str, Any]]:
    """Every case: {name, as_of, household, expect}, in file order."""
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(CASES_DIR.glob("*.yaml"))]


def observed(result: dict[str, Any]) -> dict[str, Any]:
    """An assessment (assess() JSON) in the shape of a case's `expect`."""
    return {
        "categories": result["categories"], "tags": result["tags"], "tekun_members": result["tekun_members"],
        "monitoring_candidate": result["monitoring_candidate"], "risks": result["risks"],
        "per_capita_income_monthly": result["figures"]["per_capita_income_monthly"],
        "counted_members": result["figures"]["counted_members"],
        "dibao_monthly": result["benefits"]["dibao_monthly"], "tekun_monthly": result["benefits"]["tekun_monthly"],
        "medical_ratio": result["benefits"]["medical_ratio"],
    }
