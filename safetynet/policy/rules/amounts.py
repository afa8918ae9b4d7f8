"""Amounts (monthly, yuan, half-up) and per-member benefits: 低保, 特困, medical ratio, disability subsidies.

Every amount is a sum of exact fractions of integer fen, rounded once, half-up, to the yuan with
integer arithmetic; a Decimal ratio k = num / den is kept as its two integers.
"""

from __future__ import annotations

import polars as pl

from safetynet.policy.rules import (
    DIBAO_2021,
    DISABILITY_2015,
    MEDICAL_2021,
    MEDICAL_FP_2021,
    PLAN_2025,
    TEKUN_2016,
    UNVERIFIED,
    param,
    ratio,
    round_half_up,
    rule,
)

MEDICAL_FLAGS = {  # household flag column -> the ratio parameter it brings (就高不就低 across them)
    "dibao": "medical.ratio.dibao", "dibao_edge": "medical.ratio.dibao_edge",
    "rigid_expense": "medical.ratio.rigid_expense", "other_hardship": "medical.ratio.other_hardship",
    "monitoring_object": "medical.ratio.monitoring_object",
}


@rule("dibao.classified", title="分类施保对象（高龄、未成年、重度残疾、重病）", column="classified",
      level="member", article=f"{DIBAO_2021}；社会救助“分类施保”原则（吉林省细则未取得）",
      parameters=("dibao.classified_age_elderly", "dibao.classified_age_minor"))
def classified() -> pl.Expr:
    """A counted, non-特困 member aged ≥ 70, under 16, severely disabled or seriously ill."""
    a = pl.col("age")
    who = ((a >= param("dibao.classified_age_elderly")) | (a < param("dibao.classified_age_minor"))
           | pl.col("severe_disability") | (pl.col("illness") == "serious"))
    return (pl.col("counted") & ~pl.col("tekun") & who).alias("classified")


@rule("dibao.amount", title="低保金（补差加分类施保）", column="dibao_monthly",
      article=f"{DIBAO_2021}（按家庭人均收入低于当地低保标准的差额发放），{UNVERIFIED}",
      parameters=("dibao.classified_increment",))
def dibao_monthly() -> pl.Expr:
    """(S − pc) × (n − t) + c × S per classified member, in yuan. With S = S12/12 and pc = I/(12n)
    the sum is [(n·S12 − I)(n − t)·den + num·S12·k·n] / (12·n·den) fen."""
    num, den = ratio("dibao.classified_increment")
    n, t, k = (pl.col(c).cast(pl.Int64) for c in ("counted_members", "tekun_members_count", "classified_count"))
    s12, income = pl.col("standard_annual_fen"), pl.col("income_annual_fen")
    fen_numerator = (n * s12 - income) * (n - t) * den + num * s12 * k * n
    amount = round_half_up(fen_numerator, 12 * n * den * 100)
    return pl.when(pl.col("dibao")).then(amount).otherwise(0).alias("dibao_monthly")


@rule("tekun.amount", title="特困人员救助供养金（基本生活加照料护理）", column="tekun_monthly",
      article=f"{TEKUN_2016}（基本生活标准和照料护理标准），{UNVERIFIED}",
      parameters=("tekun.basic_multiplier", "tekun.care.full", "tekun.care.partial", "tekun.care.none"))
def tekun_monthly() -> pl.Expr:
    """Per 特困 person k × S plus the care amount: [num·S12·t + 12·den·care] / (12·den) fen, in yuan."""
    num, den = ratio("tekun.basic_multiplier")
    t = pl.col("tekun_members_count").cast(pl.Int64)
    fen_numerator = num * pl.col("standard_annual_fen") * t + 12 * den * pl.col("care_total_fen")
    return (pl.when(t > 0).then(round_half_up(fen_numerator, 12 * den * 100)).otherwise(0)
            .alias("tekun_monthly"))


def _ratio_value(name: str) -> pl.Expr:
    num, den = ratio(name)
    return num.cast(pl.Float64) / den.cast(pl.Float64)


@rule("medical.household_ratio", title="医疗救助比例（按家庭类别就高）", column="household_medical_ratio",
      article=f"{MEDICAL_2021}；{MEDICAL_FP_2021}；{PLAN_2025} 二(五)“就高不就低”",
      parameters=tuple(MEDICAL_FLAGS.values()))
def household_medical_ratio() -> pl.Expr:
    """The highest ratio among the household's categories and tag; 0 where there is none."""
    return pl.max_horizontal(
        [pl.when(pl.col(flag)).then(_ratio_value(name)).otherwise(0.0) for flag, name in MEDICAL_FLAGS.items()]
    ).alias("household_medical_ratio")


@rule("medical.ratio", title="医疗救助比例（每名成员，就高不就低）", column="medical_ratio", level="member",
      article=f"{MEDICAL_2021}；{PLAN_2025} 二(五)“就高不就低”", parameters=("medical.ratio.tekun",))
def medical_ratio() -> pl.Expr:
    """Per counted member: the household's ratio, or the 特困 ratio if higher for a 特困 member."""
    tekun = pl.when(pl.col("tekun")).then(_ratio_value("medical.ratio.tekun")).otherwise(0.0)
    return (pl.when(pl.col("counted")).then(pl.max_horizontal(tekun, pl.col("household_medical_ratio")))
            .alias("medical_ratio"))


@rule("disability.living_subsidy", title="困难残疾人生活补贴", column="living_subsidy_fen", level="member",
      article=f"{DISABILITY_2015}（低保家庭中的残疾人；本县并轨口径含低保边缘家庭），{UNVERIFIED}",
      parameters=("disability.living_subsidy",))
def living_subsidy() -> pl.Expr:
    """A counted member with a disability certificate in a 低保 or 低保边缘 household."""
    eligible = pl.col("counted") & pl.col("disability_grade").is_not_null() & (pl.col("dibao") | pl.col("dibao_edge"))
    return pl.when(eligible).then(param("disability.living_subsidy")).otherwise(0).alias("living_subsidy_fen")


@rule("disability.care_subsidy", title="重度残疾人护理补贴", column="care_subsidy_fen", level="member",
      article=f"{DISABILITY_2015}（一级、二级残疾且需长期照护），{UNVERIFIED}",
      parameters=("disability.care_subsidy.grade1", "disability.care_subsidy.grade2"))
def care_subsidy() -> pl.Expr:
    """A counted member with a grade 1 or 2 disability, whatever the household's income."""
    grade = pl.col("disability_grade")
    amount = (pl.when(grade == 1).then(param("disability.care_subsidy.grade1"))
              .when(grade == 2).then(param("disability.care_subsidy.grade2")).otherwise(0))
    return pl.when(pl.col("counted")).then(amount).otherwise(0).fill_null(0).alias("care_subsidy_fen")
