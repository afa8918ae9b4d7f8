"""The case's clock: 30 working days (45 extended) with the office, stopped while the family prepares 补正.

Dates are counted by hand in the comments; National Day 2025: 10-01…10-08 off, Sun 09-28 and Sat 10-11 worked.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from safetynet.intake import services
from safetynet.intake.deadlines import application_clock
from safetynet.intake.models import Application
from safetynet.intake.tests.conftest import new_application, pdf_scan


def test_investigation_must_start_within_three_working_days_of_acceptance(cast: dict[str, Any]) -> None:
    # given: accepted Tue 2025-09-30, the eve of National Day
    application = new_application(cast, on=date(2025, 9, 30))
    services.application_accept(application=application, by=cast["clerk_a"], on=date(2025, 9, 30))
    # then: Thu 10-09 (1), Fri 10-10 (2), Sat 10-11 worked (3)
    assert application_clock(application, today=date(2025, 9, 30)).investigation_due_on == date(2025, 10, 11)


def test_a_late_investigation_start_is_recorded_not_refused(cast: dict[str, Any]) -> None:
    application = new_application(cast, on=date(2025, 9, 30))
    services.application_accept(application=application, by=cast["clerk_a"], on=date(2025, 9, 30))
    services.application_investigation_start(application=application, by=cast["clerk_a"],
                                             staff=[cast["clerk_a"], cast["reviewer_a"]], on=date(2025, 10, 13))
    event = application.events.get(action="investigation_start")
    assert event.detail["late"] is True and event.detail["due"] == "2025-10-11"


def test_the_whole_path_is_due_thirty_working_days_after_the_application(cast: dict[str, Any]) -> None:
    # given: 申请 Mon 2025-09-22
    application = new_application(cast, on=date(2025, 9, 22))
    # when
    clock = application_clock(application, today=date(2025, 10, 10))
    # then: Sep 23–26 (4), Sun 28 (5), 29, 30 (7); Oct 9 (8) and 10 (9) → 9 used by Fri 10-10;
    # the 30th is Fri 11-07 (see test_workdays)
    assert (clock.used, clock.limit, clock.running, clock.due_on) == (9, 30, True, date(2025, 11, 7))
    assert clock.provisional is False


def test_correction_stops_the_clock_until_the_family_resubmits(cast: dict[str, Any]) -> None:
    # given: 申请 Mon 2025-09-01 without the signed authorization; 补正 requested Wed 09-03
    clerk = cast["clerk_a"]
    application = new_application(cast, authorization=False, on=date(2025, 9, 1))
    services.application_correction_request(application=application, by=clerk,
                                            items=["核对授权书（申请人签字）", "户口簿复印件"], on=date(2025, 9, 3))
    # then: Tue 02 and Wed 03 used (2); stopped, no due date, however long the family takes
    stopped = application_clock(application, today=date(2025, 9, 12))
    assert (stopped.used, stopped.running, stopped.due_on) == (2, False, None)
    # when: the family brings everything on Mon 09-15
    services.application_resubmit(application=application, by=clerk, authorization=pdf_scan(), on=date(2025, 9, 15))
    # then: by Wed 09-17, 2 + Tue 16 + Wed 17 = 4 used; 28 left from 09-15: Sep 16–19 (4), 22–26 (9),
    # Sun 28 (10), 29 (11), 30 (12), Oct 9 (13), 10 (14), Sat 11 (15), 13–17 (20), 20–24 (25), 27, 28, 29 (28)
    running = application_clock(application, today=date(2025, 9, 17))
    assert (running.used, running.running, running.due_on) == (4, True, date(2025, 10, 29))
    # without the stop it would have been Fri 10-17: the 8 working days 09-04…09-15 were the family's
    assert application.correction.closed_on == date(2025, 9, 15)
    services.application_accept(application=application, by=clerk, on=date(2025, 9, 15))
    assert application.state == Application.State.ACCEPTED


def test_a_recorded_extension_gives_forty_five_working_days(cast: dict[str, Any]) -> None:
    # given: the case of the previous test, resubmitted Mon 09-15 with 2 days used
    clerk = cast["clerk_a"]
    application = new_application(cast, authorization=False, on=date(2025, 9, 1))
    services.application_correction_request(application=application, by=clerk, items=["核对授权书"],
                                            on=date(2025, 9, 3))
    services.application_resubmit(application=application, by=clerk, authorization=pdf_scan(), on=date(2025, 9, 15))
    services.application_accept(application=application, by=clerk, on=date(2025, 9, 15))
    # when
    services.application_extend(application=application, by=cast["reviewer_a"], reason="需等待外省不动产比对结果",
                                on=date(2025, 10, 20))
    # then: 43 left from 09-15: the 28th is 10-29, then 30, 31 (30), Nov 3–7 (35), 10–14 (40), 17, 18, 19 (43)
    clock = application_clock(application, today=date(2025, 10, 20))
    assert (clock.limit, clock.due_on) == (45, date(2025, 11, 19))
    assert application.extension_reason == "需等待外省不动产比对结果" and application.extended_by == cast["reviewer_a"]


def test_a_closed_case_keeps_the_days_it_used_and_has_no_due_date(cast: dict[str, Any]) -> None:
    application = new_application(cast, on=date(2025, 9, 22))
    services.application_withdraw(application=application, by=cast["clerk_a"], reason="家庭自愿撤回",
                                  on=date(2025, 9, 29))
    clock = application_clock(application, today=date(2025, 12, 1))
    # Sep 23–26 (4), Sun 28 (5), Mon 29 (6)
    assert (clock.used, clock.running, clock.due_on) == (6, False, None)


def test_a_due_date_in_a_year_not_yet_on_the_calendar_is_provisional(cast: dict[str, Any]) -> None:
    # given: a case dated in 2031, a year neither chinese-calendar nor the county's file knows (the date
    # is set directly: services refuse future dates, and a near year would stop failing once it is added)
    application = new_application(cast)
    Application.objects.filter(pk=application.pk).update(submitted_on=date(2031, 3, 3))
    application.refresh_from_db()
    # when
    clock = application_clock(application, today=date(2031, 3, 3))
    # then: Monday–Friday assumed, and the page can say why: from Mon 03-03, Mar 4–7 (4), 10–14 (9),
    # 17–21 (14), 24–28 (19), Mar 31 (20), Apr 1–4 (24), 7–11 (29), Mon 14 (30)
    assert clock.provisional is True and clock.due_on == date(2031, 4, 14)
    assert clock.warning.startswith("2031年的法定节假日和调休安排尚未录入")
    assert clock.warning.endswith("（期限暂按周一至周五计算）")
