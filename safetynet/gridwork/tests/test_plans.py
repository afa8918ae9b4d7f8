"""Visit plans: the interval per category (shortest wins), the next due date, and due/overdue across months."""

from __future__ import annotations

from datetime import date

import pytest

from safetynet.gridwork.plans import DueState, add_months, visit_due
from safetynet.gridwork.selectors import plan_for, plan_summary
from safetynet.gridwork.services import grid_visit_record
from safetynet.gridwork.tests.conftest import all_secure


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2025, 1, 31), 1, date(2025, 2, 28)), (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2025, 11, 15), 3, date(2026, 2, 15)), (date(2025, 8, 31), 6, date(2026, 2, 28)),
    (date(2025, 12, 1), 1, date(2026, 1, 1)),
])
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def test_due_states_around_the_due_date():
    def state(today):
        return visit_due(interval_months=1, by_category="tekun", last_visit=date(2025, 8, 31), today=today,
                         due_soon_days=7).state

    assert state(date(2025, 9, 20)) == DueState.LATER  # due 09-30
    assert state(date(2025, 9, 23)) == DueState.DUE_SOON
    assert state(date(2025, 9, 30)) == DueState.DUE
    assert state(date(2025, 10, 1)) == DueState.OVERDUE


def test_never_visited_is_due_now():
    due = visit_due(interval_months=6, by_category="dibao_edge", last_visit=None, today=date(2025, 9, 3),
                    due_soon_days=7)
    assert due.state == DueState.DUE and due.due_on == date(2025, 9, 3)


def _by_code(rows):
    return {r.household.pk: r for r in rows}


def test_interval_per_category_and_the_shortest_wins(cast, make_household, give_status):
    # given: one household per plan category, and a 低保 household that is also tagged
    tekun, dibao, edge, rigid, tagged, both = (make_household() for _ in range(6))
    give_status(tekun, ["tekun"])
    give_status(dibao, ["dibao"])
    give_status(edge, ["dibao_edge"])
    give_status(rigid, ["rigid_expense"])
    tagged.monitoring_object = True  # tagged by rural-affairs data in the registry, no status yet
    tagged.save(update_fields=["monitoring_object"])
    give_status(both, ["dibao"], tag=True)
    # when
    rows = _by_code(plan_for(cast["grid_a"], today=date(2025, 9, 3)))
    # then
    months = {h.pk: rows[h.pk].due.interval_months for h in (tekun, dibao, edge, rigid, tagged, both)}
    assert months == {tekun.pk: 1, dibao.pk: 3, edge.pk: 6, rigid.pk: 6, tagged.pk: 1, both.pk: 1}
    assert rows[both.pk].due.by_category == "monitoring_object"
    assert rows[both.pk].category_labels == ["防止返贫监测对象", "低保"]


def test_households_without_category_or_tag_are_not_in_the_plan(cast, household_a, make_household, give_status):
    ended = make_household()
    status = give_status(ended, ["dibao"], since=date(2024, 1, 1))
    status.effective_to = date(2025, 6, 30)
    status.save(update_fields=["effective_to"])
    assert plan_for(cast["grid_a"], today=date(2025, 9, 3)) == []


def test_due_and_overdue_across_months_per_category(cast, make_household, give_status):
    # given: each household visited on 2025-06-10
    households = {c: make_household() for c in ("tekun", "dibao", "dibao_edge")}
    for category, household in households.items():
        give_status(household, [category])
        grid_visit_record(household=household, by=cast["grid_a"], checks=all_secure(), visited_on=date(2025, 6, 10))

    def states(today):
        rows = _by_code(plan_for(cast["grid_a"], today=today))
        return {c: (rows[h.pk].due.due_on, rows[h.pk].due.state) for c, h in households.items()}

    # then: 特困 monthly, 低保 quarterly, 边缘 half-yearly
    assert states(date(2025, 7, 10)) == {"tekun": (date(2025, 7, 10), "due"),
                                         "dibao": (date(2025, 9, 10), "later"),
                                         "dibao_edge": (date(2025, 12, 10), "later")}
    assert states(date(2025, 9, 5)) == {"tekun": (date(2025, 7, 10), "overdue"),
                                        "dibao": (date(2025, 9, 10), "due_soon"),
                                        "dibao_edge": (date(2025, 12, 10), "later")}
    assert states(date(2025, 12, 11))["dibao_edge"] == (date(2025, 12, 10), "overdue")
    # a new visit moves the next due date on
    grid_visit_record(household=households["tekun"], by=cast["grid_a"], checks=all_secure(),
                      visited_on=date(2025, 9, 5))
    assert states(date(2025, 9, 5))["tekun"] == (date(2025, 10, 5), "later")


def test_most_urgent_first_and_counts_per_grid_village_township(cast, make_household, give_status):
    overdue, never, later = make_household(), make_household(), make_household("220821101200002")
    for household in (overdue, never, later):
        give_status(household, ["tekun"])
    grid_visit_record(household=overdue, by=cast["grid_a"], checks=all_secure(), visited_on=date(2025, 7, 1))
    grid_visit_record(household=later, by=cast["clerk_a"], checks=all_secure(), visited_on=date(2025, 9, 1))
    # when: township A's clerk sees both grids
    rows = plan_for(cast["clerk_a"], today=date(2025, 9, 3))
    # then
    assert [r.household.pk for r in rows] == [overdue.pk, never.pk, later.pk]
    grids = {g.code: g for g in plan_summary(rows, level="grid")}
    assert (grids["220821101200001"].households, grids["220821101200001"].overdue,
            grids["220821101200001"].due) == (2, 1, 1)
    assert grids["220821101200001"].workers == ["grid_a"] and grids["220821101200002"].workers == []
    [village] = plan_summary(rows, level="village")
    [township] = plan_summary(rows, level="township")
    assert (village.households, township.households, township.overdue) == (3, 3, 1)
    assert township.name == "坦途镇"


def test_a_grid_worker_plans_only_their_grid(cast, make_household, give_status):
    mine, neighbours = make_household(), make_household("220821101200002")
    give_status(mine, ["dibao"])
    give_status(neighbours, ["dibao"])
    assert [r.household.pk for r in plan_for(cast["grid_a"], today=date(2025, 9, 3))] == [mine.pk]
    assert plan_for(cast["clerk_b"], today=date(2025, 9, 3)) == []
