"""The append-only record of every view, reveal, export and change of personal data.

Rows are never updated or deleted: database triggers refuse it (see the migration), so not even
a stray ORM call or an administrator's SQL console can rewrite the trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "查看"
        REVEAL = "reveal", "查看完整身份证号"
        EXPORT = "export", "导出"
        CREATE = "create", "新增"
        CHANGE = "change", "修改"
        MOVE = "move", "成员迁移"
        SEARCH = "search", "检索"
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_username = models.CharField("账号", max_length=150)
    actor_role = models.CharField("角色", max_length=32, blank=True)
    action = models.CharField("操作", max_length=16, choices=Action.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=32, blank=True)
    object_id = models.CharField("对象", max_length=64, blank=True, db_index=True)
    object_label = models.CharField("对象说明", max_length=200, blank=True)
    region_code = models.CharField("区划", max_length=15, blank=True, db_index=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        verbose_name = "操作留痕"
        verbose_name_plural = "操作留痕"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.get_action_display()} {self.object_label}"
