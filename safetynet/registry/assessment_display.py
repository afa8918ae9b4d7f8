"""How an assessment reads on the 认定依据 panel and its PDF: Chinese labels, formatted figures, masked IDs.

The assessment keys members and medical ratios by ID number; the page shows a name with the masked
number instead, and every text the engine wrote passes through `mask_text`, so no full ID number
reaches the page or the PDF whatever the engine's sentences contain. Each parameter is listed once
with its provenance; a rule names the parameters it used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from safetynet.core.idnumber import mask_id_number
from safetynet.policy.explain import CATEGORY_LABELS, RISK_LABELS, TAG_LABELS
from safetynet.registry.display import mask_text

Describe = Callable[[str], tuple[str, str]]  # parameter name -> (description, unit)

FIGURE_LABELS = {
    "counted_members": "计入家庭人口（人）", "income_annual": "家庭年收入（元）",
    "per_capita_income_monthly": "人均月收入（元）", "standard_monthly": "低保标准（元/人·月）",
    "standard_annual": "低保标准（元/人·年）", "edge_line_annual": "低保边缘收入线（元/人·年）",
    "income_cap_annual": "上年度人均可支配收入（元/人·年）", "rigid_spending": "刚性支出合计（元，近12个月）",
    "rigid_medical": "医疗自付（元，近12个月）", "deposits": "存款及有价证券（元）",
    "vehicle_max": "小汽车、货车最高价值（元）", "urban_houses": "城镇住房（套）",
    "business_capital": "经营主体注册资本（元）", "tekun_members_count": "特困人数（人）",
    "classified_count": "分类施保人数（人）", "care_total": "照料护理费合计（元/月）",
    "dibao_monthly": "低保金（元/月）", "tekun_monthly": "特困供养金（元/月）",
}
COUNTS = {"counted_members", "urban_houses", "tekun_members_count", "classified_count"}
WHOLE_YUAN = {"dibao_monthly", "tekun_monthly"}
SUBSIDIES = {"disability_living_subsidy": "困难残疾人生活补贴",
             "disability_care_subsidy": "重度残疾人护理补贴"}


@dataclass
class Figure:
    label: str
    value: str


@dataclass
class ParameterLine:
    name: str
    description: str
    value: str
    since: str
    level: str  # 县级, 市级 … (the level that supplied the value)
    region: str  # its code; "" for the national default
    pending: bool
    source: str
    added: bool  # appended by a county administrator (overlay), not from the parameter files


@dataclass
class RuleLine:
    code: str
    title: str
    article: str
    verdict: bool | None  # None: a calculation step, not a yes/no test
    text: str
    figures: list[Figure]
    parameters: list[ParameterLine]

    @property
    def pending(self) -> bool:
        return any(p.pending for p in self.parameters)


@dataclass
class MemberLine:
    name: str
    masked_id: str
    relation: str
    age: str
    counted: bool
    reason: str
    tekun: bool
    medical_ratio: str


@dataclass
class AssessmentView:
    on: str
    parameter_version: str
    summary: str
    categories: list[str]
    tags: list[str]
    risks: list[str]
    monitoring_candidate: bool
    figures: list[Figure]
    benefits: list[Figure]
    members: list[MemberLine]
    rules: list[RuleLine]
    parameters: list[ParameterLine]
    explanation: list[str]  # sentences beyond the summary and the rules' own texts
    pending_count: int


def _number(value: Any) -> Decimal:
    return Decimal(str(value)) if not isinstance(value, Decimal) else value


def percent(value: Any) -> str:
    return f"{_number(value or 0) * 100:f}".rstrip("0").rstrip(".") + "%"


def figure_text(key: str, value: Any) -> str:
    """1,234.50 for money, 153 for whole yuan and counts; anything else as given (masked)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return "—" if value in (None, "") else mask_text(str(value))
    if key in COUNTS or key in WHOLE_YUAN:
        return f"{_number(value):,.0f}"
    return f"{_number(value):,.2f}"


def figure_lines(figures: dict[str, Any]) -> list[Figure]:
    return [Figure(FIGURE_LABELS.get(key, key), figure_text(key, value)) for key, value in figures.items()
            if not isinstance(value, dict | list)]


def parameter_value_text(value: Any, unit: str) -> str:
    """5,760 元/人·年, 1.5 倍, 75% (a 比例), 24 个月; 停止执行 for an ended parameter."""
    if value is None:
        return "停止执行"
    if unit == "比例":
        return percent(value)
    number = _number(value).normalize()
    shown = f"{number:,f}" if unit.startswith("元") else f"{number:f}"
    return f"{shown} {unit}".strip()


def parameter_line(entry: dict[str, Any], describe: Describe) -> ParameterLine:
    name = str(entry.get("name", ""))
    description, unit = describe(name)
    region = str(entry.get("region", ""))
    return ParameterLine(
        name=name, description=description or name, value=parameter_value_text(entry.get("value"), unit),
        since=str(entry.get("since", "")), level=str(entry.get("level") or region),
        region="" if region == "national" else region,
        pending=bool(entry.get("pending", entry.get("status") == "P")),
        source=mask_text(str(entry.get("source", ""))), added=entry.get("origin") == "overlay",
    )


def rule_line(entry: dict[str, Any], describe: Describe) -> RuleLine:
    verdict = entry.get("verdict")
    return RuleLine(
        code=str(entry.get("rule", "")), title=mask_text(str(entry.get("title") or entry.get("rule", ""))),
        article=mask_text(str(entry.get("article", ""))),
        verdict=verdict if isinstance(verdict, bool) else None,
        text=mask_text(str(entry.get("text", ""))), figures=figure_lines(entry.get("figures") or {}),
        parameters=[parameter_line(p, describe) for p in entry.get("parameters") or []],
    )


def member_lines(result: dict[str, Any]) -> list[MemberLine]:
    ratios = (result.get("benefits") or {}).get("medical_ratio") or {}
    return [MemberLine(
        name=str(m.get("name", "")), masked_id=mask_id_number(str(m.get("id_number", ""))),
        relation=str(m.get("relation_name", "")), age="" if m.get("age") is None else str(m["age"]),
        counted=bool(m.get("counted")), reason=mask_text(str(m.get("reason", ""))),
        tekun=bool(m.get("tekun")),
        medical_ratio=percent(ratios.get(m.get("id_number"), 0)),
    ) for m in result.get("members") or []]


def benefit_lines(benefits: dict[str, Any], names: dict[str, str]) -> list[Figure]:
    lines = [Figure(FIGURE_LABELS[key], figure_text(key, benefits.get(key, 0))) for key in sorted(WHOLE_YUAN)]
    for key, label in SUBSIDIES.items():
        for number, amount in (benefits.get(key) or {}).items():
            who = f"{names.get(number, '')}（{mask_id_number(number)}）"
            lines.append(Figure(f"{label}（元/月）：{who}", figure_text("", amount)))
    return lines


def _distinct(rules: list[RuleLine]) -> list[ParameterLine]:
    seen: dict[tuple[str, str, str], ParameterLine] = {}
    for rule in rules:
        for p in rule.parameters:
            seen.setdefault((p.name, p.since, p.region), p)
    return list(seen.values())


def assessment_view(result: dict[str, Any], *, describe: Describe) -> AssessmentView:
    """The assessment as the panel and the PDF show it; `describe(name)` gives (description, unit)."""
    rules = [rule_line(r, describe) for r in result.get("rules") or []]
    parameters = _distinct(rules)
    names = {str(m.get("id_number")): str(m.get("name", "")) for m in result.get("members") or []}
    sentences = [mask_text(str(s)) for s in result.get("explanation") or []]
    told = {rule.text for rule in rules}
    return AssessmentView(
        on=str(result.get("as_of", "")), parameter_version=str(result.get("parameter_version", "")),
        summary=sentences[0] if sentences else "",
        categories=[CATEGORY_LABELS.get(c, c) for c in result.get("categories") or []],
        tags=[TAG_LABELS.get(t, t) for t in result.get("tags") or []],
        risks=[RISK_LABELS.get(r, r) for r in result.get("risks") or []],
        monitoring_candidate=bool(result.get("monitoring_candidate")),
        figures=figure_lines(result.get("figures") or {}),
        benefits=benefit_lines(result.get("benefits") or {}, names),
        members=member_lines(result), rules=rules, parameters=parameters,
        explanation=[s for s in sentences[1:] if s not in told],
        pending_count=sum(1 for p in parameters if p.pending),
    )
