"""Working days on the official calendar: holidays, 调休 working weekends, and years the county adds itself.

Every expected date below was counted by hand on the State Council's arrangements (and checked against
chinese-calendar 1.11.0): National Day 2025 is 10-01…10-08 off, with Sunday 09-28 and Saturday 10-11
worked; Spring Festival 2026 is 02-15…02-23 off, with Saturdays 02-14 and 02-28 worked.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from safetynet.intake.workdays import (
    CalendarUnknown,
    HolidayFileInvalid,
    add_workdays,
    holidays_reload,
    is_workday,
    workdays_between,
)


@pytest.mark.parametrize(("day", "expected"), [
    (date(2025, 9, 28), True),    # Sunday, 调休 for National Day
    (date(2025, 10, 1), False),   # National Day
    (date(2025, 10, 8), False),   # last day of the 2025 National Day / Mid-Autumn break
    (date(2025, 10, 11), True),   # Saturday, 调休
    (date(2025, 10, 12), False),  # an ordinary Sunday
    (date(2026, 2, 14), True),    # Saturday before Spring Festival, 调休
    (date(2026, 2, 16), False),   # 除夕 2026
    (date(2026, 2, 23), False),   # last day of the 2026 Spring Festival break (a Monday)
    (date(2026, 2, 28), True),    # Saturday after Spring Festival, 调休
])
def test_official_working_days(day: date, expected: bool) -> None:
    assert is_workday(day) is expected


def test_three_working_days_from_a_friday_before_national_day_counts_the_tiaoxiu_sunday() -> None:
    # Fri 09-26 → Sat 27 off, Sun 28 worked (1), Mon 29 (2), Tue 30 (3)
    assert add_workdays(date(2025, 9, 26), 3) == date(2025, 9, 30)


def test_three_working_days_across_national_day_end_on_the_tiaoxiu_saturday() -> None:
    # Tue 09-30 → 10-01…10-08 off; Thu 10-09 (1), Fri 10-10 (2), Sat 10-11 worked (3)
    assert add_workdays(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert workdays_between(date(2025, 9, 30), date(2025, 10, 12)) == 3


def test_thirty_working_days_across_national_day() -> None:
    # From Mon 09-22: Sep 23–26 (4), Sun 28 (5), 29 (6), 30 (7); Oct 1–8 off; Oct 9 (8), 10 (9), Sat 11 (10),
    # 13–17 (15), 20–24 (20), 27–31 (25); Nov 3–7 (30)
    assert add_workdays(date(2025, 9, 22), 30) == date(2025, 11, 7)


def test_working_days_across_spring_festival_2026() -> None:
    # Thu 02-12 → Fri 13 (1), Sat 14 worked (2), 15–23 off, Tue 24 (3)
    assert add_workdays(date(2026, 2, 12), 3) == date(2026, 2, 24)
    # Thu 02-26 → Fri 27 (1), Sat 28 worked (2)
    assert add_workdays(date(2026, 2, 26), 2) == date(2026, 2, 28)
    assert workdays_between(date(2026, 2, 13), date(2026, 2, 24)) == 2  # Sat 14 and Tue 24


def test_counting_back_and_the_start_day_not_counted() -> None:
    assert add_workdays(date(2025, 10, 11), -3) == date(2025, 9, 30)
    assert add_workdays(date(2025, 9, 1), 0) == date(2025, 9, 1)
    assert workdays_between(date(2025, 9, 1), date(2025, 9, 1)) == 0
    assert workdays_between(date(2025, 9, 5), date(2025, 9, 1)) == 0


def test_a_year_nobody_knows_names_the_year_to_add() -> None:
    with pytest.raises(CalendarUnknown) as unknown:
        is_workday(date(2031, 1, 6))
    assert "2031年的法定节假日和调休安排尚未录入" in str(unknown.value)
    assert "safetynet/intake/data/holidays.yaml" in str(unknown.value)
    assert is_workday(date(2031, 1, 6), assume_weekdays=True) is True  # a Monday


@pytest.fixture
def county_file(tmp_path: Path, monkeypatch: Any) -> Any:
    def write(text: str) -> Path:
        path = tmp_path / "holidays.yaml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("SAFETYNET_HOLIDAYS_FILE", str(path))
        holidays_reload()
        return path

    yield write
    monkeypatch.delenv("SAFETYNET_HOLIDAYS_FILE")
    holidays_reload()


def test_the_county_adds_a_year_the_library_does_not_know(county_file: Any) -> None:
    # given: an arrangement for 2031 (dates invented for the test)
    county_file("years:\n  2031:\n    holidays: [2031-01-01, 2031-01-02, 2031-01-03]\n"
                "    workdays: [2031-01-04]\n")
    # then: Wed 01-01…Fri 01-03 off, Sat 01-04 worked, the rest Monday–Friday
    assert [is_workday(date(2031, 1, d)) for d in range(1, 7)] == [False, False, False, True, False, True]
    # the file is per year: 2030 is in neither the file nor the library
    with pytest.raises(CalendarUnknown):
        add_workdays(date(2030, 12, 30), 1)
    assert add_workdays(date(2031, 1, 1), 2) == date(2031, 1, 6)  # Sat 04 (1), Mon 06 (2)


def test_a_year_in_the_county_file_replaces_the_library(county_file: Any) -> None:
    county_file("years:\n  2026:\n    holidays: [2026-03-02]\n")
    assert is_workday(date(2026, 3, 2)) is False
    assert is_workday(date(2026, 2, 16)) is True  # the file lists 2026 without Spring Festival: it is taken as is


def test_a_malformed_county_file_is_refused_in_chinese(county_file: Any) -> None:
    path = county_file("years:\n  2031:\n    holidays: [2030-12-31]\n")
    with pytest.raises(HolidayFileInvalid) as bad:
        is_workday(date(2031, 1, 6))
    assert str(bad.value) == f"节假日文件 {path} 格式有误：2030-12-31 不在2031年下"


def test_the_shipped_file_parses_and_adds_nothing_yet() -> None:
    holidays_reload()
    assert is_workday(date(2025, 10, 11)) is True
