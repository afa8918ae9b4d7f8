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
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
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
from safetynet.policy.rules import parameter_figures, required_parameters, round_half_up
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
    "hh_key", "member_no", "id_number", "name", "relation", "age", "counted", "co_resident", "excluded", "income_fen",
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
        """The household's members, with why each is counted or not (`count_reason`: text made for the
        explanation only, never for a whole roster)."""
        return self.members.filter(pl.col("hh_key") == hh_key).with_columns(M.count_reason())

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
    units = {name: params.describe(name)[1] for name in names}
    columns = {k: pl.Int64 for name in names for k in _columns(Value(name, Decimal(1), on, "", "K", "-"), units[name])}
    resolved = {region: _region_parameters(params, region, on) for region in regions}
    used = {region: dict(values) for region, (values, _) in resolved.items()}
    distinct: dict[tuple, int] = {}  # regions with the same figures share one row (`pk`)
    rows = [(region, distinct.setdefault(row, len(distinct)), *row) for region, (_, row) in resolved.items()]
    return pl.DataFrame(rows, schema={"region": pl.Utf8, "pk": pl.Int32, **columns}, orient="row"), used


@functools.lru_cache(maxsize=4096)
def _region_parameters(params: ParameterSet, region: str, on: dt.date) -> tuple[dict[str, Value], tuple[int, ...]]:
    """The Values one region uses on `on` and their figures as the table's integers (kept: each chunk of a
    screening asks again for the same few hundred regions)."""
    values = {name: params.resolve(name, region, on) for name in required_parameters()}
    return values, tuple(v for name, value in values.items()
                         for v in _columns(value, params.describe(name)[1]).values())


def check_parameters(params: ParameterSet) -> None:
    """Every parameter a rule reads must exist in the files (a renamed parameter fails at start-up)."""
    missing = sorted(set(required_parameters()) - set(params.names()))
    if missing:
        raise ParameterFileInvalid([f"规则需要的参数 {name} 不在参数文件中" for name in missing])


# --- the stages ---------------------------------------------------------------------------------
# Each stage is a short lazy plan that computes only its new columns, which are then stacked beside the
# frame's existing ones (no copy). Rows move between the household and the member frames by position,
# never by a join on hh_key: every member (and obligor row) knows its household's row once (`_Link`),
# household columns reach the members by a gather, and member columns come back to the households by a
# scatter per household (any, count or sum, in numpy). At a million households that is several times
# cheaper than the joins and group-bys it replaces. No sort order is assumed (Spark partitions arrive in
# any order). Parameters reach each row through a small integer key `pk` (literals when every region
# has the same figures). Expressions are built once and reused.

CAPABLE = tuple(f"capable_{r}" for r in T.RELATIONS_WITH_SUPPORTERS)
Aggregate = tuple[str, pl.Expr]  # ("any" | "count" | "sum", a member expression named after the household column)


@dataclass(frozen=True)
class _Link:
    """Rows of one frame tied to the row holding the same key in another: members and obligor rows to
    their household's row, obligor rows to the member they name."""

    rows: np.ndarray  # int64, -1 where no row holds the key
    index: pl.Series  # the same as a gather index (UInt32, null where -1)
    valid: np.ndarray | None  # rows >= 0, or None when every row found its key

    @classmethod
    def of(cls, known: np.ndarray, wanted: np.ndarray) -> _Link:
        """`known` are unique keys in any order; a run of equal `wanted` keys (a household's members)
        is looked up once."""
        order = None if bool(np.all(known[1:] >= known[:-1])) else np.argsort(known, kind="stable")
        ordered = known if order is None else known[order]
        starts = np.flatnonzero(np.concatenate(([True], wanted[1:] != wanted[:-1]))) if len(wanted) else wanted
        heads = wanted[starts]
        if order is None and np.array_equal(heads, known):  # every key has rows, in the same order
            found, head_rows = np.ones(len(heads), dtype=bool), np.arange(len(heads))
        else:
            at = np.minimum(np.searchsorted(ordered, heads), max(len(ordered) - 1, 0))
            found = ordered[at] == heads if len(ordered) else np.zeros(len(heads), dtype=bool)
            head_rows = np.where(found, at if order is None else order[at], -1)
        rows = np.repeat(head_rows, np.diff(np.append(starts, len(wanted)))).astype(np.int64, copy=False)
        if found.all():
            return cls(rows, pl.Series("row", rows.astype(np.uint32)), None)
        valid = rows >= 0
        index = pl.Series("row", np.where(valid, rows, 0).astype(np.uint32)).scatter(np.flatnonzero(~valid), None)
        return cls(rows, index, valid)

    def found(self) -> _Link:
        """The link of the rows that found their key only."""
        rows = self.rows if self.valid is None else self.rows[self.valid]
        return _Link(rows, pl.Series("row", rows.astype(np.uint32)), None)

    def gather(self, column: pl.Series) -> pl.Series:
        """The linked row's value for each row (null for a row without one). Numbers and flags without
        nulls are taken by numpy, several times faster than a polars gather."""
        plain = column.dtype.is_integer() or column.dtype.is_float() or column.dtype == pl.Boolean
        if plain and self.valid is None and not column.has_nulls():
            return pl.Series(column.name, column.to_numpy()[self.rows], dtype=column.dtype)
        return column.gather(self.index)

    def reduce(self, kind: str, values: pl.Series, height: int) -> pl.Series:
        """Per linked row: any / count of true flags, or sum of amounts, over the rows tied to it (false / 0
        for none). `values` come as `_reducible` made them: UInt8 flags for any, Int64 otherwise."""
        rows, data = self.rows, values.to_numpy()
        if self.valid is not None:
            rows, data = rows[self.valid], data[self.valid]
        if kind == "any":
            out = np.zeros(height, dtype=np.uint8)
            np.maximum.at(out, rows, data)
            return pl.Series(values.name, out.view(bool))
        total = np.zeros(height, dtype=np.int64)
        np.add.at(total, rows, data)
        return pl.Series(values.name, total, dtype=pl.Int32 if kind == "count" else pl.Int64)


def _reducible(aggregates: tuple[Aggregate, ...]) -> list[pl.Expr]:
    """Each aggregate's member values without nulls, in the type numpy reduces fastest (no copy on the way)."""
    return [e.fill_null(0).cast(pl.Int64) if kind == "sum" else
            e.fill_null(False).cast(pl.UInt8 if kind == "any" else pl.Int64) for kind, e in aggregates]


def _household_link(households: pl.DataFrame, frame: pl.DataFrame) -> _Link:
    return _Link.of(households.get_column("hh_key").to_numpy(), frame.get_column("hh_key").to_numpy())


def _derive(frame: pl.DataFrame, steps: tuple[list[pl.Expr], ...], *, parameters: pl.DataFrame,
            pk: pl.Series | None, adding: tuple[pl.Series, ...] = ()) -> pl.DataFrame:
    """`frame` (rows unchanged, in order) with the columns `adding` and those of `steps` added."""
    frame = frame.hstack(list(adding)) if adding else frame
    lazy = _with_parameters(frame.lazy(), parameters, pk, tuple(e for step in steps for e in step))
    for step in steps:
        lazy = lazy.with_columns(step)
    added = [e.meta.output_name(raise_if_undetermined=False) for step in steps for e in step]
    new = [c for c in dict.fromkeys(added) if c is not None and c not in frame.columns]
    return frame.hstack(lazy.select(new).collect())


# Stages are built once per set of figures (None: parameters as columns, for rosters whose regions have
# different figures) and kept; `figures` is a tuple of (column, figure) pairs.
Figures = tuple[tuple[str, int], ...] | None
STAGE_CACHE = 16


def _built(figures: Figures, build: Callable[[], Any]) -> Any:
    with parameter_figures(None if figures is None else dict(figures)):
        return build()


@functools.lru_cache(maxsize=STAGE_CACHE)
def _parameter_steps(figures: Figures) -> tuple[list[pl.Expr], ...]:
    return _built(figures, lambda: ([H.standard_annual(), H.income_cap()],))


@functools.lru_cache(maxsize=STAGE_CACHE)
def _member_fact_steps(on: dt.date, figures: Figures) -> tuple[list[pl.Expr], ...]:
    return _built(figures, lambda: (
        [M.age(on), M.counted(), M.member_income(), M.qualifying_disability(), M.severe_disability()],
        [M.able_to_work(), M.no_labor_capacity(), T.member_supporter_capable()]))


@functools.lru_cache(maxsize=STAGE_CACHE)
def _member_aggregates(figures: Figures) -> tuple[Aggregate, ...]:
    return _built(figures, lambda: (
        ("count", pl.col("counted").alias("counted_members")), ("sum", H.household_income()),
        ("any", R.any_able_to_work()), ("any", R.unemployment()), ("any", R.dropout()),
        ("any", R.uninsured()), *(("any", e) for e in T.capable_by_relation())))


@functools.lru_cache(maxsize=STAGE_CACHE)
def _household_steps(figures: Figures) -> tuple[list[pl.Expr], ...]:
    return _built(figures, lambda: (
        [H.per_capita_monthly(), H.income_below_standard(), H.property_strict_ok(), H.property_wide_ok(),
         H.below_edge_line(), H.edge_line_annual(), C.below_income_cap(), C.rigid_spending(), R.housing(),
         R.water(), R.no_labor(), round_half_up(pl.col("standard_annual_fen"), pl.lit(12)).alias(
             "standard_monthly_fen")],
        [T.no_means_of_living(), C.rigid_spending_large(), R.illness()]))


@functools.lru_cache(maxsize=STAGE_CACHE)
def _obligor_steps(figures: Figures) -> tuple[pl.Expr, ...]:
    return _built(figures, lambda: (T.obligor_capable(),))


@functools.lru_cache(maxsize=STAGE_CACHE)
def _member_verdict_steps(figures: Figures) -> tuple[list[pl.Expr], ...]:
    return _built(figures, lambda: ([T.no_capable_supporter()], [T.tekun()], [T.care(), A.classified()]))


@functools.cache
def _tekun_aggregates() -> tuple[Aggregate, ...]:
    return (("count", pl.col("tekun").alias("tekun_members_count")), ("sum", pl.col("care_fen").alias("care_total_fen")),
            ("count", pl.col("classified").alias("classified_count")))


@functools.lru_cache(maxsize=STAGE_CACHE)
def _category_steps(figures: Figures) -> tuple[list[pl.Expr], ...]:
    return _built(figures, lambda: (
        [C.tekun_household(), C.dibao()], [C.dibao_edge()], [C.rigid_expense()],
        [C.monitoring_tag(), C.other_hardship(), R.monitoring_candidate()],
        [C.categories(), C.tags(), R.risks(), A.dibao_monthly(), A.tekun_monthly(), A.household_medical_ratio(),
         _status(), _error()]))


@functools.lru_cache(maxsize=STAGE_CACHE)
def _benefit_steps(figures: Figures) -> tuple[list[pl.Expr], ...]:
    return _built(figures, lambda: ([A.medical_ratio(), A.living_subsidy(), A.care_subsidy()],))


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


def _with_parameters(lazy: pl.LazyFrame, parameters: pl.DataFrame, pk: pl.Series | None,
                     exprs: tuple[pl.Expr, ...]) -> pl.LazyFrame:
    """The parameter columns `exprs` read: gathered by each row's `pk` (row i of `parameters` is pk i);
    when every region has the same figures (one row, no `pk`), as literals."""
    names = _parameters_read(exprs)
    if pk is None:
        return lazy.with_columns(pl.lit(parameters.item(0, n), pl.Int64).alias(n) for n in names)
    return lazy.with_columns(parameters.get_column(n).gather(pk) for n in names)


def _per_household(frame: pl.DataFrame, aggregates: tuple[Aggregate, ...], *, link: _Link, height: int,
                   parameters: pl.DataFrame, pk: pl.Series | None) -> list[pl.Series]:
    """Member expressions reduced per household (some read parameters, e.g. school ages)."""
    exprs = tuple(e for _, e in aggregates)
    values = _with_parameters(frame.lazy(), parameters, pk, exprs).select(_reducible(aggregates)).collect()
    return [link.reduce(kind, values.to_series(i), height) for i, (kind, _) in enumerate(aggregates)]


def _obligors(roster: Roster, households: pl.DataFrame, parameters: pl.DataFrame,
              pk: pl.Series | None, figures: Figures) -> tuple[pl.DataFrame, _Link]:
    """Each obligor × supported member whose household is in the roster, with whether the obligor is
    capable (kept for the explanation), and the household row of each."""
    supports = roster.obligor_supports.rechunk()
    link = _household_link(households, supports)
    if link.valid is not None:  # rows of households not in the roster are left out
        supports, link = supports.filter(link.valid), link.found()
    (capable,) = _obligor_steps(figures)
    frame = supports.hstack([link.gather(households.get_column("income_cap_fen"))])
    lazy = _with_parameters(frame.lazy(), parameters, None if pk is None else link.gather(pk), (capable,))
    return lazy.with_columns(capable).select(*OBLIGOR_COLUMNS).collect(), link


def _member_keys(rows: np.ndarray, member_no: pl.Series) -> np.ndarray:
    """(household row, member_no) as one int64 (rows of -1, no household, never meet a real one)."""
    return rows * 2**32 + (member_no.to_numpy().astype(np.int64) + 2**31)


def _obligor_capable_any(members: pl.DataFrame, link: _Link, obligors: pl.DataFrame,
                         obligor_link: _Link) -> pl.Series:
    """Is any obligor naming this member capable: each obligor row tied to the member it names."""
    named = _Link.of(_member_keys(link.rows, members.get_column("member_no")),
                     _member_keys(obligor_link.rows, obligors.get_column("member_no")))
    capable = obligors.select(_reducible((("any", pl.col("obligor_capable")),))).to_series()
    return named.reduce("any", capable, members.height).alias("obligor_capable_any")


def assess_frame(roster: Roster, on: dt.date, params: ParameterSet | None = None) -> Assessed:
    """Assess every household of `roster` on date `on` (parameters in force that day).

    1. parameters per region, S12 and the income cap; 2. member facts (age, counted, labour,
    capability as supporter); 3. household tests (n, I, property, edge line, rigid spending, risks);
    4. 特困 per member; 5. categories and amounts; 6. each member's medical ratio and subsidies.
    """
    params = params or default_parameters()
    # one contiguous chunk per column (a Parquet read gives one per row group): every rule then reads
    # plain arrays instead of stitching the chunks again for each expression
    hh, members = roster.households.rechunk(), roster.members.rechunk()
    regions = hh.get_column("region").unique(maintain_order=True).to_list()
    table, used = parameter_table(params, regions, on)
    p = table.drop("region").unique("pk", maintain_order=True).sort("pk")
    pk = None if p.height == 1 else hh.select("region").join(
        table.select("region", "pk"), on="region", how="left", maintain_order="left").get_column("pk").cast(pl.UInt32)
    # one set of figures for every row (the usual case): the rules get them as literals, not columns
    figures = None if pk is not None else tuple((c, int(v)) for c, v in p.drop("pk").row(0, named=True).items())
    link = _household_link(hh, members)
    m_pk = None if pk is None else link.gather(pk)
    n = hh.height
    hh = _derive(hh, _parameter_steps(figures), parameters=p, pk=pk)
    m = _derive(members, _member_fact_steps(on, figures), parameters=p, pk=m_pk,
                adding=(link.gather(hh.get_column("income_cap_fen")),))
    hh = _derive(hh, _household_steps(figures), parameters=p, pk=pk, adding=tuple(
        _per_household(m, _member_aggregates(figures), link=link, height=n, parameters=p, pk=m_pk)))
    obligors, obligor_link = _obligors(roster, hh, p, pk, figures)
    m = _derive(m, _member_verdict_steps(figures), parameters=p, pk=m_pk, adding=(
        *(link.gather(hh.get_column(c)) for c in ("no_means_of_living", *CAPABLE)),
        _obligor_capable_any(m, link, obligors, obligor_link)))
    hh = _derive(hh, _category_steps(figures), parameters=p, pk=pk, adding=tuple(
        _per_household(m, _tekun_aggregates(), link=link, height=n, parameters=p, pk=m_pk)))
    m = _derive(m, _benefit_steps(figures), parameters=p, pk=m_pk,
                adding=tuple(link.gather(hh.get_column(c)) for c in ("dibao", "dibao_edge", "household_medical_ratio")))
    households = hh.select("hh_key", "region", "residence", "monitoring_object", "monitoring_kind", "status", "error",
                           "categories", "tags", "monitoring_candidate", "risks", *HOUSEHOLD_VERDICTS, *RAW_HOUSEHOLD)
    return Assessed(households, m.select(*MEMBER_COLUMNS), used, on, params.version(), params, obligors)
