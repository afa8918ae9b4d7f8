"""定期核查名单 as Excel: the due list with the filters on screen, for the townships' review rounds."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from safetynet.intake.models import CATEGORIES
from safetynet.reviews.selectors import DueRow

DUE_COLUMNS = [("户编号", 18), ("户主", 10), ("乡镇（街道）", 14), ("村（网格）", 18), ("救助类别", 20),
               ("低保金（元/月）", 12), ("特困供养金（元/月）", 12), ("上次核查/起算", 12), ("起算依据", 10),
               ("核查间隔（月）", 8), ("收入不稳定、有劳动能力", 10), ("应核查日期", 12), ("逾期", 6), ("渐退期至", 12)]


def due_export_rows(rows: Iterable[DueRow]) -> Iterator[tuple[Any, ...]]:
    """One row per household of the due list, in its order (overdue first, then by due date)."""
    for r in rows:
        status, due = r.status, r.due
        reviewed = due.last_review is not None and due.base_on == due.last_review.reviewed_on
        yield (r.household.code, r.household.head_name, r.township, r.household.region.local_name,
               "、".join(CATEGORIES.get(c, c) for c in status.categories),
               status.dibao_monthly if "dibao" in status.categories else "",
               status.tekun_monthly if "tekun" in status.categories else "",
               due.base_on, "上次核查" if reviewed else "认定起" if due.base_on else "",
               due.interval.months if due.interval else "", "是" if due.interval and due.interval.unstable_income else "",
               due.due_on, "是" if r.overdue else "", status.taper_until)
