"""assess_frame: every rule over a whole roster, as one lazy polars plan.

Parameters are resolved once per distinct region and joined as columns; the rules (`rules/*.py`)
are expressions applied in stages, because some need aggregates of earlier ones (特困 needs the
household's income test; 低保 needs the number of 特困 members). The same plan serves one household
(`assess`) and a province (screening); Spark applies this very function to each partition.

A household with no counted member is not assessed: its `status` is "error" and `error` says why,
in Chinese; `assess()` raises AssessmentError for it.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from safetynet.policy.params import (
    COUNT_UNITS,
    MONEY_UNITS,
    ParameterFileInvalid,
    ParameterSet,
    Value,
    default_parameters,
)
from safetynet.policy.roster import Roster
from safetynet.policy.rules import amounts as A
from safetynet.policy.rules import categories as C
from safetynet.policy.rules import household as H
from safetynet.policy.rules import members as M
from safetynet.policy.rules import required_parameters, round_half_up
from safetynet.policy.rules import risks as R
from safetynet.policy.rules import tekun as T

NO_COUNTED_MEMBERS = "本户没有计入共同生活家庭成员的人员（全部成员均不共同生活或不计入），无法认定，请核对成员信息"
HOUSEHOLD_VERDICTS = (
    "counted_members", "income_annual_fen", "per_capita_income_monthly_fen", "standard_annual_fen",
    "standard_monthly_fen", "income_cap_fen", "edge_line_annual_fen", "rigid_spending_fen",
    "income_below_standard", "property_strict_ok", "property_wide_ok", "no_means_of_living", "below_edge_line",
    "below_income_cap", "rigid_spending_large", "tekun_members_count", "tekun_household", "dibao", "dibao_edge",
    "rigid_expense", "monitoring_tag", "other_hardship", *(f"risk_{r}" for r in R.RISK_ORDER),
    "dibao_monthly", "tekun_monthly", "household_medical_ratio", "classified_count", "care_total_fen",
)
MEMBER_COLUMNS = (
    "hh_key", "member_no", "id_number", "name", "relation", "age", "counted", "count_reason", "income_fen",
    "qualifying_disability", "severe_disability", "able_to_work", "no_labor_capacity", "supporter_capable",
    "obligor_capable_any", "no_capable_supporter", "tekun", "care_fen", "classified", "medical_ratio",
    "living_subsidy_fen", "care_subsidy_fen", "disability_kind", "disability_grade", "self_care_failed",
    "schooling", "employment", "medical_insured",
)
RAW_HOUSEHOLD = ("deposits_fen", "vehicle_max_fen", "urban_houses", "business_capital_fen", "rigid_medical_fen",
                 "rigid_education_fen", "rigid_disability_fen", "housing_grade", "water_safe")


@dataclass
class Assessed:
    """The assessed roster: one row per household and per member, with every rule's verdict."""

    households: pl.DataFrame
    members: pl.DataFrame
    parameters: dict[str, dict[str, Value]]  # region -> parameter name -> the value used (provenance)
    on: dt.date
    version: str
    parameter_set: ParameterSet | None = field(default=None, repr=False)  # for units and descriptions
    _members_by_key: dict[int, pl.DataFrame] = field(default_factory=dict, repr=False)

    def explain(self, row: int) -> dict[str, Any]:
        """The JSON-ready assessment of household `row` (see assess.py for the shape)."""
        from safetynet.policy.explain import explain_household

        return explain_household(self, row)

    def members_of(self, hh_key: int) -> pl.DataFrame:
        return self.members.filter(pl.col("hh_key") == hh_key)


# --- parameters as columns ----------------------------------------------------------------------


def _exact_ratio(value: Decimal) -> tuple[int, int]:
    """1.3 → (13, 10); 0.75 → (75, 100): the decimal's own digits, never a float."""
    exponent = value.as_tuple().exponent
    den = 10 ** max(0, -int(exponent))
    return int(value * den), den


def _columns(value: Value, unit: str) -> dict[str, int]:
    assert value.value is not None
    if unit in MONEY_UNITS:
        return {f"p:{value.name}": int(value.value * 100)}
    if unit in COUNT_UNITS:
        return {f"p:{value.name}": int(value.value)}
    num, den = _exact_ratio(value.value)
    return {f"p:{value.name}:num": num, f"p:{value.name}:den": den}


def parameter_table(params: ParameterSet, regions: list[str], on: dt.date) -> tuple[pl.DataFrame, dict]:
    """One row per region with every parameter the rules read, and the Values used (provenance)."""
    names = required_parameters()
    used = {region: {name: params.resolve(name, region, on) for name in names} for region in regions}
    units = {name: params.describe(name)[1] for name in names}
    columns = {k: pl.Int64 for name in names for k in _columns(Value(name, Decimal(1), on, "", "K", "-"), units[name])}
    rows = [{"region": region, **{k: v for name, value in values.items() for k, v in _columns(value, units[name]).items()}}
            for region, values in used.items()]
    return pl.DataFrame(rows, schema={"region": pl.Utf8, **columns}, orient="row"), used


def check_parameters(params: ParameterSet) -> None:
    """Every parameter a rule reads must exist in the files (a renamed parameter fails at start-up)."""
    missing = sorted(set(required_parameters()) - set(params.names()))
    if missing:
        raise ParameterFileInvalid([f"规则需要的参数 {name} 不在参数文件中" for name in missing])


# --- the stages ---------------------------------------------------------------------------------
# Each stage is a short lazy plan collected at once: one big plan would be re-optimised with its shared
# subtrees for every call, which costs more than the rules themselves for a household of one. The
# expressions are built once per date and reused (building them is pure Python work).

MEMBER_PARAMETERS = (  # parameters the member-level rules read (joined onto members, not all of them)
    "tekun.age_minor", "tekun.age_elderly", "tekun.supporter_adult_age", "tekun.obligor_elderly_age",
    "tekun.care.full", "tekun.care.partial", "tekun.care.none", "dibao.classified_age_elderly",
    "dibao.classified_age_minor", "risk.school_age_min", "risk.school_age_max", "disability.living_subsidy",
    "disability.care_subsidy.grade1", "disability.care_subsidy.grade2", "medical.ratio.tekun",
)
CAPABLE = tuple(f"capable_{r}" for r in T.RELATIONS_WITH_SUPPORTERS)


def _apply(frame: pl.DataFrame | pl.LazyFrame, steps: tuple[list[pl.Expr], ...]) -> pl.LazyFrame:
    lazy = frame.lazy()
    for step in steps:
        lazy = lazy.with_columns(step)
    return lazy


@functools.lru_cache(maxsize=64)
def _member_fact_steps(on: dt.date) -> tuple[list[pl.Expr], ...]:
    return ([M.age(on), M.counted(), M.count_reason(), M.member_income(), M.qualifying_disability(),
             M.severe_disability()],
            [M.able_to_work(), M.no_labor_capacity(), T.member_supporter_capable()])


@functools.cache
def _member_aggregates() -> list[pl.Expr]:
    return [pl.col("counted").sum().cast(pl.Int32).alias("counted_members"), H.household_income(),
            R.any_able_to_work(), R.unemployment(), R.dropout(), R.uninsured(), *T.capable_by_relation()]


@functools.cache
def _household_steps() -> tuple[list[pl.Expr], ...]:
    return ([pl.col("counted_members").fill_null(0), pl.col("income_annual_fen").fill_null(0),
             pl.col("any_able_to_work", "risk_unemployment", "risk_dropout", "risk_uninsured", *CAPABLE).fill_null(
                 False)],
            [H.per_capita_monthly(), H.income_below_standard(), H.property_strict_ok(), H.property_wide_ok(),
             H.below_edge_line(), H.edge_line_annual(), C.below_income_cap(), C.rigid_spending(), R.housing(),
             R.water(), R.no_labor(), round_half_up(pl.col("standard_annual_fen"), pl.lit(12)).alias(
                 "standard_monthly_fen")],
            [T.no_means_of_living(), C.rigid_spending_large(), R.illness()])


@functools.cache
def _member_verdict_steps() -> tuple[list[pl.Expr], ...]:
    return ([pl.col("obligor_capable_any").fill_null(False)], [T.no_capable_supporter()], [T.tekun()],
            [T.care(), A.classified()])


@functools.cache
def _category_steps() -> tuple[list[pl.Expr], ...]:
    return ([pl.col("tekun_members_count", "classified_count").fill_null(0), pl.col("care_total_fen").fill_null(0)],
            [C.tekun_household(), C.dibao()], [C.dibao_edge()], [C.rigid_expense()],
            [C.monitoring_tag(), C.other_hardship(), R.monitoring_candidate()],
            [C.categories(), C.tags(), R.risks(), A.dibao_monthly(), A.tekun_monthly(), A.household_medical_ratio(),
             _status(), _error()])


def _status() -> pl.Expr:
    return pl.when(pl.col("counted_members") > 0).then(pl.lit("ok")).otherwise(pl.lit("error")).alias("status")


def _error() -> pl.Expr:
    return pl.when(pl.col("counted_members") > 0).then(pl.lit(None, pl.Utf8)).otherwise(
        pl.lit(NO_COUNTED_MEMBERS)).alias("error")


def _join(left: pl.LazyFrame, right: pl.DataFrame | pl.LazyFrame, on: str | list[str]) -> pl.LazyFrame:
    return left.join(right.lazy(), on=on, how="left", maintain_order="left")


def _households_with_parameters(roster: Roster, table: pl.DataFrame) -> pl.DataFrame:
    """Stage 1: each household with its region's parameters, its standard S12 and its income cap."""
    return _join(roster.households.lazy(), table, "region").with_columns(
        H.standard_annual(), H.income_cap()).collect()


def _member_facts(roster: Roster, households: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """Stage 2: age, counted, income, disability classes, labour, capability as a supporter."""
    columns = [c for c in households.columns if c.split(":")[0] == "p" and c.split(":")[1] in MEMBER_PARAMETERS]
    keys = households.select("hh_key", "residence", "income_cap_fen", *columns)
    return _apply(_join(roster.members.lazy(), keys, "hh_key"), _member_fact_steps(on)).collect()


def _household_tests(households: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """Stage 3: n, I and the household tests (income, property, edge line, rigid spending, risks)."""
    aggregates = members.lazy().group_by("hh_key").agg(_member_aggregates())
    return _apply(_join(households.lazy(), aggregates, "hh_key"), _household_steps()).collect()


def _obligors(roster: Roster, households: pl.DataFrame) -> pl.LazyFrame:
    keys = households.select("hh_key", "income_cap_fen", "p:tekun.age_elderly", "p:tekun.obligor_elderly_age")
    return (roster.obligor_supports.lazy().join(keys.lazy(), on="hh_key", how="inner")
            .with_columns(T.obligor_capable())
            .group_by("hh_key", "member_no").agg(pl.col("obligor_capable").any().alias("obligor_capable_any")))


def _member_verdicts(roster: Roster, members: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """Stage 4: supporters and 特困 per person, the care amount, 分类施保."""
    joined = _join(members.lazy(), households.select("hh_key", "no_means_of_living", *CAPABLE), "hh_key")
    joined = _join(joined, _obligors(roster, households), ["hh_key", "member_no"])
    return _apply(joined, _member_verdict_steps()).collect()


def _categories(households: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """Stage 5: categories, tags, risks, monitoring candidate, amounts, the household's medical ratio."""
    tekun = members.lazy().group_by("hh_key").agg(
        pl.col("tekun").sum().cast(pl.Int32).alias("tekun_members_count"),
        pl.col("care_fen").sum().alias("care_total_fen"),
        pl.col("classified").sum().cast(pl.Int32).alias("classified_count"))
    return _apply(_join(households.lazy(), tekun, "hh_key"), _category_steps()).collect()


def _member_benefits(members: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """Stage 6: each member's medical ratio and disability subsidies."""
    keys = households.select("hh_key", "dibao", "dibao_edge", "household_medical_ratio")
    return (_join(members.lazy(), keys, "hh_key")
            .with_columns(A.medical_ratio(), A.living_subsidy(), A.care_subsidy())
            .select(*MEMBER_COLUMNS).collect())


def assess_frame(roster: Roster, on: dt.date, params: ParameterSet | None = None) -> Assessed:
    """Assess every household of `roster` on date `on` (parameters in force that day)."""
    params = params or default_parameters()
    regions = roster.households.get_column("region").unique(maintain_order=True).to_list()
    table, used = parameter_table(params, regions, on)
    households = _households_with_parameters(roster, table)
    members = _member_facts(roster, households, on)
    households = _household_tests(households, members)
    members = _member_verdicts(roster, members, households)
    households = _categories(households, members)
    members = _member_benefits(members, households)
    households = households.select("hh_key", "region", "residence", "monitoring_object", "monitoring_kind", "status",
                                   "error", "categories", "tags", "monitoring_candidate", "risks", *HOUSEHOLD_VERDICTS,
                                   *RAW_HOUSEHOLD)
    return Assessed(households, members, used, on, params.version(), params)
