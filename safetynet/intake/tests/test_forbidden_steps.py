"""Every step refused to the wrong role, the wrong region, and out of order — with the message users read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from safetynet.accounts.choices import Role
from safetynet.audit.models import AuditEvent
from safetynet.intake import errors, services
from safetynet.intake.models import Application, ApplicationEvent
from safetynet.intake.permissions import ACTION_LABELS
from safetynet.intake.tests.conftest import DAY, follow_engine, new_application, pdf_scan, png_photo, walk

LATER = date(2025, 9, 20)  # after every step of the standard path


def accept(a: Application, u: Any) -> Any:
    return services.application_accept(application=a, by=u, on=LATER)


def correction(a: Application, u: Any) -> Any:
    return services.application_correction_request(application=a, by=u, items=["户口簿复印件"], on=LATER)


def investigate(a: Application, u: Any) -> Any:
    staff = [u, *[x for x in type(u).objects.filter(username__in=["clerk_a", "reviewer_a"]) if x != u]][:2]
    return services.application_investigation_start(application=a, by=u, staff=staff, on=LATER)


def visit(a: Application, u: Any) -> Any:
    return services.application_visit_record(application=a, by=u, visited_on=LATER, staff_names=["张伟", "刘芳"],
                                             observations="见", photos=[png_photo()])


def complete(a: Application, u: Any) -> Any:
    return services.application_investigation_complete(application=a, by=u, on=LATER)


def decide(a: Application, u: Any) -> Any:
    return services.application_review_decide(application=a, by=u, decisions=follow_engine(a), on=LATER)


def publicise(a: Application, u: Any) -> Any:
    return services.application_publicity_start(application=a, by=u, start_on=LATER)


def object_(a: Application, u: Any) -> Any:
    return services.application_objection_record(application=a, by=u, content="有车辆未申报", received_on=LATER)


def confirm(a: Application, u: Any) -> Any:
    return services.application_confirm(application=a, by=u, on=LATER)


def confirm_tag(a: Application, u: Any) -> Any:
    return services.application_confirm(application=a, by=u, part="tag", on=LATER)


def refuse(a: Application, u: Any) -> Any:
    return services.application_refuse(application=a, by=u, reason="经核实收入超标", on=LATER)


def withdraw(a: Application, u: Any) -> Any:
    return services.application_withdraw(application=a, by=u, reason="家庭自愿撤回", on=LATER)


def terminate(a: Application, u: Any) -> Any:
    return services.application_terminate(application=a, by=u, reason="多次联系不上申请人", on=LATER)


def extend(a: Application, u: Any) -> Any:
    return services.application_extend(application=a, by=u, reason="需等待外省比对结果", on=LATER)


def role(label: str, action: str) -> str:
    return errors.NOT_YOUR_ROLE.format(role=label, action=ACTION_LABELS[action])


def region(action: str) -> str:
    return errors.NOT_YOUR_REGION.format(action=ACTION_LABELS[action])


def state(state_label: str, action: str) -> str:
    return errors.WRONG_STATE.format(state=state_label, action=ACTION_LABELS[action])


# (reached after step, user, step, message)
WRONG_ROLE = [
    ("submitted", "reviewer_a", accept, role("乡镇审核", "accept")),
    ("submitted", "grid_a", accept, role("网格员/协理员", "accept")),
    ("submitted", "county_civil", accept, role("县民政局", "accept")),
    ("submitted", "reviewer_a", correction, role("乡镇审核", "correction_request")),
    ("accepted", "grid_a", investigate, role("网格员/协理员", "investigation_start")),
    ("investigating", "reviewer_a", visit, role("乡镇审核", "visit_record")),
    ("visited", "reviewer_a", complete, role("乡镇审核", "investigation_complete")),
    ("reviewing", "clerk_a", decide, role("乡镇经办", "review_decide")),
    ("decided", "clerk_a", publicise, role("乡镇经办", "publicity_start")),
    ("publicity", "clerk_a", object_, role("乡镇经办", "objection_record")),
    ("publicity", "reviewer_a", confirm, role("乡镇审核", "confirm_categories")),
    ("publicity", "county_rural", lambda a, u: services.application_confirm(
        application=a, by=u, part="categories", on=LATER), role("县农业农村局", "confirm_categories")),
    ("publicity", "county_civil", confirm_tag, role("县民政局", "confirm_tag")),
    ("publicity", "task_force", confirm, role("专班办公室", "confirm_categories")),
    ("publicity", "auditor", refuse, role("纪检监察", "confirm_categories")),
    ("accepted", "reviewer_a", withdraw, role("乡镇审核", "withdraw")),
    ("accepted", "clerk_a", terminate, role("乡镇经办", "terminate")),
    ("accepted", "clerk_a", extend, role("乡镇经办", "extend")),
]

WRONG_REGION = [
    ("submitted", "clerk_b", accept, region("accept")),
    ("submitted", "clerk_b", correction, region("correction_request")),
    ("accepted", "clerk_b", investigate, region("investigation_start")),
    ("investigating", "clerk_b", visit, region("visit_record")),
    ("visited", "clerk_b", complete, region("investigation_complete")),
    ("reviewing", "reviewer_b", decide, region("review_decide")),
    ("decided", "reviewer_b", publicise, region("publicity_start")),
    ("publicity", "reviewer_b", object_, region("objection_record")),
    ("publicity", "civil_b", confirm, region("confirm_categories")),
    ("accepted", "clerk_b", withdraw, region("withdraw")),
    ("accepted", "reviewer_b", terminate, region("terminate")),
]

WRONG_ORDER: list[tuple[str, str, Callable[..., Any], str]] = [
    ("submitted", "clerk_a", investigate, state("已申请", "investigation_start")),
    ("submitted", "reviewer_a", decide, state("已申请", "review_decide")),
    ("submitted", "county_civil", confirm, errors.BEFORE_REVIEW.format(action="确认")),
    ("accepted", "clerk_a", accept, state("已受理", "accept")),
    ("accepted", "clerk_a", correction, state("已受理", "correction_request")),
    ("accepted", "clerk_a", visit, state("已受理", "visit_record")),
    ("investigating", "clerk_a", complete, errors.VISIT_REQUIRED),
    ("investigating", "reviewer_a", publicise, state("调查核实", "publicity_start")),
    ("investigating", "county_civil", confirm, errors.BEFORE_REVIEW.format(action="确认")),
    ("visited", "county_rural", refuse, errors.BEFORE_REVIEW.format(action="不予确认")),
    ("reviewing", "reviewer_a", publicise, errors.NOT_DECIDED),
    ("reviewing", "county_civil", confirm, errors.BEFORE_REVIEW.format(action="确认")),
    ("decided", "county_civil", confirm, errors.BEFORE_PUBLICITY),
    ("decided", "county_civil", refuse, errors.REFUSE_ONLY_IN_REVIEW.format(part="救助类别（县民政局）")),
    ("decided", "reviewer_a", decide, errors.ALREADY_DECIDED.format(on=DAY["decided"])),
    ("publicity", "county_civil", lambda a, u: services.application_confirm(
        application=a, by=u, on=date(2025, 9, 11)),
     errors.PUBLICITY_RUNNING.format(end=date(2025, 9, 11), first=date(2025, 9, 12), action="确认")),
    ("publicity", "county_rural", confirm_tag, errors.PART_NOT_REQUIRED.format(part="防止返贫监测标识（县农业农村局）")),
    ("publicity", "reviewer_a", object_, errors.OBJECTION_OUTSIDE.format(
        on=LATER, start=date(2025, 9, 5), end=date(2025, 9, 11))),
    ("publicity", "clerk_a", visit, state("公示", "visit_record")),
]


@pytest.fixture
def others(cast: dict[str, Any], regions: dict[str, Any]) -> dict[str, Any]:
    from safetynet.accounts.models import User

    def user(name: str, role_: str) -> Any:
        return User.objects.create_user(username=name, password="x" * 12, role=role_, region=regions["b"])

    return {**cast, "reviewer_b": user("reviewer_b", Role.TOWNSHIP_REVIEWER),
            "civil_b": user("civil_b", Role.COUNTY_CIVIL)}


def _reach(application: Application, cast: dict[str, Any], step: str) -> None:
    if step != "submitted":
        walk(application, cast, step)
        application.refresh_from_db()


@pytest.mark.parametrize(("reached", "who", "step", "message"),
                         [pytest.param(*case, id=f"{case[0]}-{case[1]}-{case[2].__name__}")
                          for case in WRONG_ROLE + WRONG_REGION + WRONG_ORDER])
def test_step_is_refused_with_a_chinese_message_and_changes_nothing(
        others: dict[str, Any], application: Application, reached: str, who: str,
        step: Callable[..., Any], message: str) -> None:
    # given
    _reach(application, others, reached)
    before = (application.version, application.state, ApplicationEvent.objects.count(), AuditEvent.objects.count())
    # when
    with pytest.raises(errors.IntakeError) as refused:
        step(application, others[who])
    # then
    assert str(refused.value) == message
    application.refresh_from_db()
    after = (application.version, application.state, ApplicationEvent.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_wrong_role_and_wrong_region_are_permission_errors(others: dict[str, Any], application: Application) -> None:
    with pytest.raises(errors.ActionNotAllowed):
        accept(application, others["reviewer_a"])
    with pytest.raises(errors.ActionNotAllowed):
        accept(application, others["clerk_b"])


def test_clerk_cannot_file_an_application_for_another_township(cast: dict[str, Any]) -> None:
    from conftest import household_data
    from safetynet.core.document import parse_household_document

    data = household_data("220821102200001")
    with pytest.raises(errors.ActionNotAllowed) as refused:
        services.application_create(by=cast["clerk_a"], document=parse_household_document(data),
                                    applicant_id_number=data["members"][0]["id_number"],
                                    requested_categories=["dibao"], authorization=pdf_scan(), on=DAY["submitted"])
    assert str(refused.value) == region("create")


def test_accept_needs_the_signed_authorization(cast: dict[str, Any]) -> None:
    application = new_application(cast, authorization=False)
    with pytest.raises(errors.IntakeInvalid) as refused:
        services.application_accept(application=application, by=cast["clerk_a"], on=DAY["accepted"])
    assert str(refused.value) == errors.AUTHORIZATION_MISSING and refused.value.field == "authorization"


def test_no_second_open_application_for_the_same_household(cast: dict[str, Any], application: Application) -> None:
    with pytest.raises(errors.IntakeInvalid) as refused:
        services.application_create(by=cast["clerk_a"], household=application.household,
                                    applicant_id_number=application.applicant.id_number,
                                    requested_categories=["dibao"], on=DAY["submitted"])
    assert str(refused.value) == errors.OPEN_APPLICATION_EXISTS.format(number=application.number, state="已申请")


def test_step_dates_cannot_go_backwards_or_into_the_future(cast: dict[str, Any], application: Application) -> None:
    with pytest.raises(errors.WrongOrder) as backwards:
        services.application_accept(application=application, by=cast["clerk_a"], on=date(2025, 8, 29))
    assert str(backwards.value) == errors.DATE_BEFORE_PREVIOUS.format(on=date(2025, 8, 29), previous=DAY["submitted"])
    with pytest.raises(errors.WrongOrder) as future:
        services.application_accept(application=application, by=cast["clerk_a"], on=date(2999, 1, 4))
    assert str(future.value) == errors.DATE_IN_FUTURE.format(on=date(2999, 1, 4))


def test_investigation_needs_two_staff_of_the_region(cast: dict[str, Any], application: Application) -> None:
    services.application_accept(application=application, by=cast["clerk_a"], on=DAY["accepted"])
    with pytest.raises(errors.IntakeInvalid) as one:
        services.application_investigation_start(application=application, by=cast["clerk_a"],
                                                 staff=[cast["clerk_a"], cast["clerk_a"]], on=DAY["investigating"])
    assert str(one.value) == errors.STAFF_TOO_FEW.format(count=1)
    with pytest.raises(errors.IntakeInvalid) as outsider:
        services.application_investigation_start(application=application, by=cast["clerk_a"],
                                                 staff=[cast["clerk_a"], cast["clerk_b"]], on=DAY["investigating"])
    assert str(outsider.value) == errors.STAFF_NOT_IN_REGION.format(name=cast["clerk_b"])


def test_visit_needs_two_people_and_what_they_saw(cast: dict[str, Any], application: Application) -> None:
    walk(application, cast, "investigating")
    with pytest.raises(errors.IntakeInvalid) as alone:
        services.application_visit_record(application=application, by=cast["clerk_a"], visited_on=DAY["visited"],
                                          staff_names=["张伟", " 张伟 "], observations="见")
    assert str(alone.value) == errors.VISIT_STAFF_TOO_FEW.format(count=1)
    with pytest.raises(errors.IntakeInvalid) as blank:
        services.application_visit_record(application=application, by=cast["clerk_a"], visited_on=DAY["visited"],
                                          staff_names=["张伟", "刘芳"], observations="  ")
    assert str(blank.value) == errors.VISIT_OBSERVATIONS_REQUIRED


def test_a_decision_that_differs_from_the_engine_needs_a_reason(cast: dict[str, Any],
                                                                application: Application) -> None:
    walk(application, cast, "reviewing")
    with pytest.raises(errors.IntakeInvalid) as refused:
        services.application_review_decide(application=application, by=cast["reviewer_a"],
                                           decisions=follow_engine(application, dibao=False), on=DAY["decided"])
    assert str(refused.value) == errors.DECISION_DIFFERS.format(label="最低生活保障（低保）")
    assert refused.value.field == "dibao_reason"


def test_edge_and_dibao_cannot_both_be_decided(cast: dict[str, Any], application: Application) -> None:
    walk(application, cast, "reviewing")
    with pytest.raises(errors.IntakeInvalid) as refused:
        services.application_review_decide(
            application=application, by=cast["reviewer_a"],
            decisions=follow_engine(application, dibao_edge=True), reasons={"dibao_edge": "试"}, on=DAY["decided"])
    assert str(refused.value) == errors.EDGE_EXCLUSIVE


def test_withdrawal_is_refused_once_the_county_has_confirmed_a_part(cast: dict[str, Any]) -> None:
    # given: 低保 and the tag asked for and approved; civil affairs confirmed, rural affairs has not yet
    application = new_application(cast, tag=True)
    clerk, reviewer = cast["clerk_a"], cast["reviewer_a"]
    walk(application, cast, "reviewing")
    services.application_review_decide(application=application, by=reviewer, decisions=follow_engine(application),
                                       on=DAY["decided"])
    services.application_publicity_start(application=application, by=reviewer, start_on=DAY["publicity"])
    services.application_confirm(application=application, by=cast["county_civil"], on=DAY["confirmable"])
    # when
    with pytest.raises(errors.WrongOrder) as refused:
        services.application_withdraw(application=application, by=clerk, reason="家庭自愿撤回", on=LATER)
    # then
    assert str(refused.value) == errors.CONFIRMATION_STARTED.format(action="撤回")
    assert application.state == Application.State.PUBLICITY
