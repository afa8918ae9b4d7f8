"""`manage.py jobs_worker`: run background jobs from the database queue (started by `make run`)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from safetynet.jobs.services import handlers_load, jobs_recover, jobs_run_pending, worker_name

RECOVER_EVERY_SECONDS = 60


class Command(BaseCommand):
    help = "运行后台任务（导入、筛查等）。启动时把上次被中断的任务标记为“已中断”。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--until-empty", action="store_true", help="队列为空时退出（测试、脚本用）")
        parser.add_argument("--poll", type=float, default=1.0, help="队列为空时每隔几秒查看一次")

    def handle(self, *args: Any, until_empty: bool = False, poll: float = 1.0, **options: Any) -> None:
        handlers_load()
        me = worker_name()
        for job in jobs_recover(keep=me):
            self.stdout.write(f"任务 {job.pk}（{job.label}）上次运行被中断，已标记")
        recovered_at = time.monotonic()
        while True:
            ran = jobs_run_pending(worker=me, limit=1)
            if until_empty and not ran:
                return
            if not ran:
                close_old_connections()
                time.sleep(poll)
            if time.monotonic() - recovered_at > RECOVER_EVERY_SECONDS:
                jobs_recover(keep=me)
                recovered_at = time.monotonic()
