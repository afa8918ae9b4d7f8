"""`manage.py jobs_worker`: run background jobs from the database queue (started by `make run`)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from safetynet.jobs.services import handlers_load, jobs_recover, jobs_run_pending, schedules_run, worker_name

RECOVER_EVERY_SECONDS = 60
SCHEDULE_EVERY_SECONDS = 60


class Command(BaseCommand):
    help = "运行后台任务（导入、筛查等）。启动时把上次被中断的任务标记为“已中断”。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--until-empty", action="store_true", help="队列为空时退出（测试、脚本用）")
        parser.add_argument("--poll", type=float, default=1.0, help="队列为空时每隔几秒查看一次")
        parser.add_argument("--schedule", action="store_true",
                            help="同时负责定期任务（如每月定期筛查）；make run 启动的进程带此参数")

    def handle(self, *args: Any, until_empty: bool = False, poll: float = 1.0, schedule: bool = False,
               **options: Any) -> None:
        handlers_load()
        me = worker_name()
        for job in jobs_recover(keep=me):
            self.stdout.write(f"任务 {job.pk}（{job.label}）上次运行被中断，已标记")
        recovered_at = time.monotonic()
        scheduled_at = -SCHEDULE_EVERY_SECONDS
        while True:
            if schedule and time.monotonic() - scheduled_at >= SCHEDULE_EVERY_SECONDS:
                schedules_run(timezone.now())
                scheduled_at = time.monotonic()
            ran = jobs_run_pending(worker=me, limit=1)
            if until_empty and not ran:
                return
            if not ran:
                close_old_connections()
                time.sleep(poll)
            if time.monotonic() - recovered_at > RECOVER_EVERY_SECONDS:
                jobs_recover(keep=me)
                recovered_at = time.monotonic()
