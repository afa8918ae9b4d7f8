"""The explanation of one assessed household, in Chinese an official can read aloud to the family.

Every rule says its verdict, the figures that decided it (yuan, two decimals) and the parameter values
it used with their provenance: value and unit, since when, which level supplied it, status (P values
flagged 待确认) and source. This module reads the assessed frames; it decides nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from safetynet.core.document import EXCLUSIONS, OBLIGOR_STATUS, RELATIONS, SCHOOLING
from safetynet.policy.params import ParameterSet, Value
from safetynet.policy.rules import RULES, Rule
from safetynet.policy.rules.tekun import SUPPORTER_RELATIONS

CATEGORY_LABELS = {"tekun": "特困人员", "dibao": "最低生活保障对象（低保）", "dibao_edge": "低保边缘家庭",
                  "rigid_expense": "刚性支出困难家庭", "other_hardship": "其他困难人员"}
RISK_LABELS = {"dropout": "义务教育阶段失学辍学", "housing": "住房安全（C/D级）", "illness": "因病（医疗自付支出大）",
              "no_labor": "缺劳动力", "unemployment": "务工就业不稳（失业）", "uninsured": "未参加基本医疗保险",
              "water": "饮水安全"}
TAG_LABELS = {"monitoring_object": "防止返贫监测对象"}
COUNT_REASON_LABELS = {"co_resident": "共同生活，计入", "student": "成年在校子女，计入", "apart": "不共同生活，不计入",
                       **{f"excluded:{k}": f"{v}，不计入" for k, v in EXCLUSIONS.items()}}
RESIDENCE_NAMES = {"rural": "农村", "urban": "城市"}
LEVELS = {6: "县级", 9: "乡镇级", 12: "村（社区）级", 15: "网格级"}


def yuan(fen: int | Decimal | None) -> str:
    """Fen as yuan with two decimals, half-up: 27778 → "277.78元"."""
    return f"{(Decimal(fen or 0) / 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}元"


def yuan_number(fen: int | None) -> float | int:
    """Fen as a JSON number of yuan: whole yuan as int, otherwise two decimals."""
    amount = Decimal(fen or 0) / 100
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def per_capita_annual(h: dict[str, Any]) -> str:
    """pc × 12 = I / n, exactly, shown to the fen."""
    return yuan(Decimal(h["income_annual_fen"]) / max(h["counted_members"], 1))


def level_name(region: str) -> str:
    if region == "national":
        return "国家级"
    if region.endswith("0000"):
        return "省级"
    if len(region) == 6 and region.endswith("00"):
        return "市级"
    return LEVELS.get(len(region), "")


@dataclass
class Context:
    """What the text builders read: the household row, its members, the parameters used."""

    h: dict[str, Any]
    members: list[dict[str, Any]]
    values: dict[str, Value]
    params: ParameterSet
    obligors: list[dict[str, Any]]

    def p(self, name: str) -> str:
        """A parameter with its provenance, as read aloud (P values flagged 待确认)."""
        v = self.values[name]
        unit = self.params.describe(name)[1]
        shown = f"{v.value.normalize():f}" if v.value is not None else "—"
        status = f"待确认：{v.source}" if v.pending else f"依据：{v.source}"
        origin = "，县级管理员追加" if v.origin == "overlay" else ""
        return (f"参数 {name}：{shown}{'' if unit == '比例' else unit}，{v.since.isoformat()}起，"
                f"{level_name(v.region)}{origin}，{status}")

    def counted(self) -> list[dict[str, Any]]:
        return [m for m in self.members if m["counted"]]

    def residence(self) -> str:
        return RESIDENCE_NAMES.get(self.h["residence"], self.h["residence"])


def _verdict(flag: bool, yes: str, no: str) -> str:
    return yes if flag else no


def _names(members: list[dict[str, Any]]) -> str:
    return "、".join(m["name"] for m in members) or "无"


def member_reason(m: dict[str, Any]) -> str:
    """Why a member is counted or not, in Chinese."""
    reason = m["count_reason"]
    if reason.startswith("excluded:"):
        return f"{EXCLUSIONS.get(reason[9:], reason[9:])}，不计入共同生活家庭成员"
    if reason == "student":
        return f"成年在校子女（{SCHOOLING.get(m.get('schooling', ''), '在学')}），计入"
    if reason == "apart":
        return "不共同生活，不计入"
    return "共同生活，计入"


# --- one text builder per rule --------------------------------------------------------------------


def _counted(x: Context) -> str:
    counted = x.counted()
    others = [f"{m['name']}（{member_reason(m)}）" for m in x.members if not m["counted"]]
    text = f"共同生活家庭成员计入{len(counted)}人：{_names(counted)}"
    return text + (f"；不计入：{'、'.join(others)}。" if others else "。")


def _income(x: Context) -> str:
    h = x.h
    return (f"家庭近12个月计入收入合计{yuan(h['income_annual_fen'])}（工资性、经营净、财产净、转移净收入；"
            f"抚恤金、奖学金、救助款等不计入），按{h['counted_members']}人计算，"
            f"家庭人均月收入{yuan(h['per_capita_income_monthly_fen'])}。")


def _standard(x: Context) -> str:
    name = "dibao.standard.rural_annual" if x.h["residence"] == "rural" else "dibao.standard.urban_monthly"
    return f"本户为{x.residence()}家庭，适用低保标准每人每月{yuan(x.h['standard_monthly_fen'])}（{x.p(name)}）。"


def _below_standard(x: Context) -> str:
    h = x.h
    name = "dibao.standard.rural_annual" if h["residence"] == "rural" else "dibao.standard.urban_monthly"
    word = _verdict(h["income_below_standard"], "低于", "不低于")
    return (f"家庭人均月收入{yuan(h['per_capita_income_monthly_fen'])}，{word}本地{x.residence()}低保标准"
            f"{yuan(h['standard_monthly_fen'])}（{x.p(name)}）。")


def _property(x: Context, level: str) -> str:
    h = x.h
    ok = h[f"property_{level}_ok"]
    months = x.values[f"property.{level}.deposit_months"].value or 0
    per_member = yuan(Decimal(h["deposits_fen"]) / max(h["counted_members"], 1))
    cap = yuan(months * Decimal(h["standard_annual_fen"]) / 12)
    parts = [(f"人均存款等货币财产{per_member}，上限为{months}个月低保标准即{cap}"
             f"（{x.p(f'property.{level}.deposit_months')}）"),
             f"小汽车、货车最高价值{yuan(h['vehicle_max_fen'])}（{x.p(f'property.{level}.vehicle_value_cap')}）"]
    if h["residence"] == "urban":
        parts.append(f"城市自有住房{x.h['urban_houses']}套（{x.p(f'property.{level}.urban_houses_max')}）")
    parts.append(f"所办企业注册资本{yuan(x.h['business_capital_fen'])}"
                 f"（{x.p(f'property.{level}.business_capital_cap')}）")
    return f"家庭财产{_verdict(ok, '符合', '不符合')}规定：" + "；".join(parts) + "。"


def _tekun(x: Context) -> str:
    return "特困人员逐人审核：" + "".join(_tekun_member(x, m) for m in x.counted())


def _supporters(x: Context, m: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(capable, unable) supporters of member `m`: members in a supporting relation, then obligors."""
    relations = SUPPORTER_RELATIONS.get(m["relation"], ())
    capable: list[str] = []
    unable: list[str] = []
    for s in x.members:
        if s["relation"] in relations:
            where = "" if s["counted"] else f"，{member_reason(s).split('，')[0]}"
            label = f"{s['name']}（{RELATIONS[s['relation']]}，{s['age']}岁{where}）"
            (capable if s["supporter_capable"] else unable).append(label)
    for o in x.obligors:
        if o["member_no"] == m["member_no"]:
            age = f"，{o['age']}岁" if o["age"] is not None else ""
            label = f"在外义务人（{OBLIGOR_STATUS.get(o['status'], o['status'])}{age}）"
            (capable if o["obligor_capable"] else unable).append(label)
    return capable, unable


def _tekun_member(x: Context, m: dict[str, Any]) -> str:
    who = f"{m['name']}（{m['age']}岁）"
    if not m["no_labor_capacity"]:
        return f"{who}有劳动能力，不符合。"
    if not x.h["no_means_of_living"]:
        return f"{who}无劳动能力，但家庭收入或财产不符合“无生活来源”，不符合。"
    capable, unable = _supporters(x, m)
    if m["tekun"]:
        duty = f"法定义务人均无履行能力：{'、'.join(unable)}" if unable else "无法定赡养、抚养、扶养义务人"
        return f"{who}无劳动能力、无生活来源；{duty}；认定为特困人员。"
    return f"{who}无劳动能力、无生活来源，但法定义务人有履行能力：{'、'.join(capable)}；不符合。"


def _dibao(x: Context) -> str:
    h = x.h
    if h["dibao"]:
        return "符合最低生活保障条件：人均收入低于低保标准，家庭财产符合规定，认定为低保对象。"
    if h["income_below_standard"] and h["property_strict_ok"]:
        return "人均收入低于低保标准、财产符合规定，但共同生活成员均已认定为特困人员，按特困人员供养。"
    reason = "人均收入不低于低保标准" if not h["income_below_standard"] else "家庭财产不符合低保规定"
    return f"不符合最低生活保障条件：{reason}。"


def _edge_line(x: Context) -> str:
    h = x.h
    parts = [x.p("dibao_edge.multiplier")]
    if h["residence"] == "rural":
        parts.append(x.p("monitoring.income_line"))
    word = _verdict(h["below_edge_line"], "低于", "不低于")
    return (f"家庭人均年收入{per_capita_annual(h)}，{word}低保边缘收入线"
            f"{yuan(h['edge_line_annual_fen'])}（就高取低保年标准的倍数"
            + ("与防返贫监测范围中较高者" if h["residence"] == "rural" else "") + f"；{'；'.join(parts)}）。")


def _edge(x: Context) -> str:
    h = x.h
    if h["dibao_edge"]:
        return "不符合低保、特困条件，人均收入低于边缘收入线，财产符合就宽规定，认定为低保边缘家庭。"
    if h["dibao"] or h["tekun_household"]:
        return "已认定为低保或特困，不再认定低保边缘家庭。"
    reason = "人均收入不低于边缘收入线" if not h["below_edge_line"] else "家庭财产不符合就宽规定"
    return f"不符合低保边缘家庭条件：{reason}。"


def _income_cap(x: Context) -> str:
    h = x.h
    name = f"rigid.income_cap.{h['residence']}"
    word = _verdict(h["below_income_cap"], "低于", "不低于")
    return (f"家庭人均年收入{per_capita_annual(h)}，{word}上年度本地{x.residence()}"
            f"居民人均可支配收入{yuan(h['income_cap_fen'])}（{x.p(name)}）。")


def _spending(x: Context) -> str:
    h = x.h
    word = _verdict(h["rigid_spending_large"], "达到", "未达到")
    return (f"近12个月刚性支出（医疗自付{yuan(x.h['rigid_medical_fen'])}、教育"
            f"{yuan(x.h['rigid_education_fen'])}、残疾康复护理{yuan(x.h['rigid_disability_fen'])}）"
            f"合计{yuan(h['rigid_spending_fen'])}，{word}家庭年收入{yuan(h['income_annual_fen'])}的规定比例"
            f"（{x.p('rigid.share_of_income')}）。")


def _rigid(x: Context) -> str:
    h = x.h
    if h["rigid_expense"]:
        return "不符合低保、特困、低保边缘条件，收入低于上年度人均可支配收入，刚性支出较大，财产符合就宽规定，认定为刚性支出困难家庭。"
    if h["dibao"] or h["tekun_household"] or h["dibao_edge"]:
        return "已认定为低保、特困或低保边缘，不再认定刚性支出困难家庭。"
    return "不符合刚性支出困难家庭条件。"


def _tag(x: Context) -> str:
    if x.h["monitoring_object"]:
        return "本户由农业农村部门认定为防止返贫监测对象，保留“防止返贫监测对象”标识。"
    return "本户未被认定为防止返贫监测对象。"


def _other(x: Context) -> str:
    if x.h["other_hardship"]:
        return "本户为防止返贫监测对象，暂不符合四类对象认定条件，认定为其他困难人员。"
    return "不适用其他困难人员认定。"


def _risk(code: str, detail: Callable[[Context], str]) -> Callable[[Context], str]:
    def text(x: Context) -> str:
        found = x.h[f"risk_{code}"]
        return f"{RISK_LABELS[code]}风险：{_verdict(found, '有', '无')}。{detail(x) if found else ''}".rstrip()

    return text


def _illness_detail(x: Context) -> str:
    return (f"医疗自付{yuan(x.h['rigid_medical_fen'])}（{x.p('risk.medical_selfpay')}；"
            f"{x.p('risk.medical_share_of_income')}）。")


def _members_where(x: Context, flag: Callable[[dict[str, Any]], bool]) -> str:
    return "涉及：" + _names([m for m in x.counted() if flag(m)]) + "。"


def _candidate(x: Context) -> str:
    h = x.h
    if h["monitoring_candidate"]:
        found = [RISK_LABELS[r] for r in h["risks"]]
        why = "人均年收入低于边缘收入线" if h["below_edge_line"] else ""
        why = "、".join([w for w in [why, *found] if w])
        return f"本户为未纳入监测的农村家庭，存在{why}，提示村（社区）核实是否纳入防止返贫监测（预警，不是认定）。"
    if h["monitoring_object"]:
        return "本户已是防止返贫监测对象，无需另行预警。"
    if h["residence"] != "rural":
        return "城市家庭不适用防止返贫监测预警。"
    return "未发现需要预警的情形。"


def _dibao_amount(x: Context) -> str:
    h = x.h
    if not h["dibao"]:
        return "不发放低保金。"
    covered = h["counted_members"] - h["tekun_members_count"]
    return (f"低保金每月{h['dibao_monthly']}元：（低保标准{yuan(h['standard_monthly_fen'])} − 人均收入"
            f"{yuan(h['per_capita_income_monthly_fen'])}）× {covered}人，加分类施保{h['classified_count']}人 × "
            f"低保标准的增发比例（{x.p('dibao.classified_increment')}），四舍五入到元。")


def _tekun_amount(x: Context) -> str:
    h = x.h
    if not h["tekun_household"]:
        return "不发放特困人员救助供养金。"
    return (f"特困人员救助供养金每月{h['tekun_monthly']}元：{h['tekun_members_count']}人 × 基本生活标准"
            f"（低保标准{yuan(h['standard_monthly_fen'])}，{x.p('tekun.basic_multiplier')}），加照料护理"
            f"{yuan(h['care_total_fen'])}（按生活自理能力，{x.p('tekun.care.full')}；{x.p('tekun.care.partial')}；"
            f"{x.p('tekun.care.none')}），四舍五入到元。")


def _medical(x: Context) -> str:
    shown = "；".join(f"{m['name']}{m['medical_ratio']:.0%}" for m in x.counted())
    return f"医疗救助比例（就高不就低）：{shown}。"


def _living_subsidy(x: Context) -> str:
    got = [m for m in x.members if m["living_subsidy_fen"]]
    if not got:
        return "无符合困难残疾人生活补贴条件的成员。"
    return (f"{_names(got)}为低保或低保边缘家庭的残疾人，每人每月{yuan(got[0]['living_subsidy_fen'])}"
            f"（{x.p('disability.living_subsidy')}）。")


def _care_subsidy(x: Context) -> str:
    got = [m for m in x.members if m["care_subsidy_fen"]]
    if not got:
        return "无符合重度残疾人护理补贴条件的成员。"
    shown = "、".join(f"{m['name']}（{m['disability_grade']}级）每月{yuan(m['care_subsidy_fen'])}" for m in got)
    return f"重度残疾人护理补贴：{shown}（不论家庭收入）。"


TEXTS: dict[str, Callable[[Context], str]] = {
    "members.counted": _counted,
    "income.household": _income,
    "dibao.standard": _standard,
    "dibao.income_below_standard": _below_standard,
    "property.strict": lambda x: _property(x, "strict"),
    "property.wide": lambda x: _property(x, "wide"),
    "tekun.person": _tekun,
    "dibao.household": _dibao,
    "dibao_edge.income_below_edge_line": _edge_line,
    "dibao_edge.household": _edge,
    "rigid.income_below_cap": _income_cap,
    "rigid.spending_large": _spending,
    "rigid.household": _rigid,
    "monitoring.tag": _tag,
    "other_hardship.household": _other,
    "risk.illness": _risk("illness", _illness_detail),
    "risk.unemployment": _risk("unemployment", lambda x: _members_where(
        x, lambda m: m["able_to_work"] and m.get("employment") == "unemployed")),
    "risk.no_labor": _risk("no_labor", lambda x: "共同生活成员中没有劳动年龄内有劳动能力的人。"),
    "risk.housing": _risk("housing", lambda x: "住房安全鉴定为C级或D级。"),
    "risk.water": _risk("water", lambda x: "饮水安全未达标。"),
    "risk.dropout": _risk("dropout", lambda x: f"适龄儿童未在学（{x.p('risk.school_age_min')}；"
                                               f"{x.p('risk.school_age_max')}）。"),
    "risk.uninsured": _risk("uninsured", lambda x: _members_where(x, lambda m: not m.get("medical_insured", True))),
    "monitoring.candidate": _candidate,
    "dibao.amount": _dibao_amount,
    "tekun.amount": _tekun_amount,
    "medical.ratio": _medical,
    "disability.living_subsidy": _living_subsidy,
    "disability.care_subsidy": _care_subsidy,
}
VERDICTS = {  # rule -> the household column that is its verdict
    "dibao.income_below_standard": "income_below_standard", "property.strict": "property_strict_ok",
    "property.wide": "property_wide_ok", "tekun.person": "tekun_household", "dibao.household": "dibao",
    "dibao_edge.income_below_edge_line": "below_edge_line", "dibao_edge.household": "dibao_edge",
    "rigid.income_below_cap": "below_income_cap", "rigid.spending_large": "rigid_spending_large",
    "rigid.household": "rigid_expense", "monitoring.tag": "monitoring_tag",
    "other_hardship.household": "other_hardship", "monitoring.candidate": "monitoring_candidate",
    **{f"risk.{r}": f"risk_{r}" for r in RISK_LABELS},
}
# Parameters named in a rule's explanation beyond those its function reads.
EXTRA_PARAMETERS = {
    "tekun.person": ("tekun.age_elderly", "tekun.age_minor", "tekun.supporter_adult_age", "tekun.obligor_elderly_age"),
    "dibao.amount": ("dibao.classified_age_elderly", "dibao.classified_age_minor"),
    "tekun.amount": (), "medical.ratio": tuple(f"medical.ratio.{c}" for c in (
        "dibao", "dibao_edge", "rigid_expense", "other_hardship", "monitoring_object")),
    "dibao.standard": (),
}
FIGURES = {  # rule -> household columns shown as its figures (money columns end in _fen)
    "members.counted": ("counted_members",),
    "income.household": ("income_annual_fen", "counted_members", "per_capita_income_monthly_fen"),
    "dibao.standard": ("standard_monthly_fen", "standard_annual_fen"),
    "dibao.income_below_standard": ("per_capita_income_monthly_fen", "standard_monthly_fen"),
    "property.strict": ("deposits_fen", "vehicle_max_fen", "urban_houses", "business_capital_fen"),
    "property.wide": ("deposits_fen", "vehicle_max_fen", "urban_houses", "business_capital_fen"),
    "tekun.person": ("tekun_members_count",),
    "dibao_edge.income_below_edge_line": ("income_annual_fen", "counted_members", "edge_line_annual_fen"),
    "rigid.income_below_cap": ("income_annual_fen", "counted_members", "income_cap_fen"),
    "rigid.spending_large": ("rigid_spending_fen", "income_annual_fen"),
    "risk.illness": ("rigid_medical_fen", "income_annual_fen"),
    "dibao.amount": ("dibao_monthly", "standard_monthly_fen", "per_capita_income_monthly_fen", "classified_count"),
    "tekun.amount": ("tekun_monthly", "tekun_members_count", "care_total_fen"),
}
FIGURE_NAMES = {"income_cap_fen": "income_cap_annual", "edge_line_annual_fen": "edge_line_annual"}


def _figure(h: dict[str, Any], column: str) -> Any:
    if column.endswith("_fen"):
        return float(Decimal(h[column] or 0) / 100)
    return h[column]


def _figure_name(column: str) -> str:
    return FIGURE_NAMES.get(column, column.removesuffix("_fen"))


def _applies(name: str, residence: str) -> bool:
    """Residence-specific parameters are shown only for the household's residence."""
    other = "urban" if residence == "rural" else "rural"
    if name in ("dibao.standard.rural_annual", "dibao.standard.urban_monthly"):
        return name.split(".")[-1].startswith(residence)
    if name == "monitoring.income_line" and residence != "rural":
        return False
    if name.endswith(".urban_houses_max") and residence != "urban":
        return False  # rural homesteads are exempt from the house test
    return not name.endswith(f".{other}")


def _parameter(v: Value) -> dict[str, Any]:
    return {"name": v.name, "value": float(v.value) if v.value is not None else None, "since": v.since.isoformat(),
            "region": v.region, "level": level_name(v.region), "status": v.status, "pending": v.pending,
            "source": v.source, "origin": v.origin, "reason": v.reason}


def _verdict_of(name: str, meta: Rule, x: Context) -> Any:
    """A rule's verdict as JSON: a boolean test, an amount in yuan, or a value per member (ID number)."""
    counted = x.counted()
    per_member = {
        "members.counted": lambda: x.h["counted_members"],
        "income.household": lambda: _figure(x.h, "per_capita_income_monthly_fen"),
        "dibao.standard": lambda: _figure(x.h, "standard_monthly_fen"),
        "medical.ratio": lambda: {m["id_number"]: m["medical_ratio"] for m in counted},
        "disability.living_subsidy": lambda: {m["id_number"]: yuan_number(m["living_subsidy_fen"])
                                              for m in counted if m["living_subsidy_fen"]},
        "disability.care_subsidy": lambda: {m["id_number"]: yuan_number(m["care_subsidy_fen"])
                                            for m in counted if m["care_subsidy_fen"]},
    }
    if name in per_member:
        return per_member[name]()
    return x.h[VERDICTS.get(name, meta.column)]


def _rule_entry(name: str, x: Context) -> dict[str, Any]:
    meta: Rule = RULES[name]
    names = [p for p in dict.fromkeys((*meta.parameters, *EXTRA_PARAMETERS.get(name, ())))
             if _applies(p, x.h["residence"])]
    verdict = _verdict_of(name, meta, x)
    return {"rule": name, "title": meta.title, "article": meta.article, "verdict": verdict,
            "figures": {_figure_name(c): _figure(x.h, c) for c in FIGURES.get(name, ())},
            "parameters": [_parameter(x.values[p]) for p in names], "text": TEXTS[name](x)}


def _member(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "id_number": m["id_number"], "name": m["name"], "relation": m["relation"],
        "relation_name": RELATIONS.get(m["relation"], m["relation"]), "age": m["age"], "counted": m["counted"],
        "reason": member_reason(m), "tekun": m["tekun"], "no_labor_capacity": m["no_labor_capacity"],
        "no_capable_supporter": m["no_capable_supporter"], "medical_ratio": m["medical_ratio"],
        "disability_living_subsidy": yuan_number(m["living_subsidy_fen"]),
        "disability_care_subsidy": yuan_number(m["care_subsidy_fen"]),
    }


def _summary(h: dict[str, Any]) -> str:
    found = "、".join(CATEGORY_LABELS[c] for c in h["categories"]) or "不符合各类低收入人口认定条件"
    tag = "，并保留“防止返贫监测对象”标识" if h["tags"] else ""
    return f"认定结果：{found}{tag}。"


def _benefits(h: dict[str, Any], counted: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "dibao_monthly": h["dibao_monthly"], "tekun_monthly": h["tekun_monthly"],
        "medical_ratio": {m["id_number"]: m["medical_ratio"] for m in counted},
        "disability_living_subsidy": {m["id_number"]: yuan_number(m["living_subsidy_fen"])
                                      for m in counted if m["living_subsidy_fen"]},
        "disability_care_subsidy": {m["id_number"]: yuan_number(m["care_subsidy_fen"])
                                    for m in counted if m["care_subsidy_fen"]},
    }


def _figures(h: dict[str, Any]) -> dict[str, Any]:
    columns = ("counted_members", "per_capita_income_monthly_fen", "income_annual_fen", "standard_monthly_fen",
               "standard_annual_fen", "edge_line_annual_fen", "income_cap_fen", "rigid_spending_fen")
    return {_figure_name(c): _figure(h, c) for c in columns}


def _sentences(h: dict[str, Any], rules: list[dict[str, Any]]) -> list[str]:
    """The explanation read aloud: the result, then each rule; risks not found share one sentence."""
    absent = [RISK_LABELS[r["rule"][5:]] for r in rules if r["rule"].startswith("risk.") and not r["verdict"]]
    said = [r["text"] for r in rules if not (r["rule"].startswith("risk.") and not r["verdict"])]
    if absent:
        said.insert(next(i for i, r in enumerate(rules) if r["rule"].startswith("risk.")),
                    f"未发现以下致贫返贫风险：{'、'.join(absent)}。")
    return [_summary(h), *said]


def explain_household(assessed: Any, row: int) -> dict[str, Any]:
    """The JSON-ready assessment of row `row` of an Assessed frame (engine.Assessed)."""
    h = assessed.households.row(row, named=True)
    members = assessed.members_of(h["hh_key"]).to_dicts()
    x = Context(h, members, assessed.parameters[h["region"]], assessed.parameter_set,
                assessed.obligors_of(h["hh_key"]).to_dicts())
    rules = [_rule_entry(name, x) for name in TEXTS]
    pending = sorted({p["name"] for r in rules for p in r["parameters"] if p["pending"]})
    return {
        "as_of": assessed.on.isoformat(), "region": h["region"], "residence": h["residence"],
        "parameter_version": assessed.version, "status": h["status"], "categories": list(h["categories"]),
        "tags": list(h["tags"]), "tekun_members": sorted(m["id_number"] for m in members if m["tekun"]),
        "monitoring_candidate": h["monitoring_candidate"], "risks": list(h["risks"]), "figures": _figures(h),
        "benefits": _benefits(h, x.counted()), "members": [_member(m) for m in members], "rules": rules,
        "explanation": _sentences(h, rules), "pending_parameters": pending,
    }
