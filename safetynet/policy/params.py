"""Policy parameters: dated, sourced values per region, loaded from `parameters/<topic>.yaml`.

After OpenFisca (STYLE.md §5.4): every threshold, multiplier and amount of the rules is a parameter
with the date it takes effect, its status (K: rule of a named national document, wording to verify;
P: placeholder awaiting the county's own figure) and its source. History is never edited: a new
value is a new dated row. A county administrator's values (the overlay) are appended the same way.

File format (one file per topic; a parameter's first name segment is the file's name)::

    dibao.standard.rural_annual:
      description: 农村最低生活保障标准
      unit: 元/人·年
      values:
        "220821":
          - {value: 5520, since: 2025-01-01, status: P, source: "镇赉县低保标准通知（未取得）"}

Region keys are region codes of any level (6, 9, 12 or 15 digits; "220800" prefecture, "220000"
province) or "national". `value: null` ends that region's value from that date: resolution then
continues with the next level up (so a county can end its own override).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

DEFAULT_DIRECTORY = Path(__file__).resolve().parent / "parameters"
DIRECTORY_SETTING = "SAFETYNET_PARAMETERS_DIR"  # Django setting or environment variable
NATIONAL = "national"

MONEY_UNITS = ("元", "元/月", "元/人·月", "元/人·年")
RATIO_UNITS = ("倍", "比例")
COUNT_UNITS = ("人", "套", "岁", "个月", "工作日", "日")
UNITS = MONEY_UNITS + RATIO_UNITS + COUNT_UNITS
STATUSES = {"K": "国家文件规定（条文待核）", "P": "占位值（待确认）"}

_PARAMETER_KEYS = {"description", "unit", "values"}
_ENTRY_KEYS = {"value", "since", "status", "source"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


@dataclass(frozen=True)
class Value:
    """One dated value of a parameter, with where it came from (provenance)."""

    name: str
    value: Decimal | None  # None only for a row that ends the region's value (`value: null`)
    since: dt.date
    region: str
    status: str  # "K" | "P"
    source: str
    origin: str = "file"  # "file" or "overlay" (added by a county administrator)
    reason: str = ""  # overlay rows carry the administrator's reason

    @property
    def pending(self) -> bool:
        """P values are placeholders: every explanation flags them 待确认."""
        return self.status == "P"


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    topic: str
    values: dict[str, tuple[Value, ...]]  # region key -> rows sorted by since (overlay after file on ties)


class ParameterFileInvalid(ValueError):
    """A parameter file (or overlay row) is malformed; the message lists every error, in Chinese."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("参数文件有误：\n" + "\n".join(errors))


class ParameterMissing(LookupError):
    """No value of `name` is in force for `region` on `on` (checked up the whole region chain)."""

    def __init__(self, name: str, *, region: str, on: dt.date, known: bool = True) -> None:
        self.name, self.region, self.on = name, region, on
        what = f"参数 {name}" if known else f"参数 {name}（参数文件中没有这个参数）"
        super().__init__(
            f"{what} 在区划 {region} 于 {on.isoformat()} 没有生效的取值"
            f"（已依次查找：{'、'.join(region_chain(region))}）。请在参数文件或参数管理页补充该日期之前生效的取值。"
        )


def region_chain(region: str) -> list[str]:
    """The region and every level above it, nearest first, ending with "national".

    "220821101200001" (grid) → village, township, county "220821", prefecture "220800",
    province "220000", "national".
    """
    return list(_chain(region))


@functools.lru_cache(maxsize=65536)
def _chain(region: str) -> tuple[str, ...]:
    """region_chain, kept: a screening resolves every parameter for each of a few hundred regions."""
    if region == NATIONAL:
        return (NATIONAL,)
    if not (region.isdigit() and len(region) in (6, 9, 12, 15)):
        raise ValueError(f"区划代码“{region}”无效：应为6、9、12或15位数字，或 national")
    chain = [region[:size] for size in (15, 12, 9) if len(region) >= size]
    chain += [region[:6], region[:4] + "00", region[:2] + "0000", NATIONAL]
    return tuple(dict.fromkeys(chain))


def _valid_region_key(key: str) -> bool:
    return key == NATIONAL or (key.isdigit() and len(key) in (6, 9, 12, 15))


# --- reading files --------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Reads YAML floats as exact Decimals (0.10 stays 0.10, never 0.1000000000000000055…)."""


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> object:
    """An impossible date (2025-13-01) stays text, so validation names it instead of YAML crashing."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node).replace("_", ""))
)


def _number(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal):
        return None
    number = Decimal(raw)
    return number if number.is_finite() else None


def _date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return None
    return None


def _check_value(value: Decimal | None, unit: str) -> str | None:
    if value is None:
        return None
    if value < 0:
        return "取值不能为负数"
    if unit in MONEY_UNITS and value != value.quantize(Decimal("0.01")):
        return "金额最多保留两位小数（分）"
    if unit in COUNT_UNITS and value != value.to_integral_value():
        return f"单位为“{unit}”的取值应为整数"
    return None


def _entry(raw: Any, *, name: str, region: str, unit: str, where: str, errors: list[str]) -> Value | None:
    if not isinstance(raw, dict):
        errors.append(f"{where}：应为 {{value, since, status, source}} 形式的一行")
        return None
    bad = len(errors)
    for key in raw:
        if key not in _ENTRY_KEYS:
            errors.append(f"{where}：未知字段“{key}”；允许的字段：{'、'.join(sorted(_ENTRY_KEYS))}")
    for key in sorted(_ENTRY_KEYS - set(raw)):
        errors.append(f"{where}：缺少字段“{key}”")
    value = _number(raw.get("value"))
    if raw.get("value") is not None and value is None:
        errors.append(f"{where}：value“{raw.get('value')}”不是数字（或写 null 表示自该日起停止适用）")
    elif problem := _check_value(value, unit):
        errors.append(f"{where}：value {value}：{problem}")
    since = _date(raw.get("since"))
    if "since" in raw and since is None:
        errors.append(f"{where}：since“{raw.get('since')}”不是有效日期（应为 YYYY-MM-DD）")
    status = raw.get("status")
    if "status" in raw and status not in STATUSES:
        errors.append(f"{where}：status“{status}”无效；应为 K（国家文件规定）或 P（占位值，待确认）")
    source = raw.get("source")
    if "source" in raw and (not isinstance(source, str) or not source.strip()):
        errors.append(f"{where}：source 不能为空，应写明文件名称及条款")
    if len(errors) > bad:
        return None
    return Value(name=name, value=value, since=since, region=region, status=status, source=source.strip())


def _region_rows(raw: Any, *, name: str, region: str, unit: str, where: str, errors: list[str]) -> list[Value]:
    if not isinstance(raw, list) or not raw:
        errors.append(f"{where}：应为至少一行的列表")
        return []
    rows = [_entry(item, name=name, region=region, unit=unit, where=f"{where} 第{i + 1}行", errors=errors)
            for i, item in enumerate(raw)]
    values = [row for row in rows if row is not None]
    for i, (before, after) in enumerate(itertools.pairwise(values)):
        if after.since == before.since:
            errors.append(f"{where} 第{i + 2}行：日期 {after.since} 重复（历史不改写：新取值请用新的日期）")
        elif after.since < before.since:
            errors.append(f"{where} 第{i + 2}行：日期 {after.since} 早于上一行 {before.since}，请按日期先后排列")
    return values


def _parameter(name: str, raw: Any, *, topic: str, where: str, errors: list[str]) -> Parameter | None:
    if not isinstance(name, str) or not _NAME.match(name) or name.split(".")[0] != topic:
        errors.append(f"{where}：参数名“{name}”无效：应为以“{topic}.”开头的小写点分名称")
        return None
    if not isinstance(raw, dict):
        errors.append(f"{where}：应包含 description、unit、values")
        return None
    for key in raw:
        if key not in _PARAMETER_KEYS:
            errors.append(f"{where}：未知字段“{key}”；允许的字段：{'、'.join(sorted(_PARAMETER_KEYS))}")
    description, unit = raw.get("description"), raw.get("unit")
    if not isinstance(description, str) or not description.strip():
        errors.append(f"{where}：缺少中文说明 description")
    if unit not in UNITS:
        errors.append(f"{where}：单位“{unit}”无效；应为：{'、'.join(UNITS)}")
    values = _values(raw.get("values"), name=name, unit=str(unit), where=where, errors=errors)
    if values is None:
        return None
    return Parameter(name=name, description=str(description or ""), unit=str(unit), topic=topic, values=values)


def _values(regions: Any, *, name: str, unit: str, where: str,
            errors: list[str]) -> dict[str, tuple[Value, ...]] | None:
    if not isinstance(regions, dict) or not regions:
        errors.append(f"{where}：values 应按区划代码列出取值")
        return None
    values: dict[str, tuple[Value, ...]] = {}
    for region, rows in regions.items():
        region = str(region)
        if not _valid_region_key(region):
            errors.append(f"{where} 区划“{region}”：应为6、9、12或15位区划代码，或 national")
            continue
        values[region] = tuple(_region_rows(rows, name=name, region=region, unit=unit,
                                            where=f"{where} 区划 {region}", errors=errors))
    return values


def _read_file(path: Path, errors: list[str]) -> Iterator[Parameter]:
    topic = path.stem
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (yaml.YAMLError, InvalidOperation) as error:
        errors.append(f"{path.name}：不是有效的 YAML：{error}")
        return
    if not isinstance(data, dict) or not data:
        errors.append(f"{path.name}：应为“参数名: {{description, unit, values}}”的映射")
        return
    for name, raw in data.items():
        parameter = _parameter(name, raw, topic=topic, where=f"{path.name} 参数 {name}", errors=errors)
        if parameter is not None:
            yield parameter


# --- the set ----------------------------------------------------------------------------------------


class ParameterSet:
    """Every parameter, with its dated values per region; immutable (overlays make a new set)."""

    def __init__(self, parameters: dict[str, Parameter], overlay: tuple[Value, ...] = ()) -> None:
        self._parameters = parameters
        self._overlay = overlay
        self._resolved: dict[tuple[str, str, dt.date], Value] = {}
        self._version = _fingerprint(parameters, overlay)

    @classmethod
    def load(cls, directory: Path = DEFAULT_DIRECTORY) -> ParameterSet:
        """Read and validate every `*.yaml` of `directory`; raise ParameterFileInvalid listing all errors."""
        errors: list[str] = []
        parameters: dict[str, Parameter] = {}
        files = sorted(Path(directory).glob("*.yaml"))
        if not files:
            errors.append(f"{directory}：没有参数文件（*.yaml）")
        for path in files:
            for parameter in _read_file(path, errors):
                if parameter.name in parameters:
                    errors.append(f"{path.name} 参数 {parameter.name}：与 {parameters[parameter.name].topic}.yaml 重名")
                parameters[parameter.name] = parameter
        if errors:
            raise ParameterFileInvalid(errors)
        return cls(parameters)

    def with_overlay(self, rows: Iterable[Value]) -> ParameterSet:
        """A new set with `rows` appended (administrator values); a row wins over a file row of the
        same region when its `since` is later or equal. Nothing already loaded is changed."""
        rows = tuple(rows)
        errors = [problem for i, row in enumerate(rows) if (problem := self._overlay_problem(row, i))]
        if errors:
            raise ParameterFileInvalid(errors)
        parameters = dict(self._parameters)
        for row in rows:
            row = replace(row, origin="overlay")
            parameter = parameters[row.name]
            merged = {**parameter.values, row.region: (*parameter.values.get(row.region, ()), row)}
            merged[row.region] = tuple(sorted(merged[row.region], key=lambda v: (v.since, v.origin == "overlay")))
            parameters[row.name] = replace(parameter, values=merged)
        return ParameterSet(parameters, self._overlay + rows)

    def _overlay_problem(self, row: Value, i: int) -> str | None:
        where = f"追加取值第{i + 1}行（{row.name}）"
        if row.name not in self._parameters:
            return f"{where}：没有这个参数"
        if not _valid_region_key(row.region):
            return f"{where}：区划“{row.region}”无效"
        if row.status not in STATUSES:
            return f"{where}：status 应为 K 或 P"
        if not row.source.strip():
            return f"{where}：source 不能为空，应写明文件名称及条款"
        if row.value is not None and (problem := _check_value(row.value, self._parameters[row.name].unit)):
            return f"{where}：{problem}"
        return None

    def resolve(self, name: str, region: str, on: dt.date) -> Value:
        """The value in force on `on`: from `region` or the nearest level above it, latest `since`."""
        key = (name, region, on)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(name, region, on)
        return self._resolved[key]

    def _resolve(self, name: str, region: str, on: dt.date) -> Value:
        parameter = self._parameters.get(name)
        if parameter is None:
            raise ParameterMissing(name, region=region, on=on, known=False)
        for code in _chain(region):
            rows = parameter.values.get(code)
            if not rows:
                continue
            in_force = [v for v in rows if v.since <= on]
            if in_force and in_force[-1].value is not None:
                return in_force[-1]
        raise ParameterMissing(name, region=region, on=on)

    def names(self) -> list[str]:
        return sorted(self._parameters)

    def describe(self, name: str) -> tuple[str, str]:
        """(中文说明, 单位) of a parameter."""
        parameter = self._parameters[name]
        return parameter.description, parameter.unit

    def history(self, name: str) -> dict[str, list[Value]]:
        """Every dated value per region key, oldest first (overlay rows included, marked origin="overlay")."""
        return {region: list(rows) for region, rows in self._parameters[name].values.items()}

    def version(self) -> str:
        """Short hash of everything loaded (files + overlay): stored with each assessment."""
        return self._version


def _fingerprint(parameters: dict[str, Parameter], overlay: tuple[Value, ...]) -> str:
    rows = [
        [v.name, v.region, v.since.isoformat(), None if v.value is None else str(v.value), v.status, v.source, v.origin]
        for name in sorted(parameters)
        for region in sorted(parameters[name].values)
        for v in parameters[name].values[region]
    ]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:12]


_directory: list[Path | None] = [None]  # set by PolicyConfig.ready() from settings.SAFETYNET_PARAMETERS_DIR


def parameters_directory() -> Path:
    """Where the parameter files are: settings/env SAFETYNET_PARAMETERS_DIR, else the package's own."""
    configured = _directory[0] or os.environ.get(DIRECTORY_SETTING)
    return Path(configured) if configured else DEFAULT_DIRECTORY


def use_parameters_directory(directory: Path | str | None) -> ParameterSet:
    """Validate the files of `directory` (None: the default) and make them the default set.

    Raises ParameterFileInvalid without changing anything when a file is malformed.
    """
    previous = _directory[0]
    _directory[0] = Path(directory) if directory else None
    try:
        ParameterSet.load(parameters_directory())
    except ParameterFileInvalid:
        _directory[0] = previous
        raise
    default_parameters.cache_clear()
    return default_parameters()


@functools.cache
def default_parameters() -> ParameterSet:
    """The project's parameter files, read once per process (validated at start-up by PolicyConfig)."""
    return ParameterSet.load(parameters_directory())
