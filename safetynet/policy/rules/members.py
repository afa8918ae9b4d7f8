"""Member-level facts: age, who is counted in the household, labour capacity, disability classes."""

from __future__ import annotations

import datetime as dt
import functools

import polars as pl

from safetynet.policy.rules import DIBAO_2021, TEKUN_2021, UNVERIFIED, param, rule

ADULT_STUDY = ("senior", "vocational", "college")  # 高中、中职/高职、大学：成年在校子女仍计入
# 特困 无劳动能力: intellectual/mental grade 1–3, physical/multiple 1–2, visual 1 (TK-2021).
TEKUN_DISABILITY_MAX_GRADE = {"intellectual": 3, "mental": 3, "physical": 2, "multiple": 2, "visual": 1}


GREGORIAN_CYCLE = 146097  # days in 400 years: the calendar repeats, shifted by 400 years


@functools.cache
def _cycle_yyyymmdd() -> pl.Series:
    """yyyymmdd of each day of one 400-year cycle, from 1970-01-01 (day 0 of a polars Date)."""
    days = pl.date_range(dt.date(1970, 1, 1), dt.date(2369, 12, 31), eager=True)
    return (days.dt.year().cast(pl.Int64) * 10000 + days.dt.month().cast(pl.Int64) * 100
            + days.dt.day().cast(pl.Int64))


def age(on: dt.date) -> pl.Expr:
    """Age in full years on `on` (birth date from the ID number): whole-number yyyymmdd arithmetic.

    The birth date's yyyymmdd is read from a table of one 400-year cycle (the day within the cycle,
    plus 400 years per whole cycle): exact for every date, and several times cheaper than taking
    year, month and day apart for each member.
    """
    days = pl.col("birth_date").cast(pl.Int64)
    cycles = days // GREGORIAN_CYCLE
    yyyymmdd = pl.lit(_cycle_yyyymmdd()).gather(days - cycles * GREGORIAN_CYCLE) + cycles * 4_000_000
    return ((on.year * 10000 + on.month * 100 + on.day - yyyymmdd) // 10000).cast(pl.Int32).alias("age")


def _adult_student() -> pl.Expr:
    return (pl.col("relation") == "child") & pl.col("schooling").is_in(ADULT_STUDY)


@rule("members.counted", title="共同生活家庭成员认定", column="counted", level="member",
      article=f"{DIBAO_2021}（共同生活的家庭成员），{UNVERIFIED}")
def counted() -> pl.Expr:
    """Counted: living together, or a child in senior-secondary, vocational or college study; never
    someone serving a sentence, in compulsory drug rehabilitation, declared missing, or a cleric apart."""
    return ((pl.col("co_resident") | _adult_student()) & pl.col("excluded").is_null()).alias("counted")


def count_reason() -> pl.Expr:
    """Why a member is or is not counted: co_resident, student, apart, or excluded:<reason>."""
    return (
        pl.when(pl.col("excluded").is_not_null()).then(pl.lit("excluded:") + pl.col("excluded"))
        .when(pl.col("co_resident")).then(pl.lit("co_resident"))
        .when(_adult_student()).then(pl.lit("student"))
        .otherwise(pl.lit("apart"))
        .alias("count_reason")
    )


def member_income() -> pl.Expr:
    """The four counted income kinds of the last 12 months (excluded items are never in them)."""
    return (pl.col("wages_fen") + pl.col("business_fen") + pl.col("property_fen")
            + pl.col("transfer_fen")).alias("income_fen")


def qualifying_disability() -> pl.Expr:
    """A disability that by itself means no labour capacity (特困人员认定办法)."""
    kind, grade = pl.col("disability_kind"), pl.col("disability_grade")
    return pl.any_horizontal(
        [(kind == k) & (grade <= g) for k, g in TEKUN_DISABILITY_MAX_GRADE.items()]
    ).fill_null(False).alias("qualifying_disability")


def severe_disability() -> pl.Expr:
    """重度残疾: grade 1–2 of any kind, or intellectual/mental grade 3."""
    kind, grade = pl.col("disability_kind"), pl.col("disability_grade")
    return ((grade <= 2) | (kind.is_in(["intellectual", "mental"]) & (grade == 3))).fill_null(False).alias(
        "severe_disability")


def working_age() -> pl.Expr:
    return (pl.col("age") >= param("tekun.age_minor")) & (pl.col("age") < param("tekun.age_elderly"))


@rule("members.able_to_work", title="劳动年龄内有劳动能力", column="able_to_work", level="member",
      article=f"{TEKUN_2021}（无劳动能力的情形），{UNVERIFIED}",
      parameters=("tekun.age_minor", "tekun.age_elderly"))
def able_to_work() -> pl.Expr:
    """Aged between the 特困 minor and elderly ages, no qualifying disability, labour not certified none."""
    return (working_age() & ~pl.col("qualifying_disability") & (pl.col("labor") != "none")).alias("able_to_work")


@rule("tekun.no_labor_capacity", title="无劳动能力", column="no_labor_capacity", level="member",
      article=f"{TEKUN_2021}（无劳动能力），{UNVERIFIED}", parameters=("tekun.age_elderly", "tekun.age_minor"))
def no_labor_capacity() -> pl.Expr:
    """特困 condition 1: aged 60 or over, under 16, or a qualifying disability."""
    return ((pl.col("age") >= param("tekun.age_elderly")) | (pl.col("age") < param("tekun.age_minor"))
            | pl.col("qualifying_disability")).alias("no_labor_capacity")
