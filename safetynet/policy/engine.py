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
from safetynet.policy.rules import required_parameters
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


# --- the stages -----------------------------------------------------------------------------------


def _member_facts(members: pl.LazyFrame, on: dt.date) -> pl.LazyFrame:
    return (members
            .with_columns(M.age(on), M.counted(), M.count_reason(), M.member_income(), M.qualifying_disability(),
                          M.severe_disability())
            .with_columns(M.able_to_work(), M.no_labor_capacity(), T.member_supporter_capable()))


def _member_aggregates(members: pl.LazyFrame) -> pl.LazyFrame:
    return members.group_by("hh_key").agg(
        pl.col("counted").sum().cast(pl.Int32).alias("counted_members"), H.household_income(),
        R.any_able_to_work(), R.unemployment(), R.dropout(), R.uninsured(), *T.capable_by_relation(),
    )


def _household_tests(households: pl.LazyFrame) -> pl.LazyFrame:
    return (households
            .with_columns(H.per_capita_monthly(), H.income_below_standard(), H.property_strict_ok(),
                          H.property_wide_ok(), H.below_edge_line(), H.edge_line_annual(), C.below_income_cap(),
                          C.rigid_spending(), R.housing(), R.water(), R.no_labor(),
                          H.round_half_up(pl.col("standard_annual_fen"), pl.lit(12)).alias("standard_monthly_fen"))
            .with_columns(T.no_means_of_living(), C.rigid_spending_large(), R.illness()))


def _obligors(supports: pl.LazyFrame, households: pl.LazyFrame) -> pl.LazyFrame:
    return (supports.join(households, on="hh_key", how="inner")
            .with_columns(T.obligor_capable())
            .group_by("hh_key", "member_no").agg(pl.col("obligor_capable").any().alias("obligor_capable_any")))


def _member_verdicts(members: pl.LazyFrame, households: pl.LazyFrame, obligors: pl.LazyFrame) -> pl.LazyFrame:
    household = households.select("hh_key", "no_means_of_living", *(f"capable_{r}" for r in T.RELATIONS_WITH_SUPPORTERS))
    return (members.join(household, on="hh_key", how="left", maintain_order="left")
            .join(obligors, on=["hh_key", "member_no"], how="left", maintain_order="left")
            .with_columns(pl.col("obligor_capable_any").fill_null(False))
            .with_columns(T.no_capable_supporter())
            .with_columns(T.tekun())
            .with_columns(T.care(), A.classified()))


def _categories(households: pl.LazyFrame, members: pl.LazyFrame) -> pl.LazyFrame:
    tekun = members.group_by("hh_key").agg(
        pl.col("tekun").sum().cast(pl.Int32).alias("tekun_members_count"),
        pl.col("care_fen").sum().alias("care_total_fen"), pl.col("classified").sum().cast(pl.Int32).alias(
            "classified_count"))
    return (households.join(tekun, on="hh_key", how="left", maintain_order="left")
            .with_columns(pl.col("tekun_members_count", "classified_count").fill_null(0),
                          pl.col("care_total_fen").fill_null(0))
            .with_columns(C.tekun_household(), C.dibao())
            .with_columns(C.dibao_edge())
            .with_columns(C.rigid_expense())
            .with_columns(C.monitoring_tag(), C.other_hardship(), R.monitoring_candidate())
            .with_columns(C.categories(), C.tags(), R.risks(), A.dibao_monthly(), A.tekun_monthly(),
                          A.household_medical_ratio())
            .with_columns(_status(), _error()))


def _status() -> pl.Expr:
    return pl.when(pl.col("counted_members") > 0).then(pl.lit("ok")).otherwise(pl.lit("error")).alias("status")


def _error() -> pl.Expr:
    return pl.when(pl.col("counted_members") > 0).then(pl.lit(None, pl.Utf8)).otherwise(
        pl.lit(NO_COUNTED_MEMBERS)).alias("error")


def _member_benefits(members: pl.LazyFrame, households: pl.LazyFrame) -> pl.LazyFrame:
    household = households.select("hh_key", "dibao", "dibao_edge", "household_medical_ratio")
    return (members.join(household, on="hh_key", how="left", maintain_order="left")
            .with_columns(A.medical_ratio(), A.living_subsidy(), A.care_subsidy()))


def _with_parameters(roster: Roster, table: pl.DataFrame) -> pl.LazyFrame:
    return (roster.households.lazy().join(table.lazy(), on="region", how="left", maintain_order="left")
            .with_columns(H.standard_annual(), H.income_cap()))


def assess_frame(roster: Roster, on: dt.date, params: ParameterSet | None = None) -> Assessed:
    """Assess every household of `roster` on date `on` (parameters in force that day)."""
    params = params or default_parameters()
    regions = roster.households.get_column("region").unique(maintain_order=True).to_list()
    table, used = parameter_table(params, regions, on)
    households = _with_parameters(roster, table)
    household_keys = households.drop("region", "monitoring_kind", *RAW_HOUSEHOLD)
    members = _member_facts(roster.members.lazy().join(household_keys, on="hh_key", how="left",
                                                       maintain_order="left"), on)
    households = (households.join(_member_aggregates(members), on="hh_key", how="left", maintain_order="left")
                  .with_columns(pl.col("counted_members").fill_null(0), pl.col("income_annual_fen").fill_null(0),
                                pl.col("any_able_to_work", "risk_unemployment", "risk_dropout", "risk_uninsured",
                                       *(f"capable_{r}" for r in T.RELATIONS_WITH_SUPPORTERS)).fill_null(False)))
    households = _household_tests(households)
    members = _member_verdicts(members, households, _obligors(roster.obligor_supports.lazy(), household_keys))
    households = _categories(households, members)
    members = _member_benefits(members, households)
    out_households, out_members = pl.collect_all([
        households.select("hh_key", "region", "residence", "monitoring_object", "monitoring_kind", "status", "error",
                          "categories", "tags", "monitoring_candidate", "risks", *HOUSEHOLD_VERDICTS, *RAW_HOUSEHOLD),
        members.select(*MEMBER_COLUMNS),
    ])
    return Assessed(out_households, out_members, used, on, params.version(), params)
