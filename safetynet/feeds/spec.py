"""Source specs (数据来源说明) as data: one YAML per department source under feeds/sources/.

A spec names the file's columns (Chinese headers), each column's type and vocabulary, which fact (Kind)
a row becomes, and the department whose clerks may import it. Templates, validation and the import all
read the same spec, so adding a column is a change to one YAML file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from safetynet.feeds.models import Kind, Source

SOURCES_DIR = Path(__file__).parent / "sources"
TYPES = {"id_number", "text", "date", "amount", "code", "kind"}
KIND_FIELD = "__kind"  # the internal name of a source's 数据类型 column


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    type: str
    required: bool = False
    optional: bool = False  # a value of the row's kind that may stay empty
    codes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    example: str = ""


@dataclass(frozen=True)
class KindSpec:
    kind: str
    code: str  # what the 数据类型 column says ("" when the source has one kind)
    values: tuple[str, ...]


@dataclass(frozen=True)
class SourceSpec:
    source: str
    department: str
    title: str
    columns: tuple[Column, ...]
    kinds: tuple[KindSpec, ...]

    @property
    def label(self) -> str:
        return Source(self.source).label

    @property
    def kind_column(self) -> Column | None:
        return next((c for c in self.columns if c.type == "kind"), None)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)

    def kind_codes(self) -> dict[str, str]:
        return {k.code: k.kind for k in self.kinds}


class SpecError(ValueError):
    pass


def _column(raw: dict[str, Any], path: Path) -> Column:
    if raw.get("type") not in TYPES:
        raise SpecError(f"{path.name}: 列“{raw.get('header')}”的类型 {raw.get('type')!r} 不在 {sorted(TYPES)} 中")
    codes = {str(k): v for k, v in (raw.get("codes") or {}).items()}
    if raw["type"] == "code" and not codes:
        raise SpecError(f"{path.name}: 代码列“{raw['header']}”没有可选值（codes）")
    name = KIND_FIELD if raw["type"] == "kind" else raw["field"]
    return Column(header=raw["header"], field=name, type=raw["type"], required=bool(raw.get("required")),
                  optional=bool(raw.get("optional")), codes=codes, note=raw.get("note", ""),
                  example=str(raw.get("example", "")))


def _load(path: Path) -> SourceSpec:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    columns = tuple(_column(c, path) for c in raw["columns"])
    kinds = tuple(KindSpec(kind=Kind(k["kind"]).value, code=k.get("code", ""), values=tuple(k.get("values", ())))
                  for k in raw["kinds"])
    spec = SourceSpec(source=Source(raw["source"]).value, department=raw.get("department", ""),
                      title=raw["title"], columns=columns, kinds=kinds)
    fields = {c.field for c in columns}
    for kind in kinds:
        if missing := set(kind.values) - fields:
            raise SpecError(f"{path.name}: {kind.kind} 的值 {sorted(missing)} 没有对应的列")
    if (len(kinds) > 1) != (spec.kind_column is not None):
        raise SpecError(f"{path.name}: 多种数据类型需要一个“数据类型”列（type: kind），一种则不需要")
    if {"id_number", "occurred_on"} - fields:
        raise SpecError(f"{path.name}: 缺少身份证号（id_number）或日期（occurred_on）列")
    return spec


@cache
def source_specs() -> dict[str, SourceSpec]:
    """Every source's spec, keyed by Source value (checked when loaded: a typo fails at start)."""
    specs = {spec.source: spec for spec in map(_load, sorted(SOURCES_DIR.glob("*.yaml")))}
    if missing := set(Source.values) - set(specs):
        raise SpecError(f"缺少数据来源说明：{sorted(missing)}")
    return specs


def source_spec(source: str) -> SourceSpec:
    return source_specs()[source]
