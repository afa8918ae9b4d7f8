"""intake.services.status beside the one-window path: a confirmation during a 渐退期 cuts it cleanly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from safetynet.intake import services
from safetynet.intake.models import HouseholdStatus
from safetynet.intake.selectors import household_status_on
from safetynet.intake.services.status import (
    household_status_risk_eliminate,
    household_status_taper,
    status_version,
)
from safetynet.intake.tests.conftest import DAY, pdf_scan, walk


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_confirmation_during_a_taper_ends_it_and_its_scheduled_exit(cast: Any, household_a: Any,
                                                                      give_status: Any) -> None:
    # given: 低保 tapering from July to December 2025 (exit written from 2026-01-01), and tagged
    give_status(household_a, "dibao", since=date(2025, 1, 1), tag=True)
    household_status_taper(household=household_a, by=cast["clerk_a"], on=date(2025, 7, 1), until=date(2025, 12, 31),
                           note="渐退", version=status_version(household_a.pk))
    household_status_risk_eliminate(household=household_a, by=cast["county_rural"], on=date(2025, 8, 1),
                                    note="风险消除", version=status_version(household_a.pk))
    # when: a new application is confirmed in September (effective from 09-01)
    head = household_a.memberships.get(relation="self").member
    application = services.application_create(by=cast["clerk_a"], household=household_a,
                                              requested_categories=["dibao"], applicant_id_number=head.id_number,
                                              authorization=pdf_scan(), on=DAY["submitted"])
    walk(application, cast, "publicity")
    services.application_confirm(application=application, by=cast["county_civil"], on=DAY["confirmable"])
    # then: one row in force from September on, none scheduled after it; the tag keeps its elimination date
    current = HouseholdStatus.objects.get(household=household_a, effective_to__isnull=True)
    assert (current.effective_from, current.categories, current.taper_until) == (date(2025, 9, 1), ["dibao"], None)
    assert (current.monitoring_object, current.risk_eliminated_on) == (True, date(2025, 8, 1))
    for day in (date(2025, 9, 1), date(2026, 1, 1), date(2026, 6, 1)):
        assert household_status_on(household_a, day).pk == current.pk
    assert household_status_on(household_a, date(2025, 8, 31)).taper_until == date(2025, 12, 31)
    exits = HouseholdStatus.objects.filter(household=household_a, effective_from=date(2026, 1, 1))
    assert all(row.effective_to < row.effective_from for row in exits)  # on record, never in force
    assert current.dibao_monthly > Decimal(0)
