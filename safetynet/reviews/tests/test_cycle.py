"""Due dates as plain functions: months across year ends, the 6-month rule, 渐退期 ends."""

from __future__ import annotations

from datetime import date

import pytest

from safetynet.policy.params import ParameterSet
from safetynet.reviews import cycle

PARAMS = ParameterSet.load()
REGION = "220821101200001"
ON = date(2025, 9, 1)


@pytest.mark.parametrize(("start", "months", "due"), [
    (date(2025, 7, 1), 6, date(2026, 1, 1)),      # across the year end
    (date(2025, 12, 31), 6, date(2026, 6, 30)),   # a day June lacks
    (date(2025, 8, 31), 6, date(2026, 2, 28)),    # February of a common year
    (date(2027, 8, 31), 6, date(2028, 2, 29)),    # and of a leap year
    (date(2025, 12, 15), 12, date(2026, 12, 15)),
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
])
def test_add_months(start: date, months: int, due: date) -> None:
    assert cycle.add_months(start, months) == due


def facts(*, age: int = 40, employment: str = "self_employed", labor: str = "full", counted: bool = True,
          kind: str = "", grade: int | None = None) -> cycle.MemberFacts:
    return cycle.MemberFacts(age=age, counted=counted, labor=labor, disability_kind=kind, disability_grade=grade,
                             employment=employment)


@pytest.mark.parametrize(("member", "unstable"), [
    (facts(), True),                                    # self-employed, able to work
    (facts(employment="unemployed"), True),
    (facts(employment="none"), False),                  # also "never recorded": not read as out of work
    (facts(employment="employed"), False),              # wages
    (facts(employment="farming"), False),               # yearly harvest: the yearly review sees it
    (facts(employment="retired"), False),
    (facts(age=60), False),                             # past working age (tekun.age_elderly)
    (facts(age=15), False),                             # under tekun.age_minor
    (facts(age=16), True),
    (facts(labor="none"), False),                       # certified unable to work
    (facts(labor="partial"), True),
    (facts(kind="physical", grade=2), False),           # a qualifying disability
    (facts(kind="physical", grade=3), True),
    (facts(counted=False), False),                      # living elsewhere
])
def test_unstable_income_needs_a_counted_member_able_to_work_without_a_fixed_income(member: cycle.MemberFacts,
                                                                                     unstable: bool) -> None:
    assert cycle.unstable_income([member], region=REGION, on=ON, params=PARAMS) is unstable


@pytest.mark.parametrize(("categories", "unstable", "months"), [
    (["dibao"], False, 12), (["dibao"], True, 6), (["tekun"], False, 12), (["tekun"], True, 12),
    (["tekun", "dibao"], True, 6), (["dibao_edge"], True, None), ([], False, None),
])
def test_interval_per_category(categories: list[str], unstable: bool, months: int | None) -> None:
    interval = cycle.review_interval(categories, unstable=unstable, region=REGION, on=ON, params=PARAMS)
    assert (interval.months if interval else None) == months


@pytest.mark.parametrize(("reviewed", "months", "last_day"), [
    (date(2025, 9, 15), 6, date(2026, 3, 31)),   # October … March
    (date(2025, 12, 31), 6, date(2026, 6, 30)),  # January … June
    (date(2025, 7, 1), 6, date(2026, 1, 31)),
    (date(2026, 1, 10), 1, date(2026, 2, 28)),
])
def test_taper_ends_on_the_last_day_of_its_last_month(reviewed: date, months: int, last_day: date) -> None:
    assert cycle.taper_end(reviewed, months=months) == last_day
