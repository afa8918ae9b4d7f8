"""Household categories: 低保, 低保边缘, 刚性支出困难, the 防返贫 tag and 其他困难人员."""

from __future__ import annotations

import polars as pl

from safetynet.policy.rules import (
    DIBAO_2021,
    EDGE_2024,
    LOW_INCOME_2023,
    PLAN_2025,
    UNVERIFIED,
    codes,
    ratio,
    rule,
)

CATEGORY_ORDER = ("tekun", "dibao", "dibao_edge", "rigid_expense", "other_hardship")  # DOMAIN.md §1 order


def _tekun_count() -> pl.Expr:
    return pl.col("tekun_members_count")


@rule("tekun.household", title="本户有特困人员", column="tekun_household",
      article="见“特困人员认定”")
def tekun_household() -> pl.Expr:
    """The household carries the 特困 category when at least one counted member is 特困."""
    return (_tekun_count() > 0).alias("tekun_household")


@rule("dibao.household", title="最低生活保障对象认定", column="dibao",
      article=f"{DIBAO_2021}（低保对象的认定条件），{UNVERIFIED}")
def dibao() -> pl.Expr:
    """pc < S, strict property passes, and at least one counted member is not 特困 (特困 persons are
    supported as 特困, the rest of the household as 低保)."""
    return (pl.col("income_below_standard") & pl.col("property_strict_ok")
            & (pl.col("counted_members") > _tekun_count())).alias("dibao")


@rule("dibao_edge.household", title="低保边缘家庭认定", column="dibao_edge",
      article=f"{LOW_INCOME_2023}；{EDGE_2024}，{UNVERIFIED}")
def dibao_edge() -> pl.Expr:
    """Not 低保, no member 特困, income below the edge line (就高), wide property test passes."""
    return (~pl.col("dibao") & (_tekun_count() == 0) & pl.col("below_edge_line")
            & pl.col("property_wide_ok")).alias("dibao_edge")


@rule("rigid.income_below_cap", title="家庭人均收入低于上年度当地居民人均可支配收入", column="below_income_cap",
      article=f"{LOW_INCOME_2023}（刚性支出困难家庭），{UNVERIFIED}",
      parameters=("rigid.income_cap.rural", "rigid.income_cap.urban"))
def below_income_cap() -> pl.Expr:
    """pc × 12 < last year's per-capita disposable income for the residence  ⇔  I < n · cap."""
    n = pl.col("counted_members").cast(pl.Int64)
    return (pl.col("income_annual_fen") < n * pl.col("income_cap_fen")).alias("below_income_cap")


def rigid_spending() -> pl.Expr:
    """Counted rigid spending of the last 12 months: self-paid medical, education, disability care."""
    return (pl.col("rigid_medical_fen") + pl.col("rigid_education_fen")
            + pl.col("rigid_disability_fen")).alias("rigid_spending_fen")


@rule("rigid.spending_large", title="刚性支出较大", column="rigid_spending_large",
      article=f"{EDGE_2024}（刚性支出较大的认定，条文未取得）", parameters=("rigid.share_of_income",))
def rigid_spending_large() -> pl.Expr:
    """Rigid spending R ≥ share × I  ⇔  den · R ≥ num · I."""
    num, den = ratio("rigid.share_of_income")
    return (den * pl.col("rigid_spending_fen") >= num * pl.col("income_annual_fen")).alias("rigid_spending_large")


@rule("rigid.household", title="刚性支出困难家庭认定", column="rigid_expense",
      article=f"{LOW_INCOME_2023}；{EDGE_2024}，{UNVERIFIED}")
def rigid_expense() -> pl.Expr:
    """None of the above; income below the cap; wide property test passes; rigid spending large."""
    return (~pl.col("dibao") & (_tekun_count() == 0) & ~pl.col("dibao_edge") & pl.col("below_income_cap")
            & pl.col("property_wide_ok") & pl.col("rigid_spending_large")).alias("rigid_expense")


@rule("monitoring.tag", title="防止返贫监测对象标识", column="monitoring_tag",
      article=f"{PLAN_2025} 二(三)")
def monitoring_tag() -> pl.Expr:
    """The tag is set by the rural-affairs system, never by the engine: it is carried as given."""
    return pl.col("monitoring_object").alias("monitoring_tag")


@rule("other_hardship.household", title="其他困难人员认定", column="other_hardship",
      article=f"{PLAN_2025} 二(三)")
def other_hardship() -> pl.Expr:
    """A 防返贫 monitoring object that fits none of the four categories is 其他困难人员."""
    four = pl.col("tekun_household") | pl.col("dibao") | pl.col("dibao_edge") | pl.col("rigid_expense")
    return (pl.col("monitoring_object") & ~four).alias("other_hardship")


def categories() -> pl.Expr:
    """Category codes in DOMAIN §1 order."""
    flags = {"tekun": "tekun_household", "dibao": "dibao", "dibao_edge": "dibao_edge",
             "rigid_expense": "rigid_expense", "other_hardship": "other_hardship"}
    return codes({c: flags[c] for c in CATEGORY_ORDER}).alias("categories")


def tags() -> pl.Expr:
    return codes({"monitoring_object": "monitoring_object"}).alias("tags")

