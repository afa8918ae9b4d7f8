"""Crafted department facts for screening tests: one FeedImport per source, FeedRecord rows made directly."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from safetynet.feeds.models import FeedImport, FeedRecord

SOURCES = {"self_paid": "medical", "medical_enrolment": "medical", "disability_certificate": "disability",
           "employment": "hrss", "unemployment": "hrss", "school_enrolment": "education", "dropout": "education",
           "housing_appraisal": "housing", "property": "housing", "death": "police", "vehicle": "police",
           "business": "market", "water_supply": "water", "disaster_loss": "emergency",
           "monitoring_mark": "rural", "income_survey": "rural"}


def fact(member: Any, fact_kind: str, *, on: date, by: Any, row: int = 2, **values: Any) -> FeedRecord:
    kind = fact_kind
    """One fact about `member`, in the import of its source's file `<source>.csv` (made on first use)."""
    source = SOURCES[kind]
    feed_import, _ = FeedImport.objects.get_or_create(
        source=source, file_name=f"{source}.csv",
        defaults={"file_sha256": hashlib.sha256(source.encode()).hexdigest(), "uploaded_by": by, "status": "done"})
    key = hashlib.sha256(f"{member.id_number}{kind}{on}{sorted(values.items())}".encode()).hexdigest()
    return FeedRecord.objects.create(source=source, kind=kind, id_number=member.id_number, member=member,
                                     occurred_on=on, values=values, feed_import=feed_import, row_number=row,
                                     row_key=key)
