"""Screening runs (筛查) and each household's result in a run.

Runs are kept: a new run never replaces an earlier one, so two runs can be compared household by
household (who entered or left a category). A result stores codes and amounts, never ID numbers:
特困 members are referred to by their registry member ids.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ScreeningRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    REGISTRY = "registry"

    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    duration = models.FloatField("用时（秒）", null=True, blank=True)
    as_of = models.DateField("认定基准日")
    parameter_version = models.CharField("参数版本", max_length=64, blank=True)
    # {name: {region: {value, since, region, status, source, origin}}}: the values the rules used
    parameters = models.JSONField("所用参数取值", default=dict)
    source = models.CharField("名册来源", max_length=500, help_text="registry（家庭档案库）或 Parquet 名册目录")
    results_path = models.CharField("结果文件", max_length=500, blank=True)
    household_count = models.PositiveIntegerField("户数", default=0)
    # {"categories": {code: n}, "no_category": n, "tags": {...}, "monitoring_candidate": n, "risks": {...},
    #  "tekun_members": n, "errors": n}
    counts = models.JSONField("分类统计", default=dict)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.RUNNING)
    error = models.TextField("失败原因", blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "筛查批次"
        verbose_name_plural = "筛查批次"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"筛查 #{self.pk}（{self.as_of}，{self.get_status_display()}）"


class ScreeningResult(models.Model):
    """One household in one run. `household` is kept null-able so a result outlives a merged household."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="results")
    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="screening_results")
    hh_key = models.BigIntegerField("名册户键")
    categories = models.JSONField("类别", default=list)
    tags = models.JSONField("标识", default=list)
    risks = models.JSONField("风险", default=list)
    monitoring_candidate = models.BooleanField("监测预警候选", default=False)
    counted_members = models.PositiveSmallIntegerField("共同生活人数", default=0)
    per_capita_income_monthly_fen = models.BigIntegerField("月人均收入（分）", null=True, blank=True)
    dibao_monthly = models.IntegerField("低保金（元/月）", default=0)
    tekun_monthly = models.IntegerField("特困供养金（元/月）", default=0)
    tekun_members = models.JSONField("特困人员（成员内部编号）", default=list)
    error = models.CharField("不能认定的原因", max_length=200, blank=True)
    # "kind:code" of what this run found for the household (alerts.Finding); a finding already found by the
    # previous run is not raised again, so a closed alert is not re-opened by the next monthly run
    findings = models.JSONField("筛查发现", default=list)

    class Meta:
        verbose_name = "筛查结果"
        verbose_name_plural = "筛查结果"
        ordering = ["run", "hh_key"]
        constraints = [models.UniqueConstraint(fields=["run", "hh_key"], name="one_result_per_household_and_run")]
        indexes = [models.Index(fields=["household", "run"], name="screening_result_household")]


class Alert(models.Model):
    """预警: something to go and check about a household, with an owner, a deadline and an outcome.

    Raised by screening (a risk, a proposed change of category, a monitoring candidate, a conflict with
    what the family declared) or by a grid worker's visit (主动发现). An open alert is never raised twice:
    (household, kind, code) is unique among alerts that are not closed.
    """

    class Kind(models.TextChoices):
        RISK = "risk", "新增风险"
        CATEGORY_CHANGE = "category_change", "类别变化"
        MONITORING_CANDIDATE = "monitoring_candidate", "监测对象候选"
        UNDECLARED_VEHICLE = "undeclared_vehicle", "登记车辆未申报"
        UNDECLARED_BUSINESS = "undeclared_business", "登记市场主体未申报"
        UNDECLARED_PROPERTY = "undeclared_property", "登记房产未申报"
        MEMBER_DEATH = "member_death", "共同生活成员死亡"
        WAGES_WHILE_UNEMPLOYED = "wages_while_unemployed", "申报无业但有就业登记"
        UNDECLARED_INCOME = "undeclared_income", "收入核查高于认定收入"
        VISIT_FINDING = "visit_finding", "走访发现"

    class Status(models.TextChoices):
        NEW = "new", "新预警"
        ASSIGNED = "assigned", "已分派"
        VERIFYING = "verifying", "核实中"
        CLOSED = "closed", "已办结"

    class Outcome(models.TextChoices):
        APPLICATION_STARTED = "application_started", "已启动救助申请"
        STATUS_ADJUSTED = "status_adjusted", "已调整救助状态"
        NO_ACTION = "no_action", "经核实无需处理"

    kind = models.CharField("预警类型", max_length=24, choices=Kind.choices)
    # What makes two alerts of one kind the same: the risk code, "dibao>none", the feed record's kind…
    code = models.CharField("预警编码", max_length=64, blank=True)
    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT,
                                  related_name="alerts")
    member = models.ForeignKey("registry.Member", verbose_name="相关成员", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="alerts")
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    suspected_fraud = models.BooleanField("疑似虚报/隐瞒", default=False)
    # {"text": 中文说明, "rule": rule name, "feed_records": [ids], "screening_run": id, "visit": id, ...}
    evidence = models.JSONField("依据", default=dict)
    screening_run = models.ForeignKey(ScreeningRun, verbose_name="筛查批次", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="alerts")
    raised_on = models.DateField("预警日期")
    due_on = models.DateField("办理期限")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="alerts")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.NEW)
    outcome = models.CharField("办理结果", max_length=24, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField("结果说明", blank=True)
    # outcome "application started": the intake application it led to
    application = models.ForeignKey("intake.Application", verbose_name="启动的救助申请", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="alerts")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办结人", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["household", "kind", "code"], condition=~models.Q(status="closed"),
                                    name="one_open_alert_per_household_kind_code"),
            models.CheckConstraint(condition=~models.Q(status="closed") | ~models.Q(outcome=""),
                                   name="closed_alert_has_outcome"),
        ]
        indexes = [models.Index(fields=["region", "status"], name="alert_region_status"),
                   models.Index(fields=["owner", "status"], name="alert_owner_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"
