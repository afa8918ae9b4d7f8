"""特困人员 (per person): no labour capacity, no means of living, no capable legal supporter.

Supporters (法定赡养、抚养、扶养义务人) are found by relation to the head of household, as pairs that
support each other, and from the `obligors` entries (one roster row per obligor × supported member).
"""

from __future__ import annotations

import polars as pl

from safetynet.policy.rules import TEKUN_2016, TEKUN_2021, UNVERIFIED, param, rule

# Relation pairs with a legal duty of support, both ways (DOMAIN.md §2): self↔spouse, self↔child,
# spouse↔child, self↔parent, child↔grandchild. Each relation's supporters are the relations below.
SUPPORTER_RELATIONS = {
    "self": ("spouse", "child", "parent"),
    "spouse": ("self", "child"),
    "child": ("self", "spouse", "grandchild"),
    "parent": ("self",),
    "grandchild": ("child",),
}
RELATIONS_WITH_SUPPORTERS = ("self", "spouse", "child", "parent", "grandchild")
ABSENT = ("prison", "drug_rehab", "missing")  # 服刑、强制隔离戒毒、宣告失踪
INCAPABLE_STATUS = (*ABSENT, "no_capacity", "tekun")


def _poor_and_old_or_disabled(age: pl.Expr, income: pl.Expr, severe: pl.Expr) -> pl.Expr:
    """Aged ≥ the obligor age (70) or severely disabled, with income below last year's local
    per-capita disposable income: unable to support (TK-2021)."""
    poor = income < pl.col("income_cap_fen")
    return (((age >= param("tekun.obligor_elderly_age")) | severe) & poor).fill_null(False)


@rule("tekun.supporter_capable", title="共同生活或登记在户的义务人有履行能力", column="supporter_capable",
      level="member", article=f"{TEKUN_2021}（法定义务人无履行义务能力的情形），{UNVERIFIED}",
      parameters=("tekun.supporter_adult_age", "tekun.age_elderly", "tekun.obligor_elderly_age",
                  "rigid.income_cap.rural", "rigid.income_cap.urban"))
def member_supporter_capable() -> pl.Expr:
    """A member as a supporter. Counted: capable when aged 18–59, without qualifying disability and
    with labour not none. Not counted: capable unless absent (prison, rehab, missing) or old/severely
    disabled and poor."""
    a = pl.col("age")
    counted_capable = ((a >= param("tekun.supporter_adult_age")) & (a < param("tekun.age_elderly"))
                       & ~pl.col("qualifying_disability") & (pl.col("labor") != "none"))
    absent = pl.col("excluded").is_in(ABSENT).fill_null(False)
    elsewhere_capable = ~absent & ~_poor_and_old_or_disabled(a, pl.col("income_fen"), pl.col("severe_disability"))
    return pl.when(pl.col("counted")).then(counted_capable).otherwise(elsewhere_capable).alias("supporter_capable")


@rule("tekun.obligor_capable", title="在外义务人有履行能力", column="obligor_capable", level="obligor",
      article=f"{TEKUN_2021}（法定义务人无履行义务能力的情形），{UNVERIFIED}",
      parameters=("tekun.age_elderly", "tekun.obligor_elderly_age", "rigid.income_cap.rural",
                  "rigid.income_cap.urban"))
def obligor_capable() -> pl.Expr:
    """An obligor living elsewhere is unable when in prison, rehab, missing, without capacity or 特困;
    a 低保 recipient aged 60 or over; or old/severely disabled and poor. Otherwise able."""
    status, a = pl.col("status"), pl.col("age")
    dibao_elderly = ((status == "dibao") & (a >= param("tekun.age_elderly"))).fill_null(False)
    grade, kind = pl.col("disability_grade"), pl.col("disability_kind")
    severe = ((grade <= 2) | (kind.is_in(["intellectual", "mental"]) & (grade == 3))).fill_null(False)
    unable = status.is_in(INCAPABLE_STATUS) | dibao_elderly | _poor_and_old_or_disabled(
        a, pl.col("annual_income_fen"), severe)
    return (~unable).alias("obligor_capable")


def capable_by_relation() -> list[pl.Expr]:
    """Per relation: is this member a capable supporter of that relation (the engine takes any member of
    the household, giving "is there a capable supporter among the members of each relation")."""
    return [(pl.col("supporter_capable") & (pl.col("relation") == r)).alias(f"capable_{r}")
            for r in RELATIONS_WITH_SUPPORTERS]


@rule("tekun.no_capable_supporter", title="无法定义务人或义务人无履行能力", column="no_capable_supporter",
      level="member", article=f"{TEKUN_2021}（无法定赡养、抚养、扶养义务人或其无履行义务能力），{UNVERIFIED}")
def no_capable_supporter() -> pl.Expr:
    """No member in a supporting relation is capable, and no obligor naming this member is capable."""
    relation = pl.col("relation")
    by_members = pl.lit(False)
    for member_relation, supporters in SUPPORTER_RELATIONS.items():
        any_capable = pl.any_horizontal([pl.col(f"capable_{r}") for r in supporters])
        by_members = pl.when(relation == member_relation).then(any_capable).otherwise(by_members)
    return ~(by_members | pl.col("obligor_capable_any")).alias("no_capable_supporter")


@rule("tekun.person", title="特困人员认定", column="tekun", level="member",
      article=f"{TEKUN_2021}（特困人员认定条件），{UNVERIFIED}")
def tekun() -> pl.Expr:
    """A counted member with no labour capacity, no means of living and no capable supporter."""
    return (pl.col("counted") & pl.col("no_labor_capacity") & pl.col("no_means_of_living")
            & pl.col("no_capable_supporter")).alias("tekun")


@rule("tekun.no_means_of_living", title="无生活来源", column="no_means_of_living",
      article=f"{TEKUN_2021}（收入低于当地低保标准且财产符合特困人员财产状况规定），{UNVERIFIED}")
def no_means_of_living() -> pl.Expr:
    """特困 condition 2, the same for every member of the household: pc < S and strict property passes."""
    return (pl.col("income_below_standard") & pl.col("property_strict_ok")).alias("no_means_of_living")


@rule("tekun.care", title="照料护理标准（按生活自理能力）", column="care_fen", level="member",
      article=f"{TEKUN_2016}；{TEKUN_2021}（生活自理能力评估六项指标），{UNVERIFIED}",
      parameters=("tekun.care.full", "tekun.care.partial", "tekun.care.none"))
def care() -> pl.Expr:
    """Care amount of a 特困 person by the six daily activities failed: 0 full, 1–3 partial, 4–6 none."""
    failed = pl.col("self_care_failed")
    amount = (pl.when(failed == 0).then(param("tekun.care.full"))
              .when(failed <= 3).then(param("tekun.care.partial"))
              .otherwise(param("tekun.care.none")))
    return pl.when(pl.col("tekun")).then(amount).otherwise(0).alias("care_fen")
