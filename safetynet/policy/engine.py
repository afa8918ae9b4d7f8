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
OBLIGOR_COLUMNS = ("hh_key", "obligor_no", "member_no", "age", "status", "disability_kind", "disability_grade",
                   "annual_income_fen", "obligor_capable")
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
    obligors: pl.DataFrame | None = field(default=None, repr=False)  # obligor × member, with obligor_capable

    def explain(self, row: int) -> dict[str, Any]:
        """The JSON-ready assessment of household `row` (see assess.py for the shape)."""
        from safetynet.policy.explain import explain_household

        return explain_household(self, row)

    def members_of(self, hh_key: int) -> pl.DataFrame:
        return self.members.filter(pl.col("hh_key") == hh_key)

    def obligors_of(self, hh_key: int) -> pl.DataFrame:
        if self.obligors is None:
            return pl.DataFrame(schema=dict.fromkeys(OBLIGOR_COLUMNS, pl.Int64))
        return self.obligors.filter(pl.col("hh_key") == hh_key)


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
    numbers = {region: {k: v for name, value in values.items() for k, v in _columns(value, units[name]).items()}
               for region, values in used.items()}
    distinct: dict[tuple, int] = {}  # regions with the same figures share one row (`pk`)
    rows = [{"region": region, "pk": distinct.setdefault(tuple(row.values()), len(distinct)), **row}
            for region, row in numbers.items()]
    return pl.DataFrame(rows, schema={"region": pl.Utf8, "pk": pl.Int32, **columns}, orient="row"), used


def check_parameters(params: ParameterSet) -> None:
    """Every parameter a rule reads must exist in the files (a renamed parameter fails at start-up)."""
    missing = sorted(set(required_parameters()) - set(params.names()))
    if missing:
        raise ParameterFileInvalid([f"规则需要的参数 {name} 不在参数文件中" for name in missing])


# --- the stages ---------------------------------------------------------------------------------
# Each stage is a short lazy plan that computes only its new columns, which are then stacked beside the
# frame's existing ones (no copy). Parameters are joined per stage through a small integer key `pk`, so
# projection pushdown gathers just the parameters a stage reads: carrying them all through every stage
# costs more than the rules at a million households, and one big plan with shared subtrees is slower
# to optimise than the rules take for a household of one. Expressions are built once and reused.

CAPABLE = tuple(f"capable_{r}" for r in T.RELATIONS_WITH_SUPPORTERS)
JoinSpec = tuple[pl.DataFrame | pl.LazyFrame, str | list[str]]


def _derive(frame: pl.DataFrame, steps: tuple[list[pl.Expr], ...], *, parameters: pl.DataFrame,
            joins: tuple[JoinSpec, ...] = ()) -> pl.DataFrame:
    """`frame` (rows unchanged, in order) with the columns of `joins` and of `steps` added."""
    lazy = frame.lazy()
    for right, on in joins:
        lazy = lazy.join(right.lazy(), on=on, how="left", maintain_order="left")
    lazy = _with_parameters(lazy, parameters, tuple(e for step in steps for e in step))
    for step in steps:
        lazy = lazy.with_columns(step)
    added = [c for right, _ in joins for c in _names(right)] + [
        e.meta.output_name(raise_if_undetermined=False) for step in steps for e in step]
    new = [c for c in dict.fromkeys(added) if c is not None and c not in frame.columns]
    return frame.hstack(lazy.select(new).collect())


def _names(frame: pl.DataFrame | pl.LazyFrame) -> list[str]:
    return frame.columns if isinstance(frame, pl.DataFrame) else frame.collect_schema().names()


@functools.cache
def _parameter_steps() -> tuple[list[pl.Expr], ...]:
    return ([H.standard_annual(), H.income_cap()],)


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
def _tekun_aggregates() -> list[pl.Expr]:
    return [pl.col("tekun").sum().cast(pl.Int32).alias("tekun_members_count"),
            pl.col("care_fen").sum().alias("care_total_fen"),
            pl.col("classified").sum().cast(pl.Int32).alias("classified_count")]


@functools.cache
def _category_steps() -> tuple[list[pl.Expr], ...]:
    return ([pl.col("tekun_members_count", "classified_count").fill_null(0), pl.col("care_total_fen").fill_null(0)],
            [C.tekun_household(), C.dibao()], [C.dibao_edge()], [C.rigid_expense()],
            [C.monitoring_tag(), C.other_hardship(), R.monitoring_candidate()],
            [C.categories(), C.tags(), R.risks(), A.dibao_monthly(), A.tekun_monthly(), A.household_medical_ratio(),
             _status(), _error()])


@functools.cache
def _benefit_steps() -> tuple[list[pl.Expr], ...]:
    return ([A.medical_ratio(), A.living_subsidy(), A.care_subsidy()],)


def _status() -> pl.Expr:
    return pl.when(pl.col("counted_members") > 0).then(pl.lit("ok")).otherwise(pl.lit("error")).alias("status")


def _error() -> pl.Expr:
    return pl.when(pl.col("counted_members") > 0).then(pl.lit(None, pl.Utf8)).otherwise(
        pl.lit(NO_COUNTED_MEMBERS)).alias("error")


_READ: dict[tuple[int, ...], tuple[tuple[pl.Expr, ...], tuple[str, ...]]] = {}


def _parameters_read(exprs: tuple[pl.Expr, ...]) -> tuple[str, ...]:
    """Parameter columns the expressions read (cached: the stage expressions are built once and kept,
    and the cache holds them too, so their ids stay theirs)."""
    key = tuple(id(e) for e in exprs)
    if key not in _READ:
        _READ[key] = (exprs, tuple(sorted({n for e in exprs for n in e.meta.root_names() if n.startswith("p:")})))
    return _READ[key][1]


def _with_parameters(lazy: pl.LazyFrame, parameters: pl.DataFrame, exprs: tuple[pl.Expr, ...]) -> pl.LazyFrame:
    """The parameter columns `exprs` read, by `pk`; when every region has the same figures (one row),
    as literals, which saves a join."""
    names = _parameters_read(exprs)
    if parameters.height == 1:
        return lazy.with_columns(pl.lit(parameters.item(0, n), pl.Int64).alias(n) for n in names)
    return lazy.join(parameters.select("pk", *names).lazy(), on="pk", how="left", maintain_order="left")


def _per_household(members: pl.DataFrame, aggregates: list[pl.Expr], parameters: pl.DataFrame) -> pl.LazyFrame:
    """Aggregate members per household (some aggregates read parameters, e.g. school ages)."""
    return _with_parameters(members.lazy(), parameters, tuple(aggregates)).group_by("hh_key").agg(aggregates)


def _obligors(roster: Roster, households: pl.DataFrame, parameters: pl.DataFrame) -> pl.DataFrame:
    """Each obligor × supported member, with whether the obligor is capable (kept for the explanation)."""
    keys = households.select("hh_key", "pk", "income_cap_fen").lazy()
    capable = T.obligor_capable()
    return (_with_parameters(roster.obligor_supports.lazy().join(keys, on="hh_key", how="inner",
                                                                 maintain_order="left"), parameters, (capable,))
            .with_columns(capable).select(*OBLIGOR_COLUMNS).collect())


def _obligor_capable_any(obligors: pl.DataFrame) -> pl.LazyFrame:
    """Is any obligor naming this member capable: one row per (household, member) named."""
    return obligors.lazy().group_by("hh_key", "member_no").agg(
        pl.col("obligor_capable").any().alias("obligor_capable_any"))


def assess_frame(roster: Roster, on: dt.date, params: ParameterSet | None = None) -> Assessed:
    """Assess every household of `roster` on date `on` (parameters in force that day).

    1. parameters per region, S12 and the income cap; 2. member facts (age, counted, labour,
    capability as supporter); 3. household tests (n, I, property, edge line, rigid spending, risks);
    4. 特困 per member; 5. categories and amounts; 6. each member's medical ratio and subsidies.
    """
    params = params or default_parameters()
    regions = roster.households.get_column("region").unique(maintain_order=True).to_list()
    table, used = parameter_table(params, regions, on)
    p = table.drop("region").unique("pk", maintain_order=True)
    hh = _derive(roster.households, _parameter_steps(), parameters=p,
                 joins=((table.select("region", "pk"), "region"),))
    m = _derive(roster.members, _member_fact_steps(on), parameters=p,
                joins=((hh.select("hh_key", "pk", "residence", "income_cap_fen"), "hh_key"),))
    hh = _derive(hh, _household_steps(), parameters=p,
                 joins=((_per_household(m, _member_aggregates(), p), "hh_key"),))
    obligors = _obligors(roster, hh, p)
    m = _derive(m, _member_verdict_steps(), parameters=p,
                joins=((hh.select("hh_key", "no_means_of_living", *CAPABLE), "hh_key"),
                       (_obligor_capable_any(obligors), ["hh_key", "member_no"])))
    hh = _derive(hh, _category_steps(), parameters=p,
                 joins=((_per_household(m, _tekun_aggregates(), p), "hh_key"),))
    m = _derive(m, _benefit_steps(), parameters=p,
                joins=((hh.select("hh_key", "dibao", "dibao_edge", "household_medical_ratio"), "hh_key"),))
    households = hh.select("hh_key", "region", "residence", "monitoring_object", "monitoring_kind", "status", "error",
                           "categories", "tags", "monitoring_candidate", "risks", *HOUSEHOLD_VERDICTS, *RAW_HOUSEHOLD)
    return Assessed(households, m.select(*MEMBER_COLUMNS), used, on, params.version(), params, obligors)
