"""An assessment made with the effective set uses the county's added value from its date, not before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conftest import household_data
from safetynet.parameters.selectors import effective_parameters
from safetynet.parameters.services import parameter_value_add
from safetynet.policy.assess import assess

RURAL = "dibao.standard.rural_annual"


def standard_used(on: date) -> tuple[float, str, list[str]]:
    result = assess(household_data("220821101200001"), on, params=effective_parameters())
    return result["figures"]["standard_monthly"], result["parameter_version"], result["pending_parameters"]


def test_assessment_follows_the_added_rural_standard_from_its_date(cast, new_value):
    # given: the placeholder 5520 元/年 (460 元/月) is in force
    before_standard, before_version, before_pending = standard_used(date(2025, 8, 1))
    assert before_standard == 460 and RURAL in before_pending
    # when: the county's official 6000 元/年 takes effect on 2025-07-01
    parameter_value_add(**{**new_value, "name": RURAL, "value": Decimal(6000)}, by=cast["county_civil"])
    # then
    standard, version, pending = standard_used(date(2025, 8, 1))
    assert standard == 500 and version != before_version and RURAL not in pending
    assert standard_used(date(2025, 6, 30))[0] == 460
