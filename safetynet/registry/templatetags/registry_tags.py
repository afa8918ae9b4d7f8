"""Filters for registry pages: masking, ages, Chinese labels, money."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from safetynet.core import document as d
from safetynet.core.idnumber import mask_id_number, mask_name
from safetynet.registry import display

register = template.Library()

VOCABULARIES = {
    "residence": d.RESIDENCES,
    "relation": d.RELATIONS,
    "exclusion": d.EXCLUSIONS,
    "schooling": d.SCHOOLING,
    "disability": d.DISABILITY_KINDS,
    "labor": d.LABOR,
    "illness": d.ILLNESS,
    "employment": d.EMPLOYMENT,
    "obligor_status": d.OBLIGOR_STATUS,
    "vehicle": d.VEHICLE_KINDS,
    "housing_grade": d.HOUSING_GRADES,
    "monitoring_kind": d.MONITORING_KINDS,
    "income": d.INCOME_KINDS,
    "rigid": d.RIGID_KINDS,
}


@register.filter
def mask_id(number: str | None) -> str:
    return mask_id_number(number) if number else ""


@register.filter(name="mask_name")
def mask_name_filter(name: str | None) -> str:
    return mask_name(name or "")


@register.filter
def age(born: Any) -> int | str:
    years = display.age_on(born, timezone.localdate())
    return "" if years is None else years


@register.filter
def label(value: Any, vocabulary: str) -> str:
    """`{{ member.labor|label:"labor" }}` → 有劳动能力."""
    if value in (None, ""):
        return ""
    return VOCABULARIES[vocabulary].get(str(value), str(value))


@register.filter
def disability(holder: Any) -> str:
    """肢体二级, or 无 (a member or an obligor)."""
    return display.disability_label(holder.disability_kind, holder.disability_grade)


@register.filter
def yes_no(value: Any) -> str:
    return "是" if value else "否"


@register.filter
def yuan(value: Decimal | float | None) -> str:
    """6,000.00: money with thousands separators and two decimals."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


_HOUSEHOLD_ROW = (
    '<tr><td class="sn-stack-title"><a class="sn-id" href="{url}">{code}</a></td>'
    '<td data-label="户主">{head}</td><td data-label="所在村/网格">{place}</td>'
    '<td data-label="城乡">{residence}</td><td data-label="人数" class="text-md-center">{members}</td>'
    '<td data-label="防返贫监测">{monitoring}</td>'
    '<td data-label="更新时间" class="sn-nowrap">{updated}</td></tr>'
)


@register.simple_tag
def household_rows(rows: list[dict[str, Any]]) -> str:
    """The household list's <tr>s (rows from registry.listing).

    Written here rather than as a template loop: the list is the page everyone opens all day, and
    Django's per-variable template lookups cost more than its queries (20 rows, ~70 µs each).
    """
    return mark_safe(
        "".join(
            format_html(
                _HOUSEHOLD_ROW,
                url=row["url"],
                code=row["code"],
                head=row["head_name"] or "—",
                place=row["place"],
                residence=d.RESIDENCES.get(row["residence"], row["residence"]),
                members=row["member_count"],
                monitoring=_monitoring_badge(row["monitoring_object"], row["monitoring_kind"]),
                updated=timezone.localtime(row["updated_at"]).strftime("%Y-%m-%d %H:%M"),
            )
            for row in rows
        )
    )


def _monitoring_badge(marked: bool, kind: str) -> str:
    if not marked:
        return mark_safe('<span class="text-body-secondary">否</span>')
    label = f"是 · {d.MONITORING_KINDS.get(kind, kind)}" if kind else "是"
    return format_html('<span class="badge text-bg-warning">{}</span>', label)
