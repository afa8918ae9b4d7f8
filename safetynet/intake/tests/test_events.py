"""The household_confirmed hook: every subscriber hears the event once, whatever another one does."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safetynet.intake.events import (
    HouseholdConfirmed,
    household_confirmed,
    household_confirmed_unsubscribe,
    on_household_confirmed,
)

EVENT = HouseholdConfirmed(application_id=1, household_id=2, region_code="220821101200001", categories=("dibao",),
                           monitoring_object=False, dibao_monthly="593.00", tekun_monthly="0.00",
                           effective_from=date(2025, 9, 1), status_id=3)


def test_a_failing_subscriber_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    heard: list[Any] = []

    def broken(event: HouseholdConfirmed) -> None:
        raise RuntimeError("department push failed")

    on_household_confirmed(broken)
    on_household_confirmed(heard.append)
    on_household_confirmed(heard.append)  # subscribing twice keeps one subscription
    try:
        household_confirmed(EVENT)
    finally:
        household_confirmed_unsubscribe(broken)
        household_confirmed_unsubscribe(heard.append)
    assert heard == [EVENT]
    assert "household_confirmed subscriber" in caplog.text and "application 1" in caplog.text


def test_an_unsubscribed_callback_hears_nothing() -> None:
    heard: list[Any] = []
    on_household_confirmed(heard.append)
    household_confirmed_unsubscribe(heard.append)
    household_confirmed(EVENT)
    assert heard == []
