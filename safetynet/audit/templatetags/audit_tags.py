"""Filters for the audit page: details in Chinese, ID numbers masked even if a caller stored them."""

from __future__ import annotations

import re
from typing import Any

from django import template

from safetynet.core.idnumber import mask_id_number

register = template.Library()

_ID_LIKE = re.compile(r"[0-9]{17}[0-9Xx]")
DETAIL_LABELS = {
    "version": "版本",
    "fields": "变更字段",
    "q": "检索词",
    "results": "结果数",
    "format": "格式",
    "household": "户",
    "to": "迁入户",
    "from": "迁出户",
    "region": "区划",
    "residence": "城乡",
    "monitoring": "监测标识",
}


def _masked(value: Any) -> str:
    return _ID_LIKE.sub(lambda m: mask_id_number(m.group(0).upper()), str(value))


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, key)


@register.filter
def detail_text(detail: Any) -> str:
    """`{"version": 2, "fields": [...]}` → 版本：2；变更字段：3 项."""
    if not isinstance(detail, dict):
        return _masked(detail) if detail else ""
    parts = []
    for key, value in detail.items():
        if isinstance(value, list):
            value = f"{len(value)} 项"
        elif value is None:
            value = "—"
        parts.append(f"{DETAIL_LABELS.get(key, key)}：{_masked(value)}")
    return "；".join(parts)


@register.filter
def masked(value: Any) -> str:
    return _masked(value) if value else ""
