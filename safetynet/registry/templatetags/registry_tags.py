"""Filters for registry pages: masking, ages, Chinese labels, money."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone

from safetynet.core import document as d
from safetynet.core.idnumber import mask_id_number, mask_name
from safetynet.registry import display

register = template.Library()

VOCABULARIES = {
    "residence": d.RESIDENCES, "relation": d.RELATIONS, "exclusion": d.EXCLUSIONS, "schooling": d.SCHOOLING,
    "disability": d.DISABILITY_KINDS, "labor": d.LABOR, "illness": d.ILLNESS, "employment": d.EMPLOYMENT,
    "obligor_status": d.OBLIGOR_STATUS, "vehicle": d.VEHICLE_KINDS, "housing_grade": d.HOUSING_GRADES,
    "monitoring_kind": d.MONITORING_KINDS, "income": d.INCOME_KINDS, "rigid": d.RIGID_KINDS,
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
