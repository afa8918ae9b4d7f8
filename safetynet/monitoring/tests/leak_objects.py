"""The leak test's objects for monitoring URLs: an alert of the given household."""

from __future__ import annotations

from datetime import date
from typing import Any

PROVIDES = {"alert_pk"}


def leak_args(household: Any) -> dict[str, Any]:
    from safetynet.monitoring.alerts import alert_raise
    from safetynet.monitoring.models import Alert

    alert = alert_raise(household=household, kind="visit_finding", code="leak", on=date(2025, 8, 1),
                        evidence={"text": "走访发现", "rule": "visit"})
    alert = alert or Alert.objects.get(household=household, kind="visit_finding", code="leak")
    return {"alert_pk": alert.pk}
