"""The leak test's objects for gridwork URLs: a visit (with a photo) of the household under test."""

from __future__ import annotations

from datetime import date
from typing import Any

PROVIDES = {"grid_visit_pk", "grid_photo_pk"}


def leak_args(household: Any) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safetynet.accounts.models import User
    from safetynet.gridwork.models import GridVisit
    from safetynet.gridwork.services import grid_visit_record
    from safetynet.gridwork.tests.conftest import JPEG, all_secure

    visit = GridVisit.objects.filter(household=household).first()
    if visit is None:
        clerk = User.objects.get(role="township_clerk", region_id=household.region_id[:9])
        visit = grid_visit_record(household=household, by=clerk, checks=all_secure(), visited_on=date(2025, 9, 3),
                                  photos=[SimpleUploadedFile("p.jpg", JPEG, content_type="image/jpeg")])
    return {"grid_visit_pk": visit.pk, "grid_photo_pk": visit.photos.first().pk}
