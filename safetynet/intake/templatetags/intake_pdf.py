"""Filters of the intake PDFs: dates the Chinese way, amounts in yuan, ID numbers masked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import template

from safetynet.core.idnumber import mask_id_number

register = template.Library()


@register.filter
def cn_date(value: date | None) -> str:
    """2025年8月1日 (no leading zeros, as on a signed paper)."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


@register.filter
def cn_month(value: date | None) -> str:
    return f"{value.year}年{value.month}月" if value else ""


@register.filter
def yuan(value: Any) -> str:
    """An amount in yuan with two decimals: 1,234.50 元 reads as money on a notice."""
    if value in (None, ""):
        return ""
    return f"{Decimal(str(value)):,.2f}"


@register.filter
def masked_id(number: str | None) -> str:
    return mask_id_number(number or "")

