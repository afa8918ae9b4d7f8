"""Household figures: counted members, income, the 低保 standard and the two property tests.

Money comparisons never divide: "per-capita monthly income below S" is `I < n · S12` where S12 is
the annual standard in fen (12 × the urban monthly standard, or the rural annual one).
"""

from __future__ import annotations

import polars as pl

from safetynet.policy.rules import (
    DIBAO_2021,
    PLAN_2025,
    TEKUN_2021,
    UNVERIFIED,
    param,
    ratio,
    round_half_up,
    rule,
)

STRICT, WIDE = "strict", "wide"


@rule("dibao.standard", title="适用的低保标准", column="standard_annual_fen",
      article=f"{DIBAO_2021}（按城乡分别执行当地低保标准），{UNVERIFIED}",
      parameters=("dibao.standard.rural_annual", "dibao.standard.urban_monthly"))
def standard_annual() -> pl.Expr:
    """S12, the annual standard in fen for the household's residence (S = S12 / 12 a month)."""
    return (pl.when(pl.col("residence") == "rural").then(param("dibao.standard.rural_annual"))
            .otherwise(12 * param("dibao.standard.urban_monthly")).alias("standard_annual_fen"))


def income_cap() -> pl.Expr:
    """Last year's local per-capita disposable income for the residence (刚性支出; 义务人收入比较)."""
    return (pl.when(pl.col("residence") == "rural").then(param("rigid.income_cap.rural"))
            .otherwise(param("rigid.income_cap.urban")).alias("income_cap_fen"))


@rule("income.household", title="家庭收入", column="income_annual_fen",
      article=f"{DIBAO_2021}（家庭收入的计算：工资性、经营净、财产净、转移净收入），{UNVERIFIED}")
def household_income() -> pl.Expr:
    """I: the four income kinds of the counted members, last 12 months (a member's part: the engine
    sums it per household)."""
    return pl.when(pl.col("counted")).then(pl.col("income_fen")).otherwise(0).alias("income_annual_fen")


def per_capita_monthly() -> pl.Expr:
    """pc = I / n / 12, to the fen, half-up (display only: the rules compare I with n · S12)."""
    n = pl.col("counted_members").cast(pl.Int64)
    return (pl.when(n > 0).then(round_half_up(pl.col("income_annual_fen"), 12 * n))
            .alias("per_capita_income_monthly_fen"))


@rule("dibao.income_below_standard", title="家庭人均月收入低于低保标准", column="income_below_standard",
      article=f"{DIBAO_2021}（低保对象的认定条件），{UNVERIFIED}",
      parameters=("dibao.standard.rural_annual", "dibao.standard.urban_monthly"))
def income_below_standard() -> pl.Expr:
    """pc < S  ⇔  I < n · S12."""
    n = pl.col("counted_members").cast(pl.Int64)
    return (pl.col("income_annual_fen") < n * pl.col("standard_annual_fen")).alias("income_below_standard")


def _property_ok(level: str) -> pl.Expr:
    """Deposits per member ≤ months × S (12·D ≤ m·n·S12); no car/truck above the cap; urban houses
    within the limit (rural homesteads exempt); registered business capital within the cap."""
    n = pl.col("counted_members").cast(pl.Int64)
    deposits = 12 * pl.col("deposits_fen") <= param(f"property.{level}.deposit_months") * n * pl.col(
        "standard_annual_fen")
    vehicle = pl.col("vehicle_max_fen") <= param(f"property.{level}.vehicle_value_cap")
    houses = (pl.col("residence") != "urban") | (pl.col("urban_houses") <= param(f"property.{level}.urban_houses_max"))
    business = pl.col("business_capital_fen") <= param(f"property.{level}.business_capital_cap")
    return deposits & vehicle & houses & business


def _property_parameters(level: str) -> tuple[str, ...]:
    return tuple(f"property.{level}.{p}" for p in ("deposit_months", "vehicle_value_cap", "urban_houses_max",
                                                   "business_capital_cap"))


@rule("property.strict", title="家庭财产状况符合规定（低保、特困）", column="property_strict_ok",
      article=f"{DIBAO_2021}（家庭财产的认定）；{TEKUN_2021}（无生活来源），{UNVERIFIED}",
      parameters=_property_parameters(STRICT) + ("dibao.standard.rural_annual", "dibao.standard.urban_monthly"))
def property_strict_ok() -> pl.Expr:
    """The strict property test applies to 低保 and 特困."""
    return _property_ok(STRICT).alias("property_strict_ok")


@rule("property.wide", title="家庭财产状况符合规定（低保边缘、刚性支出，就宽）", column="property_wide_ok",
      article=f"{PLAN_2025} 二(四)“就高、就宽”原则",
      parameters=_property_parameters(WIDE) + ("dibao.standard.rural_annual", "dibao.standard.urban_monthly"))
def property_wide_ok() -> pl.Expr:
    """The wide (就宽) property test applies to 低保边缘 and 刚性支出困难."""
    return _property_ok(WIDE).alias("property_wide_ok")


@rule("dibao_edge.income_below_edge_line", title="家庭人均年收入低于低保边缘收入线", column="below_edge_line",
      article=f"{DIBAO_2021}（低保边缘家庭：低于当地低保标准1.5倍）；{PLAN_2025} 二(四)“就高”原则",
      parameters=("dibao_edge.multiplier", "monitoring.income_line"))
def below_edge_line() -> pl.Expr:
    """pc × 12 < the higher of k × annual standard and, for rural households, the 防返贫 monitoring
    line (就高): below the higher of two lines is below either one, so no maximum is needed."""
    num, den = ratio("dibao_edge.multiplier")
    n = pl.col("counted_members").cast(pl.Int64)
    income = pl.col("income_annual_fen")
    by_standard = den * income < num * n * pl.col("standard_annual_fen")
    by_monitoring_line = (pl.col("residence") == "rural") & (income < n * param("monitoring.income_line"))
    return (by_standard | by_monitoring_line).alias("below_edge_line")


def edge_line_annual() -> pl.Expr:
    """The edge line itself in fen per person and year (for the explanation; the test above is exact)."""
    num, den = ratio("dibao_edge.multiplier")
    by_standard = round_half_up(num * pl.col("standard_annual_fen"), den)
    line = pl.when(pl.col("residence") == "rural").then(param("monitoring.income_line")).otherwise(0)
    return pl.max_horizontal(by_standard, line).alias("edge_line_annual_fen")
