"""Background jobs (后台任务): one row per piece of work, claimed by a worker process.

No extra service: the queue is this table in the application's own database, and `manage.py jobs_worker`
(started next to the web server by `make run`) claims rows with a conditional UPDATE, so several workers
on SQLite or PostgreSQL never run the same job twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"
        INTERRUPTED = "interrupted", "已中断"

    kind = models.CharField("任务类型", max_length=64)
    label = models.CharField("名称", max_length=200)
    args = models.JSONField("参数", default=dict)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveBigIntegerField("已处理", default=0)
    total = models.PositiveBigIntegerField("总数", null=True, blank=True)
    message = models.CharField("进度说明", max_length=200, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("失败原因", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    # which process runs it ("host:pid") and when it last said so: how a restart tells a dead run
    worker = models.CharField("运行进程", max_length=100, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("运行次数", default=0)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_created")]

    def __str__(self) -> str:
        return f"{self.label}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.INTERRUPTED}
