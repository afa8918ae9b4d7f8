"""致贫返贫风险 computed from the document, and the monitoring candidate alert."""

from __future__ import annotations

import polars as pl

from safetynet.policy.rules import (
    HOUSING_2019,
    LOW_INCOME_2023,
    MONITORING_2021,
    TWO_THREE_2019,
    UNVERIFIED,
    WATER_2018,
    codes,
    param,
    ratio,
    rule,
    rural,
)

RISK_ORDER = ("dropout", "housing", "illness", "no_labor", "unemployment", "uninsured", "water")  # sorted


@rule("risk.illness", title="因病风险：医疗自付支出大", column="risk_illness",
      article=f"{LOW_INCOME_2023}（医疗费用自付预警）；{MONITORING_2021}（因病），{UNVERIFIED}",
      parameters=("risk.medical_selfpay", "risk.medical_share_of_income"))
def illness() -> pl.Expr:
    """Self-paid medical spending at or above the warning amount, or above 0 and at least the given
    share (half) of household income."""
    num, den = ratio("risk.medical_share_of_income")
    medical = pl.col("rigid_medical_fen")
    share = (medical > 0) & (den * medical >= num * pl.col("income_annual_fen"))
    return ((medical >= param("risk.medical_selfpay")) | share).alias("risk_illness")


@rule("risk.unemployment", title="务工就业不稳：有劳动能力的成员失业", column="risk_unemployment",
      article=f"{MONITORING_2021}（因务工就业不稳），{UNVERIFIED}", parameters=("tekun.age_minor", "tekun.age_elderly"))
def unemployment() -> pl.Expr:
    """A counted member of working age able to work is unemployed (per member: the engine takes any
    member of the household)."""
    return (pl.col("counted") & pl.col("able_to_work") & (pl.col("employment") == "unemployed")).alias(
        "risk_unemployment")


def any_able_to_work() -> pl.Expr:
    """A counted member able to work (per member: the engine takes any member of the household)."""
    return (pl.col("counted") & pl.col("able_to_work")).alias("any_able_to_work")


@rule("risk.no_labor", title="缺劳动力：无劳动年龄内有劳动能力的成员", column="risk_no_labor",
      article=f"{MONITORING_2021}（缺劳动力），{UNVERIFIED}", parameters=("tekun.age_minor", "tekun.age_elderly"))
def no_labor() -> pl.Expr:
    return (~pl.col("any_able_to_work")).alias("risk_no_labor")


@rule("risk.housing", title="住房安全：鉴定为C级或D级危房", column="risk_housing",
      article=f"{HOUSING_2019}；{TWO_THREE_2019}（住房安全有保障），{UNVERIFIED}")
def housing() -> pl.Expr:
    return pl.col("housing_grade").is_in(["C", "D"]).fill_null(False).alias("risk_housing")


@rule("risk.water", title="饮水安全未达标", column="risk_water",
      article=f"{WATER_2018}；{TWO_THREE_2019}，{UNVERIFIED}")
def water() -> pl.Expr:
    return (~pl.col("water_safe")).alias("risk_water")


@rule("risk.dropout", title="义务教育阶段失学辍学", column="risk_dropout",
      article=f"{TWO_THREE_2019}（义务教育有保障），{UNVERIFIED}",
      parameters=("risk.school_age_min", "risk.school_age_max"))
def dropout() -> pl.Expr:
    """A counted member of compulsory-school age (6–15) not in school (per member: any in the household)."""
    school_age = (pl.col("age") >= param("risk.school_age_min")) & (pl.col("age") <= param("risk.school_age_max"))
    return (pl.col("counted") & school_age & (pl.col("schooling") == "none")).alias("risk_dropout")


@rule("risk.uninsured", title="未参加基本医疗保险", column="risk_uninsured",
      article=f"{TWO_THREE_2019}（基本医疗有保障），{UNVERIFIED}")
def uninsured() -> pl.Expr:
    """A counted member not enrolled in basic medical insurance (per member: any in the household)."""
    return (pl.col("counted") & ~pl.col("medical_insured")).alias("risk_uninsured")


def risks() -> pl.Expr:
    """Risk codes, sorted."""
    return codes({r: f"risk_{r}" for r in RISK_ORDER}).alias("risks")


@rule("monitoring.candidate", title="防止返贫监测预警（待核实）", column="monitoring_candidate",
      article=f"{MONITORING_2021}（监测范围与风险），{UNVERIFIED}", parameters=("monitoring.income_line",))
def monitoring_candidate() -> pl.Expr:
    """A rural household not yet tagged whose income is below the edge line or that has a risk: an
    alert for the village to verify, never a tag given by the engine."""
    any_risk = pl.any_horizontal([pl.col(f"risk_{r}") for r in RISK_ORDER])
    return (rural() & ~pl.col("monitoring_object") & (pl.col("below_edge_line") | any_risk)).alias(
        "monitoring_candidate")
