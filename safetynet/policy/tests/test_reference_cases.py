"""The policy suite: the 16 reference cases (tests/cases/*.yaml, readable by the office) through assess()."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from safetynet.policy.assess import assess

CASES = Path(__file__).parent / "cases"


def load_cases() -> list[dict[str, Any]]:
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(CASES.glob("*.yaml"))]


def observed(result: dict[str, Any]) -> dict[str, Any]:
    """The assessment in the shape of a case's `expect`."""
    return {
        "categories": result["categories"], "tags": result["tags"], "tekun_members": result["tekun_members"],
        "monitoring_candidate": result["monitoring_candidate"], "risks": result["risks"],
        "per_capita_income_monthly": result["figures"]["per_capita_income_monthly"],
        "counted_members": result["figures"]["counted_members"],
        "dibao_monthly": result["benefits"]["dibao_monthly"], "tekun_monthly": result["benefits"]["tekun_monthly"],
        "medical_ratio": result["benefits"]["medical_ratio"],
    }


def test_the_suite_holds_all_sixteen_reference_cases() -> None:
    assert len(load_cases()) == 16


@pytest.mark.parametrize("case", load_cases(), ids=lambda case: case["name"])
def test_reference_case(case: dict[str, Any]) -> None:
    # given: a household document exactly as the office wrote it
    household, expect = case["household"], case["expect"]
    # when
    result = assess(household, on=case["as_of"])
    # then: every expected key matches
    got = observed(result)
    assert {key: got[key] for key in expect} == expect
