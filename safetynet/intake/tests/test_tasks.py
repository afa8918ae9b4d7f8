"""Each user's "my tasks" queue with due dates, and the township and county queue counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from safetynet.intake import services
from safetynet.intake.selectors import queue_summary_for, tasks_for
from safetynet.intake.tests.conftest import follow_engine, new_application, walk


def test_the_clerk_sees_the_investigation_due_three_working_days_after_acceptance(cast: dict[str, Any]) -> None:
    # given: accepted Tue 2025-09-30; investigation due Sat 10-11 (调休 working day)
    application = new_application(cast, on=date(2025, 9, 30))
    services.application_accept(application=application, by=cast["clerk_a"], on=date(2025, 9, 30))
    # when: on Fri 10-10, one working day before
    [task] = tasks_for(cast["clerk_a"], today=date(2025, 10, 10))
    # then
    assert (task.application, task.action, task.due_on) == (application, "开始调查核实", date(2025, 10, 11))
    assert (task.overdue, task.due_soon) == (False, True)
    # on Tue 09-30 eleven calendar days but only three working days (Oct 9, 10, 11) are left: not yet "soon"
    [early] = tasks_for(cast["clerk_a"], today=date(2025, 9, 30))
    assert early.due_soon is False
    # when: Mon 10-13, past the date
    [late] = tasks_for(cast["clerk_a"], today=date(2025, 10, 13))
    assert (late.overdue, late.due_soon) == (True, False)


def test_tasks_are_for_the_role_and_region_whose_turn_it_is(cast: dict[str, Any]) -> None:
    # given: one application of township A in 公示 (ends Thu 2025-09-11)
    application = walk(new_application(cast), cast, "publicity")
    # then: nobody in the township has a task while the notice is up; the county only from Fri 09-12
    for who in ("clerk_a", "reviewer_a", "clerk_b", "county_civil", "county_rural", "grid_a"):
        assert tasks_for(cast[who], today=date(2025, 9, 11)) == [], who
    [task] = tasks_for(cast["county_civil"], today=date(2025, 9, 12))
    assert (task.application, task.action) == (application, "确认或不予确认救助类别")
    assert tasks_for(cast["county_rural"], today=date(2025, 9, 12)) == []  # no tag asked for or approved


def test_the_reviewer_is_asked_to_decide_then_to_publicise(cast: dict[str, Any]) -> None:
    application = walk(new_application(cast), cast, "reviewing")
    assert [t.action for t in tasks_for(cast["reviewer_a"], today=date(2025, 9, 4))] == ["作出分类审核意见"]
    services.application_review_decide(application=application, by=cast["reviewer_a"],
                                       decisions=follow_engine(application), on=date(2025, 9, 4))
    assert [t.action for t in tasks_for(cast["reviewer_a"], today=date(2025, 9, 4))] == ["开始公示"]
    assert tasks_for(cast["clerk_a"], today=date(2025, 9, 4)) == []


def test_queue_counts_per_township_with_overdue(cast: dict[str, Any]) -> None:
    # given: township A has two open applications, one of them accepted long ago without investigation;
    # township B one; a closed one does not count
    old = new_application(cast, on=date(2025, 9, 1))
    services.application_accept(application=old, by=cast["clerk_a"], on=date(2025, 9, 1))
    new_application(cast, region="220821101200002", on=date(2025, 10, 9))
    new_application(cast, region="220821102200001", on=date(2025, 10, 9))
    closed = new_application(cast, region="220821101200002", on=date(2025, 9, 1))
    services.application_withdraw(application=closed, by=cast["clerk_a"], reason="撤回", on=date(2025, 9, 2))
    # when: on Fri 2025-10-10 (the old one's investigation was due Thu 09-04)
    county = queue_summary_for(cast["county_civil"], today=date(2025, 10, 10))
    township = queue_summary_for(cast["clerk_a"], today=date(2025, 10, 10))
    # then
    assert [(r.region_code, r.region_name, r.open, r.overdue) for r in county] == [
        ("220821101", "坦途镇", 2, 1), ("220821102", "东屏镇", 1, 0)]
    assert county[0].by_state == {"accepted": 1, "submitted": 1}
    assert [(r.region_code, r.open) for r in township] == [("220821101", 2)]
