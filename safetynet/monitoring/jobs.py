"""Background jobs of monitoring: a screening run with alerts, started from the screening page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safetynet.jobs.models import Job
from safetynet.jobs.services import Progress, job_enqueue, job_handler, job_schedule
from safetynet.monitoring.models import ScreeningRun
from safetynet.monitoring.services import SCREENING_JOB, screening_household_total, screening_run
from safetynet.registry.models import Household

MONTHLY_LABEL = "每月定期筛查（基准日 {on}）"

INTERRUPTED = "筛查任务被中断（后台进程被终止或服务器重启），本次筛查的结果和预警均未写入，可重新运行"


def _interrupted(job: Job) -> None:
    """The run row was written before the work's transaction: mark it failed (its results were rolled back)."""
    ScreeningRun.objects.filter(status=ScreeningRun.Status.RUNNING, pk=job.result.get("run")).update(
        status=ScreeningRun.Status.FAILED, finished_at=timezone.now(), error=INTERRUPTED)
    ScreeningRun.objects.filter(status=ScreeningRun.Status.RUNNING, started_by=job.created_by,
                                started_at__gte=job.started_at or job.created_at).update(
        status=ScreeningRun.Status.FAILED, finished_at=timezone.now(), error=INTERRUPTED)


@job_handler(SCREENING_JOB, on_interrupt=_interrupted)
def screening_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Screen the registry as of `args["on"]` with alerts (the same as `safetynet screen --alerts`)."""
    on = dt.date.fromisoformat(job.args["on"])
    total = screening_household_total()
    progress(0, total, "筛查中")
    done = 0

    def step(n: int) -> None:  # saved only between transactions (the run is one): the bar moves at the end
        nonlocal done
        done += n
        progress(done, total, "筛查中")

    outcome = screening_run(on=on, by=job.created_by, alerts=True, progress=step)
    run = outcome.run
    assert run is not None
    progress(total, total, "已完成")
    return {"run": run.pk, "households": run.household_count, "alerts": run.counts.get("alerts", {})}


@job_schedule("monitoring.monthly_screening")
def monthly_screening(now: dt.datetime) -> Job | None:
    """每月定期筛查: once a calendar month, the first time a scheduling worker looks (make run's worker does),
    unless a registry run with alerts already ran this month or a screening is queued or running."""
    today = timezone.localdate(now)
    month_start = today.replace(day=1)
    ran = ScreeningRun.objects.filter(source=ScreeningRun.REGISTRY, as_of__gte=month_start,
                                      status__in=[ScreeningRun.Status.DONE, ScreeningRun.Status.RUNNING],
                                      counts__has_key="alerts")
    busy = Job.objects.filter(kind=SCREENING_JOB, status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
    if ran.exists() or busy.exists() or not Household.objects.exists():
        return None
    return job_enqueue(SCREENING_JOB, by=None, label=MONTHLY_LABEL.format(on=today), args={"on": today.isoformat()})
