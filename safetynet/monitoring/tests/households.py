"""A small registry for screening tests: a 低保 family, an elderly 特困 person, a well-off family."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from conftest import member_data

ON = date(2025, 8, 1)


def elderly_alone() -> list[dict[str, Any]]:
    """An 84-year-old with no income and no supporter: 特困."""
    return [member_data("赵桂兰", "self", date(1941, 2, 3), male=False, labor="none")]


def well_off() -> list[dict[str, Any]]:
    return [member_data("孙志强", "self", date(1980, 5, 6), employment="employed", income={"wages": 96000}),
            member_data("钱丽", "spouse", date(1982, 7, 8), male=False, employment="employed",
                        income={"wages": 72000})]


def small_registry(make_household: Callable[..., Any]) -> list[Any]:
    """Three households in township A and B (the default family of conftest is 低保)."""
    return [make_household("220821101200001"), make_household("220821101200002", members=elderly_alone()),
            make_household("220821102200001", members=well_off(), assets={"deposits": 200000})]
