"""走访计划 as Excel: the plan's households with the filters on screen, for the township to hand out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from safetynet.gridwork.plans import DUE_STATE_LABELS
from safetynet.gridwork.selectors import PlanRow, plan_summary

PLAN_COLUMNS = [("户编号", 18), ("户主", 10), ("所在村/网格", 24), ("网格员", 10), ("类别", 24),
                ("走访间隔（月）", 8), ("上次走访", 12), ("下次走访", 12), ("走访状态", 10)]


def plan_export_rows(rows: list[PlanRow]) -> Iterator[tuple[Any, ...]]:
    """One row per household of the plan, in the list's order, with its grid's worker(s)."""
    workers = {g.code: "、".join(g.workers) for g in plan_summary(rows, level="grid")}
    for row in rows:
        due = row.due
        yield (row.household.code, row.household.head_name, row.region_name,
               workers.get(row.household.region_id[:15], ""), "、".join(row.category_labels), due.interval_months,
               due.last_visit or "从未走访", due.due_on, DUE_STATE_LABELS.get(due.state, ""))
