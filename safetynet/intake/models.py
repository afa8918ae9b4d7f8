"""The one-window path (一门受理): an application and everything recorded on its way to a decision.

Rows are written by `safetynet.intake.services` only. Every step leaves an ApplicationEvent (the
case's history) and an AuditEvent. Deadlines are not stored: they are computed from the dates
below on the official calendar (intake.deadlines), so adding a year's holidays corrects them all.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models

from safetynet.accounts.scoping import RegionScopedQuerySet
from safetynet.intake.uploads import authorization_path, photo_path

MONEY = {"max_digits": 12, "decimal_places": 2, "default": 0}

CATEGORIES: dict[str, str] = {
    "tekun": "特困人员", "dibao": "最低生活保障（低保）", "dibao_edge": "低保边缘家庭",
    "rigid_expense": "刚性支出困难家庭",
}
TAG = "monitoring_object"
TAG_LABEL = "防止返贫监测对象"
ITEMS: dict[str, str] = {**CATEGORIES, TAG: TAG_LABEL}  # what a review decides, in DOMAIN §1 order


class Application(models.Model):
    """One application (申请) covering every category, for a new or an existing household."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "已申请"
        CORRECTION_REQUESTED = "correction_requested", "待补正"
        RESUBMITTED = "resubmitted", "已补正"
        ACCEPTED = "accepted", "已受理"
        INVESTIGATING = "investigating", "调查核实"
        REVIEWING = "reviewing", "分类审核"
        PUBLICITY = "publicity", "公示"
        CONFIRMED = "confirmed", "已确认"
        REFUSED = "refused", "不予确认"
        EFFECTIVE = "effective", "已生效"
        WITHDRAWN = "withdrawn", "已撤回"
        TERMINATED = "terminated", "已终止"

    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT,
                                  related_name="applications")
    region = models.ForeignKey("regions.Region", verbose_name="所在村（社区）", on_delete=models.PROTECT,
                               related_name="+")  # copied from the household: scoping without a join
    applicant = models.ForeignKey("registry.Member", verbose_name="申请人", on_delete=models.PROTECT,
                                  related_name="applications")
    requested_categories = models.JSONField("申请类别", default=list)  # codes of CATEGORIES
    requested_tag = models.BooleanField("申请纳入防止返贫监测", default=False)
    authorization = models.FileField("核对授权书（扫描件）", upload_to=authorization_path, blank=True)
    authorization_name = models.CharField("授权书原文件名", max_length=100, blank=True)
    note = models.TextField("申请说明", blank=True)
    # The household document as the family declared it at 申请 (or at 补正): the application form prints it,
    # and later comparisons (虚报/隐瞒) start from it; the registry row moves on with every correction.
    declared_document = models.JSONField("申报的家庭信息", default=dict)
    state = models.CharField("状态", max_length=24, choices=State.choices, default=State.SUBMITTED)
    submitted_on = models.DateField("申请日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)  # confirmed/refused/withdrawn/terminated
    extended = models.BooleanField("已延长办理时限", default=False)
    extension_reason = models.TextField("延长理由", blank=True)
    extended_on = models.DateField("延长日期", null=True, blank=True)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="延长人", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)  # optimistic lock: every service bumps it

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "救助申请"
        verbose_name_plural = "救助申请"
        ordering = ["-submitted_on", "-pk"]
        indexes = [models.Index(fields=["region", "state"]), models.Index(fields=["state", "submitted_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """申请编号, e.g. SQ2025000012: the year of 申请 and the row id."""
        return f"SQ{self.submitted_on:%Y}{self.pk or 0:06d}"

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED_STATES


CLOSED_STATES = frozenset({Application.State.CONFIRMED, Application.State.REFUSED, Application.State.EFFECTIVE,
                           Application.State.WITHDRAWN, Application.State.TERMINATED})


class ApplicationEvent(models.Model):
    """One step of a case: a transition (from → to) or a record made within a state (to == from)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=32)  # the service's verb: "accept", "visit_record", ...
    from_state = models.CharField("原状态", max_length=24, choices=Application.State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=24, choices=Application.State.choices)
    on = models.DateField("办理日期")
    at = models.DateTimeField("记录时间", auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.PROTECT,
                           related_name="+")
    by_role = models.CharField("办理人角色", max_length=32, blank=True)
    note = models.TextField("说明/理由", blank=True)
    detail = models.JSONField("详情", default=dict)  # never full ID numbers

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["pk"]


class CorrectionNotice(models.Model):
    """补正告知: ONE notice listing everything missing (一次性告知); the family's resubmission closes it."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="correction")
    items = models.JSONField("需补正材料", default=list)  # ["户口簿复印件", ...]
    issued_on = models.DateField("告知日期")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField("补正日期", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    closing_note = models.TextField("补正情况", blank=True)

    class Meta:
        verbose_name = "补正告知"
        verbose_name_plural = "补正告知"


class Investigation(models.Model):
    """One round of 调查核实: the first after 受理, another after each objection during 公示."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="investigations")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="调查人员", related_name="+")
    started_on = models.DateField("开始日期")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("缘由", max_length=100, default="受理后调查核实")

    class Meta:
        verbose_name = "调查核实"
        verbose_name_plural = "调查核实"
        ordering = ["round"]
        constraints = [models.UniqueConstraint(fields=["application", "round"], name="one_investigation_per_round")]


class HomeVisit(models.Model):
    """入户调查记录: who went, what they saw, and the household's data as compared at that moment."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="visits")
    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField("入户日期")
    staff_names = models.JSONField("入户人员", default=list)  # names as signed on the paper record (≥ 2)
    observations = models.TextField("入户所见")
    # {"as_of": ..., "document": household document dict, "assessment": assess() result or {"error": ...}}
    snapshot = models.JSONField("数据比对快照", default=dict)
    corrections = models.JSONField("据入户核实修改的字段", default=list)  # registry document_diff rows
    household_version = models.PositiveIntegerField("核实后家庭信息版本")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "入户调查"
        verbose_name_plural = "入户调查"
        ordering = ["visited_on", "pk"]


class HomeVisitPhoto(models.Model):
    visit = models.ForeignKey(HomeVisit, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField("照片", upload_to=photo_path)
    original_name = models.CharField("原文件名", max_length=100, blank=True)

    class Meta:
        verbose_name = "入户照片"
        verbose_name_plural = "入户照片"
        ordering = ["pk"]


class Review(models.Model):
    """分类审核: the engine's proposal on the household's facts, frozen when the investigation closed."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reviews")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    as_of = models.DateField("核算日期")
    document = models.JSONField("核算所用家庭信息", default=dict)
    assessment = models.JSONField("系统核算结果", default=dict)  # assess() result, or {"error": "..."}
    proposal = models.JSONField("系统建议", default=dict)  # {item code: bool} for every ITEMS code
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    decided_on = models.DateField("审核日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = "分类审核"
        verbose_name_plural = "分类审核"
        ordering = ["round"]
        constraints = [models.UniqueConstraint(fields=["application", "round"], name="one_review_per_round")]


class ReviewDecision(models.Model):
    """The township's decision on one category or the tag, beside what the engine proposed and why."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="decisions")
    item = models.CharField("类别/标识", max_length=24, choices=list(ITEMS.items()))
    proposed = models.BooleanField("系统建议")
    decided = models.BooleanField("乡镇审核意见")
    reason = models.TextField("理由", blank=True)  # required when decided != proposed
    explanation = models.JSONField("系统说明", default=list)  # the engine's sentences on this item

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="one_decision_per_item"),
            models.CheckConstraint(condition=models.Q(proposed=models.F("decided")) | ~models.Q(reason=""),
                                   name="decision_differing_from_engine_has_reason"),
        ]


class Publicity(models.Model):
    """公示 in the village: the masked notice (DOMAIN §6) and its calendar-day period."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="publicities")
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="+")
    start_on = models.DateField("公示开始")
    end_on = models.DateField("公示截止")  # the last day shown on the notice (inclusive)
    masked_name = models.CharField("公示姓名", max_length=32)  # surname + *
    covered = models.PositiveSmallIntegerField("保障人数")
    items = models.JSONField("拟认定", default=list)  # item codes approved by the township
    monthly_amount = models.DecimalField("月保障金额（元）", **MONEY)
    notice_text = models.TextField("公示内容")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    interrupted_on = models.DateField("因异议中止", null=True, blank=True)

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["start_on", "pk"]

    @property
    def confirmable_from(self) -> date:
        """The first day the county may confirm: the day after the notice's last day."""
        return self.end_on + timedelta(days=1)


class Objection(models.Model):
    """An objection (异议) received during 公示; it sends the case back to 调查核实."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    publicity = models.ForeignKey(Publicity, on_delete=models.PROTECT, related_name="objections")
    received_on = models.DateField("收到日期")
    content = models.TextField("异议内容")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["pk"]


class Confirmation(models.Model):
    """确认 / 不予确认 by the county: civil affairs for the four categories, rural affairs for the tag."""

    class Part(models.TextChoices):
        CATEGORIES = "categories", "救助类别（县民政局）"
        TAG = "tag", "防止返贫监测标识（县农业农村局）"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="confirmations")
    part = models.CharField("确认事项", max_length=16, choices=Part.choices)
    confirmed = models.BooleanField("确认")  # False: 不予确认
    items = models.JSONField("确认的类别/标识", default=list)
    reason = models.TextField("理由", blank=True)  # required for 不予确认
    on = models.DateField("确认日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "县级确认"
        verbose_name_plural = "县级确认"
        constraints = [
            models.UniqueConstraint(fields=["application", "part"], name="one_confirmation_per_part"),
            models.CheckConstraint(condition=models.Q(confirmed=True) | ~models.Q(reason=""),
                                   name="refusal_has_reason"),
        ]


class HouseholdStatus(models.Model):
    """The household's categories, tag and amounts in force from a date (生效), with history.

    Kept in intake rather than registry: only a confirmation (and later a revocation) writes it, and
    registry must not depend on intake. Read it through `selectors.household_status_on`.
    """

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="statuses")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="statuses")
    categories = models.JSONField("救助类别", default=list)  # codes of CATEGORIES, DOMAIN §1 order
    monitoring_object = models.BooleanField("防止返贫监测对象", default=False)
    dibao_monthly = models.DecimalField("低保金（元/月）", **MONEY)
    tekun_monthly = models.DecimalField("特困供养金（元/月）", **MONEY)
    effective_from = models.DateField("生效日期")  # the first day of the confirmation month
    effective_to = models.DateField("截止日期", null=True, blank=True)  # last day in force; null = current
    # Written by services.status (changes outside an application): the last day of a 渐退期 (the row
    # ends then, and the row after it, without 低保, is already written); the day county rural affairs
    # confirmed 风险消除 (the tag stays: the household is still watched).
    taper_until = models.DateField("渐退期至", null=True, blank=True)
    risk_eliminated_on = models.DateField("风险消除日期", null=True, blank=True)
    note = models.CharField("变更说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "家庭救助状态"
        verbose_name_plural = "家庭救助状态"
        ordering = ["household", "-effective_from", "-pk"]
        constraints = [models.UniqueConstraint(fields=["household"], condition=models.Q(effective_to__isnull=True),
                                               name="one_current_status_per_household")]
