"""Showing parameter values: plain decimals with their unit, ratios also as a percentage."""

from __future__ import annotations

from decimal import Decimal

from django import template

from safetynet.parameters.selectors import plain_decimal

register = template.Library()


@register.filter
def param_value(value: Decimal | None, unit: str) -> str:
    """5520 → "5520 元/人·年", 0.65 → "0.65（65%）", None (a row ending the value) → "停止适用"."""
    if value is None:
        return "停止适用"
    number = plain_decimal(value)
    if unit == "比例":
        return f"{number}（{plain_decimal(number * 100)}%）"
    return f"{number:,f} {unit}" if unit.startswith("元") else f"{number} {unit}"
