"""Screening a roster through the rules engine, chunk by chunk of household keys.

No Django here: the registry screening (services.py), a Parquet roster from the command line and
the benchmark all go through `screen_chunks`, which hands each chunk's roster to the very
`assess_frame` that `assess()` uses. Chunks are ranges of `hh_key`, so memory stays bounded by the
chunk size and time grows linearly with the roster. A Parquet roster is assessed two chunks at a time
(threads, one per core of the 2-core reference machine) and its result parts are written in the
background; chunks are still counted and stored in key order (peak memory at 250k households per
chunk: about 1.3 GB at 1M households, 1.5 GB at 5M).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
import shutil
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from safetynet.policy.params import ParameterSet, Value
from safetynet.policy.roster import ROSTER_SCHEMA, Roster

if TYPE_CHECKING:
    from safetynet.policy.engine import Assessed

CHUNK_HOUSEHOLDS = 250_000
SCREENING_WORKERS = 2  # chunks of a Parquet roster assessed at once (threads; see screen_chunks)
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
        ok = results.get_column("status") == "ok"
        every = bool(ok.all())

        def of_ok(column: str) -> pl.Series:  # only the columns counted are filtered, not the whole frame
            values = results.get_column(column)
            return values if every else values.filter(ok)

        self.households += results.height
        self.errors += results.height - int(ok.sum())
        for counter, column in ((self.categories, "categories"), (self.tags, "tags"), (self.risks, "risks")):
            counter.update(dict(of_ok(column).explode().drop_nulls().value_counts().iter_rows()))
        self.monitoring_candidate += int(of_ok("monitoring_candidate").sum())
        self.no_category += int((of_ok("categories").list.len() == 0).sum())
        self.tekun_members += int(of_ok("tekun_member_nos").list.len().sum())
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
    """One row per household: what a screening keeps (codes, amounts, 特困 members by member_no).

    特困 members are few (about one household in thirty): their lists are made for those households
    only and picked for every household by a key lookup (position 0, the empty list, for the rest),
    not by a join of every household with them.
    """
    tekun = (assessed.members.select("hh_key", "member_no", "tekun").filter(pl.col("tekun"))
             .group_by("hh_key").agg(pl.col("member_no").sort()).with_row_index("at", offset=1))
    lists = pl.concat([pl.Series([[]], dtype=pl.List(pl.Int32)), tekun.get_column("member_no")], rechunk=True)
    at = (assessed.households.select("hh_key").join(tekun.select("hh_key", "at"), on="hh_key", how="left",
                                                     maintain_order="left").get_column("at").fill_null(0))
    return assessed.households.select(RESULT_COLUMNS).with_columns(lists.gather(at).alias("tekun_member_nos"))


def key_ranges(low: int, high: int, *, chunk: int = CHUNK_HOUSEHOLDS) -> list[KeyRange]:
    """[low, high] cut into ranges of `chunk` keys (dense keys give chunks of `chunk` households)."""
    return [(start, min(start + chunk, high + 1)) for start in range(low, high + 1, chunk)]


def screen_chunks(load: Callable[[KeyRange], Roster], ranges: list[KeyRange], *, on: dt.date,
                  params: ParameterSet, each: Callable[[pl.DataFrame, Assessed, Roster], None] | None = None,
                  progress: Callable[[int], None] | None = None, workers: int = 1) -> Totals:
    """Assess each chunk's roster; `each(results, assessed, roster)` stores it, `progress(n)` counts it.

    With `workers` > 1, that many chunks are loaded and assessed at once, in threads: polars and numpy
    do their work without holding the GIL, and the rules of one chunk are mostly one core's work, so a
    second chunk uses the other core. Chunks are still counted and stored in key order, by the calling
    thread. Only for a thread-safe `load` (Parquet files; not the ORM, whose connection is per thread).
    """
    totals = Totals()
    for roster, assessed, results in _assessed(load, ranges, on=on, params=params, workers=workers):
        totals.add(results, assessed)
        if each is not None:
            each(results, assessed, roster)
        if progress is not None:
            progress(results.height)
    return totals


Chunk = tuple[Roster, "Assessed", pl.DataFrame]


def _chunk(load: Callable[[KeyRange], Roster], bounds: KeyRange, on: dt.date, params: ParameterSet) -> Chunk | None:
    roster = load(bounds)
    if len(roster) == 0:
        return None
    # The engine (numpy with it) is imported on first use, not with this module: in a fresh process
    # the first chunks' Parquet reads, which hold no GIL, then overlap its import (see _assessed).
    from safetynet.policy.engine import assess_frame

    assessed = assess_frame(roster, on, params)
    return roster, assessed, household_results(assessed)


def _assessed(load: Callable[[KeyRange], Roster], ranges: list[KeyRange], *, on: dt.date, params: ParameterSet,
              workers: int) -> Iterator[Chunk]:
    """Each non-empty range's chunk, in order; with `workers` > 1, up to that many being made at once
    (the next one starts once a finished one has been handed over, so memory holds `workers` chunks and
    the one handed over)."""
    if workers <= 1:
        yield from filter(None, (_chunk(load, bounds, on, params) for bounds in ranges))
        return
    waiting = iter(ranges)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="screening") as pool:
        running = deque(pool.submit(_chunk, load, bounds, on, params) for bounds in itertools.islice(waiting, workers))
        import safetynet.policy.engine  # noqa: F401  (loaded while the first chunks are read, see _chunk)

        while running:
            done = running.popleft().result()
            if done is not None:
                yield done
            del done
            following = next(waiting, None)
            if following is not None:
                running.append(pool.submit(_chunk, load, following, on, params))


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
    # one contiguous chunk per column here (a read gives one per row group), so that the rules find
    # plain arrays (assess_frame's own rechunk is then free)
    return Roster(*(frame.rechunk() for frame in pl.collect_all(frames))).cast()


class ParquetResults:
    """Results written beside the roster, one part file per chunk: `screening-<date>-<time>/part-N.parquet`.

    Each part is written by a background thread while the next chunk is assessed (polars writes without
    holding the GIL); at most one write waits behind the one in progress, so memory stays bounded.
    `close()` waits for every write and raises the first failure.
    """

    def __init__(self, roster_dir: Path, *, on: dt.date, started: dt.datetime) -> None:
        name = f"screening-{on.isoformat()}-{started:%Y%m%dT%H%M%S}"
        self.directory = roster_dir / name
        suffix = 1
        while self.directory.exists():  # a run in the same second: a new folder, never the old one's
            suffix += 1
            self.directory = roster_dir / f"{name}-{suffix}"
        self.parts = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="results-write")
        self._writes: list[Future[None]] = []

    def __call__(self, results: pl.DataFrame, assessed: Assessed, roster: Roster) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"part-{self.parts:05d}.parquet"
        # zstd level 1: result parts are small and compress as well as at the default level, for less CPU
        self._writes.append(self._pool.submit(results.write_parquet, path, compression="zstd",
                                              compression_level=1))
        self.parts += 1
        while len(self._writes) > 2:
            self._writes.pop(0).result()

    def close(self) -> None:
        try:
            while self._writes:
                self._writes.pop(0).result()
        finally:
            self._writes.clear()
            self._pool.shutdown(wait=True)


def parquet_screen(directory: Path, *, on: dt.date, params: ParameterSet, store: bool = True,
                   chunk: int = CHUNK_HOUSEHOLDS, started: dt.datetime | None = None,
                   progress: Callable[[int], None] | None = None,
                   workers: int = SCREENING_WORKERS) -> tuple[Totals, Path | None]:
    """Screen a Parquet roster; results (when `store`) go to a new folder beside it, never over an old one."""
    parquet_roster_check(directory)
    low, high, _ = parquet_key_span(directory)
    writer = ParquetResults(directory, on=on, started=started or dt.datetime.now()) if store else None
    try:
        totals = screen_chunks(lambda bounds: parquet_roster(directory, bounds), key_ranges(low, high, chunk=chunk),
                               on=on, params=params, each=writer, progress=progress, workers=workers)
        if writer is not None:
            writer.close()
    except BaseException:
        if writer is not None:
            with contextlib.suppress(BaseException):
                writer.close()  # every write stopped before the folder goes
            if writer.directory.exists():
                shutil.rmtree(writer.directory)  # no half-written results
        raise
    return totals, (writer.directory if writer is not None and writer.parts else None)


def iter_result_parts(directory: Path) -> Iterator[Path]:
    yield from sorted(directory.glob("part-*.parquet"))
