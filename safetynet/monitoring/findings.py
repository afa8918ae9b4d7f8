"""What a screening run finds for each household, as one frame of findings (pure polars, set-based).

A finding is (hh_key, kind, code) — the key of an open alert — with the member it concerns, whether
it is a possible 虚报/隐瞒, the rule, a Chinese sentence and the facts behind it. See facts.py for how
department facts entered the assessment; here they are compared with the declaration.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from safetynet.core.document import EMPLOYMENT, VEHICLE_KINDS
from safetynet.monitoring.facts import ALL_RISK_LABELS, DATE, FINDING_SCHEMA, RISK_FACTS
from safetynet.policy.explain import CATEGORY_LABELS
from safetynet.policy.roster import Roster

NONE = "none"
FINDING_KEY = ["hh_key", "kind", "code"]
NO_FACTS = pl.lit([], dtype=pl.List(pl.Int64()))


def _labels(column: str, labels: dict[str, str]) -> pl.Expr:
    return pl.col(column).list.eval(pl.element().replace(labels)).list.join("、")


def _finish(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select([pl.col(c).cast(t) if c in frame.columns else pl.lit(None, dtype=t).alias(c)
                         for c, t in FINDING_SCHEMA.items()])


def _in_range_of(frame: pl.DataFrame, other: pl.DataFrame) -> pl.DataFrame:
    """`frame`'s rows with keys within `other`'s (a chunk's): the join then reads a chunk, not the county."""
    if other.height == 0:
        return frame.clear()
    keys = other.get_column("hh_key")
    return frame.filter(pl.col("hh_key").is_between(keys.min(), keys.max()))


def with_status(results: pl.DataFrame, status: pl.DataFrame) -> pl.DataFrame:
    """The assessed households with the status in force (none: no category, no tag)."""
    ok = results.filter(pl.col("status") == "ok")
    joined = ok.join(_in_range_of(status, ok), on="hh_key", how="left")
    return joined.with_columns(pl.col("status_categories").fill_null([]), pl.col("status_tagged").fill_null(False))


def risk_findings(results: pl.DataFrame, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """One finding per risk of each household; evidence: the facts that show that risk."""
    risks = results.filter(pl.col("status") == "ok").select("hh_key", code=pl.col("risks")).explode("code")
    risks = risks.drop_nulls("code")
    if facts is not None and facts.height:
        shown = facts.filter(_risk_fact()).with_columns(code=pl.col("kind").replace_strict(RISK_FACTS, default=None))
        ids = shown.group_by("hh_key", "code").agg(pl.col("record_id").alias("fact_ids"))
        risks = risks.join(ids, on=["hh_key", "code"], how="left")
    else:
        risks = risks.with_columns(fact_ids=NO_FACTS)
    label = pl.col("code").replace(ALL_RISK_LABELS)
    source = pl.when(pl.col("fact_ids").list.len() > 0).then(pl.lit("（依据部门数据）")).otherwise(pl.lit(""))
    return _finish(risks.with_columns(
        kind=pl.lit("risk"), rule=pl.concat_str(pl.lit("risk."), "code"), suspected_fraud=pl.lit(False),
        fact_ids=pl.col("fact_ids").fill_null([]),
        text=pl.concat_str(pl.lit("筛查发现致贫返贫风险："), label, source)))


def _risk_fact() -> pl.Expr:
    kind = pl.col("kind")
    return (kind.is_in(["self_paid", "disaster_loss", "dropout", "unemployment"])
            | ((kind == "housing_appraisal") & pl.col("label").is_in(["C", "D"]))
            | (kind.is_in(["water_supply", "medical_enrolment"]) & ~pl.col("flag").fill_null(True)))


def category_findings(frame: pl.DataFrame) -> pl.DataFrame:
    """Where the engine's categories differ from the status in force (`with_status`): code "before>after".

    其他困难人员 is left out: it follows from the tag, which the monitoring-candidate finding covers.
    Codes and sentences are made for the households that differ only.
    """
    frame = frame.with_columns(
        after=pl.col("categories").list.eval(pl.element().filter(pl.element() != "other_hardship")))
    frame = frame.filter(pl.col("after") != pl.col("status_categories"))
    before_code = pl.col("status_categories").list.join("+")
    after_code = pl.col("after").list.join("+")
    frame = frame.with_columns(
        before_code=pl.when(before_code == "").then(pl.lit(NONE)).otherwise(before_code),
        after_code=pl.when(after_code == "").then(pl.lit(NONE)).otherwise(after_code))
    changed = frame.filter(pl.col("before_code") != pl.col("after_code"))
    before_label, after_label = _labels("status_categories", CATEGORY_LABELS), _labels("after", CATEGORY_LABELS)
    text = pl.concat_str(pl.lit("筛查认定为“"), pl.when(after_label == "").then(pl.lit("不属于救助类别"))
                         .otherwise(after_label), pl.lit("”，现认定为“"),
                         pl.when(before_label == "").then(pl.lit("无救助类别")).otherwise(before_label),
                         pl.lit("”：请核实后调整救助状态或说明理由"))
    return _finish(changed.with_columns(
        kind=pl.lit("category_change"), code=pl.concat_str("before_code", pl.lit(">"), "after_code"),
        rule=pl.lit("screening.categories"), suspected_fraud=pl.lit(False), fact_ids=NO_FACTS, text=text))


def candidate_findings(frame: pl.DataFrame, facts: pl.DataFrame | None = None) -> pl.DataFrame:
    """A monitoring candidate (or a household the rural-affairs mark tags) whose status (`with_status`)
    carries no tag."""
    tagged = pl.col("tags").list.contains("monitoring_object")
    found = frame.filter((pl.col("monitoring_candidate") | tagged) & ~pl.col("status_tagged"))
    if facts is not None and facts.height:
        marks = (facts.filter((pl.col("kind") == "monitoring_mark") & pl.col("flag").fill_null(False))
                 .group_by("hh_key").agg(pl.col("record_id").alias("fact_ids")))
        found = found.join(marks, on="hh_key", how="left")
    else:
        found = found.with_columns(fact_ids=NO_FACTS)
    text = (pl.when(tagged).then(pl.lit("农业农村部门已标识为防止返贫监测对象，平台尚未确认标识：请核实后按程序纳入"))
            .otherwise(pl.lit("筛查发现收入低于监测线或有致贫返贫风险，尚未纳入防止返贫监测：请核实是否纳入")))
    return _finish(found.with_columns(
        kind=pl.lit("monitoring_candidate"), code=pl.lit("monitoring_object"), rule=pl.lit("risk.monitoring_candidate"),
        suspected_fraud=pl.lit(False), fact_ids=pl.col("fact_ids").fill_null([]), text=text))


def status_findings(results: pl.DataFrame, status: pl.DataFrame, facts: pl.DataFrame | None = None
                    ) -> pl.DataFrame:
    """Risks, category changes and monitoring candidates (derivable from any run's results)."""
    frame = with_status(results, status)
    return pl.concat([risk_findings(results, facts), category_findings(frame), candidate_findings(frame, facts)])


# ---- conflicts with the declaration (疑似虚报/隐瞒) ----------------------------------------------------


def _per_member(facts: pl.DataFrame, condition: pl.Expr) -> pl.DataFrame:
    return (facts.filter(condition).sort("occurred_on", "record_id")
            .group_by("hh_key", "member_no", "member_pk")
            .agg(pl.col("record_id").alias("fact_ids"), pl.col("occurred_on").last(), pl.col("label").last(),
                 pl.col("amount_fen").last()))


def _conflict(found: pl.DataFrame, kind: str, rule: str, text: pl.Expr) -> pl.DataFrame:
    return _finish(found.with_columns(
        kind=pl.lit(kind), code=pl.concat_str(pl.lit("m"), pl.col("member_pk").cast(pl.Utf8)), rule=pl.lit(rule),
        suspected_fraud=pl.lit(True), text=text))


def _yuan(fen: pl.Expr) -> pl.Expr:
    """Fen as yuan text with two decimals ("3200.00"), exactly."""
    return pl.concat_str([(fen // 100).cast(pl.Utf8), pl.lit("."), (fen % 100).cast(pl.Utf8).str.zfill(2)])


def _date() -> pl.Expr:
    return pl.col("occurred_on").dt.strftime(DATE)


def conflict_findings(roster: Roster, facts: pl.DataFrame, *, since: dt.date) -> pl.DataFrame:
    """Registered but not declared (car/truck, business, urban house), a counted member's death, wages
    while declared without work — each per member, from the declaration as the roster holds it."""
    if facts.height == 0:
        return _finish(pl.DataFrame(schema=FINDING_SCHEMA))
    declared = roster.households.select("hh_key", "vehicle_max_fen", "business_capital_fen", "urban_houses")
    facts = facts.join(declared, on="hh_key", how="inner")
    kind = pl.col("kind")
    vehicles = _per_member(facts, (kind == "vehicle") & pl.col("label").is_in(["car", "truck"])
                           & (pl.col("vehicle_max_fen") == 0))
    business = _per_member(facts, (kind == "business") & (pl.col("business_capital_fen") == 0))
    houses = _per_member(facts, (kind == "property") & pl.col("flag").fill_null(False) & (pl.col("urban_houses") == 0))
    counted = roster.members.filter(pl.col("co_resident") & pl.col("excluded").is_null()).select(
        "hh_key", "member_no")
    deaths = _per_member(facts.join(counted, on=["hh_key", "member_no"]), kind == "death")
    return pl.concat([
        _conflict(vehicles, "undeclared_vehicle", "conflict.vehicle", pl.concat_str(
            pl.lit("公安局机动车登记：该成员名下登记有"), pl.col("label").replace(VEHICLE_KINDS), pl.lit("（"), _date(),
            pl.lit("），家庭申报无小汽车或货车，疑似隐瞒财产"))),
        _conflict(business, "undeclared_business", "conflict.business", pl.concat_str(
            pl.lit("市场监管局：该成员登记有市场主体（"), _date(), pl.lit("），家庭申报无经营主体注册资本，疑似隐瞒"))),
        _conflict(houses, "undeclared_property", "conflict.property", pl.concat_str(
            pl.lit("住建局不动产登记：该成员名下有城镇住房（"), _date(), pl.lit("），家庭申报无城镇住房，疑似隐瞒"))),
        _conflict(deaths, "member_death", "conflict.death", pl.concat_str(
            pl.lit("公安局死亡注销：该成员已于"), _date(), pl.lit("死亡，家庭仍申报为共同生活成员，疑似未报减员"))),
        _wage_conflicts(roster, facts, since=since),
    ])


def _wage_conflicts(roster: Roster, facts: pl.DataFrame, *, since: dt.date) -> pl.DataFrame:
    """The latest 人社 fact of the period is an employment, while the member is declared unemployed or without work."""
    hrss = (facts.filter(pl.col("kind").is_in(["employment", "unemployment"]) & (pl.col("occurred_on") > since))
            .sort("occurred_on", "record_id").group_by("hh_key", "member_no").agg(pl.col("kind").last()))
    employed = hrss.filter(pl.col("kind") == "employment").select("hh_key", "member_no")
    idle = roster.members.filter(pl.col("employment").is_in(["unemployed", "none"])).select(
        "hh_key", "member_no", "employment")
    candidates = facts.join(employed.join(idle, on=["hh_key", "member_no"]), on=["hh_key", "member_no"])
    found = _per_member(candidates, (pl.col("kind") == "employment") & (pl.col("occurred_on") > since))
    found = found.join(idle, on=["hh_key", "member_no"], how="left")
    wages = _yuan(pl.col("amount_fen").fill_null(0))
    return _conflict(found, "wages_while_unemployed", "conflict.wages", pl.concat_str(
        pl.lit("人社局就业登记：该成员"), _date(), pl.lit("起就业（月工资 "), wages, pl.lit(" 元），家庭申报为“"),
        pl.col("employment").replace(EMPLOYMENT), pl.lit("”，疑似虚报")))


def income_survey_findings(results: pl.DataFrame, facts: pl.DataFrame, *, since: dt.date,
                           tolerance: tuple[int, int]) -> pl.DataFrame:
    """农业农村 收入核查: the latest survey of the period puts the family's yearly income above the income
    the rules counted (monthly per-person income × 12 × counted members) by more than `tolerance`
    (a ratio num/den, for the two departments' different ways of counting): possible 虚报 (income not
    declared). A survey at or below it changes nothing: the declaration was verified at home."""
    surveys = facts.filter((pl.col("kind") == "income_survey") & (pl.col("occurred_on") > since)
                           & pl.col("amount_fen").is_not_null())
    if surveys.height == 0:
        return _finish(pl.DataFrame(schema=FINDING_SCHEMA))
    latest = (surveys.sort("occurred_on", "record_id").group_by("hh_key")
              .agg(pl.col("record_id").last().alias("fact_id"), pl.col("member_pk").last(),
                   pl.col("occurred_on").last(), pl.col("amount_fen").last()))
    counted = results.filter(pl.col("status") == "ok").select(
        "hh_key", counted_fen=pl.col("per_capita_income_monthly_fen").cast(pl.Int64) * 12 * pl.col("counted_members"))
    num, den = tolerance
    found = latest.join(counted, on="hh_key").filter(pl.col("amount_fen") * den > pl.col("counted_fen") * (den + num))
    return _conflict(found.with_columns(fact_ids=pl.concat_list("fact_id")), "undeclared_income", "conflict.income_survey",
                     pl.concat_str(pl.lit("农业农村部门收入核查（"), _date(), pl.lit("）：家庭年纯收入 "), _yuan(pl.col("amount_fen")),
                                   pl.lit(" 元，高于认定的家庭年收入约 "), _yuan(pl.col("counted_fen")), pl.lit(" 元，疑似少报收入")))


def new_findings(found: pl.DataFrame, known: pl.DataFrame) -> pl.DataFrame:
    """Findings not already found by the previous run (`known`: hh_key, kind, code, without duplicates)."""
    return found.join(_in_range_of(known, found), on=FINDING_KEY, how="anti", maintain_order="left")


def finding_keys(found: pl.DataFrame) -> pl.DataFrame:
    """hh_key → ["kind:code", …] (what ScreeningResult.findings keeps)."""
    return found.group_by("hh_key").agg(pl.concat_str("kind", pl.lit(":"), "code").sort().alias("findings"))
