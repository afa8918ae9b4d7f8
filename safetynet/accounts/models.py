"""Staff accounts. Each user has one role and is bound to a region or, for department clerks, a department."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from safetynet.accounts.choices import Department, Role


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=64, blank=True)
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所属区划", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    department = models.CharField("所属部门", max_length=32, choices=Department.choices, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role=Role.DEPARTMENT_CLERK) & ~models.Q(department="")
                    | ~models.Q(role=Role.DEPARTMENT_CLERK) & models.Q(region__isnull=False)
                    | models.Q(is_superuser=True)
                ),
                name="user_bound_to_region_or_department",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A personal API token (接口令牌). Only its SHA-256 hash is stored; the token is shown once."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("名称", max_length=100)
    token_hash = models.CharField("令牌摘要（SHA-256）", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.name}"
