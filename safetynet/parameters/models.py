"""Dated parameter values added by county administrators: an overlay on the parameter files.

Rows are never updated or deleted (database triggers refuse it, see the migration): a new figure
is a new row with its own `since`, so every past assessment stays reproducible with the values
that were in force on its date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ParameterValue(models.Model):
    class Status(models.TextChoices):
        KNOWN = "K", "K 文件规定（有文件名称及条款）"
        PENDING = "P", "P 待确认（暂定值）"

    name = models.CharField("参数", max_length=100)
    region = models.CharField("区划", max_length=15)
    value = models.DecimalField("参数值", max_digits=16, decimal_places=4)
    since = models.DateField("生效日期")
    status = models.CharField("状态", max_length=1, choices=Status.choices)
    source = models.CharField("依据（文件及条款）", max_length=300)
    reason = models.TextField("调整理由", max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="添加人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "政策参数取值"
        verbose_name_plural = "政策参数取值"
        ordering = ["name", "region", "since"]
        constraints = [
            models.UniqueConstraint(fields=["name", "region", "since"], name="parameter_value_unique_date"),
            models.CheckConstraint(condition=models.Q(status__in=["K", "P"]), name="parameter_value_status"),
            models.CheckConstraint(condition=~models.Q(source=""), name="parameter_value_has_source"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="parameter_value_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.region} {self.since:%Y-%m-%d} = {self.value}"
