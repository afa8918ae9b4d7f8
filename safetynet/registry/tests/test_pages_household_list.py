"""The household list: scoped, filtered, searched (name, pinyin, ID number, 户编号), paged, audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from conftest import member_data
from safetynet.audit.models import AuditEvent
from safetynet.core.idnumber import mask_id_number
from safetynet.regions.models import Region
from safetynet.registry.listing import households_count_for
from safetynet.registry.models import Household
from safetynet.registry.views import masked_query

LIST = reverse("registry:household_list")


@pytest.fixture(autouse=True)
def _fresh_region_choices():
    cache.clear()  # the region select is cached per scope across requests


@pytest.fixture
def zhang(make_household):
    """A second household in township A whose members share nothing with 王建国's."""
    return make_household(
        "220821101200002",
        residence="urban",
        monitoring={"object": True, "kind": "sudden"},
        members=[member_data("张丽华", "self", date(1970, 1, 8), male=False)],
    )


def codes(response) -> set[str]:
    return {row["code"] for row in response.context["page"].object_list}


@pytest.mark.parametrize("query", ["王建国", "建国", "wjg", "WJG", "wangjianguo", "wangjian"])
def test_search_finds_household_by_name_initials_or_full_pinyin(client, cast, household_a, zhang, query):
    # given
    client.force_login(cast["clerk_a"])
    # when
    response = client.get(LIST, {"q": query})
    # then
    assert response.status_code == 200
    assert codes(response) == {household_a.code}


def test_search_by_full_id_number_and_by_its_last_digits(client, cast, household_a, zhang):
    # given
    client.force_login(cast["clerk_a"])
    number = household_a.memberships.get(relation="spouse").member.id_number
    # when
    full = client.get(LIST, {"q": number})
    tail = client.get(LIST, {"q": number[-6:]})
    # then
    assert codes(full) == {household_a.code}
    assert codes(tail) == {household_a.code}


def test_search_by_household_code(client, cast, household_a, zhang):
    client.force_login(cast["clerk_a"])
    response = client.get(LIST, {"q": zhang.code})
    assert codes(response) == {zhang.code}


def test_filters_by_residence_monitoring_mark_and_region(client, cast, household_a, zhang):
    # given
    client.force_login(cast["clerk_a"])
    # when / then
    assert codes(client.get(LIST, {"residence": "urban"})) == {zhang.code}
    assert codes(client.get(LIST, {"residence": "rural"})) == {household_a.code}
    assert codes(client.get(LIST, {"monitoring": "1"})) == {zhang.code}
    assert codes(client.get(LIST, {"monitoring": "0"})) == {household_a.code}
    village = client.get(LIST, {"region": "220821101200"})
    assert codes(village) == {household_a.code, zhang.code}
    assert 'value="220821101200" selected' in village.content.decode()


def test_region_select_offers_only_the_users_township_and_its_villages(client, cast, household_a):
    client.force_login(cast["clerk_a"])
    response = client.get(LIST)
    offered = [
        code for group, options in response.context["form"].region_choices[1:] for code, _name in options
    ]
    assert offered == ["220821101", "220821101200"]


def test_list_never_shows_another_townships_household_to_clerk_a(client, cast, household_a, household_b):
    # given
    client.force_login(cast["clerk_a"])
    head_b = household_b.head_name
    # when: every way of asking for B
    responses = [
        client.get(LIST),
        client.get(LIST, {"region": "220821102"}),
        client.get(LIST, {"q": "wjg"}),
        client.get(LIST, {"q": household_b.code}),
        client.get(LIST, {"q": head_b}),
    ]
    # then
    link_b = reverse("registry:household_detail", args=[household_b.pk])
    for response in responses:
        assert f'href="{link_b}"' not in response.content.decode()
        assert household_b.code not in codes(response)
    assert codes(responses[0]) == {household_a.code}


def test_list_shows_head_name_in_full_and_no_id_numbers(client, cast, household_a):
    client.force_login(cast["grid_a"])
    content = client.get(LIST).content.decode()
    assert "王建国" in content
    for membership in household_a.memberships.all():
        number = membership.member.id_number
        assert number not in content and mask_id_number(number) not in content


def test_pages_of_twenty_with_total_count(client, cast, make_household):
    # given: 21 households
    for i in range(21):
        make_household("220821101200001", members=[member_data(f"赵{i}", "self", date(1960, 1, 1))])
    client.force_login(cast["clerk_a"])
    # when
    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})
    # then
    assert first.context["page"].paginator.count == 21
    assert len(first.context["page"].object_list) == 20 and len(second.context["page"].object_list) == 1
    assert "共 <strong>21</strong> 户" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()


def test_page_links_keep_the_filters(client, cast, make_household, settings):
    settings.SAFETYNET_PAGE_SIZE = 1
    for i in range(3):
        make_household("220821101200001", members=[member_data(f"钱{i}", "self", date(1960, 1, 1))])
    client.force_login(cast["clerk_a"])
    content = client.get(LIST, {"q": "钱", "residence": "rural"}).content.decode()
    assert 'href="?q=%E9%92%B1&amp;residence=rural&amp;page=2"' in content


def test_htmx_request_gets_only_the_results(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    # when
    partial = client.get(LIST, {"q": "wjg"}, headers={"HX-Request": "true"})
    full = client.get(LIST, {"q": "wjg"})
    # then: the same results, without the page around them; caches keep the two apart
    assert "<html" not in partial.content.decode() and household_a.code in partial.content.decode()
    assert "<html" in full.content.decode() and household_a.code in full.content.decode()
    assert "HX-Request" in partial["Vary"]


def test_search_is_audited_with_id_numbers_masked(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    number = household_a.memberships.get(relation="self").member.id_number
    # when
    client.get(LIST)
    client.get(LIST, {"q": number})
    # then
    event = AuditEvent.objects.get(action="search")
    assert event.actor == cast["clerk_a"] and event.detail["results"] == 1
    assert event.detail["q"] == number[:6] + "********" + number[-4:]
    assert number not in event.object_label and number not in str(event.detail)


def test_search_by_name_is_audited_as_typed(client, cast, household_a):
    client.force_login(cast["clerk_a"])
    client.get(LIST, {"q": "wjg"})
    assert AuditEvent.objects.get(action="search").detail["q"] == "wjg"


def test_list_query_count_does_not_grow_with_households(
    client, cast, make_household, django_assert_max_num_queries
):
    for i in range(8):
        make_household(
            f"22082110120000{1 + i % 2}", members=[member_data(f"孙{i}", "self", date(1960, 1, 1))]
        )
    client.force_login(cast["county_civil"])
    with django_assert_max_num_queries(8):
        response = client.get(LIST, {"q": "孙"})
    assert response.context["page"].paginator.count == 8


@pytest.mark.parametrize("role", ["county_civil", "auditor", "clerk_a", "grid_a", "clerk_b", "dept_medical"])
def test_list_total_counts_exactly_the_households_the_user_may_see(
    cast, household_a, household_b, make_household, role
):
    # given: households in both townships and both grids of village A
    make_household("220821101200002")
    user = cast[role]
    # when
    total = households_count_for(user)
    # then: the fast count agrees with the scoping every other read uses
    assert total == Household.objects.visible_to(user).count()


def test_rows_link_to_the_household_page(client, cast, household_a):
    client.force_login(cast["clerk_a"])
    content = client.get(LIST).content.decode()
    assert f'href="{reverse("registry:household_detail", args=[household_a.pk])}"' in content


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("220821198503150034", "220821********0034"),
        ("22082119850315003X", "220821********003X"),
        ("2208211985031500", "2208211985031500"),  # 16 digits: the 户编号 format
        ("身份证220821198503150034", "身份证220821********0034"),
        ("0034", "0034"),
        ("王建国", "王建国"),
    ],
)
def test_search_text_is_masked_for_the_audit_trail(typed, kept):
    assert masked_query(typed) == kept


def test_list_total_leaves_out_households_of_another_county(cast, household_a):
    # given: a household of a neighbouring county in the same database (a prefecture-wide install)
    other = Region.objects.create(code="220822", name="通榆县", level=Region.Level.COUNTY)
    town = Region.objects.create(code="220822100", name="开通镇", level=Region.Level.TOWNSHIP, parent=other)
    village = Region.objects.create(code="220822100001", name="某村", level=Region.Level.VILLAGE, parent=town)
    Household.objects.create(code="2208221000010001", region=village, residence="rural", head_name="赵某")
    # when
    total = households_count_for(cast["county_civil"])
    # then
    assert total == 1 == Household.objects.visible_to(cast["county_civil"]).count()


def test_a_new_household_is_found_by_a_search_asked_just_before(client, cast, household_a, make_household):
    # given: a search whose results are kept while the user pages through them
    client.force_login(cast["clerk_a"])
    assert codes(client.get(LIST, {"q": "zlh"})) == set()
    # when: a matching household is registered
    added = make_household("220821101200002", members=[member_data("张丽华", "self", date(1970, 1, 8))])
    # then: the same search finds it at once
    assert codes(client.get(LIST, {"q": "zlh"})) == {added.code}


def test_paging_through_a_search_runs_it_once(
    client, cast, make_household, settings, django_assert_max_num_queries
):
    # given
    settings.SAFETYNET_PAGE_SIZE = 1
    for i in range(3):
        make_household("220821101200001", members=[member_data(f"钱{i}", "self", date(1960, 1, 1))])
    client.force_login(cast["clerk_a"])
    first = client.get(LIST, {"q": "钱"})
    # when / then: the second page reads its row, not the search again
    with django_assert_max_num_queries(9) as queries:
        second = client.get(LIST, {"q": "钱", "page": 2})
    assert len(second.context["page"].object_list) == 1 and first.context["page"].paginator.count == 3
    assert not any("registry_member" in q["sql"] for q in queries.captured_queries)


def test_a_filters_total_follows_new_households(client, cast, household_a, make_household):
    client.force_login(cast["clerk_a"])
    assert client.get(LIST, {"residence": "urban"}).context["page"].paginator.count == 0
    make_household("220821101200002", residence="urban")
    assert client.get(LIST, {"residence": "urban"}).context["page"].paginator.count == 1
