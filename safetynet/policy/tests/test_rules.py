"""Rules of DOMAIN.md §2 that the reference cases do not reach: supporters, rounding, subsidies, errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from safetynet.core.document import parse_household_document
from safetynet.policy.assess import NotAssessable, assess
from safetynet.policy.engine import assess_frame
from safetynet.policy.params import ParameterMissing, Value, default_parameters
from safetynet.policy.roster import roster_from_documents
from safetynet.policy.tests.households import ON, household, member

OLD = dt.date(1950, 3, 1)  # 75 on ON
ADULT = dt.date(1985, 3, 1)  # 40 on ON


def lone_elder(**extra: object) -> dict:
    return household(member("老人", "self", OLD, 1, transfer=2400), **extra)


def test_a_lone_elder_without_supporters_is_tekun() -> None:
    assert assess(lone_elder(), ON)["categories"] == ["tekun"]


@pytest.mark.parametrize(("obligor", "tekun"), [
    ({"age": 40, "status": "normal", "annual_income": 30000}, False),  # capable son elsewhere
    ({"age": 40, "status": "drug_rehab"}, True),
    ({"age": 40, "status": "no_capacity"}, True),
    ({"age": 40, "status": "tekun"}, True),
    ({"age": 62, "status": "dibao"}, True),  # a 低保 recipient aged 60 or over
    ({"age": 58, "status": "dibao"}, False),
    ({"age": 72, "status": "normal", "annual_income": 10000}, True),  # ≥ 70 and below the income cap
    ({"age": 72, "status": "normal", "annual_income": 20000}, False),  # ≥ 70 but above the cap (17800)
    ({"age": 45, "status": "normal", "annual_income": 5000, "disability": {"kind": "physical", "grade": 2}}, True),
    ({"age": 45, "status": "normal", "annual_income": 5000, "disability": {"kind": "mental", "grade": 3}}, True),
    ({"age": 45, "status": "normal", "annual_income": 5000, "disability": {"kind": "physical", "grade": 3}}, False),
])
def test_an_obligor_elsewhere_rules_tekun_out_only_when_capable(obligor: dict, tekun: bool) -> None:
    # given
    document = lone_elder(obligors=[{"name": "子女", "supports": ["老人"], **obligor}])
    # when
    result = assess(document, ON)
    # then
    assert ("tekun" in result["categories"]) is tekun


@pytest.mark.parametrize(("relation", "supporter_relation", "tekun"), [
    ("self", "child", False), ("parent", "self", False), ("grandchild", "child", False),
    ("self", "sibling", True),  # siblings are not supporters under DOMAIN §2
    ("spouse", "parent", True),  # nor are parents-in-law
])
def test_a_capable_member_in_a_supporting_relation_rules_tekun_out(relation: str, supporter_relation: str,
                                                                    tekun: bool) -> None:
    # given: an elder (or a child, for grandchild) and a capable adult with no income
    born = dt.date(2015, 1, 1) if relation == "grandchild" else OLD
    people = [member("受助人", relation, born, 1), member("成年人", supporter_relation, ADULT, 2)]
    if "self" not in (relation, supporter_relation):
        people.append(member("户主", "self", dt.date(1940, 1, 1), 3))
    # when
    result = assess(household(*people), ON)
    # then
    assert (people[0]["id_number"] in result["tekun_members"]) is tekun


def test_a_supporter_living_elsewhere_is_capable_unless_absent() -> None:
    # given: a son registered in the household but living elsewhere, aged 40
    son = member("儿子", "child", ADULT, 2, co_resident=False)
    elder = member("老人", "self", OLD, 1)
    # then: capable while free, not while in prison
    assert assess(household(elder, son), ON)["tekun_members"] == []
    son_in_prison = {**son, "excluded": "prison"}
    assert assess(household(elder, son_in_prison), ON)["tekun_members"] == [elder["id_number"]]


def test_dibao_amount_rounds_half_up_to_the_yuan() -> None:
    # given: one adult, pc = 359.50, so S − pc = 100.50 (banker's rounding would give 100)
    document = household(member("甲", "self", ADULT, 1, business=4314))
    # when
    result = assess(document, ON)
    # then
    assert result["figures"]["per_capita_income_monthly"] == 359.5
    assert result["benefits"]["dibao_monthly"] == 101


def test_classified_increment_counts_the_seriously_ill_and_severely_disabled() -> None:
    # given: two adults of 40 with no income; one seriously ill, one with a grade-2 hearing disability
    document = household(member("甲", "self", ADULT, 1, illness="serious"),
                         member("乙", "spouse", ADULT, 2, disability={"kind": "hearing", "grade": 2}))
    # when
    result = assess(document, ON)
    # then: 460 × 2 + 2 × 46 = 1012
    assert result["benefits"]["dibao_monthly"] == 1012


def test_disability_subsidies_living_for_dibao_households_care_for_grades_one_and_two() -> None:
    # given: a 低保 household with a grade-2 disabled member and a grade-4 disabled member
    a = member("甲", "self", ADULT, 1, disability={"kind": "hearing", "grade": 4})
    b = member("乙", "spouse", ADULT, 2, disability={"kind": "hearing", "grade": 2})
    # when
    benefits = assess(household(a, b), ON)["benefits"]
    # then
    assert benefits["disability_living_subsidy"] == {a["id_number"]: 90, b["id_number"]: 90}
    assert benefits["disability_care_subsidy"] == {b["id_number"]: 90}


def test_care_subsidy_is_paid_whatever_the_income() -> None:
    rich = member("甲", "self", ADULT, 1, wages=200000, disability={"kind": "visual", "grade": 1})
    benefits = assess(household(rich), ON)["benefits"]
    assert benefits["disability_care_subsidy"] == {rich["id_number"]: 120}
    assert benefits["disability_living_subsidy"] == {}


def test_tekun_care_amount_follows_self_care_items_failed() -> None:
    # 460 × 1.3 = 598; care 0 failed → 120, 4 failed → 1200
    assert assess(lone_elder(), ON)["benefits"]["tekun_monthly"] == 718
    helpless = household(member("老人", "self", OLD, 1, self_care_failed=4))
    assert assess(helpless, ON)["benefits"]["tekun_monthly"] == 1798


def test_a_household_without_counted_members_is_not_assessable() -> None:
    # given: the only member is serving a sentence
    document = household(member("甲", "self", ADULT, 1, excluded="prison"))
    # when / then
    with pytest.raises(NotAssessable, match="没有计入") as raised:
        assess(document, ON)
    assert raised.value.path == "members"


def test_assessing_before_any_parameter_is_in_force_names_the_parameter() -> None:
    with pytest.raises(ParameterMissing, match="2024-06-30"):
        assess(lone_elder(), dt.date(2024, 6, 30))


def test_members_not_counted_are_listed_with_their_reason() -> None:
    document = household(member("甲", "self", ADULT, 1), member("乙", "spouse", ADULT, 2, excluded="missing"),
                         member("丙", "child", dt.date(2004, 1, 1), 3, co_resident=False))
    members = {m["name"]: m for m in assess(document, ON)["members"]}
    assert (members["乙"]["counted"], members["乙"]["reason"]) == (False, "宣告失踪，不计入共同生活家庭成员")
    assert (members["丙"]["counted"], members["丙"]["reason"]) == (False, "不共同生活，不计入")
    assert "乙（宣告失踪" in assess(document, ON)["explanation"][1]


def test_explanation_flags_placeholder_values_as_pending_with_their_source() -> None:
    # when
    result = assess(household(member("甲", "self", ADULT, 1, business=3000)), ON)
    # then
    rule = next(r for r in result["rules"] if r["rule"] == "dibao.income_below_standard")
    assert rule["verdict"] is True
    assert rule["text"] == ("家庭人均月收入250.00元，低于本地农村低保标准460.00元（参数 dibao.standard.rural_annual："
                            "5520元/人·年，2025-01-01起，县级，待确认：镇赉县低保标准通知（未取得））。")
    assert rule["parameters"][0]["pending"] is True
    assert "dibao.standard.rural_annual" in result["pending_parameters"]
    articles = {r["rule"]: r["article"] for r in result["rules"]}
    assert all(articles.values())
    assert "民发〔2021〕57号" in articles["dibao.household"] and "条文待核" in articles["dibao.household"]


def test_in_one_batch_each_household_gets_its_own_regions_standard() -> None:
    # given: township 220821101 has its own rural standard (6000 a year) from an administrator's value
    params = default_parameters().with_overlay([Value(
        name="dibao.standard.rural_annual", value=Decimal(6000), since=dt.date(2025, 1, 1), region="220821101",
        status="K", source="坦途镇试点通知", origin="overlay", reason="试点")])
    inside = {**household(member("甲", "self", ADULT, 1)), "region": "220821101200001"}
    outside = household(member("乙", "self", ADULT, 2))
    # when
    assessed = assess_frame(roster_from_documents([parse_household_document(d) for d in (inside, outside)]), ON,
                            params)
    # then
    assert assessed.households.get_column("standard_monthly_fen").to_list() == [50000, 46000]
    assert assessed.explain(0)["rules"][2]["parameters"][0]["region"] == "220821101"


def test_an_empty_roster_gives_empty_frames_with_the_full_schema() -> None:
    assessed = assess_frame(roster_from_documents([]), ON)
    assert assessed.households.height == 0 and "categories" in assessed.households.columns
    assert assessed.members.height == 0 and "medical_ratio" in assessed.members.columns
