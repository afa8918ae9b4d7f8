"""The family's data on the one-window pages: a new family applies on one page, the declaration is
completed before 受理, corrections during 调查核实 show on the visit, and rural affairs confirms the tag."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from conftest import id_number
from safetynet.core.idnumber import mask_id_number
from safetynet.intake.models import Application, HouseholdStatus
from safetynet.intake.tests.conftest import DAY, follow_engine, new_application, pdf_scan, walk
from safetynet.intake.tests.test_views import act, fresh
from safetynet.registry.models import Household
from safetynet.registry.tests.edit_pages import member_pk, shown

pytestmark = pytest.mark.django_db
State = Application.State
NEW = reverse("intake:application_create_new")


def _new_family(client: Any, head_id: str, **changes: Any) -> Any:
    data = shown(client, NEW, "household_form", "head_form", "form")
    data.update({"household-region": "220821101200001", "household-residence": "rural",
                 "household-address": "坦途镇东村3组", "head-name": "赵春生", "head-id_number": head_id,
                 "head-employment": "farming", "head-income_business": "3000", "requested_categories": ["dibao"],
                 "authorization": pdf_scan(), "note": "户主患病，无稳定收入", "on": DAY["submitted"].isoformat(),
                 **changes})
    return client.post(NEW, data)


def test_a_family_not_yet_registered_applies_on_one_page(client: Any, cast: dict[str, Any]) -> None:
    # given: township A's clerk at the service hall; the list offers the page
    client.force_login(cast["clerk_a"])
    assert "新家庭提出申请" in client.get(reverse("intake:application_list")).content.decode()
    head_id = id_number(date(1968, 4, 2))
    # when
    response = _new_family(client, head_id)
    # then: one household with its head, one application by the head
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:application_detail", args=[application.pk])
    household = Household.objects.get()
    assert application.household == household and household.region_id == "220821101200001"
    assert application.applicant.id_number == head_id and application.applicant.name == "赵春生"
    assert application.requested_categories == ["dibao"] and application.authorization
    assert [m["id_number"] for m in application.declared_document["members"]] == [head_id]


def test_a_bad_id_number_on_the_new_family_page_is_named_and_nothing_is_saved(client: Any,
                                                                              cast: dict[str, Any]) -> None:
    client.force_login(cast["clerk_a"])
    right = id_number(date(1968, 4, 2))
    response = _new_family(client, right[:17] + ("0" if right[17] != "0" else "1"))
    assert response.status_code == 422
    summary = [e["text"] for e in response.context["error_summary"]]
    assert any("身份证号" in text and "校验" in text for text in summary), summary
    assert not Application.objects.exists() and not Household.objects.exists()


def test_only_township_clerks_may_open_the_new_family_page(client: Any, cast: dict[str, Any]) -> None:
    for who in ("reviewer_a", "grid_a", "county_civil", "dept_medical"):
        client.force_login(cast[who])
        assert client.get(NEW).status_code == 403, who
        assert "新家庭提出申请" not in client.get(reverse("intake:application_list")).content.decode()


def test_members_added_before_acceptance_are_part_of_the_declaration(client: Any, cast: dict[str, Any]) -> None:
    # given: a new family's application, the head only
    client.force_login(cast["clerk_a"])
    _new_family(client, id_number(date(1968, 4, 2)))
    application = Application.objects.get()
    detail = reverse("intake:application_detail", args=[application.pk])
    page = client.get(detail).content.decode()
    assert "补充申报的家庭信息" in page
    # when: the clerk adds the wife from the application page and comes back to it
    add = reverse("registry:member_add", args=[application.household_id]) + f"?next={detail}"
    data = shown(client, add, "form")
    wife = id_number(date(1970, 8, 9), male=False)
    data.update({"name": "孙桂芝", "id_number": wife, "relation": "spouse", "illness": "chronic"})
    response = client.post(add, data)
    assert response.status_code == 302 and response["Location"] == detail
    # and accepts the application
    act(client, fresh(application), "accept", DAY["accepted"])
    # then: what the family declared holds both
    application = fresh(application)
    assert application.state == State.ACCEPTED
    assert [m["name"] for m in application.declared_document["members"]] == ["赵春生", "孙桂芝"]


def test_a_correction_made_during_the_investigation_is_listed_on_the_visit(client: Any,
                                                                           cast: dict[str, Any]) -> None:
    # given: an application under investigation
    application = walk(new_application(cast), cast, "investigating")
    client.force_login(cast["clerk_a"])
    detail = reverse("intake:application_detail", args=[application.pk])
    assert "按入户核实情况更正家庭信息" in client.get(detail).content.decode()
    # when: the visit finds the spouse earns 30 000 a year; the clerk corrects it on the member page
    spouse = member_pk(application.household, "spouse")
    edit = reverse("registry:member_edit", args=[application.household_id, spouse]) + f"?next={detail}"
    data = shown(client, edit, "form")
    data["income_wages"] = "30000"
    assert client.post(edit, data)["Location"] == detail
    # and records the visit
    act(client, fresh(application), "visit_record", DAY["visited"], staff_names="张伟、刘芳",
        observations="配偶在县城务工，年收入约3万元")
    # then: the visit lists the correction, the member named masked, both values
    page = client.get(detail).content.decode()
    spouse_id = application.household.memberships.get(relation="spouse").member.id_number
    assert "据入户核实更正" in page
    assert f"李*（{mask_id_number(spouse_id)}）" in page
    assert "4,000.00 元" in page and "30,000.00 元" in page
    assert spouse_id not in page


def test_county_rural_affairs_confirms_the_tag_on_the_page(client: Any, cast: dict[str, Any]) -> None:
    # given: 低保 and the 防返贫 tag approved by the township and in 公示 until 09-11
    application = walk(new_application(cast, tag=True), cast, "reviewing")
    from safetynet.intake import services

    services.application_review_decide(application=application, by=cast["reviewer_a"],
                                       decisions=follow_engine(application), on=DAY["decided"])
    services.application_publicity_start(application=application, by=cast["reviewer_a"], start_on=DAY["publicity"])
    # when: civil affairs confirms the categories on the page
    client.force_login(cast["county_civil"])
    assert act(client, fresh(application), "confirm", DAY["confirmable"], reason="").status_code == 302
    assert fresh(application).state == State.PUBLICITY  # the tag is still rural affairs'
    # then: rural affairs sees it in its tasks and confirms the tag
    client.force_login(cast["county_rural"])
    tasks = client.get(reverse("intake:tasks")).content.decode()
    assert application.number in tasks
    response = act(client, fresh(application), "confirm", date(2025, 9, 15), reason="经核实存在返贫风险")
    assert response.status_code == 302
    application = fresh(application)
    assert application.state == State.EFFECTIVE
    status = HouseholdStatus.objects.get(household=application.household)
    assert status.monitoring_object is True and status.categories == ["dibao"]
    page = client.get(reverse("intake:application_detail", args=[application.pk])).content.decode()
    assert "防止返贫监测标识：确认" in page and "救助类别：确认" in page
