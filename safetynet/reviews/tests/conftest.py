"""Fixtures of the reviews tests: statuses written as a confirmation would, and screening history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from conftest import member_data
from safetynet.intake.models import HouseholdStatus
from safetynet.monitoring.models import ScreeningResult, ScreeningRun


@pytest.fixture
def give_status(cast: dict[str, Any]) -> Callable[..., HouseholdStatus]:
    """A confirmed status (as intake writes it) in force from `since`."""

    def give(household: Any, *categories: str, since: date = date(2025, 7, 1), dibao: str = "0",
             tekun: str = "0", tag: bool = False) -> HouseholdStatus:
        dibao = dibao if dibao != "0" or "dibao" not in categories else "655"
        tekun = tekun if tekun != "0" or "tekun" not in categories else "900"
        return HouseholdStatus.objects.create(household=household, categories=list(categories),
                                              monitoring_object=tag, dibao_monthly=Decimal(dibao),
                                              tekun_monthly=Decimal(tekun), effective_from=since,
                                              created_by=cast["county_civil"])

    return give


def well_off_members() -> list[dict[str, Any]]:
    """A family whose wages lift it well above the 低保 line and the monitoring line, with no risk."""
    return [member_data("赵强", "self", date(1980, 4, 2), employment="employed", income={"wages": 60000}),
            member_data("钱芳", "spouse", date(1982, 8, 9), male=False, employment="employed",
                        income={"wages": 30000})]


def unstable_members() -> list[dict[str, Any]]:
    """A 低保 family whose head, able to work, is self-employed (收入不稳定)."""
    return [member_data("孙立", "self", date(1979, 1, 5), employment="self_employed", income={"business": 3000}),
            member_data("周梅", "spouse", date(1981, 2, 6), male=False, employment="farming",
                        income={"business": 1000})]


@pytest.fixture
def screening(cast: dict[str, Any]) -> Callable[..., ScreeningResult]:
    """A completed registry run as of `on` with one household's result (per-capita monthly income in yuan)."""

    def result(household: Any, on: date, per_capita: str | None, *, risks: tuple[str, ...] = ()) -> ScreeningResult:
        run = ScreeningRun.objects.create(started_at=timezone.make_aware(datetime(on.year, on.month, on.day, 2)),
                                          as_of=on, source=ScreeningRun.REGISTRY, status=ScreeningRun.Status.DONE)
        fen = None if per_capita is None else int(Decimal(per_capita) * 100)
        return ScreeningResult.objects.create(run=run, household=household, hh_key=household.pk,
                                              per_capita_income_monthly_fen=fen, risks=list(risks),
                                              counted_members=2)

    return result
