"""Writes to the region tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from safetynet.regions.datafile import DEFAULT_FILE, RegionRow, read_region_file
from safetynet.regions.models import Region

_FIELDS = ("name", "level", "parent_id", "urban", "is_demo")


@dataclass(frozen=True)
class RegionLoadResult:
    created: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return f"区划：新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"


def _values(row: RegionRow) -> dict[str, object]:
    return {"name": row.name, "level": row.level, "parent_id": row.parent, "urban": row.urban,
            "is_demo": row.is_demo}


@transaction.atomic
def regions_load(path: Path | str = DEFAULT_FILE) -> RegionLoadResult:
    """Bring the region table in line with the file: all or nothing, and a second run changes nothing.

    Regions missing from the file are left alone: households and users may point at them, and a
    region is retired by the county, not by an edit that forgot a line.
    """
    rows = read_region_file(path)
    existing = {r.code: r for r in Region.objects.filter(code__in=[row.code for row in rows])}
    created: list[Region] = []
    changed: list[Region] = []
    for row in rows:  # parents come first, so a new child's parent is already in `created`
        region = existing.get(row.code)
        if region is None:
            created.append(Region(code=row.code, **_values(row)))
        elif any(getattr(region, key) != value for key, value in _values(row).items()):
            for key, value in _values(row).items():
                setattr(region, key, value)
            changed.append(region)
    Region.objects.bulk_create(created, batch_size=500)
    Region.objects.bulk_update(changed, fields=[f.removesuffix("_id") for f in _FIELDS], batch_size=500)
    return RegionLoadResult(created=len(created), updated=len(changed),
                            unchanged=len(rows) - len(created) - len(changed))
