"""Periodic review (定期核查) records and 风险消除 cases.

Rows are written by `safetynet.reviews.services` only; a status change they decide is written by
`safetynet.intake.services.status` (the household's dated status history) and linked here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safetynet.accounts.scoping import RegionScopedQuerySet

MONEY = {"max_digits": 12, "decimal_places": 2, "default": 0}


class PeriodicReview(models.Model):
    """定期核查: the household as it now stands, the engine's assessment of it, and the outcome."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", "继续保障"
        ADJUST = "adjust", "调整类别或金额"
        TAPER = "taper", "渐退"
        STOP = "stop", "停止保障"

    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT,
                                  related_name="periodic_reviews")
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", on_delete=models.PROTECT,
                               related_name="+")  # copied from the household: scoping without a join
    reviewed_on = models.DateField("核查日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核查人", on_delete=models.PROTECT,
                           related_name="+")
    status_before = models.ForeignKey("intake.HouseholdStatus", verbose_name="核查时的救助状态",
                                      on_delete=models.PROTECT, related_name="+")
    # The registry document and the engine's assessment of it on `reviewed_on` ({"error": ...} if none).
    document = models.JSONField("核查所用家庭信息", default=dict)
    assessment = models.JSONField("系统核算结果", default=dict)
    outcome = models.CharField("核查结果", max_length=12, choices=Outcome.choices)
    reason = models.TextField("理由")
    effective_from = models.DateField("变更生效日期", null=True, blank=True)  # none for 继续保障
    taper_until = models.DateField("渐退期至", null=True, blank=True)
    status_after = models.ForeignKey("intake.HouseholdStatus", verbose_name="核查后的救助状态",
                                     on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # What set the next due date: the interval in months and whether the 6-month rule applied.
    interval_months = models.PositiveSmallIntegerField("核查间隔（月）", null=True, blank=True)
    unstable_income = models.BooleanField("收入不稳定且有劳动能力成员", default=False)
    next_due_on = models.DateField("下次核查日期", null=True, blank=True)  # none: no longer under review
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "定期核查"
        verbose_name_plural = "定期核查"
        ordering = ["-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["household", "reviewed_on"], name="review_household_date")]

    def __str__(self) -> str:
        return f"定期核查 {self.reviewed_on}（{self.get_outcome_display()}）"


class RiskElimination(models.Model):
    """风险消除: verification, a masked village notice, then county rural affairs confirms (or not)."""

    class State(models.TextChoices):
        VERIFIED = "verified", "已核实，待公示"
        PUBLICITY = "publicity", "公示中"
        CONFIRMED = "confirmed", "已确认风险消除"
        REFUSED = "refused", "未予消除"

    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT,
                                  related_name="risk_eliminations")
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.VERIFIED)
    # What made the household a candidate: {"months_above": n, "since": date, "runs": [...], "line": ...}
    evidence = models.JSONField("筛查依据", default=dict)
    verified_on = models.DateField("核实日期")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核实人", on_delete=models.PROTECT,
                                    related_name="+")
    staff_names = models.JSONField("核实人员", default=list)
    findings = models.TextField("核实情况")
    document = models.JSONField("核实所用家庭信息", default=dict)
    assessment = models.JSONField("系统核算结果", default=dict)
    publicity_start = models.DateField("公示开始", null=True, blank=True)
    publicity_end = models.DateField("公示截止", null=True, blank=True)  # the last day shown (inclusive)
    masked_name = models.CharField("公示姓名", max_length=32, blank=True)
    notice_text = models.TextField("公示内容", blank=True)
    publicity_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公示发起人", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    objection = models.TextField("公示异议", blank=True)
    decided_on = models.DateField("确认日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decision_reason = models.TextField("确认意见/理由", blank=True)
    status_after = models.ForeignKey("intake.HouseholdStatus", verbose_name="消除后的救助状态",
                                     on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)  # optimistic lock: every step bumps it

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "风险消除"
        verbose_name_plural = "风险消除"
        ordering = ["-verified_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=models.Q(state__in=["verified", "publicity"]),
                                    name="one_open_elimination_per_household"),
            models.CheckConstraint(condition=~models.Q(state="refused") | ~models.Q(decision_reason=""),
                                   name="refused_elimination_has_reason"),
        ]

    def __str__(self) -> str:
        return f"风险消除（{self.get_state_display()}）"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.VERIFIED, self.State.PUBLICITY)
