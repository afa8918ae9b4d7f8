"""Department feeds (部门数据): each import of a file, and the facts it brought, one row per fact.

A fact (FeedRecord) is what a department says about one person on one date — a death, a vehicle, a
disability certificate, self-paid medical costs. Facts never overwrite the family's declaration in the
registry: screening reads both and raises alerts where they disagree (DOMAIN §4).
Imports are all-or-nothing and idempotent: a fact's `row_key` (a hash of what it says) is unique per
source, so the same file or the same rows imported twice add nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Source(models.TextChoices):
    """Who sends the data (数据来源部门). Each source's columns, kinds and codes: feeds/sources/*.yaml."""

    MEDICAL = "medical", "医保局"
    DISABILITY = "disability", "残联"
    HRSS = "hrss", "人社局"
    EDUCATION = "education", "教育局"
    HOUSING = "housing", "住建局"
    POLICE = "police", "公安局"
    MARKET = "market", "市场监管局"
    WATER = "water", "水利局"
    EMERGENCY = "emergency", "应急管理局"
    RURAL = "rural", "农业农村局"


class Kind(models.TextChoices):
    """What a fact is about; `values` holds its figures (keys per kind, see feeds/sources/*.yaml)."""

    SELF_PAID = "self_paid", "医疗费用个人自付"          # values: {"amount": "12345.67"} (元, for the period)
    MEDICAL_ENROLMENT = "medical_enrolment", "参保状态"  # values: {"insured": true}
    DISABILITY_CERTIFICATE = "disability_certificate", "残疾人证"  # {"kind": "limb", "grade": 2, "valid": true}
    EMPLOYMENT = "employment", "就业登记"                # values: {"employer": "...", "monthly_wages": "3200.00"}
    UNEMPLOYMENT = "unemployment", "失业登记"            # values: {}
    SCHOOL_ENROLMENT = "school_enrolment", "在校学籍"    # values: {"stage": "primary"}
    DROPOUT = "dropout", "辍学"                          # values: {"stage": "junior"}
    HOUSING_APPRAISAL = "housing_appraisal", "住房安全鉴定"  # values: {"grade": "C"}
    PROPERTY = "property", "不动产登记"                  # values: {"urban": true, "area": "89.5"}
    DEATH = "death", "死亡注销"                          # values: {}
    VEHICLE = "vehicle", "机动车登记"                    # values: {"kind": "car", "value": "80000.00"}
    BUSINESS = "business", "市场主体登记"                # values: {"name": "...", "capital": "100000.00"}
    WATER_SUPPLY = "water_supply", "饮水安全"            # values: {"safe": false}
    DISASTER_LOSS = "disaster_loss", "灾害损失"          # values: {"amount": "20000.00", "disaster": "flood"}
    MONITORING_MARK = "monitoring_mark", "防返贫监测标识"  # values: {"object": true, "kind": "sudden_hardship"}
    INCOME_SURVEY = "income_survey", "收入核查"          # values: {"annual_income": "9000.00"} (家庭年纯收入)


class FeedImport(models.Model):
    """One uploaded file: who, when, its hash, what happened (导入记录). Kept forever."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已导入"
        REJECTED = "rejected", "有错误，未导入"
        FAILED = "failed", "失败"

    source = models.CharField("数据来源", max_length=16, choices=Source.choices)
    file_name = models.CharField("文件名", max_length=200)
    file_sha256 = models.CharField("文件哈希", max_length=64, db_index=True)
    file_size = models.PositiveBigIntegerField("文件大小（字节）", default=0)
    encoding = models.CharField("文件编码", max_length=16, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField("数据行数", default=0)
    rows_added = models.PositiveIntegerField("新增", default=0)
    rows_duplicate = models.PositiveIntegerField("重复（已有，未再导入）", default=0)
    rows_unmatched = models.PositiveIntegerField("未匹配到在册人员", default=0)
    rows_invalid = models.PositiveIntegerField("有错误的行", default=0)
    error = models.TextField("失败原因", blank=True)
    # the uploaded file and the row-level report (xlsx), under MEDIA_ROOT/feeds/; both hold personal data
    stored_file = models.CharField("原始文件", max_length=200, blank=True)
    report_file = models.CharField("问题报告", max_length=200, blank=True)
    job = models.ForeignKey("jobs.Job", verbose_name="后台任务", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+")

    class Meta:
        verbose_name = "部门数据导入"
        verbose_name_plural = "部门数据导入"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.file_name}（{self.get_status_display()}）"


class FeedRecord(models.Model):
    """One fact from a department about one person in the registry (keyed by ID number)."""

    source = models.CharField("数据来源", max_length=16, choices=Source.choices)
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    # no index on id_number: every fact has its member, and a person's facts are found through the member
    # (Member.id_number is unique); each index costs ~3 s of a million-row import on SQLite
    id_number = models.CharField("身份证号", max_length=18)
    # no index of its own: the (member, kind, occurred_on) index below serves lookups by member
    member = models.ForeignKey("registry.Member", verbose_name="在册人员", on_delete=models.PROTECT,
                               related_name="feed_records", db_index=False)
    occurred_on = models.DateField("发生/登记日期")
    values = models.JSONField("数据", default=dict)
    feed_import = models.ForeignKey(FeedImport, verbose_name="导入批次", on_delete=models.PROTECT,
                                    related_name="records")
    row_number = models.PositiveIntegerField("文件行号")
    # sha256(source|kind|id|date|values) cut to its first 128 bits (32 hex digits), see feeds.validation._facts
    row_key = models.CharField("内容哈希", max_length=64)

    class Meta:
        verbose_name = "部门数据"
        verbose_name_plural = "部门数据"
        ordering = ["member", "kind", "occurred_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["source", "row_key"], name="feed_record_once_per_source")]
        indexes = [models.Index(fields=["member", "kind", "occurred_on"], name="feed_record_member_kind")]

    def __str__(self) -> str:
        return f"{self.get_source_display()}·{self.get_kind_display()} {self.occurred_on}"
