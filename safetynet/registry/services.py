"""Writes to the registry. Every change is versioned (HouseholdChange) and audited (AuditEvent)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.accounts.scoping import ALL_REGIONS, region_prefixes_for
from safetynet.audit.services import audit_record
from safetynet.core.document import (
    DocumentInvalid,
    FieldError,
    HouseholdDocument,
    MemberDoc,
    document_to_dict,
)
from safetynet.core.idnumber import mask_id_number
from safetynet.core.pinyin import name_pinyin
from safetynet.regions.models import Region
from safetynet.registry.documents import document_diff, household_document
from safetynet.registry.models import Household, HouseholdChange, Member, Membership, Obligor, Vehicle

NOT_ALLOWED = "您无权修改该区划的家庭信息"
STALE_VERSION = "该户信息已被他人修改（当前为第{current}版，您编辑的是第{expected}版），请刷新后重新填写"
IN_OTHER_HOUSEHOLD = "此人已在户{code}中（在册），同一人只能在一个家庭中；请先办理迁出再添加"
UNKNOWN_REGION = "区划代码{code}不存在，请从区划列表中选择村（社区）或网格"
REGION_TOO_HIGH = "家庭应登记到村（社区）或网格，{code}是{level}"


class StaleHousehold(Exception):
    """Someone else saved the household since this edit began (no lost update)."""


class EditNotAllowed(PermissionError):
    pass


def user_may_edit_region(user: Any, region_code: str) -> bool:
    if not has_capability(user, Capability.EDIT_HOUSEHOLDS):
        return False
    prefixes = region_prefixes_for(user)
    return prefixes is ALL_REGIONS or any(region_code.startswith(p) for p in prefixes)  # type: ignore[union-attr]


def _member_fields(doc: MemberDoc) -> dict[str, Any]:
    pinyin, initials = name_pinyin(doc.name)
    return {
        "name": doc.name, "name_pinyin": pinyin, "name_initials": initials,
        "birth_date": doc.birth_date, "sex": doc.sex, "schooling": doc.schooling,
        "disability_kind": doc.disability.kind if doc.disability else "",
        "disability_grade": doc.disability.grade if doc.disability else None,
        "labor": doc.labor, "illness": doc.illness, "employment": doc.employment,
        "self_care_failed": doc.self_care_failed, "medical_insured": doc.medical_insured,
        "income_wages": doc.income.wages, "income_business": doc.income.business,
        "income_property": doc.income.property, "income_transfer": doc.income.transfer,
        "income_excluded": doc.income.excluded,
    }


def _household_fields(doc: HouseholdDocument) -> dict[str, Any]:
    return {
        "region_id": doc.region, "residence": doc.residence, "address": doc.address,
        "deposits": doc.assets.deposits, "urban_houses": doc.assets.urban_houses,
        "business_capital": doc.assets.business_capital, "rigid_medical": doc.rigid_expenses.medical,
        "rigid_education": doc.rigid_expenses.education, "rigid_disability": doc.rigid_expenses.disability,
        "housing_grade": doc.living.housing_grade, "water_safe": doc.living.water_safe,
        "monitoring_object": doc.monitoring.object, "monitoring_kind": doc.monitoring.kind or "",
        "head_name": doc.head.name, "member_count": len(doc.members),
    }


def _check_region(doc: HouseholdDocument) -> None:
    region = Region.objects.filter(code=doc.region).first()
    if region is None:
        raise DocumentInvalid([FieldError("region", UNKNOWN_REGION.format(code=doc.region))])
    if region.level not in (Region.Level.VILLAGE, Region.Level.GRID):
        raise DocumentInvalid([FieldError("region", REGION_TOO_HIGH.format(
            code=doc.region, level=region.get_level_display()))])


def _check_members_free(doc: HouseholdDocument, household: Household | None) -> None:
    """One person, one active household: name the members already registered elsewhere."""
    taken = {
        m.member.id_number: m.household.code
        for m in Membership.objects.filter(member__id_number__in=[d.id_number for d in doc.members],
                                           ended_on__isnull=True)
        .exclude(household=household).select_related("member", "household")
    }
    errors = [FieldError(f"members[{i}].id_number", IN_OTHER_HOUSEHOLD.format(code=taken[m.id_number]))
              for i, m in enumerate(doc.members) if m.id_number in taken]
    if errors:
        raise DocumentInvalid(errors)


def _next_code(region_code: str) -> str:
    village = region_code[:12]
    last = (Household.objects.filter(code__startswith=village, code__regex=r"^[0-9]{16}$")
            .order_by("-code").values_list("code", flat=True).first())
    return f"{village}{int(last[12:]) + 1 if last else 1:04d}"


def _sync_members(household: Household, doc: HouseholdDocument, on: date) -> None:
    current = {m.member.id_number: m for m in household.memberships.filter(ended_on__isnull=True)
               .select_related("member")}
    for position, member_doc in enumerate(doc.members):
        member, _ = Member.objects.update_or_create(id_number=member_doc.id_number,
                                                    defaults=_member_fields(member_doc))
        fields = {"relation": member_doc.relation, "co_resident": member_doc.co_resident,
                  "excluded": member_doc.excluded or "", "position": position}
        membership = current.pop(member_doc.id_number, None)
        if membership is None:
            Membership.objects.create(member=member, household=household, started_on=on, **fields)
        else:
            for key, value in fields.items():
                setattr(membership, key, value)
            membership.save(update_fields=list(fields))
    for gone in current.values():
        gone.ended_on, gone.end_reason = on, "从本户移出"
        gone.save(update_fields=["ended_on", "end_reason"])


def _replace_assets(household: Household, doc: HouseholdDocument) -> None:
    household.vehicles.all().delete()
    Vehicle.objects.bulk_create(Vehicle(household=household, kind=v.kind, value=v.value)
                                for v in doc.assets.vehicles)
    household.obligors.all().delete()
    Obligor.objects.bulk_create(
        Obligor(household=household, name=o.name, id_number=o.id_number or "", supports=o.supports, age=o.age,
                status=o.status, disability_kind=o.disability.kind if o.disability else "",
                disability_grade=o.disability.grade if o.disability else None, annual_income=o.annual_income)
        for o in doc.obligors)


def _same_content(stored: HouseholdDocument, document: HouseholdDocument) -> bool:
    # `code` is never changed by an update, so a document without it still matches.
    return {**document_to_dict(stored), "code": ""} == {**document_to_dict(document), "code": ""}


def _summary(changes: list[dict[str, Any]], created: bool) -> str:
    if created:
        return "建档"
    touched = sorted({c["path"].split(".")[0] for c in changes})
    return "修改：" + "、".join(touched) if touched else "保存（无变化）"


@transaction.atomic
def household_save(*, document: HouseholdDocument, by: Any, household: Household | None = None,
                   expected_version: int | None = None, action: str = "") -> Household:
    """Create a household from a document, or bring an existing one to match it.

    1. check the editor's role and region, the region, and that no member is active elsewhere;
    2. refuse a stale edit (optimistic lock on `version`), so no update is lost; a document equal to
       the stored household changes nothing (no version, no audit record), so re-imports are idempotent;
    3. write household, members, memberships, vehicles and obligors;
    4. record the field-level diff as a new version and an audit event.
    """
    if not user_may_edit_region(by, document.region) or (
        household is not None and not user_may_edit_region(by, household.region_id)):
        raise EditNotAllowed(NOT_ALLOWED)
    _check_region(document)
    created = household is None
    before = None if household is None else household_document(household)
    if household is not None:
        locked = Household.objects.select_for_update().get(pk=household.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleHousehold(STALE_VERSION.format(current=locked.version, expected=expected_version))
        household = locked
        if before is not None and _same_content(before, document):
            return household  # re-importing an unchanged document must not add a version
    _check_members_free(document, household)
    today = timezone.localdate()
    if household is None:
        household = _create_household(document)
    else:
        for key, value in _household_fields(document).items():
            setattr(household, key, value)
        household.version += 1
        household.save()
    _sync_members(household, document, today)
    _replace_assets(household, document)
    changes = document_diff(before, household_document(household))
    HouseholdChange.objects.create(household=household, version=household.version, by=_user(by),
                                   action=action or ("create" if created else "update"),
                                   summary=_summary(changes, created), changes=changes)
    audit_record(by=by, action="create" if created else "change", object_type="household",
                 object_id=household.pk, object_label=f"户{household.code}", region_code=household.region_id,
                 detail={"version": household.version, "fields": _masked_paths(changes)})
    return household


_ID_IN_PATH = re.compile(r"(?<=members\.)([0-9]{17}[0-9X])")


def _masked_paths(changes: list[dict[str, Any]]) -> list[str]:
    """Changed field paths for the audit trail, member ID numbers masked (members.220821********2034.name)."""
    return [_ID_IN_PATH.sub(lambda m: mask_id_number(m.group(1)), c["path"]) for c in changes][:200]


def _create_household(document: HouseholdDocument) -> Household:
    fields = _household_fields(document)
    for _attempt in range(3):
        code = document.code or _next_code(document.region)
        try:
            with transaction.atomic():
                return Household.objects.create(code=code, **fields)
        except IntegrityError:
            if document.code:
                raise DocumentInvalid([FieldError("code", f"户编号{code}已存在")]) from None
    raise RuntimeError("could not allocate a household code")


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


@transaction.atomic
def member_move(*, member: Member, to: Household, relation: str, by: Any, on: date | None = None) -> Membership:
    """Move a member to another household (分户/迁入). The old membership is closed and kept."""
    if not user_may_edit_region(by, to.region_id):
        raise EditNotAllowed(NOT_ALLOWED)
    on = on or timezone.localdate()
    old = Membership.objects.select_for_update().filter(member=member, ended_on__isnull=True).first()
    if old is not None:
        if not user_may_edit_region(by, old.household.region_id):
            raise EditNotAllowed(NOT_ALLOWED)
        old_doc = household_document(old.household)
        old.ended_on, old.end_reason = on, f"迁至户{to.code}"
        old.save(update_fields=["ended_on", "end_reason"])
        _after_membership_change(old.household, old_doc, by, f"成员迁出至户{to.code}")
    to_doc = household_document(to)
    position = to.memberships.filter(ended_on__isnull=True).count()
    membership = Membership.objects.create(member=member, household=to, relation=relation, started_on=on,
                                           position=position)
    _after_membership_change(to, to_doc, by, "成员迁入" + (f"（自户{old.household.code}）" if old else ""))
    audit_record(by=by, action="move", object_type="member", object_id=member.pk,
                 object_label=f"{member.name[0]}*（{mask_id_number(member.id_number)}）",
                 region_code=to.region_id, detail={"to": to.code, "from": old.household.code if old else None})
    return membership


def _after_membership_change(household: Household, before: HouseholdDocument, by: Any, summary: str) -> None:
    active = household.memberships.filter(ended_on__isnull=True).select_related("member")
    head = next((m.member.name for m in active if m.relation == "self"), "")
    household.version += 1
    household.head_name, household.member_count = head, active.count()
    household.save(update_fields=["version", "head_name", "member_count", "updated_at"])
    changes = document_diff(before, household_document(household))
    HouseholdChange.objects.create(household=household, version=household.version, by=_user(by),
                                   action="member_move", summary=summary, changes=changes)
