"""The one-window pages: each form posts through to its service; access and refusals as users see them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from safetynet.core.idnumber import mask_name
from safetynet.intake import errors
from safetynet.intake.models import ITEMS, Application
from safetynet.intake.tests.conftest import DAY, follow_engine, new_application, pdf_scan, png_photo, walk

pytestmark = pytest.mark.django_db
State = Application.State


def act(client: Any, application: Application, action: str, on: date, **fields: Any) -> Any:
    data = {f"{action}-version": application.version, f"{action}-on": on.isoformat(),
            **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(reverse(f"intake:application_{action}", args=[application.pk]), data)


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def test_clerk_creates_an_application_from_the_household_page(client: Any, cast: dict[str, Any],
                                                                household_a: Any) -> None:
    # given: the clerk of township A on the household's page
    client.force_login(cast["clerk_a"])
    page = client.get(reverse("registry:household_detail", args=[household_a.pk])).content.decode()
    assert "提出申请" in page and "认定状态" in page
    head = household_a.memberships.get(relation="self").member
    # when
    response = client.post(reverse("intake:application_create", args=[household_a.pk]), {
        "requested_categories": ["dibao"], "applicant": head.id_number, "authorization": pdf_scan(),
        "note": "家中主要劳动力患病", "on": DAY["submitted"].isoformat()})
    # then
    application = Application.objects.get(household=household_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:application_detail", args=[application.pk])
    assert application.requested_categories == ["dibao"] and application.authorization
    assert application.submitted_on == DAY["submitted"]


def test_the_reviewer_gets_no_apply_button_and_a_403_on_the_create_page(client: Any, cast: dict[str, Any],
                                                                       household_a: Any) -> None:
    client.force_login(cast["reviewer_a"])
    page = client.get(reverse("registry:household_detail", args=[household_a.pk])).content.decode()
    assert "提出申请" not in page
    assert client.get(reverse("intake:application_create", args=[household_a.pk])).status_code == 403


def test_the_whole_path_through_the_pages_with_an_objection(client: Any, cast: dict[str, Any],
                                                            settings: Any) -> None:
    # given: an application of township A
    application = new_application(cast)
    clerk, reviewer, county = cast["clerk_a"], cast["reviewer_a"], cast["county_civil"]
    client.force_login(clerk)
    assert act(client, application, "accept", DAY["accepted"]).status_code == 302
    application = fresh(application)
    staff = [clerk.pk, reviewer.pk]
    assert act(client, application, "investigation_start", DAY["investigating"], staff=staff).status_code == 302
    application = fresh(application)
    response = act(client, application, "visit_record", DAY["visited"], staff_names="张伟、刘芳",
                   observations="三口之家，土坯房", photos=[png_photo()])
    assert response.status_code == 302
    application = fresh(application)
    assert application.visits.get().photos.count() == 1
    assert act(client, application, "investigation_complete", DAY["reviewing"]).status_code == 302
    # when: the reviewer decides as the engine proposes (the tag declined with a reason) and publicises
    client.force_login(reviewer)
    application = fresh(application)
    page = client.get(reverse("intake:application_detail", args=[application.pk])).content.decode()
    assert "作出分类审核意见" in page and "系统建议" in page
    decisions = {item: "1" if yes else "0" for item, yes in follow_engine(application).items()}
    decisions["monitoring_object"] = "0"
    reasons = {f"{item}_reason": "" for item in ITEMS} | {"monitoring_object_reason": "未纳入监测范围"}
    assert act(client, application, "review_decide", DAY["decided"], **decisions, **reasons).status_code == 302
    application = fresh(application)
    page = client.get(reverse("intake:application_detail", args=[application.pk])).content.decode()
    assert f"{mask_name(application.applicant.name)}户，保障人数" in page, "the 公示 form shows the masked notice"
    assert act(client, application, "publicity_start", DAY["publicity"]).status_code == 302
    application = fresh(application)
    assert act(client, application, "objection_record", date(2025, 9, 8), content="邻居反映有车辆").status_code == 302
    # then: back to 调查核实
    assert fresh(application).state == State.INVESTIGATING
    # and: a county user sees the page but cannot act on it
    client.force_login(county)
    assert client.get(reverse("intake:application_detail", args=[application.pk])).status_code == 200
    assert act(client, fresh(application), "accept", date(2025, 9, 9)).status_code == 403


def test_county_civil_affairs_confirms_after_publicity_and_the_household_shows_dibao(client: Any,
                                                                                    cast: dict[str, Any]) -> None:
    # given: an application in 公示 since 09-05 (7 days)
    application = walk(new_application(cast), cast, "publicity")
    client.force_login(cast["county_civil"])
    # when: confirmed on the first day after 公示
    response = act(client, fresh(application), "confirm", DAY["confirmable"], reason="符合低保条件")
    # then
    assert response.status_code == 302
    application = fresh(application)
    assert application.state == State.EFFECTIVE
    page = client.get(reverse("registry:household_detail", args=[application.household_id])).content.decode()
    assert "最低生活保障（低保）" in page and "元/月" in page


def test_confirming_during_publicity_shows_the_services_message(client: Any, cast: dict[str, Any]) -> None:
    application = walk(new_application(cast), cast, "publicity")
    client.force_login(cast["county_civil"])
    response = act(client, fresh(application), "confirm", date(2025, 9, 10), reason="")
    assert response.status_code == 422
    assert "公示期至2025-09-11止" in response.content.decode()
    assert fresh(application).state == State.PUBLICITY


def test_correction_notice_lists_every_item_then_resubmission_accepts(client: Any, cast: dict[str, Any]) -> None:
    # given: an application without the authorisation scan
    application = new_application(cast, authorization=False)
    client.force_login(cast["clerk_a"])
    # when: accepted without it, the service's Chinese message is shown and nothing changes
    response = act(client, application, "accept", DAY["accepted"])
    assert response.status_code == 422 and errors.AUTHORIZATION_MISSING in response.content.decode()
    # when: one notice with two lines
    response = act(client, application, "correction_request", DAY["accepted"],
                   items="核对授权书（申请人签字）\n户口簿复印件")
    assert response.status_code == 302
    application = fresh(application)
    assert application.correction.items == ["核对授权书（申请人签字）", "户口簿复印件"]
    # and: the family brings them
    response = act(client, application, "resubmit", date(2025, 9, 3), authorization=pdf_scan(), note="已补交")
    assert response.status_code == 302
    application = fresh(application)
    assert application.state == State.RESUBMITTED
    assert act(client, application, "accept", date(2025, 9, 3)).status_code == 302


def test_a_stale_page_is_told_already_handled_and_nothing_is_saved(client: Any, cast: dict[str, Any]) -> None:
    # given: the page was loaded at version 1; someone accepted since
    application = new_application(cast)
    old_version = application.version
    walk(application, cast, "accepted")
    client.force_login(cast["clerk_a"])
    # when: the old page's withdraw form is sent
    response = client.post(reverse("intake:application_withdraw", args=[application.pk]), {
        "withdraw-version": old_version, "withdraw-on": "2025-09-02", "withdraw-reason": "家属要求"})
    # then
    assert response.status_code == 422
    assert "已被他人处理" in response.content.decode()
    assert fresh(application).state == State.ACCEPTED


def test_reviewer_extends_withdraws_are_the_clerks_and_terminates(client: Any, cast: dict[str, Any]) -> None:
    application = walk(new_application(cast), cast, "accepted")
    client.force_login(cast["reviewer_a"])
    assert act(client, application, "extend", date(2025, 9, 2), reason="需核对外省车辆信息").status_code == 302
    application = fresh(application)
    assert application.extended
    assert act(client, application, "withdraw", date(2025, 9, 2), reason="x").status_code == 403
    assert act(client, application, "terminate", date(2025, 9, 2), reason="申请人去世").status_code == 302
    assert fresh(application).state == State.TERMINATED


def test_clerk_withdraws_and_county_refuses(client: Any, cast: dict[str, Any]) -> None:
    first = walk(new_application(cast), cast, "accepted")
    client.force_login(cast["clerk_a"])
    assert act(client, first, "withdraw", date(2025, 9, 2), reason="家庭收入已好转").status_code == 302
    assert fresh(first).state == State.WITHDRAWN
    second = walk(new_application(cast, region="220821101200002"), cast, "publicity")
    client.force_login(cast["county_civil"])
    response = act(client, fresh(second), "refuse", DAY["confirmable"], reason="")
    assert response.status_code == 422 and "不予确认" in response.content.decode()
    assert act(client, fresh(second), "refuse", DAY["confirmable"], reason="公示期间核实有经营收入").status_code == 302
    assert fresh(second).state == State.REFUSED


def test_another_townships_application_is_404_on_every_page(client: Any, cast: dict[str, Any]) -> None:
    application = new_application(cast)
    client.force_login(cast["clerk_b"])
    assert client.get(reverse("intake:application_detail", args=[application.pk])).status_code == 404
    assert act(client, application, "accept", DAY["accepted"]).status_code == 404
    assert client.get(reverse("intake:authorization_file", args=[application.pk])).status_code == 404
    assert fresh(application).state == State.SUBMITTED


def test_tasks_list_and_files(client: Any, cast: dict[str, Any]) -> None:
    # given: one submitted application of township A
    application = new_application(cast)
    client.force_login(cast["clerk_a"])
    # then: it is the clerk's task, listed with its state, its scan downloadable
    tasks = client.get(reverse("intake:tasks")).content.decode()
    assert application.number in tasks and "受理或一次性告知补正" in tasks and "办理中的申请（按乡镇）" in tasks
    assert "table-danger" in tasks and "已超期" in tasks, "submitted in 2025: long past its 30 working days"
    listed = client.get(reverse("intake:application_list"), {"state": "submitted"}).content.decode()
    assert application.number in listed
    assert application.number not in client.get(reverse("intake:application_list"), {"state": "accepted"}
                                                 ).content.decode()
    scan = client.get(reverse("intake:authorization_file", args=[application.pk]))
    assert scan.status_code == 200 and b"".join(scan.streaming_content).startswith(b"%PDF")
    assert "我的待办" in client.get(reverse("intake:application_list")).content.decode()


def test_a_step_already_taken_by_someone_else_says_so_on_the_page(client: Any, cast: dict[str, Any]) -> None:
    # given: two clerks had the page open; one accepted
    application = new_application(cast)
    stale_version = application.version
    walk(application, cast, "accepted")
    client.force_login(cast["clerk_a"])
    # when: the other sends 受理 from the old page
    response = client.post(reverse("intake:application_accept", args=[application.pk]),
                           {"accept-version": stale_version, "accept-on": DAY["accepted"].isoformat()})
    # then: told plainly, nothing recorded twice
    assert response.status_code == 422
    assert "已被他人处理" in response.content.decode()
    assert fresh(application).events.filter(action="accept").count() == 1
