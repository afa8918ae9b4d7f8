"""Reads of screening runs: a run by number, and what changed between two runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from safetynet.monitoring.models import ScreeningResult, ScreeningRun

RUN_NOT_FOUND = "没有第 {pk} 次筛查"
RESULTS_GONE = "第 {pk} 次筛查的结果文件已不在：{path}"


class ScreeningResultsMissing(LookupError):
    pass
RESULT_SCHEMA = {"hh_key": pl.Int64(), "code": pl.Utf8(), "categories": pl.List(pl.Utf8()),
                 "tags": pl.List(pl.Utf8())}


@dataclass(frozen=True)
class ScreeningChange:
    """A household whose categories or tags differ between two runs (None: not in that run)."""

    hh_key: int
    code: str
    categories_before: list[str] | None
    categories_after: list[str] | None
    tags_before: list[str] | None
    tags_after: list[str] | None


def screening_run_get(pk: int) -> ScreeningRun:
    run = ScreeningRun.objects.filter(pk=pk).first()
    if run is None:
        raise ScreeningRun.DoesNotExist(RUN_NOT_FOUND.format(pk=pk))
    return run


def _results_frame(run: ScreeningRun) -> pl.DataFrame:
    """hh_key, code, categories, tags of every household in `run` (database or Parquet results)."""
    if run.results_path:
        if not Path(run.results_path).is_dir():
            raise ScreeningResultsMissing(RESULTS_GONE.format(pk=run.pk, path=run.results_path))
        frame = pl.read_parquet(Path(run.results_path) / "part-*.parquet", columns=["hh_key", "categories", "tags"])
        return frame.with_columns(code=pl.col("hh_key").cast(pl.Utf8)).select(list(RESULT_SCHEMA))
    rows = ScreeningResult.objects.filter(run=run).values_list("hh_key", "household__code", "categories", "tags")
    return pl.DataFrame(list(rows), schema=RESULT_SCHEMA, orient="row")


def screening_compare(run_a: ScreeningRun, run_b: ScreeningRun) -> list[ScreeningChange]:
    """Households whose categories or tags changed from `run_a` to `run_b`, in household-key order.

    A household screened in only one of the two runs counts as changed (it entered or left the roster).
    """
    a, b = _results_frame(run_a), _results_frame(run_b)
    joined = a.join(b, on="hh_key", how="full", coalesce=True, suffix="_after")
    differs = (pl.col("categories").ne_missing(pl.col("categories_after"))
               | pl.col("tags").ne_missing(pl.col("tags_after")))
    changed = joined.filter(differs).sort("hh_key")
    return [ScreeningChange(hh_key=r["hh_key"], code=r["code"] or r["code_after"] or str(r["hh_key"]),
                            categories_before=r["categories"], categories_after=r["categories_after"],
                            tags_before=r["tags"], tags_after=r["tags_after"])
            for r in changed.iter_rows(named=True)]
