"""公示 objections send the case back; the county decides each part; 不予确认 changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safetynet.intake import errors, services
from safetynet.intake.events import (
    HouseholdConfirmed,
    household_confirmed_unsubscribe,
    on_household_confirmed,
)
from safetynet.intake.models import Application, HouseholdStatus, Investigation, Publicity
from safetynet.intake.tests.conftest import DAY, follow_engine, new_application, png_photo, walk

State = Application.State


@pytest.fixture
def received() -> Any:
    events: list[HouseholdConfirmed] = []
    on_household_confirmed(events.append)
    yield events
    household_confirmed_unsubscribe(events.append)


def test_publicity_notice_is_masked_and_lasts_seven_calendar_days(cast: dict[str, Any],
                                                                  application: Application) -> None:
    # when: 公示 from Fri 2025-09-05
    publicity = services.current_publicity(walk(application, cast, "publicity"))
    # then: the 7th calendar day is Thu 09-11 (weekends count); the county may act from Fri 09-12
    assert publicity is not None
    assert (publicity.start_on, publicity.end_on, publicity.confirmable_from) == (
        date(2025, 9, 5), date(2025, 9, 11), date(2025, 9, 12))
    assert publicity.notice_text == (
        "王*户，保障人数3人，拟认定为最低生活保障（低保），月保障金额593元。公示期：2025年09月05日至2025年09月11日。"
        "如有异议，请在公示期内向坦途镇人民政府反映。")
    assert application.applicant.name not in publicity.notice_text
    assert application.applicant.id_number[-4:] not in publicity.notice_text


def test_an_objection_during_publicity_sends_the_case_back_to_investigation(
        cast: dict[str, Any], application: Application, received: list[HouseholdConfirmed],
        django_capture_on_commit_callbacks: Any) -> None:
    # given
    walk(application, cast, "publicity")
    clerk, reviewer = cast["clerk_a"], cast["reviewer_a"]
    # when: a villager objects on Mon 09-08
    services.application_objection_record(application=application, by=reviewer,
                                          content="村民反映该户有一辆小汽车未申报", received_on=date(2025, 9, 8))
    # then: back in 调查核实, a second round with the same staff; the notice is interrupted
    assert application.state == State.INVESTIGATING
    second = Investigation.objects.get(application=application, round=2)
    assert set(second.staff.all()) == {clerk, reviewer} and second.started_on == date(2025, 9, 8)
    assert Publicity.objects.get(application=application).interrupted_on == date(2025, 9, 8)
    # and the county cannot confirm, nor the clerk close the round without a new visit
    with pytest.raises(errors.WrongOrder) as early:
        services.application_confirm(application=application, by=cast["county_civil"], on=date(2025, 9, 12))
    assert str(early.value) == errors.BEFORE_REVIEW.format(action="确认")
    with pytest.raises(errors.WrongOrder) as no_visit:
        services.application_investigation_complete(application=application, by=clerk, on=date(2025, 9, 9))
    assert str(no_visit.value) == errors.VISIT_REQUIRED
    # when: re-visited, reviewed and publicised again, then confirmed after the second notice
    services.application_visit_record(application=application, by=clerk, visited_on=date(2025, 9, 9),
                                      staff_names=["张伟", "刘芳"], observations="经核实车辆为他人所有",
                                      photos=[png_photo()])
    review = services.application_investigation_complete(application=application, by=clerk, on=date(2025, 9, 9))
    assert review.round == 2
    services.application_review_decide(application=application, by=reviewer,
                                       decisions=follow_engine(application, monitoring_object=False),
                                       reasons={"monitoring_object": "未申请"}, on=date(2025, 9, 10))
    services.application_publicity_start(application=application, by=reviewer, start_on=date(2025, 9, 10))
    with django_capture_on_commit_callbacks(execute=True):
        services.application_confirm(application=application, by=cast["county_civil"], on=date(2025, 9, 17))
    # then
    assert application.state == State.EFFECTIVE and len(received) == 1
    assert list(application.objections.values_list("content", flat=True)) == ["村民反映该户有一辆小汽车未申报"]


def test_the_tag_needs_rural_affairs_after_civil_affairs_confirmed_the_categories(
        cast: dict[str, Any], received: list[HouseholdConfirmed], django_capture_on_commit_callbacks: Any) -> None:
    # given: 低保 and the 防返贫 tag asked for and approved by the township
    application = new_application(cast, tag=True)
    walk(application, cast, "reviewing")
    services.application_review_decide(application=application, by=cast["reviewer_a"],
                                       decisions=follow_engine(application), on=DAY["decided"])
    services.application_publicity_start(application=application, by=cast["reviewer_a"], start_on=DAY["publicity"])
    # when: civil affairs confirms first
    with django_capture_on_commit_callbacks(execute=True):
        services.application_confirm(application=application, by=cast["county_civil"], on=DAY["confirmable"])
    # then: still waiting for rural affairs; nothing in force, no event
    assert application.state == State.PUBLICITY and received == []
    assert not HouseholdStatus.objects.exists()
    with pytest.raises(errors.WrongOrder) as twice:
        services.application_confirm(application=application, by=cast["county_civil"], on=DAY["confirmable"])
    assert str(twice.value) == errors.PART_DECIDED.format(part="救助类别（县民政局）", on=DAY["confirmable"])
    # when: rural affairs confirms the tag
    with django_capture_on_commit_callbacks(execute=True):
        services.application_confirm(application=application, by=cast["county_rural"], on=date(2025, 10, 9))
    # then: in force from October (the month the last part was confirmed), one event
    status = HouseholdStatus.objects.get(household=application.household)
    assert (status.categories, status.monitoring_object, status.effective_from) == (
        ["dibao"], True, date(2025, 10, 1))
    assert [(e.categories, e.monitoring_object) for e in received] == [(("dibao",), True)]


def test_refusing_every_part_closes_the_case_without_changing_the_household(
        cast: dict[str, Any], application: Application, received: list[HouseholdConfirmed],
        django_capture_on_commit_callbacks: Any) -> None:
    walk(application, cast, "publicity")
    with pytest.raises(errors.IntakeInvalid) as no_reason:
        services.application_refuse(application=application, by=cast["county_civil"], reason=" ",
                                    on=DAY["confirmable"])
    assert str(no_reason.value) == errors.REASON_REQUIRED.format(what="不予确认")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_refuse(application=application, by=cast["county_civil"],
                                    reason="经比对，家庭成员名下有经营性公司", on=DAY["confirmable"])
    assert application.state == State.REFUSED and application.closed_on == DAY["confirmable"]
    assert not HouseholdStatus.objects.exists() and received == []
    confirmation = application.confirmations.get()
    assert (confirmation.confirmed, confirmation.reason) == (False, "经比对，家庭成员名下有经营性公司")


def test_when_the_township_approves_nothing_there_is_no_publicity_and_the_county_refuses(
        cast: dict[str, Any], application: Application) -> None:
    # given: the township finds the family not eligible for anything
    walk(application, cast, "reviewing")
    services.application_review_decide(
        application=application, by=cast["reviewer_a"], on=DAY["decided"],
        decisions={"tekun": False, "dibao": False, "dibao_edge": False, "rigid_expense": False,
                   "monitoring_object": False},
        reasons={"dibao": "入户发现家庭有稳定经营收入", "monitoring_object": "不属于监测范围"})
    # then: nothing to publicise
    with pytest.raises(errors.WrongOrder) as refused:
        services.application_publicity_start(application=application, by=cast["reviewer_a"],
                                             start_on=DAY["publicity"])
    assert str(refused.value) == errors.NOTHING_TO_PUBLICISE
    with pytest.raises(errors.WrongOrder) as cannot_confirm:
        services.application_confirm(application=application, by=cast["county_civil"], on=DAY["decided"])
    assert str(cannot_confirm.value) == errors.NOTHING_APPROVED.format(part="救助类别（县民政局）")
    # when: the county refuses, with reasons
    services.application_refuse(application=application, by=cast["county_civil"], on=DAY["decided"],
                                reason="同意乡镇审核意见：家庭有稳定经营收入")
    # then
    assert application.state == State.REFUSED


def test_withdrawal_and_termination_have_their_own_states(cast: dict[str, Any]) -> None:
    withdrawn, terminated = new_application(cast), new_application(cast, region="220821101200002")
    walk(terminated, cast, "investigating")
    services.application_withdraw(application=withdrawn, by=cast["clerk_a"], reason="家庭外出务工，自愿撤回",
                                  on=DAY["accepted"])
    services.application_terminate(application=terminated, by=cast["reviewer_a"], reason="三次入户均无人，电话停机",
                                   on=date(2025, 9, 10))
    assert (withdrawn.state, terminated.state) == (State.WITHDRAWN, State.TERMINATED)
    assert terminated.events.last().note == "三次入户均无人，电话停机"
    with pytest.raises(errors.WrongOrder):
        services.application_accept(application=withdrawn, by=cast["clerk_a"], on=DAY["accepted"])
