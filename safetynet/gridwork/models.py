"""Grid visits (网格走访): a grid worker at a household's door, with the 两不愁三保障 checklist.

二网合一: the same grid and the same worker serve monitoring (预警 to verify) and assistance (the
visit plan per category). A visit is recorded once and never edited; a later visit is a new row.
Rows are written by `safetynet.gridwork.services` only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from safetynet.accounts.scoping import RegionScopedQuerySet

# The checklist: 两不愁三保障 (吃穿不愁; 义务教育、基本医疗、住房安全有保障) plus water and labour.
CHECKLIST: dict[str, str] = {
    "food_clothing": "吃穿不愁", "education": "义务教育", "medical": "基本医疗", "housing": "住房安全",
    "water": "饮水安全", "labour": "劳动就业",
}


class Check(models.TextChoices):
    SECURE = "secure", "有保障"
    RISK = "risk", "有风险"


def photo_path(instance: object, filename: str) -> str:
    # A phone names photos by date or by the family's name: keep neither on disk.
    ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    ext = ".jpg" if ext == ".jpeg" else ext
    return f"gridwork/photos/{uuid.uuid4().hex}{ext if ext in ('.jpg', '.png') else ''}"


def _check_field(label: str) -> models.CharField:
    return models.CharField(label, max_length=8, choices=Check.choices)


def _note_field(label: str) -> models.CharField:
    return models.CharField(f"{label}说明", max_length=500, blank=True)


class GridVisit(models.Model):
    """走访记录: one visit of one household by a grid worker (or township staff)."""

    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT,
                                  related_name="grid_visits")
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", on_delete=models.PROTECT,
                               related_name="+")  # the household's, when visited: scoping without a join
    visited_on = models.DateField("走访日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="走访人", on_delete=models.PROTECT,
                           related_name="grid_visits")
    food_clothing = _check_field("吃穿不愁")
    food_clothing_note = _note_field("吃穿不愁")
    education = _check_field("义务教育")
    education_note = _note_field("义务教育")
    medical = _check_field("基本医疗")
    medical_note = _note_field("基本医疗")
    housing = _check_field("住房安全")
    housing_note = _note_field("住房安全")
    water = _check_field("饮水安全")
    water_note = _note_field("饮水安全")
    labour = _check_field("劳动就业")
    labour_note = _note_field("劳动就业")
    notes = models.TextField("走访情况", blank=True)
    # The alert this visit went to verify (by alert), and the one it raised (主动发现), if any.
    alert = models.ForeignKey("monitoring.Alert", verbose_name="核实的预警", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="grid_visits")
    raised_alert = models.ForeignKey("monitoring.Alert", verbose_name="发起的预警", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="raised_by_visits")
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "网格走访"
        verbose_name_plural = "网格走访"
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["household", "visited_on"], name="grid_visit_household_date"),
                   models.Index(fields=["region", "visited_on"], name="grid_visit_region_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{item}__in": Check.values for item in CHECKLIST}),
                name="grid_visit_checklist_answered"),
        ]

    def __str__(self) -> str:
        return f"走访 {self.visited_on}（户{self.household_id}）"

    @property
    def checks(self) -> list[tuple[str, str, str, str]]:
        """(item, label, answer, note) in checklist order."""
        return [(item, label, getattr(self, item), getattr(self, f"{item}_note")) for item, label in CHECKLIST.items()]

    @property
    def risks(self) -> list[str]:
        """Labels of the items found at risk."""
        return [label for item, label in CHECKLIST.items() if getattr(self, item) == Check.RISK]


class GridVisitPhoto(models.Model):
    visit = models.ForeignKey(GridVisit, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField("照片", upload_to=photo_path)
    original_name = models.CharField("原文件名", max_length=100, blank=True)

    class Meta:
        verbose_name = "走访照片"
        verbose_name_plural = "走访照片"
        ordering = ["pk"]
