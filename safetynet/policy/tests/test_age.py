"""Age in full years, as the rules read it (from a table of one 400-year calendar cycle)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from safetynet.policy.rules.members import age


def _full_years(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


BORN = [dt.date(1925, 3, 1), dt.date(1960, 2, 29), dt.date(1969, 12, 31), dt.date(1970, 1, 1), dt.date(2000, 2, 29),
        dt.date(2009, 8, 1), dt.date(2009, 8, 2), dt.date(1600, 1, 1), dt.date(2369, 12, 31), dt.date(2370, 1, 1),
        dt.date(1, 1, 1), dt.date(9999, 12, 31)]


@pytest.mark.parametrize("on", [dt.date(2025, 8, 1), dt.date(2025, 2, 28), dt.date(2025, 3, 1), dt.date(2024, 2, 29)])
def test_age_counts_a_birthday_only_once_reached_and_a_29_february_birthday_on_1_march(on: dt.date) -> None:
    # given: birth dates before and after 1970, on leap days, on the 400-year cycle's edges
    members = pl.DataFrame({"birth_date": [*BORN, None]}, schema={"birth_date": pl.Date})
    # when
    ages = members.lazy().select(age(on)).collect().get_column("age").to_list()
    # then
    assert ages == [_full_years(born, on) for born in BORN] + [None]
