"""Screening a roster through the rules engine, chunk by chunk of household keys.

No Django here: the registry screening (services.py), a Parquet roster from the command line and
the benchmark all go through `screen_chunks`, which hands each chunk's roster to the very
`assess_frame` that `assess()` uses. Chunks are ranges of `hh_key`, so memory stays bounded by the
chunk size and time grows linearly with the roster.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from safetynet.policy.engine import Assessed, assess_frame
from safetynet.policy.params import ParameterSet, Value
from safetynet.policy.roster import ROSTER_SCHEMA, Roster

CHUNK_HOUSEHOLDS = 250_000
ROSTER_FILES = {"households": "households.parquet", "members": "members.parquet",
                "obligor_supports": "obligor_supports.parquet"}
RESULT_COLUMNS = ["hh_key", "status", "error", "categories", "tags", "risks", "monitoring_candidate",
                  "counted_members", "per_capita_income_monthly_fen", "dibao_monthly", "tekun_monthly"]
ROSTER_MISSING = "名册目录 {directory} 缺少文件：{files}（应为 households.parquet、members.parquet、obligor_supports.parquet）"

KeyRange = tuple[int, int]  # [low, high)


@dataclass
class Totals:
    """Counts of one screening, accumulated chunk by chunk (the run's `counts`)."""

    households: int = 0
    categories: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)
    risks: Counter[str] = field(default_factory=Counter)
    monitoring_candidate: int = 0
    no_category: int = 0
    tekun_members: int = 0
    errors: int = 0
    parameters: dict[str, dict[tuple[str, dt.date, str], Value]] = field(default_factory=dict)

    def add(self, results: pl.DataFrame, assessed: Assessed) -> None:
        ok = results.filter(pl.col("status") == "ok")
        self.households += results.height
        self.errors += results.height - ok.height
        for counter, column in ((self.categories, "categories"), (self.tags, "tags"), (self.risks, "risks")):
            counter.update(dict(ok.get_column(column).explode().drop_nulls().value_counts().iter_rows()))
        self.monitoring_candidate += int(ok.get_column("monitoring_candidate").sum())
        self.no_category += int((ok.get_column("categories").list.len() == 0).sum())
        self.tekun_members += int(ok.get_column("tekun_member_nos").list.len().sum())
        self._parameters(assessed.parameters)

    def _parameters(self, used: dict[str, dict[str, Value]]) -> None:
        """Distinct values per parameter: the supplying level, date and source tell them apart."""
        for values in used.values():
            for name, value in values.items():
                self.parameters.setdefault(name, {})[(value.region, value.since, value.origin)] = value

    def counts(self) -> dict[str, Any]:
        return {"categories": dict(self.categories), "no_category": self.no_category, "tags": dict(self.tags),
                "monitoring_candidate": self.monitoring_candidate, "risks": dict(self.risks),
                "tekun_members": self.tekun_members, "errors": self.errors}

    def parameters_json(self) -> dict[str, list[dict[str, Any]]]:
        return {name: [value_json(v) for v in values.values()] for name, values in sorted(self.parameters.items())}


def value_json(value: Value) -> dict[str, Any]:
    """A parameter value with its provenance, as JSON (Decimal as text, so nothing is rounded)."""
    out = {}
    for key, item in dataclasses.asdict(value).items():
        out[key] = str(item) if isinstance(item, Decimal) else item.isoformat() if isinstance(item, dt.date) else item
    return out


def household_results(assessed: Assessed) -> pl.DataFrame:
    """One row per household: what a screening keeps (codes, amounts, 特困 members by member_no)."""
    tekun = (assessed.members.filter(pl.col("tekun"))
             .group_by("hh_key").agg(pl.col("member_no").sort().alias("tekun_member_nos")))
    return (assessed.households.select(RESULT_COLUMNS)
            .join(tekun, on="hh_key", how="left", maintain_order="left")
            .with_columns(pl.col("tekun_member_nos").fill_null(pl.lit([], pl.List(pl.Int32)))))


def key_ranges(low: int, high: int, *, chunk: int = CHUNK_HOUSEHOLDS) -> list[KeyRange]:
    """[low, high] cut into ranges of `chunk` keys (dense keys give chunks of `chunk` households)."""
    return [(start, min(start + chunk, high + 1)) for start in range(low, high + 1, chunk)]


def screen_chunks(load: Callable[[KeyRange], Roster], ranges: list[KeyRange], *, on: dt.date,
                  params: ParameterSet, each: Callable[[pl.DataFrame, Assessed, Roster], None] | None = None,
                  progress: Callable[[int], None] | None = None) -> Totals:
    """Assess each chunk's roster; `each(results, assessed, roster)` stores it, `progress(n)` counts it."""
    totals = Totals()
    for bounds in ranges:
        roster = load(bounds)
        if len(roster) == 0:
            continue
        assessed = assess_frame(roster, on, params)
        results = household_results(assessed)
        totals.add(results, assessed)
        if each is not None:
            each(results, assessed, roster)
        if progress is not None:
            progress(results.height)
    return totals


# --- Parquet rosters ------------------------------------------------------------------------------


def parquet_roster_check(directory: Path) -> None:
    missing = [name for name in ROSTER_FILES.values() if not (directory / name).is_file()]
    if missing:
        raise FileNotFoundError(ROSTER_MISSING.format(directory=directory, files="、".join(missing)))


def parquet_key_span(directory: Path) -> tuple[int, int, int]:
    """(lowest hh_key, highest hh_key, households) of a Parquet roster, from the key column only."""
    span = pl.scan_parquet(directory / ROSTER_FILES["households"]).select(
        pl.col("hh_key").min().alias("low"), pl.col("hh_key").max().alias("high"), pl.len().alias("n")).collect()
    low, high, n = span.row(0)
    return (0, -1, 0) if n == 0 else (int(low), int(high), int(n))


def parquet_roster(directory: Path, bounds: KeyRange) -> Roster:
    """The households with keys in `bounds` and their rows (files sorted by hh_key skip other row groups)."""
    low, high = bounds
    in_range = (pl.col("hh_key") >= low) & (pl.col("hh_key") < high)
    frames = [pl.scan_parquet(directory / ROSTER_FILES[table]).select(list(ROSTER_SCHEMA[table])).filter(in_range)
              for table in ROSTER_FILES]
    return Roster(*pl.collect_all(frames)).cast()


class ParquetResults:
    """Results written beside the roster, one part file per chunk: `screening-<date>-<time>/part-N.parquet`."""

    def __init__(self, roster_dir: Path, *, on: dt.date, started: dt.datetime) -> None:
        name = f"screening-{on.isoformat()}-{started:%Y%m%dT%H%M%S}"
        self.directory = roster_dir / name
        suffix = 1
        while self.directory.exists():  # a run in the same second: a new folder, never the old one's
            suffix += 1
            self.directory = roster_dir / f"{name}-{suffix}"
        self.parts = 0

    def __call__(self, results: pl.DataFrame, assessed: Assessed, roster: Roster) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        results.write_parquet(self.directory / f"part-{self.parts:05d}.parquet", compression="zstd")
        self.parts += 1


def parquet_screen(directory: Path, *, on: dt.date, params: ParameterSet, store: bool = True,
                   chunk: int = CHUNK_HOUSEHOLDS, started: dt.datetime | None = None,
                   progress: Callable[[int], None] | None = None) -> tuple[Totals, Path | None]:
    """Screen a Parquet roster; results (when `store`) go to a new folder beside it, never over an old one."""
    parquet_roster_check(directory)
    low, high, _ = parquet_key_span(directory)
    writer = ParquetResults(directory, on=on, started=started or dt.datetime.now()) if store else None
    try:
        totals = screen_chunks(lambda bounds: parquet_roster(directory, bounds), key_ranges(low, high, chunk=chunk),
                               on=on, params=params, each=writer, progress=progress)
    except BaseException:
        if writer is not None and writer.directory.exists():
            shutil.rmtree(writer.directory)  # no half-written results
        raise
    return totals, (writer.directory if writer is not None and writer.parts else None)


def iter_result_parts(directory: Path) -> Iterator[Path]:
    yield from sorted(directory.glob("part-*.parquet"))
