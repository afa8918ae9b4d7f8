"""The policy reference cases as the CLI and API tests read them: the engine's own files and comparison.

The cases live with the rules engine (`safetynet/policy/tests/cases/*.yaml`, the office-readable policy
suite) and `observed` is the engine suite's, so the three suites compare exactly the same keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from safetynet.policy.tests.reference_cases import CASES_DIR, observed

CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))


def load_case(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def case_yaml(path: Path) -> str:
    """The household part of a case as a YAML document, what a clerk would put in a file."""
    return yaml.safe_dump(load_case(path)["household"], allow_unicode=True, sort_keys=False)


def as_of(case: dict[str, Any]) -> str:
    return str(case["as_of"])


def checked(result: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    """The keys of an assessment that the case's `expect` states, to compare with it."""
    got = observed(result)
    return {key: got[key] for key in case["expect"]}
