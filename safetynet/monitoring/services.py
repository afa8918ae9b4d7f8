"""Screening runs (筛查): assess every household in bulk, keep the run, compare two runs.

`screening_run` screens the registry (results stored per household) or a Parquet roster (results
written beside it). A run is never replaced: each is a new row, and `screening_compare` lists the
households whose categories or tags changed between two of them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.audit.services import audit_record
from safetynet.jobs.models import Job
from safetynet.jobs.services import job_enqueue
from safetynet.monitoring.alerting import AlertScreening
from safetynet.monitoring.models import ScreeningResult, ScreeningRun
from safetynet.monitoring.registry_roster import registry_roster
from safetynet.monitoring.screening import (
    CHUNK_HOUSEHOLDS,
    Totals,
    key_ranges,
    parquet_key_span,
    parquet_roster_check,
    parquet_screen,
    screen_chunks,
)
from safetynet.parameters.selectors import effective_parameters
from safetynet.policy.engine import Assessed
from safetynet.policy.params import ParameterSet
from safetynet.policy.roster import Roster
from safetynet.registry.models import Household

BATCH = 2_000
ALERTS_NEED_REGISTRY = "预警只能在保存结果的家庭档案库筛查中生成（不能用于 Parquet 名册或 --no-store）"


@dataclass
class ScreeningOutcome:
    run: ScreeningRun | None  # None when not stored (--no-store)
    totals: Totals
    seconds: float
    parameter_version: str
    results_path: Path | None = None


def screening_household_total(*, roster_dir: Path | None = None) -> int:
    """How many households a screening of this source will assess (for the progress bar)."""
    if roster_dir is None:
        return Household.objects.count()
    parquet_roster_check(roster_dir)
    return parquet_key_span(roster_dir)[2]


def screening_run(*, on: dt.date, roster_dir: Path | None = None, store: bool = True, by: Any = None,
                  chunk: int = CHUNK_HOUSEHOLDS, progress: Callable[[int], None] | None = None,
                  params: ParameterSet | None = None, alerts: bool = False) -> ScreeningOutcome:
    """Screen the registry (or the Parquet roster in `roster_dir`) as of `on`.

    1. A run row is written first (status 进行中), so a crash leaves a visible failed run.
    2. Chunk by chunk of household keys: load, `assess_frame`, store results (registry) or write a
       part file beside the roster (Parquet). With `alerts` (registry runs that store only), the
       department facts enter each chunk's roster and each chunk's findings are kept (alerting.py).
    3. With `alerts`, the findings the previous run did not have are raised as alerts, in bulk.
    4. The run gets its counts, parameter values and duration; on error it is marked 失败 and no
       result or alert of it remains.
    """
    if alerts and (roster_dir is not None or not store):
        raise ValueError(ALERTS_NEED_REGISTRY)
    params = params or effective_parameters()
    roster_dir = roster_dir.resolve() if roster_dir is not None else None  # results_path must not hang on cwd
    source = ScreeningRun.REGISTRY if roster_dir is None else str(roster_dir)
    run = _run_start(on=on, source=source, params=params, by=by) if store else None
    started = time.monotonic()
    try:
        with transaction.atomic():
            alerting = AlertScreening(run=run, on=on, params=params) if alerts else None
            totals, results_path = _screen(on=on, roster_dir=roster_dir, run=run, chunk=chunk, params=params,
                                           progress=progress, alerting=alerting)
            raised = alerting.raise_alerts(by=by) if alerting is not None else None
            seconds = time.monotonic() - started
            if run is not None:
                _run_finish(run, totals=totals, seconds=seconds, results_path=results_path, by=by, alerts=raised)
    except BaseException as error:
        if run is not None:
            _run_failed(run, error=error, seconds=time.monotonic() - started)
        raise
    return ScreeningOutcome(run, totals, seconds, params.version(), results_path)


def _screen(*, on: dt.date, roster_dir: Path | None, run: ScreeningRun | None, chunk: int, params: ParameterSet,
            progress: Callable[[int], None] | None,
            alerting: AlertScreening | None = None) -> tuple[Totals, Path | None]:
    if roster_dir is not None:
        return parquet_screen(roster_dir, on=on, params=params, store=run is not None, chunk=chunk,
                              started=timezone.localtime(run.started_at) if run else None, progress=progress)
    span = Household.objects.aggregate(low=Min("pk"), high=Max("pk"))
    ranges = [] if span["low"] is None else key_ranges(span["low"], span["high"], chunk=chunk)
    loaded: dict[str, pl.DataFrame] = {}

    def load(bounds: tuple[int, int]) -> Roster:
        chunk_roster = registry_roster(pk_from=bounds[0], pk_to=bounds[1])
        loaded["member_pks"] = chunk_roster.member_pks
        return alerting.load(chunk_roster) if alerting is not None else chunk_roster.roster

    def store(results: pl.DataFrame, assessed: Assessed, roster: Roster) -> None:
        if alerting is not None:
            results = alerting.examine(results)
        if run is not None:
            screening_results_store(run=run, results=results, member_pks=loaded["member_pks"])

    return screen_chunks(load, ranges, on=on, params=params, each=store, progress=progress), None


def _run_start(*, on: dt.date, source: str, params: ParameterSet, by: Any) -> ScreeningRun:
    user = by if getattr(by, "is_authenticated", False) else None
    return ScreeningRun.objects.create(started_at=timezone.now(), as_of=on, source=source, started_by=user,
                                       parameter_version=params.version())


def _run_finish(run: ScreeningRun, *, totals: Totals, seconds: float, results_path: Path | None, by: Any,
                alerts: dict[str, int] | None = None) -> None:
    run.finished_at = timezone.now()
    run.duration = round(seconds, 3)
    run.household_count = totals.households
    run.counts = totals.counts() if alerts is None else {**totals.counts(), "alerts": alerts}
    run.parameters = totals.parameters_json()
    run.results_path = str(results_path or "")
    run.status = ScreeningRun.Status.DONE
    run.save()
    audit_record(by=by, action="screening.run", object_type="screening_run", object_id=run.pk,
                 object_label=str(run), detail={"as_of": run.as_of.isoformat(), "households": totals.households,
                                                "source": "registry" if run.source == run.REGISTRY else "parquet"})


def _run_failed(run: ScreeningRun, *, error: BaseException, seconds: float) -> None:
    ScreeningRun.objects.filter(pk=run.pk).update(
        status=ScreeningRun.Status.FAILED, finished_at=timezone.now(), duration=round(seconds, 3),
        error=(str(error) or type(error).__name__)[:2000])


def screening_results_store(*, run: ScreeningRun, results: pl.DataFrame, member_pks: pl.DataFrame) -> None:
    """Every household's result of one chunk, in bulk; 特困 members as registry member ids."""
    tekun = (results.select("hh_key", "tekun_member_nos").explode("tekun_member_nos")
             .rename({"tekun_member_nos": "member_no"}).drop_nulls()
             .join(member_pks, on=["hh_key", "member_no"], how="left")
             .group_by("hh_key").agg(pl.col("member_pk").sort().alias("tekun_pks")))
    rows = results.join(tekun, on="hh_key", how="left", maintain_order="left")
    ScreeningResult.objects.bulk_create((_result(run, row) for row in rows.iter_rows(named=True)),
                                        batch_size=BATCH)


def _result(run: ScreeningRun, row: dict[str, Any]) -> ScreeningResult:
    return ScreeningResult(
        run=run, household_id=row["hh_key"], hh_key=row["hh_key"], categories=row["categories"], tags=row["tags"],
        risks=row["risks"], monitoring_candidate=bool(row["monitoring_candidate"]),
        counted_members=row["counted_members"] or 0,
        per_capita_income_monthly_fen=row["per_capita_income_monthly_fen"] if row["status"] == "ok" else None,
        dibao_monthly=row["dibao_monthly"] or 0, tekun_monthly=row["tekun_monthly"] or 0,
        tekun_members=row["tekun_pks"] or [], error=(row["error"] or "")[:200], findings=row.get("findings") or [])


SCREENING_JOB = "monitoring.screen"
SCREENING_BUSY = "已有一次筛查在排队或运行中，请等它完成后再发起"
CANNOT_SCREEN = "您的角色不能发起筛查"


def screening_enqueue(*, by: Any, on: dt.date) -> Job:
    """Queue a registry screening with alerts as a background job (one at a time)."""
    if not has_capability(by, Capability.RUN_SCREENING):
        raise PermissionError(CANNOT_SCREEN)
    if Job.objects.filter(kind=SCREENING_JOB, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists():
        raise ValueError(SCREENING_BUSY)
    job = job_enqueue(SCREENING_JOB, by=by, label=f"动态监测筛查（基准日 {on}）", args={"on": on.isoformat()})
    audit_record(by=by, action="screening.queue", object_type="job", object_id=job.pk,
                 object_label=job.label, detail={"on": on.isoformat()})
    return job
