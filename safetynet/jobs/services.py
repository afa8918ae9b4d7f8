"""Enqueue, claim, run and recover background jobs.

A handler is a plain function registered under a kind:

    @job_handler("feeds.import")
    def feed_import_job(job: Job, progress: Progress) -> dict: ...

It runs in the worker process (`manage.py jobs_worker`), reports progress, and returns a small JSON result.
Handlers live in `<app>/jobs.py`, which the worker imports at start (autodiscovery).
A handler must leave nothing half-written when its process is killed: it writes in one transaction.
"""

from __future__ import annotations

import datetime

import logging
import os
import socket
import time
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from safetynet.jobs.models import Job

logger = logging.getLogger(__name__)

Handler = Callable[[Job, "Progress"], dict]
_HANDLERS: dict[str, Handler] = {}
_ON_INTERRUPT: dict[str, Callable[[Job], None]] = {}

# A worker on another machine that has not written for this long is taken for dead.
STALE_AFTER = timedelta(minutes=15)
PROGRESS_EVERY_SECONDS = 0.5

MESSAGE_INTERRUPTED = "任务运行中被中断（后台进程被终止或服务器重启），未写入任何数据，可重新运行"
MESSAGE_NOT_RERUNNABLE = "只有失败或已中断的任务可以重新运行"


class JobError(Exception):
    """A failure the user can act on: its (Chinese) message is shown as the job's error."""


def job_handler(kind: str, *, on_interrupt: Callable[[Job], None] | None = None) -> Callable[[Handler], Handler]:
    """Register `handler` for `kind`. `on_interrupt(job)` runs when a restart finds the job's process dead."""

    def register(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        if on_interrupt is not None:
            _ON_INTERRUPT[kind] = on_interrupt
        return handler

    return register


Schedule = Callable[[datetime.datetime], None]
_SCHEDULES: dict[str, Schedule] = {}


def job_schedule(name: str) -> Callable[[Schedule], Schedule]:
    """Register `check(now)`, which a worker started with `--schedule` calls about once a minute; it enqueues
    the job that is due (e.g. the monthly screening) and must be cheap and idempotent (several workers may
    call it; it decides from what the database holds, not from memory)."""

    def register(check: Schedule) -> Schedule:
        _SCHEDULES[name] = check
        return check

    return register


def schedules_run(now: datetime.datetime) -> None:
    for name, check in _SCHEDULES.items():
        try:
            check(now)
        except Exception:  # noqa: BLE001 — one failing schedule must not stop the worker or the others
            logger.exception("schedule %s failed", name)


def handlers_load() -> None:
    autodiscover_modules("jobs")


def job_enqueue(kind: str, *, by: Any, label: str, args: dict) -> Job:
    """Queue a job; a worker picks it up within a second or two."""
    user = by if getattr(by, "is_authenticated", False) else None
    return Job.objects.create(kind=kind, label=label[:200], args=args, created_by=user)


def job_rerun(job: Job, *, by: Any) -> Job:
    """Queue a failed or interrupted job again (same row, so what points at it stays valid)."""
    updated = Job.objects.filter(pk=job.pk, status__in=[Job.Status.FAILED, Job.Status.INTERRUPTED]).update(
        status=Job.Status.QUEUED, done=0, total=None, message="", error="", result={}, started_at=None,
        finished_at=None, worker="", heartbeat_at=None)
    if not updated:
        raise JobError(MESSAGE_NOT_RERUNNABLE)
    job.refresh_from_db()
    return job


def _in_transaction() -> bool:
    """True inside a real atomic block (a test case's wrapping transaction does not count)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


class Progress:
    """progress(done, total=None, message="") — saved at most every half second, never inside a transaction.

    SQLite has one writer: while a handler's write transaction is open, another connection cannot
    write, and a progress row written on the same connection would vanish with a rollback. So inside
    a transaction the call only remembers the figures; they are saved by the next call outside one.
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self._saved_at = 0.0

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        news = bool(message) and message[:200] != self.job.message
        self.job.done = done
        if total is not None:
            self.job.total = total
        if message:
            self.job.message = message[:200]
        now = time.monotonic()
        due = news or done == self.job.total or now - self._saved_at >= PROGRESS_EVERY_SECONDS
        if _in_transaction() or not due:
            return
        self._saved_at = now
        Job.objects.filter(pk=self.job.pk).update(done=self.job.done, total=self.job.total,
                                                  message=self.job.message, heartbeat_at=timezone.now())


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def job_claim_next(*, worker: str | None = None) -> Job | None:
    """Claim the oldest queued job. Safe with several workers, on SQLite or PostgreSQL."""
    job = Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at", "pk").first()
    if job is None:
        return None
    now = timezone.now()
    claimed = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, worker=worker or worker_name(),
        attempts=job.attempts + 1)
    if claimed != 1:
        return None  # another worker took it first
    job.refresh_from_db()
    return job


def job_run(job: Job) -> Job:
    """Run a claimed job's handler and record how it ended."""
    handler = _HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise JobError(f"未知的任务类型：{job.kind}")
        result = handler(job, Progress(job))
    except Exception as error:  # noqa: BLE001 — every failure is recorded on the job, the worker goes on
        message = str(error) if isinstance(error, JobError) else f"内部错误：{type(error).__name__}"
        if not isinstance(error, JobError):
            logger.error("job %s (%s) failed:\n%s", job.pk, job.kind, traceback.format_exc())
        return _finish(job, status=Job.Status.FAILED, error=message)
    return _finish(job, status=Job.Status.DONE, result=result or {})


def _finish(job: Job, *, status: str, result: dict | None = None, error: str = "") -> Job:
    fields = {"status": status, "finished_at": timezone.now(), "error": error, "result": result or {}}
    if status == Job.Status.DONE and job.total is not None:
        fields["done"] = job.total
    Job.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def _process_alive(worker: str) -> bool | None:
    """Whether the worker process is alive; None when it runs on another machine."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def jobs_recover(*, keep: str = "") -> list[Job]:
    """Mark running jobs whose process is gone as interrupted (at worker start and now and then).

    `keep` names the calling worker, whose own running job is not a dead one. A handler's writes are
    one transaction, so a dead run has written nothing; `on_interrupt` lets the owning app say so.
    """
    stale_before = timezone.now() - STALE_AFTER
    interrupted = []
    for job in Job.objects.filter(status=Job.Status.RUNNING).exclude(worker=keep):
        alive = _process_alive(job.worker)
        if alive or alive is None and job.heartbeat_at and job.heartbeat_at > stale_before:
            continue
        with transaction.atomic():
            if not Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=job.worker).update(
                    status=Job.Status.INTERRUPTED, error=MESSAGE_INTERRUPTED, finished_at=timezone.now()):
                continue
            job.refresh_from_db()
            if job.kind in _ON_INTERRUPT:
                _ON_INTERRUPT[job.kind](job)
        interrupted.append(job)
    return interrupted


def job_run_now(job: Job, *, worker: str | None = None) -> Job:
    """Claim this queued job and run it in the calling process (command-line use)."""
    now = timezone.now()
    if not Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, worker=worker or worker_name(),
            attempts=job.attempts + 1):
        raise JobError("该任务已由后台进程运行")
    job.refresh_from_db()
    return job_run(job)


def jobs_run_pending(*, worker: str | None = None, limit: int | None = None) -> int:
    """Run queued jobs until none is left (or `limit`); the worker loop and tests use it."""
    ran = 0
    while limit is None or ran < limit:
        job = job_claim_next(worker=worker)
        if job is None:
            break
        job_run(job)
        ran += 1
    return ran
