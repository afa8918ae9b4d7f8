"""Visit plans (走访计划): how often a household is visited, and when its next visit is due.

A household is in the plan for each of its categories (current HouseholdStatus) and for the 防返贫
monitoring tag (on its status or on the registry row, set by rural-affairs data); the shortest interval
of these wins. Its next visit is due one interval after its last visit; a household never visited is
due now. Intervals are parameters (`visit.interval_months.<category>`), resolved for the household's region.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from safetynet.policy.params import ParameterMissing, ParameterSet

PLAN_CATEGORIES: dict[str, str] = {
    "tekun": "特困人员", "monitoring_object": "防止返贫监测对象", "dibao": "低保",
    "dibao_edge": "低保边缘", "rigid_expense": "刚性支出困难",
}
INTERVAL = "visit.interval_months.{category}"
DUE_SOON = "visit.due_soon_days"


class DueState(StrEnum):
    OVERDUE = "overdue"
    DUE = "due"  # due today, or never visited
    DUE_SOON = "due_soon"
    LATER = "later"


DUE_STATE_LABELS = {DueState.OVERDUE: "已逾期", DueState.DUE: "今日应走访", DueState.DUE_SOON: "即将到期",
                    DueState.LATER: "未到期"}


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plan_categories(status_categories: list[str], *, monitoring_object: bool) -> list[str]:
    """The household's plan categories, in PLAN_CATEGORIES order (其他困难人员 are visited as tagged)."""
    held = set(status_categories) | ({"monitoring_object"} if monitoring_object else set())
    return [c for c in PLAN_CATEGORIES if c in held]


class IntervalResolver:
    """Interval per (category, region), resolved once per distinct pair: a county has few regions."""

    def __init__(self, params: ParameterSet, on: date) -> None:
        self.params, self.on = params, on
        self._cache: dict[tuple[str, str], int | None] = {}
        self._soon: dict[str, int] = {}

    def interval(self, category: str, region: str) -> int | None:
        key = (category, region)
        if key not in self._cache:
            try:
                value = self.params.resolve(INTERVAL.format(category=category), region, self.on).value
            except ParameterMissing:
                value = None
            self._cache[key] = None if value is None else int(value)
        return self._cache[key]

    def shortest(self, categories: list[str], region: str) -> tuple[int, str] | None:
        """(months, category) of the most frequent plan among `categories`; None when none applies."""
        found = [(m, c) for c in categories if (m := self.interval(c, region)) is not None]
        return min(found, key=lambda pair: (pair[0], list(PLAN_CATEGORIES).index(pair[1]))) if found else None

    def due_soon_days(self, region: str) -> int:
        if region not in self._soon:
            try:
                value = self.params.resolve(DUE_SOON, region, self.on).value
            except ParameterMissing:
                value = None
            self._soon[region] = int(value or 0)
        return self._soon[region]


@dataclass(frozen=True)
class Due:
    interval_months: int
    by_category: str  # the category whose interval applies
    last_visit: date | None
    due_on: date  # today when never visited
    state: DueState


def visit_due(*, interval_months: int, by_category: str, last_visit: date | None, today: date,
              due_soon_days: int) -> Due:
    """When the next visit is due and how urgent it is on `today`."""
    due_on = today if last_visit is None else add_months(last_visit, interval_months)
    if due_on < today:
        state = DueState.OVERDUE
    elif due_on == today:
        state = DueState.DUE
    elif (due_on - today).days <= due_soon_days:
        state = DueState.DUE_SOON
    else:
        state = DueState.LATER
    return Due(interval_months=interval_months, by_category=by_category, last_visit=last_visit, due_on=due_on,
               state=state)
