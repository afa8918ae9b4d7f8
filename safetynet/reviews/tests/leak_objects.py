"""The leak test's objects for the reviews URLs (tests/test_leaks.py).

`household_pk` is filled by the leak test itself; a 风险消除 case and a step name are made here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

PROVIDES = {"elimination_pk", "step"}


def leak_args(household: Any) -> dict[str, Any]:
    """A 风险消除 case of `household` (its township's clerk verified it), and a step of it."""
    from safetynet.accounts.models import User
    from safetynet.reviews.models import RiskElimination

    clerk = User.objects.get(role="township_clerk", region_id=household.region_id[:9])
    case = RiskElimination.objects.filter(household=household).first() or RiskElimination.objects.create(
        household=household, region_id=household.region_id, verified_on=date(2026, 1, 5), verified_by=clerk,
        staff_names=["甲", "乙"], findings="核实")
    return {"elimination_pk": case.pk, "step": "confirm"}
