"""Households (户), members (家庭成员) and their memberships, assets and history.

Money is in yuan with two decimals (exact `Decimal`, never float).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safetynet.accounts.scoping import RegionScopedQuerySet
from safetynet.registry import choices

MONEY = {"max_digits": 12, "decimal_places": 2, "default": 0}


class Household(models.Model):
    code = models.CharField("户编号", max_length=32, unique=True)
    region = models.ForeignKey("regions.Region", verbose_name="所在村（社区）", on_delete=models.PROTECT,
                               related_name="households")
    residence = models.CharField("城乡类别", max_length=8, choices=choices.RESIDENCE)
    address = models.CharField("住址", max_length=200, blank=True)
    # assets (家庭财产)
    deposits = models.DecimalField("存款及有价证券（元）", **MONEY)
    urban_houses = models.PositiveSmallIntegerField("城镇住房（套）", default=0)
    business_capital = models.DecimalField("经营主体注册资本（元）", **MONEY)
    # rigid expenses of the last 12 months (刚性支出)
    rigid_medical = models.DecimalField("医疗自付支出（元）", **MONEY)
    rigid_education = models.DecimalField("教育支出（元）", **MONEY)
    rigid_disability = models.DecimalField("残疾康复护理支出（元）", **MONEY)
    # living conditions (两不愁三保障)
    housing_grade = models.CharField("住房安全等级", max_length=1, choices=choices.HOUSING_GRADE, default="A")
    water_safe = models.BooleanField("饮水安全", default=True)
    # rural-affairs monitoring mark (防止返贫监测标识), set by 农业农村 data
    monitoring_object = models.BooleanField("防止返贫监测对象", default=False)
    monitoring_kind = models.CharField("监测类型", max_length=16, choices=choices.MONITORING_KIND, blank=True)
    # denormalised for the list page and search; kept by the registry services
    head_name = models.CharField("户主姓名", max_length=64, blank=True)
    member_count = models.PositiveSmallIntegerField("在册人数", default=0)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭"
        verbose_name_plural = "家庭"
        ordering = ["code"]
        indexes = [models.Index(fields=["region", "code"]), models.Index(fields=["monitoring_object"]),
                   # covers the list page's "scope, in 户编号 order": deep pages skip rows without reading them
                   models.Index(fields=["code", "region"], name="household_code_region"),
                   # the latest change, in one index step: cached search results are keyed by it
                   models.Index(fields=["updated_at"], name="household_updated_at")]
        constraints = [
            models.CheckConstraint(condition=models.Q(deposits__gte=0) & models.Q(business_capital__gte=0)
                                   & models.Q(rigid_medical__gte=0) & models.Q(rigid_education__gte=0)
                                   & models.Q(rigid_disability__gte=0), name="household_amounts_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.head_name}"


class Member(models.Model):
    """A person (家庭成员). Birth date and sex come from the ID number."""

    id_number = models.CharField("身份证号", max_length=18, unique=True)
    name = models.CharField("姓名", max_length=64)
    name_pinyin = models.CharField("姓名拼音", max_length=200, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=32, db_index=True)
    birth_date = models.DateField("出生日期")
    sex = models.CharField("性别", max_length=1, choices=choices.SEX)
    schooling = models.CharField("在学情况", max_length=16, choices=choices.SCHOOLING, default="none")
    disability_kind = models.CharField("残疾类别", max_length=16, choices=choices.DISABILITY_KIND, blank=True)
    disability_grade = models.PositiveSmallIntegerField("残疾等级", null=True, blank=True)
    labor = models.CharField("劳动能力", max_length=8, choices=choices.LABOR, default="full")
    illness = models.CharField("患病情况", max_length=8, choices=choices.ILLNESS, default="none")
    employment = models.CharField("就业状况", max_length=16, choices=choices.EMPLOYMENT, default="none")
    self_care_failed = models.PositiveSmallIntegerField("不能自理项数", default=0)
    medical_insured = models.BooleanField("参加基本医保", default=True)
    income_wages = models.DecimalField("工资性收入（元/年）", **MONEY)
    income_business = models.DecimalField("经营净收入（元/年）", **MONEY)
    income_property = models.DecimalField("财产净收入（元/年）", **MONEY)
    income_transfer = models.DecimalField("转移净收入（元/年）", **MONEY)
    income_excluded = models.DecimalField("不计入收入（元/年）", **MONEY)

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        constraints = [
            models.CheckConstraint(condition=models.Q(self_care_failed__lte=6), name="member_self_care_0_6"),
            models.CheckConstraint(
                condition=models.Q(disability_grade__isnull=True, disability_kind="")
                | models.Q(disability_grade__gte=1, disability_grade__lte=4) & ~models.Q(disability_kind=""),
                name="member_disability_kind_and_grade_together"),
            models.CheckConstraint(condition=models.Q(income_wages__gte=0) & models.Q(income_business__gte=0)
                                   & models.Q(income_property__gte=0) & models.Q(income_transfer__gte=0)
                                   & models.Q(income_excluded__gte=0), name="member_income_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A member's place in a household. Closed, never deleted, when the member moves (分户/迁出)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships")
    relation = models.CharField("与户主关系", max_length=16, choices=choices.RELATION)
    co_resident = models.BooleanField("共同生活", default=True)
    excluded = models.CharField("不计入原因", max_length=16, choices=choices.EXCLUSION, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    started_on = models.DateField("起始日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=100, blank=True)

    class Meta:
        verbose_name = "户成员关系"
        verbose_name_plural = "户成员关系"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=models.Q(ended_on__isnull=True),
                                    name="one_active_household_per_member"),
        ]


class Vehicle(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="vehicles")
    kind = models.CharField("车辆类型", max_length=16, choices=choices.VEHICLE_KIND)
    value = models.DecimalField("价值（元）", **MONEY)

    class Meta:
        verbose_name = "车辆"
        verbose_name_plural = "车辆"
        ordering = ["pk"]


class Obligor(models.Model):
    """A legal supporter living elsewhere (法定赡养、抚养、扶养义务人)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="obligors")
    name = models.CharField("姓名", max_length=64)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    supports = models.JSONField("赡养/抚养/扶养对象", default=list)
    age = models.PositiveSmallIntegerField("年龄", null=True, blank=True)
    status = models.CharField("状况", max_length=16, choices=choices.OBLIGOR_STATUS, default="normal")
    disability_kind = models.CharField("残疾类别", max_length=16, choices=choices.DISABILITY_KIND, blank=True)
    disability_grade = models.PositiveSmallIntegerField("残疾等级", null=True, blank=True)
    annual_income = models.DecimalField("年收入（元）", **MONEY)

    class Meta:
        verbose_name = "赡养（抚养、扶养）义务人"
        verbose_name_plural = "赡养（抚养、扶养）义务人"
        ordering = ["pk"]


class HouseholdChange(models.Model):
    """One version of a household: who changed what, when, before and after (the timeline)."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="changes")
    version = models.PositiveIntegerField("版本")
    at = models.DateTimeField("时间", auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField("操作", max_length=32)
    summary = models.CharField("摘要", max_length=200)
    # [{"path": "members[0].income.wages", "before": 0, "after": 6000}, ...]
    changes = models.JSONField("变更内容", default=list)

    class Meta:
        verbose_name = "家庭变更记录"
        verbose_name_plural = "家庭变更记录"
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["household", "version"], name="one_change_per_version")]
