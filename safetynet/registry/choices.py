"""Model choices, built from the household document's vocabularies so both say the same thing."""

from __future__ import annotations

from safetynet.core import document as d


def _choices(options: dict[str, str]) -> list[tuple[str, str]]:
    return list(options.items())


RESIDENCE = _choices(d.RESIDENCES)
RELATION = _choices(d.RELATIONS)
EXCLUSION = _choices(d.EXCLUSIONS)
SCHOOLING = _choices(d.SCHOOLING)
DISABILITY_KIND = _choices(d.DISABILITY_KINDS)
LABOR = _choices(d.LABOR)
ILLNESS = _choices(d.ILLNESS)
EMPLOYMENT = _choices(d.EMPLOYMENT)
OBLIGOR_STATUS = _choices(d.OBLIGOR_STATUS)
VEHICLE_KIND = _choices(d.VEHICLE_KINDS)
HOUSING_GRADE = _choices(d.HOUSING_GRADES)
MONITORING_KIND = _choices(d.MONITORING_KINDS)
SEX = [("M", "男"), ("F", "女")]
