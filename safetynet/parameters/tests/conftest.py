"""Fixtures of the parameters tests: a valid new value, and a clean effective-set cache per test."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from safetynet.parameters.selectors import effective_parameters_invalidate


@pytest.fixture(autouse=True)
def _fresh_effective_parameters() -> Any:
    # Each test's rows are rolled back; a set cached by an earlier test must not leak into the next.
    effective_parameters_invalidate()
    yield
    effective_parameters_invalidate()


@pytest.fixture
def new_value() -> dict[str, Any]:
    """The county's own urban 低保 standard from July 2025, replacing the placeholder 720."""
    return {"name": "dibao.standard.urban_monthly", "region": "220821", "value": Decimal(800),
            "since": date(2025, 7, 1), "status": "K",
            "source": "镇赉县民政局关于调整城乡低保标准的通知（镇民发〔2025〕12号）第二条",
            "reason": "取得县政府批准的正式标准，替换占位值"}
