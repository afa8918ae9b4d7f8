"""Adding, editing and removing members: every rule of the household document shows on the form,
naming the field, and a refused form saves nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from conftest import id_number
from safetynet.core.idnumber import check_digit
from safetynet.registry.documents import household_document
from safetynet.registry.models import Household, Member, Membership
from safetynet.registry.services import household_save
from safetynet.registry.tests.edit_pages import as_post, member_pk, shown, url

NEW_MEMBER = {
    "name": "王小红", "relation": "child", "co_resident": "on", "excluded": "", "schooling": "junior",
    "disability_kind": "", "disability_grade": "", "labor": "full", "illness": "none", "employment": "none",
    "self_care_failed": "0", "medical_insured": "on", "income_wages": "", "income_business": "",
    "income_property": "", "income_transfer": "", "income_excluded": "",
}


def add(client, household, **fields):
    data = {**NEW_MEMBER, "version": household.version, "id_number": id_number(date(2012, 4, 1)), **fields}
    return client.post(url("member_add", household.pk), data)


def assert_nothing_saved(household, members_before):
    household.refresh_from_db()
    assert household.version == 1 and household.changes.count() == 1
    assert Member.objects.count() == members_before


def test_editing_an_income_item_creates_a_version_with_before_and_after(client, cast, household_a):
    # given: 王建国, the head, has no wages on record
    client.force_login(cast["clerk_a"])
    head = member_pk(household_a, "self")
    data = shown(client, url("member_edit", household_a.pk, head), "form")
    # when
    response = client.post(url("member_edit", household_a.pk, head), {**data, "income_wages": "7200.50"})
    # then
    assert response.status_code == 302 and response["Location"] == url("household_detail", household_a.pk)
    household_a.refresh_from_db()
    change = household_a.changes.get(version=2)
    assert household_a.version == 2 and change.by == cast["clerk_a"]
    head_id = Member.objects.get(pk=head).id_number
    wages = [c for c in change.changes if head_id in c["path"] and c["path"].endswith(".income.wages")]
    assert [(c["before"], c["after"]) for c in wages] == [(0, 7200.5)]
    assert household_document(household_a).head.income.wages == Decimal("7200.50")
    assert "7,200.50" in client.get(url("household_detail", household_a.pk)).content.decode()


def test_id_number_with_a_wrong_check_digit_is_refused_naming_the_field(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    good = id_number(date(2012, 4, 1))
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    members_before = Member.objects.count()
    # when
    response = add(client, household_a, id_number=wrong)
    # then
    assert response.status_code == 422
    assert "身份证号：身份证号校验位不正确，请核对证件后重新填写" in response.content.decode()
    assert_nothing_saved(household_a, members_before)


def test_id_number_with_a_birth_date_in_the_future_is_refused(client, cast, household_a):
    # given: a correct check digit, but born next year
    client.force_login(cast["clerk_a"])
    first17 = f"220821{timezone.localdate().year + 1}0101001"
    members_before = Member.objects.count()
    # when
    response = add(client, household_a, id_number=first17 + check_digit(first17))
    # then
    assert response.status_code == 422
    assert f"身份证号：身份证号中的出生日期{timezone.localdate().year + 1}-01-01晚于今天，请核对" in (
        response.content.decode())
    assert_nothing_saved(household_a, members_before)


def test_negative_and_over_precise_amounts_are_refused_naming_the_field(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    members_before = Member.objects.count()
    # when
    response = add(client, household_a, income_wages="-5", income_transfer="12.345")
    # then
    content = response.content.decode()
    assert response.status_code == 422
    assert "工资性收入（元/年）：金额不能为负数" in content
    assert "转移净收入（元/年）：金额最多保留两位小数（分）" in content
    assert 'inputmode="decimal"' in content
    assert_nothing_saved(household_a, members_before)


def test_person_registered_in_another_household_is_refused_naming_that_household(client, cast, household_a,
                                                                                 household_b):
    # given: clerk_a may not edit township B, so no 迁入 is offered
    client.force_login(cast["clerk_a"])
    taken = household_b.memberships.get(relation="child").member.id_number
    members_before = Member.objects.count()
    # when
    response = add(client, household_a, id_number=taken)
    # then
    content = response.content.decode()
    assert response.status_code == 422
    assert f"身份证号：此人已在户{household_b.code}中（在册）" in content
    assert "从原户迁入" not in content
    assert_nothing_saved(household_a, members_before)
    assert Membership.objects.get(member__id_number=taken, ended_on__isnull=True).household == household_b


def test_county_clerk_may_move_a_person_in_from_another_household(client, cast, household_a, household_b):
    # given: county civil affairs may edit both townships
    client.force_login(cast["county_civil"])
    child = household_b.memberships.get(relation="child").member
    first = add(client, household_a, id_number=child.id_number, name=child.name)
    assert first.status_code == 422 and "从原户迁入" in first.content.decode()
    # when
    response = add(client, household_a, id_number=child.id_number, name=child.name, move_in="on",
                   income_wages="800")
    # then
    assert response.status_code == 302
    old = Membership.objects.get(member=child, household=household_b)
    assert old.ended_on is not None and old.end_reason.startswith("迁至户")
    new = Membership.objects.get(member=child, ended_on__isnull=True)
    assert new.household == household_a and new.relation == "child"
    child.refresh_from_db()
    assert child.income_wages == Decimal(800)


def test_head_of_another_household_is_not_offered_a_move(client, cast, household_a, household_b):
    client.force_login(cast["county_civil"])
    head = household_b.memberships.get(relation="self").member
    response = add(client, household_a, id_number=head.id_number, name=head.name, move_in="on")
    content = response.content.decode()
    assert response.status_code == 422
    assert f"此人是户{household_b.code}的户主，不能直接迁入" in content and "从原户迁入" not in content
    assert Membership.objects.get(member=head, ended_on__isnull=True).household == household_b


def test_every_error_of_the_page_is_listed_at_once(client, cast, household_a):
    # given: a form error (disability kind without grade) and a document error (a negative amount)
    client.force_login(cast["clerk_a"])
    # when
    response = add(client, household_a, disability_kind="physical", income_business="-1")
    # then
    content = response.content.decode()
    assert response.status_code == 422
    assert "残疾等级：残疾类别和等级应同时填写，或都不填" in content
    assert "经营净收入（元/年）：金额不能为负数" in content
    assert "请修改以下 2 处" in content


def test_edit_begun_before_someone_else_saved_is_refused_and_saves_nothing(client, cast, household_a):
    # given: the form is opened at version 1, then county civil affairs saves the household
    client.force_login(cast["clerk_a"])
    head = member_pk(household_a, "self")
    data = shown(client, url("member_edit", household_a.pk, head), "form")
    meanwhile = household_document(household_a)
    meanwhile.address = "坦途村三组"
    household_save(document=meanwhile, household=household_a, by=cast["county_civil"], expected_version=1)
    # when
    response = client.post(url("member_edit", household_a.pk, head), {**data, "income_wages": "100"})
    # then
    assert response.status_code == 422
    assert "该户信息已被他人修改（当前为第2版，您编辑的是第1版）" in response.content.decode()
    household_a.refresh_from_db()
    assert household_a.version == 2 and household_document(household_a).head.income.wages == 0


def test_member_edit_shows_the_id_number_masked_and_keeps_it_when_left_blank(client, cast, household_a):
    client.force_login(cast["clerk_a"])
    spouse = Member.objects.get(pk=member_pk(household_a, "spouse"))
    response = client.get(url("member_edit", household_a.pk, spouse.pk))
    assert spouse.id_number not in response.content.decode()
    data = as_post(response.context["form"])
    assert client.post(url("member_edit", household_a.pk, spouse.pk), {**data, "illness": "chronic"}).status_code == 302
    spouse.refresh_from_db()
    assert spouse.illness == "chronic"
    assert Membership.objects.get(member=spouse, ended_on__isnull=True).household == household_a


def test_correcting_an_id_number_is_validated_again(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    spouse = member_pk(household_a, "spouse")
    data = shown(client, url("member_edit", household_a.pk, spouse), "form")
    corrected = id_number(date(1987, 6, 2), male=False)
    # when: first a typo in the check digit, then the right number
    typo = client.post(url("member_edit", household_a.pk, spouse),
                       {**data, "id_number": corrected[:17] + ("1" if corrected[17] != "1" else "2")})
    saved = client.post(url("member_edit", household_a.pk, spouse), {**data, "id_number": corrected.lower()})
    # then
    assert typo.status_code == 422 and "身份证号：身份证号校验位不正确" in typo.content.decode()
    assert saved.status_code == 302
    active = household_a.memberships.filter(ended_on__isnull=True, relation="spouse").get()
    assert active.member.id_number == corrected.upper() and active.member.name == "李秀兰"


def test_another_member_becomes_head_and_the_former_head_can_then_be_removed(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    old_head, spouse = member_pk(household_a, "self"), member_pk(household_a, "spouse")
    data = shown(client, url("member_edit", household_a.pk, spouse), "form")
    refused = client.post(url("member_edit", household_a.pk, spouse), {**data, "relation": "self"})
    assert refused.status_code == 422 and "将本成员设为户主时，请选择原户主与新户主的关系" in refused.content.decode()
    # when
    made_head = client.post(url("member_edit", household_a.pk, spouse),
                            {**data, "relation": "self", "former_head_relation": "spouse", "version": 1})
    removed = client.post(url("member_remove", household_a.pk, old_head), {"version": 2, "reason": "死亡"})
    # then
    assert made_head.status_code == 302 and removed.status_code == 302
    household_a.refresh_from_db()
    assert household_a.head_name == "李秀兰" and household_a.member_count == 2 and household_a.version == 3


def test_removing_a_member_closes_the_membership_and_keeps_it(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    child = member_pk(household_a, "child")
    # when
    response = client.post(url("member_remove", household_a.pk, child),
                           {"version": 1, "reason": "其他", "note": "随母亲改嫁"})
    # then
    assert response.status_code == 302
    membership = Membership.objects.get(member_id=child, household=household_a)
    assert membership.ended_on == timezone.localdate()
    assert membership.end_reason == "从本户移出：其他（随母亲改嫁）"
    household_a.refresh_from_db()
    assert household_a.member_count == 2 and household_a.version == 2
    assert Member.objects.filter(pk=child).exists()
    assert household_a.changes.get(version=2).action == "member_remove"


def test_the_head_of_household_cannot_be_removed(client, cast, household_a):
    # given
    client.force_login(cast["clerk_a"])
    head = member_pk(household_a, "self")
    # when
    response = client.post(url("member_remove", household_a.pk, head), {"version": 1, "reason": "死亡"})
    # then
    assert response.status_code == 422
    assert "户主不能直接移出本户" in response.content.decode()
    assert Membership.objects.get(member_id=head).ended_on is None
    household_a.refresh_from_db()
    assert household_a.version == 1 and household_a.member_count == 3


def test_removal_needs_a_reason(client, cast, household_a):
    client.force_login(cast["clerk_a"])
    response = client.post(url("member_remove", household_a.pk, member_pk(household_a, "child")), {"version": 1})
    assert response.status_code == 422 and "移出原因：" in response.content.decode()
    assert Household.objects.get(pk=household_a.pk).version == 1
