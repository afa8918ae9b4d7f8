"""Grid work fixtures: households with a confirmed status, answers to the checklist, phone photos."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safetynet.gridwork.models import CHECKLIST
from safetynet.intake.models import HouseholdStatus

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"


def photo(name: str = "IMG_0001.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def all_secure(**risks: str) -> dict[str, tuple[str, str]]:
    """Every item 有保障, except those given as item=note (有风险 with that note)."""
    return {item: ("risk", risks[item]) if item in risks else ("secure", "") for item in CHECKLIST}


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"visited_on": "2025-09-03", "notes": "户主在家，家中整洁"}
    data.update({item: "secure" for item in CHECKLIST})
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def give_status(cast: dict[str, Any]) -> Callable[..., HouseholdStatus]:
    """A confirmed status in force from `since` (as a county confirmation would write it)."""

    def give(household: Any, categories: list[str], *, tag: bool = False,
             since: date = date(2025, 1, 1)) -> HouseholdStatus:
        return HouseholdStatus.objects.create(household=household, categories=categories, monitoring_object=tag,
                                              effective_from=since, created_by=cast["county_civil"])

    return give
