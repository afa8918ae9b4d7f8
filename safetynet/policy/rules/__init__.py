"""The rules of DOMAIN.md §2 as small named functions over polars columns, each with its article.

A rule returns a polars expression (named after its output column) over the columns the engine has
put in front of it: the roster's own columns, the parameters joined per region (`param`, `ratio`)
and the columns earlier rules produced. Nothing here loops over households or members, and the same
expressions run for one household (`assess`) and for a province (screening, Spark).

Parameters arrive as columns: money in integer fen, counts as integers, ratios as an exact integer
numerator and denominator (1.3 → 13 / 10), so thresholds are compared in integers on every engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import polars as pl

# Documents the rules apply. The research notes (policy-research.md) could not check article numbers
# against the official texts, hence "条文待核" wherever an article would be cited.
DIBAO_2021 = "《最低生活保障审核确认办法》（民发〔2021〕57号）"
TEKUN_2021 = "《特困人员认定办法》（民发〔2021〕43号）"
TEKUN_2016 = "《国务院关于进一步健全特困人员救助供养制度的意见》（国发〔2016〕14号）"
LOW_INCOME_2023 = "《关于加强低收入人口动态监测做好分层分类社会救助工作的意见》（国办发〔2023〕39号）"
EDGE_2024 = "民政部低保边缘家庭、刚性支出困难家庭认定办法（2024年，标题与文号待核）"
MONITORING_2021 = "《关于健全防止返贫动态监测和帮扶机制的指导意见》（中农组发〔2021〕7号，文号待核）"
MEDICAL_2021 = "《关于健全重特大疾病医疗保险和救助制度的意见》（国办发〔2021〕42号）"
MEDICAL_FP_2021 = "医保发〔2021〕20号"
DISABILITY_2015 = "《关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）"
TWO_THREE_2019 = "《关于解决“两不愁三保障”突出问题的指导意见》（国开发〔2019〕15号）"
HOUSING_2019 = "《农村住房安全性鉴定技术导则》（建村函〔2019〕200号）"
WATER_2018 = "《农村饮水安全评价准则》（T/CHES 18-2018）"
PLAN_2025 = "《镇赉县低收入人口常态化帮扶政策和防止返贫帮扶政策衔接并轨试点工作方案》（镇政办函〔2025〕3号）"
UNVERIFIED = "条文待核"


@dataclass(frozen=True)
class Rule:
    """A registered rule: what it decides, where the law says so, and which parameters it reads."""

    name: str  # e.g. "dibao.income_below_standard"
    title: str  # Chinese, as shown to an official
    article: str  # document and article (or 条文待核)
    column: str  # the output column in the assessed frame
    level: str  # "household" or "member"
    parameters: tuple[str, ...]
    function: Callable[..., pl.Expr]


RULES: dict[str, Rule] = {}


def rule(name: str, *, title: str, article: str, column: str, level: str = "household",
         parameters: tuple[str, ...] = ()) -> Callable[[Callable[..., pl.Expr]], Callable[..., pl.Expr]]:
    """Register a rule function under `name` (the function itself is returned unchanged)."""

    def register(function: Callable[..., pl.Expr]) -> Callable[..., pl.Expr]:
        if name in RULES:
            raise ValueError(f"规则 {name} 重复注册")
        RULES[name] = Rule(name, title, article, column, level, parameters, function)
        return function

    return register


# The figures of every parameter, when one set applies to every row (see `parameter_figures`).
_FIGURES: ContextVar[Mapping[str, int] | None] = ContextVar("parameter_figures", default=None)


def _figure(column: str) -> pl.Expr:
    figures = _FIGURES.get()
    return pl.col(column) if figures is None else pl.lit(figures[column], pl.Int64)


def param(name: str) -> pl.Expr:
    """A money (fen) or count parameter, joined per region as a column (or the figure itself, inside
    `parameter_figures`)."""
    return _figure(f"p:{name}")


def ratio(name: str) -> tuple[pl.Expr, pl.Expr]:
    """An exact ratio parameter as (numerator, denominator) integer columns (or figures)."""
    return _figure(f"p:{name}:num"), _figure(f"p:{name}:den")


@contextmanager
def parameter_figures(figures: Mapping[str, int] | None) -> Iterator[None]:
    """Rules built inside read each parameter as its figure (an Int64 literal, keyed by its column name,
    e.g. "p:dibao.standard.rural_annual") rather than as a column: when every region has the same figures
    the expressions then compute with scalars, and no column of copies is made for them. Same integers,
    same results. None: columns, as outside."""
    token = _FIGURES.set(figures)
    try:
        yield
    finally:
        _FIGURES.reset(token)


def round_half_up(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """⌊n/d + 1/2⌋ in integers for n ≥ 0, d > 0: half-up rounding that every engine computes alike."""
    return (2 * numerator + denominator) // (2 * denominator)


def codes(flags: dict[str, str]) -> pl.Expr:
    """The codes whose flag column is true, as a list in the given order (["dibao"], [] …).

    The flags are the bits of one small integer that picks the list from a table of every combination
    (2^k rows): no list or string is built per row, which at a million households is ten times cheaper.
    """
    names = list(flags)
    table = pl.Series([[names[i] for i in range(len(names)) if bits >> i & 1] for bits in range(2 ** len(names))],
                      dtype=pl.List(pl.Utf8))
    bits = pl.sum_horizontal([pl.col(flag).fill_null(False).cast(pl.UInt32) * (1 << i)
                              for i, flag in enumerate(flags.values())])
    return pl.lit(table).gather(bits)


def rural() -> pl.Expr:
    return pl.col("residence") == "rural"


def required_parameters() -> list[str]:
    """Every parameter some rule reads (checked at start-up against the parameter files)."""
    _load_rules()
    return sorted({p for r in RULES.values() for p in r.parameters})


def _load_rules() -> None:
    from safetynet.policy.rules import amounts, categories, household, members, risks, tekun  # noqa: F401
