"""A household's page: everything on record, ID numbers masked, every view audited."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from safetynet.audit.models import AuditEvent
from safetynet.core.idnumber import mask_id_number
from safetynet.registry.documents import household_document
from safetynet.registry.models import Member
from safetynet.registry.services import household_save, member_move


def page(client, household):
    return client.get(reverse("registry:household_detail", args=[household.pk]))


def id_numbers(household) -> list[str]:
    return [m.member.id_number for m in household.memberships.select_related("member")]


def test_household_page_shows_masked_id_numbers_only(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    # when
    response = page(client, household_a)
    # then
    content = response.content.decode()
    assert response.status_code == 200
    for number in id_numbers(household_a):
        assert number not in content
        assert mask_id_number(number) in content


def test_viewing_a_household_page_is_audited(client, cast, household_a):
    client.force_login(cast["grid_a"])
    page(client, household_a)
    event = AuditEvent.objects.get(action="view")
    assert event.actor == cast["grid_a"] and event.object_id == str(household_a.pk)
    assert event.object_label == f"户{household_a.code}" and event.region_code == household_a.region_id
    assert event.ip_address == "127.0.0.1"


def test_household_of_another_township_is_not_found(client, cast, household_b):
    client.force_login(cast["clerk_a"])
    assert page(client, household_b).status_code == 404
    assert not AuditEvent.objects.filter(action="view").exists()


def test_page_shows_members_income_and_simple_per_capita_figure(client, cast, household_a):
    # given: 王建国 6,000 business, 李秀兰 4,000 wages, 王小明 nothing; all three live together
    client.force_login(cast["clerk_a"])
    # when
    response = page(client, household_a)
    # then
    content = response.content.decode()
    figures = response.context["figures"]
    assert figures.counted_income == 10000 and figures.counted_members == 3
    assert str(figures.per_capita_monthly) == "277.78"
    assert "10,000.00" in content and "277.78" in content
    assert "户主" in content and "配偶" in content and "小学" in content and "务农" in content


def test_reveal_button_and_edit_links_follow_capabilities(client, cast, household_a):
    # given / when
    client.force_login(cast["clerk_a"])
    as_clerk = page(client, household_a).content.decode()
    client.force_login(cast["grid_a"])
    as_grid = page(client, household_a).content.decode()
    # then
    reveal = reverse(
        "registry:member_reveal", args=[household_a.pk, household_a.memberships.first().member_id]
    )
    edit = reverse("registry:household_edit", args=[household_a.pk])
    export = reverse("registry:household_document", args=[household_a.pk])
    assert reveal in as_clerk and edit in as_clerk and export in as_clerk
    assert reveal not in as_grid and edit not in as_grid and export not in as_grid


def test_county_rural_affairs_sees_no_edit_links(client, cast, household_a):
    client.force_login(cast["county_rural"])
    content = page(client, household_a).content.decode()
    assert reverse("registry:household_edit", args=[household_a.pk]) not in content


def test_timeline_labels_changes_in_chinese_without_full_id_numbers(client, cast, household_a):
    # given: an income change and a change of 城乡
    document = household_document(household_a)
    head = document.members[0]
    head.income.wages += 1200
    document.residence = "urban"
    household_save(document=document, household=household_a, by=cast["clerk_a"], expected_version=1)
    client.force_login(cast["clerk_a"])
    # when
    response = page(client, household_a)
    # then
    content = response.content.decode()
    assert f"成员 王*（{mask_id_number(head.id_number)}）·工资性收入" in content
    assert "1,200.00 元" in content
    assert "农村</del> → <ins>城市" in content
    assert "第 2 版" in content and "修改：" in content
    for number in id_numbers(household_a):
        assert number not in content


def test_former_members_are_listed_masked_with_reason(client, cast, household_a, household_b):
    # given
    child = Member.objects.get(memberships__household=household_a, memberships__relation="child")
    member_move(member=child, to=household_b, relation="other", by=cast["county_civil"], on=date(2025, 3, 1))
    client.force_login(cast["clerk_a"])
    # when
    content = page(client, household_a).content.decode()
    # then
    assert "已移出成员" in content and "王*" in content and f"迁至户{household_b.code}" in content
    assert "2025-03-01" in content


def test_timeline_shows_a_member_leaving_or_joining_as_one_line(client, cast, household_a, household_b):
    # given
    child = Member.objects.get(memberships__household=household_a, memberships__relation="child")
    member_move(member=child, to=household_b, relation="other", by=cast["county_civil"])
    client.force_login(cast["county_civil"])
    who = f"成员 王*（{mask_id_number(child.id_number)}）"
    # when
    left = page(client, household_a).context["timeline"][0].changes
    joined = page(client, household_b).context["timeline"][0].changes
    # then
    assert [(c.label, c.after) for c in left] == [(who, "移出本户")]
    assert [(c.label, c.after) for c in joined] == [(who, "加入本户")]


def test_page_query_count_is_bounded(client, cast, household_a, django_assert_max_num_queries):
    client.force_login(cast["clerk_a"])
    # the page, its status block (intake) and its visit block (gridwork, 2 queries): constant, not per member
    with django_assert_max_num_queries(16):
        assert page(client, household_a).status_code == 200
