"""How registry data reads on the pages: Chinese labels for document paths and values, masked IDs,
the simple income figures of the household page, and the history timeline.

Labels come from the household document's vocabularies (core.document) and the models'
verbose names, so the page says what the forms and the export say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from safetynet.core import document as d
from safetynet.core.idnumber import mask_id_number, mask_name
from safetynet.regions.models import Region
from safetynet.registry.models import Household, HouseholdChange, Member, Membership, Obligor, Vehicle

ID_LIKE = re.compile(r"[0-9]{17}[0-9Xx]")
CN_GRADES = {1: "一", 2: "二", 3: "三", 4: "四"}


def _verbose(model: Any, name: str) -> str:
    """A model field's label without its unit, e.g. 年收入（元） → 年收入."""
    return str(model._meta.get_field(name).verbose_name).split("（")[0]


SECTIONS = {
    "code": "户编号",
    "region": "所在区划",
    "residence": "城乡类别",
    "address": "住址",
    "members": "家庭成员",
    "obligors": "法定义务人",
    "assets": "家庭财产",
    "rigid_expenses": "刚性支出",
    "living": "生活条件",
    "monitoring": "防返贫监测",
}
# Paths with member IDs and list indexes replaced by `*`.
LABELS: dict[str, str] = {
    "code": _verbose(Household, "code"),
    "region": "所在区划",
    "residence": _verbose(Household, "residence"),
    "address": _verbose(Household, "address"),
    "assets.deposits": _verbose(Household, "deposits"),
    "assets.urban_houses": "城镇住房套数",
    "assets.business_capital": _verbose(Household, "business_capital"),
    "assets.vehicles": "车辆",
    "assets.vehicles.*.kind": _verbose(Vehicle, "kind"),
    "assets.vehicles.*.value": "价值",
    "living.housing_grade": _verbose(Household, "housing_grade"),
    "living.water_safe": _verbose(Household, "water_safe"),
    "monitoring.object": _verbose(Household, "monitoring_object"),
    "monitoring.kind": _verbose(Household, "monitoring_kind"),
    "obligors": "法定义务人",
    **{f"rigid_expenses.{k}": f"{v}支出" for k, v in d.RIGID_KINDS.items()},
    **{
        f"obligors.*.{f}": _verbose(Obligor, f)
        for f in ("name", "id_number", "age", "status", "annual_income")
    },
    "obligors.*.supports": "赡养/抚养/扶养对象",
    "obligors.*.disability": "残疾",
    "obligors.*.disability.kind": "残疾类别",
    "obligors.*.disability.grade": "残疾等级",
    **{
        f"members.*.{f}": _verbose(Member, f)
        for f in (
            "name",
            "id_number",
            "schooling",
            "labor",
            "illness",
            "employment",
            "self_care_failed",
            "medical_insured",
        )
    },
    **{f"members.*.{f}": _verbose(Membership, f) for f in ("relation", "co_resident", "excluded")},
    "members.*.disability": "残疾",
    "members.*.disability.kind": "残疾类别",
    "members.*.disability.grade": "残疾等级",
    **{f"members.*.income.{k}": v for k, v in d.INCOME_KINDS.items()},
}
VOCABULARIES: dict[str, dict[str, str]] = {
    "residence": d.RESIDENCES,
    "members.*.relation": d.RELATIONS,
    "members.*.excluded": d.EXCLUSIONS,
    "members.*.schooling": d.SCHOOLING,
    "members.*.disability.kind": d.DISABILITY_KINDS,
    "members.*.labor": d.LABOR,
    "members.*.illness": d.ILLNESS,
    "members.*.employment": d.EMPLOYMENT,
    "obligors.*.status": d.OBLIGOR_STATUS,
    "obligors.*.disability.kind": d.DISABILITY_KINDS,
    "assets.vehicles.*.kind": d.VEHICLE_KINDS,
    "living.housing_grade": d.HOUSING_GRADES,
    "monitoring.kind": d.MONITORING_KINDS,
}
MONEY = re.compile(
    r"^(members\.\*\.income\.|rigid_expenses\.)|^assets\.(deposits|business_capital|vehicles\.\*\.value)$"
    r"|^obligors\.\*\.annual_income$"
)
_MEMBER_PATH = re.compile(r"^members\.([^.]+)\.(.+)$")
_INDEXED = re.compile(r"^(obligors|assets\.vehicles)\[(\d+)\](?:\.(.+))?$")


def mask_text(text: str) -> str:
    """Any ID number inside free text, masked (first 6 + last 4)."""
    return ID_LIKE.sub(lambda m: mask_id_number(m.group(0).upper()), text)


def disability_label(kind: str | None, grade: int | None) -> str:
    if not kind:
        return "无"
    return f"{d.DISABILITY_KINDS.get(kind, kind)}{CN_GRADES.get(grade or 0, grade or '')}级"


def age_on(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def member_label(id_number: str, names: dict[str, str]) -> str:
    """成员 王*（220821********2034）: who a change is about, never the full number."""
    return f"成员 {mask_name(names.get(id_number, ''))}（{mask_id_number(id_number)}）"


def path_label(path: str, names: dict[str, str]) -> tuple[str, str]:
    """(label, generic path) for a document path such as members.<ID>.income.wages."""
    if match := _MEMBER_PATH.match(path):
        generic = f"members.*.{match.group(2)}"
        return f"{member_label(match.group(1), names)}·{LABELS.get(generic, match.group(2))}", generic
    if match := _INDEXED.match(path):
        section, index, rest = match.groups()
        generic = f"{section}.*" + (f".{rest}" if rest else "")
        noun = "义务人" if section == "obligors" else "车辆"
        return f"{noun}{int(index) + 1}·{LABELS.get(generic, rest or '')}".rstrip("·"), generic
    return LABELS.get(path, mask_text(path)), path


def value_label(value: Any, generic: str, regions: dict[str, str]) -> str:
    """A value from a document, in Chinese and masked."""
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if generic.endswith("id_number"):
        return mask_id_number(str(value))
    if generic == "region":
        return f"{regions.get(value, '')}（{value}）"
    if generic in VOCABULARIES:
        return VOCABULARIES[generic].get(value, str(value))
    if isinstance(value, list):
        return "、".join(mask_text(str(v)) for v in value)
    if MONEY.search(generic) and isinstance(value, int | float):
        return f"{value:,.2f} 元"
    return mask_text(str(value))


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class TimelineEntry:
    version: int
    at: datetime
    by: str
    summary: str
    changes: list[Change] = field(default_factory=list)


def _summary(change: HouseholdChange) -> str:
    if not change.summary.startswith("修改"):
        return mask_text(change.summary)
    touched = dict.fromkeys(
        SECTIONS.get(c["path"].split(".")[0].split("[")[0], "其他") for c in change.changes
    )
    return "修改：" + "、".join(touched) if touched else change.summary


def _by(change: HouseholdChange) -> str:
    if change.by is None:
        return "（系统）"
    return f"{change.by}（{change.by.get_role_display() or '管理员'}）"


def labelled_changes(entries: list[dict[str, Any]], names: dict[str, str]) -> list[Change]:
    """`document_diff` rows in Chinese and masked (a home visit's corrections, on the page and on paper)."""
    codes = {v for e in entries if e["path"] == "region" for v in (e["before"], e["after"]) if v}
    regions = dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return _changes(entries, names, regions)


def timeline(changes: list[HouseholdChange], names: dict[str, str]) -> list[TimelineEntry]:
    """The household's versions, newest first, each field change labelled in Chinese."""
    codes = {
        v for c in changes for e in c.changes if e["path"] == "region" for v in (e["before"], e["after"]) if v
    }
    regions = dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return [
        TimelineEntry(
            change.version, change.at, _by(change), _summary(change), _changes(change.changes, names, regions)
        )
        for change in changes
    ]


def _changes(entries: list[dict[str, Any]], names: dict[str, str], regions: dict[str, str]) -> list[Change]:
    """Field changes in Chinese; a member who joined or left is one line, not one per field."""
    joined, left = _whole_members(entries)
    items, seen = [], set()
    for entry in entries:
        match = _MEMBER_PATH.match(entry["path"])
        number = match.group(1) if match else None
        if number in joined or number in left:
            if number not in seen:
                seen.add(number)
                items.append(
                    Change(
                        member_label(number, names),
                        "（无）" if number in joined else "在册",
                        "加入本户" if number in joined else "移出本户",
                    )
                )
            continue
        label, generic = path_label(entry["path"], names)
        items.append(
            Change(
                label,
                value_label(entry["before"], generic, regions),
                value_label(entry["after"], generic, regions),
            )
        )
    return items


def _whole_members(entries: list[dict[str, Any]]) -> tuple[set[str], set[str]]:
    """ID numbers of members whose every field appeared (joined) or disappeared (left)."""
    before: dict[str, bool] = {}
    after: dict[str, bool] = {}
    for entry in entries:
        if match := _MEMBER_PATH.match(entry["path"]):
            number = match.group(1)
            before[number] = before.get(number, False) or entry["before"] is not None
            after[number] = after.get(number, False) or entry["after"] is not None
    joined = {n for n in before if not before[n] and after[n]}
    left = {n for n in before if before[n] and not after[n]}
    return joined, left


@dataclass
class IncomeRow:
    membership: Membership
    counted: bool
    items: list[Decimal]
    total: Decimal
    excluded: Decimal


@dataclass
class Figures:
    rows: list[IncomeRow]
    item_totals: list[Decimal]
    counted_income: Decimal
    counted_members: int
    per_capita_monthly: Decimal | None


def income_figures(memberships: list[Membership]) -> Figures:
    """Each member's income items and the simple household figures over co-resident members.

    Not the assessment: the rules engine decides who counts (在校子女, 不计入原因); this page shows the
    plain sum over members living together, which is what the family declared.
    """
    rows = []
    for m in memberships:
        p = m.member
        items = [p.income_wages, p.income_business, p.income_property, p.income_transfer]
        rows.append(
            IncomeRow(m, m.co_resident and not m.excluded, items, sum(items, Decimal(0)), p.income_excluded)
        )
    counted = [r for r in rows if r.counted]
    income = sum((r.total for r in counted), Decimal(0))
    monthly = (income / len(counted) / 12).quantize(Decimal("0.01"), ROUND_HALF_UP) if counted else None
    totals = [sum((r.items[i] for r in rows), Decimal(0)) for i in range(4)]
    return Figures(
        rows,
        totals + [sum(totals, Decimal(0)), sum((r.excluded for r in rows), Decimal(0))],
        income,
        len(counted),
        monthly,
    )
