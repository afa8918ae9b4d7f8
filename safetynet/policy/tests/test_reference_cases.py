"""The policy suite: the 16 reference cases (tests/cases/*.yaml, readable by the office) through assess()."""

from __future__ import annotations

from typing import Any

import pytest

from safetynet.policy.assess import assess
from safetynet.policy.tests.reference_cases import load_cases, observed


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
