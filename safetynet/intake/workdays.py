"""Working days on the official calendar (法定工作日), 调休 working weekends included.

The `chinese-calendar` library knows the State Council's arrangements up to the year of its release
(2004–2026 for 1.11.0). A year listed in `data/holidays.yaml` (or the file named by the environment
variable SAFETYNET_HOLIDAYS_FILE) replaces the library for that year, so the county can add next
year's arrangement itself. A year neither knows raises `CalendarUnknown` naming the year.

Counting follows the rule for legal time limits (期间开始的日不计算在内): the day a period starts
from is not counted, so `workdays_between(a, add_workdays(a, n)) == n`.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import yaml

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "holidays.yaml"
UNKNOWN_YEAR = ("{year}年的法定节假日和调休安排尚未录入，无法按工作日计算期限。请按国务院办公厅{year}年节假日安排通知，"
                "在 safetynet/intake/data/holidays.yaml 中补录该年的放假日期（holidays）和调休上班日期（workdays）")
BAD_FILE = "节假日文件 {path} 格式有误：{problem}"


class CalendarUnknown(LookupError):
    """No holiday arrangement is known for `year`; str() is the Chinese instruction to add it."""

    def __init__(self, year: int) -> None:
        super().__init__(UNKNOWN_YEAR.format(year=year))
        self.year = year


class HolidayFileInvalid(ValueError):
    pass


@dataclass(frozen=True)
class YearArrangement:
    holidays: frozenset[date]
    workdays: frozenset[date]  # 调休上班的周末


_lock = threading.Lock()
_loaded: dict[Path, dict[int, YearArrangement]] = {}


def holidays_file() -> Path:
    return Path(os.environ.get("SAFETYNET_HOLIDAYS_FILE") or DEFAULT_FILE)


def _dates(raw: object, *, year: int, key: str, path: Path) -> frozenset[date]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(d, date) for d in raw):
        raise HolidayFileInvalid(BAD_FILE.format(path=path, problem=f"{year}年的 {key} 应为日期列表（YYYY-MM-DD）"))
    wrong = [d for d in raw if d.year != year]
    if wrong:
        raise HolidayFileInvalid(BAD_FILE.format(path=path, problem=f"{wrong[0]} 不在{year}年下"))
    return frozenset(raw)


def _parse(path: Path) -> dict[int, YearArrangement]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    years = data.get("years") or {} if isinstance(data, dict) else None
    if not isinstance(years, dict):
        raise HolidayFileInvalid(BAD_FILE.format(path=path, problem="顶层应为 years: {年份: {...}}"))
    parsed = {}
    for year, entry in years.items():
        if not isinstance(year, int) or not isinstance(entry, dict):
            raise HolidayFileInvalid(BAD_FILE.format(path=path, problem=f"“{year}”应为四位年份，其下为 holidays/workdays"))
        parsed[year] = YearArrangement(_dates(entry.get("holidays"), year=year, key="holidays", path=path),
                                       _dates(entry.get("workdays"), year=year, key="workdays", path=path))
    return parsed


def county_years() -> dict[int, YearArrangement]:
    """The arrangements the county added, by year (read once per file)."""
    path = holidays_file()
    with _lock:
        if path not in _loaded:
            _loaded[path] = _parse(path)
        return _loaded[path]


def holidays_reload() -> None:
    """Forget the files read, so an edited file is read again (tests, or after the county edits it)."""
    with _lock:
        _loaded.clear()


def is_workday(d: date, *, assume_weekdays: bool = False) -> bool:
    """Is `d` an official working day? `assume_weekdays`: for an unknown year, Monday–Friday instead of raising."""
    arrangement = county_years().get(d.year)
    if arrangement is not None:
        if d in arrangement.holidays:
            return False
        return d in arrangement.workdays or d.weekday() < 5
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        if assume_weekdays:
            return d.weekday() < 5
        raise CalendarUnknown(d.year) from None


def add_workdays(d: date, n: int, *, assume_weekdays: bool = False) -> date:
    """The date of the `n`-th working day after `d` (before it when `n` is negative); `d` itself is not counted."""
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        d += step
        if is_workday(d, assume_weekdays=assume_weekdays):
            remaining -= 1
    return d


def workdays_between(a: date, b: date, *, assume_weekdays: bool = False) -> int:
    """Working days after `a` up to and including `b` (0 when `b` is not after `a`)."""
    count, d = 0, a
    while d < b:
        d += timedelta(days=1)
        count += is_workday(d, assume_weekdays=assume_weekdays)
    return count
