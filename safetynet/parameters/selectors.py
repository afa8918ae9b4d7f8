"""Reads of the policy parameters: the effective set (files + administrators' values) and the pages' views.

`effective_parameters()` is what every assessment made by the platform (pages, API, CLI, screening)
passes to the rules engine: the repository's parameter files with the rows county administrators
added through the parameters page appended as dated values.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import Http404

from safetynet.parameters.models import ParameterValue
from safetynet.policy.params import ParameterMissing, ParameterSet, Value, default_parameters
from safetynet.regions.models import Region

NOT_FOUND = "没有这个政策参数。"

# Topic = the first part of a parameter's name; the order is the one of the parameters page.
TOPICS: dict[str, str] = {
    "dibao": "低保", "tekun": "特困", "dibao_edge": "低保边缘", "rigid": "刚性支出", "monitoring": "防返贫监测",
    "property": "财产", "medical": "医疗救助", "disability": "残疾人补贴", "risk": "风险预警", "procedure": "办理时限",
    "alert": "预警", "visit": "网格走访", "review": "定期核查",
}
OTHER_TOPIC = "其他"


@dataclass(frozen=True)
class ParameterRow:
    name: str
    description: str
    unit: str
    value: Value | None  # in force on the page's date; None before the first value
    region_label: str = ""  # the level that supplied it


@dataclass(frozen=True)
class Topic:
    code: str
    label: str
    rows: list[ParameterRow]


@dataclass(frozen=True)
class HistoryEntry:
    value: Value
    in_force: bool
    added_by: str = ""  # administrator rows only
    added_at: datetime | None = None


@dataclass(frozen=True)
class RegionHistory:
    region: str
    label: str
    entries: list[HistoryEntry]


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: Any = None
        self.params: ParameterSet | None = None


_cache = _Cache()


def county_code() -> str:
    return str(settings.SAFETYNET_COUNTY_CODE)


def plain_decimal(number: Decimal) -> Decimal:
    """0.6500 → 0.65 and 5520.0000 → 5520: the database's fixed scale would otherwise show and hash."""
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def parameter_value_as_value(row: ParameterValue) -> Value:
    return Value(name=row.name, value=plain_decimal(row.value), since=row.since, region=row.region,
                 status=row.status, source=row.source, origin="overlay", reason=row.reason)


def effective_parameters() -> ParameterSet:
    """The parameter files with every administrator-added value appended (the set assessments use).

    Cached in the process; one cheap query per call sees rows added by any process. The files' version
    and the newest row's id and time are the key: the table is append-only, so a new row changes it.
    """
    base = default_parameters()
    key = (base.version(), ParameterValue.objects.order_by("-pk").values_list("pk", "created_at").first())
    with _cache.lock:
        if _cache.params is None or _cache.key != key:
            rows = ParameterValue.objects.order_by("pk")
            _cache.params = base.with_overlay(parameter_value_as_value(r) for r in rows)
            _cache.key = key
        return _cache.params


def effective_parameters_invalidate() -> None:
    with _cache.lock:
        _cache.params = None
        _cache.key = None


def parameter_topics_for(on: date, *, region: str | None = None) -> list[Topic]:
    """Every parameter with the value in force on `on` for `region` (default: the county), by topic."""
    params = effective_parameters()
    region = region or county_code()
    in_force = {name: _in_force(params, name, region, on) for name in params.names()}
    labels = region_labels({value.region for value in in_force.values() if value is not None})
    grouped: dict[str, list[ParameterRow]] = {}
    for name, value in in_force.items():
        description, unit = params.describe(name)
        grouped.setdefault(_topic_of(name), []).append(ParameterRow(
            name=name, description=description, unit=unit, value=value,
            region_label=labels[value.region] if value is not None else ""))
    order = [*TOPICS, OTHER_TOPIC]
    return [Topic(code=code, label=TOPICS.get(code, OTHER_TOPIC), rows=grouped[code])
            for code in order if code in grouped]


def _topic_of(name: str) -> str:
    topic = name.split(".", 1)[0]
    return topic if topic in TOPICS else OTHER_TOPIC


def _in_force(params: ParameterSet, name: str, region: str, on: date) -> Value | None:
    try:
        return params.resolve(name, region, on)
    except ParameterMissing:
        return None


def access_parameter(name: str) -> tuple[str, str]:
    """(description, unit) of a parameter; 404 when there is none by that name."""
    params = effective_parameters()
    if name not in params.names():
        raise Http404(NOT_FOUND)
    return params.describe(name)


def parameter_history_for(name: str, *, on: date) -> list[RegionHistory]:
    """Every value of `name` per region, oldest first, marking the one in force on `on`.

    The county comes first, then its townships and villages, then the levels above it.
    """
    history = effective_parameters().history(name)
    added = {(row.region, row.since): row for row in
             ParameterValue.objects.filter(name=name).select_related("created_by")}
    labels = region_labels(history)
    return [RegionHistory(region=code, label=labels[code], entries=_entries(history[code], added, on))
            for code in sorted(history, key=_region_order)]


def _entries(values: list[Value], added: dict[tuple[str, date], ParameterValue], on: date) -> list[HistoryEntry]:
    ordered = sorted(values, key=lambda v: (v.since, v.origin != "file"))
    current = max((i for i, v in enumerate(ordered) if v.since <= on), default=None)
    entries = []
    for i, value in enumerate(ordered):
        row = added.get((value.region, value.since)) if value.origin != "file" else None
        entries.append(HistoryEntry(value=value, in_force=i == current,
                                    added_by=str(row.created_by) if row else "",
                                    added_at=row.created_at if row else None))
    return entries


def _region_order(code: str) -> tuple[int, str]:
    if code.startswith(county_code()):
        return (0, code)
    above = list(above_county_labels())  # prefecture, province, national
    return (1 + (above.index(code) if code in above else len(above)), code)


def region_labels(codes: Any) -> dict[str, str]:
    """Names for region keys: the county's own regions from the region tree, the levels above it by code."""
    codes = set(codes)
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    names.update({code: label for code, label in above_county_labels().items() if code in codes})
    return {code: names.get(code, code) for code in codes}


def above_county_labels() -> dict[str, str]:
    # The region tree holds the county and below; its prefecture and province are named here.
    county = county_code()
    return {county[:4] + "00": "白城市（市级）", county[:2] + "0000": "吉林省（省级）", "national": "全国"}
