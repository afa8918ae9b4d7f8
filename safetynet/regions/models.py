"""The region tree: county → township/street → village/community → grid (网格)."""

from __future__ import annotations

from django.db import models


class Region(models.Model):
    """One node of the tree. Its code is a prefix of every descendant's code.

    Codes follow GB/T 2260 (6 digits, county) and the statistical division codes (9 digits for a
    township or street, 12 for a village or community); a grid adds 3 digits to its village (15).
    """

    class Level(models.TextChoices):
        COUNTY = "county", "县"
        TOWNSHIP = "township", "乡镇/街道"
        VILLAGE = "village", "村/社区"
        GRID = "grid", "网格"

    CODE_LENGTH = {Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12, Level.GRID: 15}

    code = models.CharField("区划代码", max_length=15, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    urban = models.BooleanField("城镇（社区）", default=False)
    is_demo = models.BooleanField("演示数据", default=False, help_text="名称为示意，非官方区划")

    class Meta:
        verbose_name = "区划"
        verbose_name_plural = "区划"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(level="county", code__regex=r"^[0-9]{6}$")
                    | models.Q(level="township", code__regex=r"^[0-9]{9}$")
                    | models.Q(level="village", code__regex=r"^[0-9]{12}$")
                    | models.Q(level="grid", code__regex=r"^[0-9]{15}$")
                ),
                name="region_code_length_matches_level",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        """A grid with its village, e.g. 坦途村第一网格 (every village has a 第一网格); any other region its name.
        Lists select_related("region__parent") so that it costs no query."""
        if self.level == Region.Level.GRID and self.parent is not None and not self.name.startswith(self.parent.name):
            return f"{self.parent.name}{self.name}"
        return self.name

    @property
    def full_name(self) -> str:
        """Names from the township down, e.g. 坦途镇红岗村."""
        names: list[str] = []
        node: Region | None = self
        while node is not None and node.level != Region.Level.COUNTY:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))
