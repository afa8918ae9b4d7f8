from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from conftest import household_data, member_data
from safetynet.audit.models import AuditEvent
from safetynet.core.document import DocumentInvalid, parse_household_document
from safetynet.registry.documents import household_document
from safetynet.registry.models import Household, Member, Membership
from safetynet.registry.services import EditNotAllowed, StaleHousehold, household_save, member_move


def test_household_created_from_document_is_versioned_and_audited(cast, household_a):
    # then
    assert household_a.code == "2208211012000001"
    assert household_a.head_name == "王建国" and household_a.member_count == 3
    change = household_a.changes.get()
    assert change.version == 1 and change.summary == "建档"
    event = AuditEvent.objects.get(action="create", object_id=str(household_a.pk))
    assert event.actor == cast["county_civil"]


def test_editing_an_income_item_records_before_and_after(cast, household_a):
    # given
    doc = household_document(household_a)
    doc.members[0].income.wages = doc.members[0].income.wages + 1200
    # when
    household_save(document=doc, household=household_a, by=cast["clerk_a"], expected_version=1)
    # then
    latest = household_a.changes.order_by("-version").first()
    assert latest.version == 2 and latest.by == cast["clerk_a"]
    wage_change = [c for c in latest.changes if c["path"].endswith("income.wages") and c["after"] == 1200]
    assert wage_change and wage_change[0]["before"] == 0


def test_stale_edit_is_refused_and_nothing_is_lost(cast, household_a):
    first = household_document(household_a)
    second = household_document(household_a)
    first.address = "坦途村一组"
    household_save(document=first, household=household_a, by=cast["clerk_a"], expected_version=1)
    second.address = "坦途村二组"
    with pytest.raises(StaleHousehold):
        household_save(document=second, household=household_a, by=cast["clerk_a"], expected_version=1)
    household_a.refresh_from_db()
    assert household_a.address == "坦途村一组"


def test_same_person_cannot_be_active_in_two_households(cast, household_a):
    taken = household_a.memberships.first().member.id_number
    data = household_data("220821102200001", members=[
        {"name": "王建国", "id_number": taken, "relation": "self"}])
    with pytest.raises(DocumentInvalid) as error:
        household_save(document=parse_household_document(data), by=cast["county_civil"])
    assert error.value.errors[0].path == "members[0].id_number"
    assert "2208211012000001" in error.value.errors[0].message
    assert Household.objects.count() == 1


def test_database_refuses_a_second_active_membership(household_a, household_b):
    member = household_a.memberships.first().member
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(member=member, household=household_b, relation="other", started_on=date.today())


def test_township_clerk_cannot_edit_other_township(cast, household_b):
    doc = household_document(household_b)
    with pytest.raises(EditNotAllowed):
        household_save(document=doc, household=household_b, by=cast["clerk_a"])


def test_moving_a_member_closes_and_keeps_the_old_membership(cast, household_a, household_b):
    member = Member.objects.get(memberships__household=household_a, memberships__relation="child")
    member_move(member=member, to=household_b, relation="other", by=cast["county_civil"])
    old = Membership.objects.get(member=member, household=household_a)
    assert old.ended_on is not None and "迁至户" in old.end_reason
    assert Membership.objects.get(member=member, ended_on__isnull=True).household == household_b
    household_a.refresh_from_db()
    assert household_a.member_count == 2 and household_a.version == 2


def test_invalid_document_saves_nothing(cast, regions):
    data = household_data("220821101200001", members=[
        member_data("张三", "self", date(1970, 1, 1)),
        {"name": "李四", "id_number": "220821197001010010", "relation": "spouse"},
    ])
    data["members"][0]["income"] = {"wages": -5}
    with pytest.raises(DocumentInvalid) as error:
        household_save(document=parse_household_document(data), by=cast["county_civil"])
    paths = {e.path for e in error.value.errors}
    assert paths == {"members[0].income.wages", "members[1].id_number"}
    assert Household.objects.count() == 0 and Member.objects.count() == 0


def test_saving_an_unchanged_document_adds_no_version_and_no_audit_record(cast, household_a):
    # given: the household exactly as stored, once with and once without its 户编号
    same = household_document(household_a)
    without_code = household_document(household_a)
    without_code.code = ""
    events_before = AuditEvent.objects.count()
    # when
    first = household_save(document=same, household=household_a, by=cast["clerk_a"], expected_version=1)
    second = household_save(document=without_code, household=household_a, by=cast["clerk_a"])
    # then
    assert first.pk == second.pk == household_a.pk
    household_a.refresh_from_db()
    assert household_a.version == 1 and household_a.changes.count() == 1
    assert AuditEvent.objects.count() == events_before


def test_audit_record_of_a_change_holds_no_full_id_number(cast, household_a):
    # given
    doc = household_document(household_a)
    number = doc.members[1].id_number
    doc.members[1].income.wages += 100
    # when
    household_save(document=doc, household=household_a, by=cast["clerk_a"], expected_version=1)
    # then
    event = AuditEvent.objects.filter(action="change", object_id=str(household_a.pk)).latest("pk")
    assert number not in str(event.detail)
    assert f"members.{number[:6]}********{number[-4:]}.income.wages" in event.detail["fields"]
