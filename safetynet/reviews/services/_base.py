"""What the reviews services share: role, region and date checks, the household as it now stands."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from safetynet.core.document import HouseholdDocument, document_to_dict
from safetynet.intake.permissions import region_covers
from safetynet.intake.services.investigation import assessment_snapshot
from safetynet.registry.documents import household_document
from safetynet.registry.models import Household
from safetynet.reviews import errors
from safetynet.reviews.permissions import ACTION_LABELS, role_may


def role_label(user: Any) -> str:
    display = getattr(user, "get_role_display", None)
    return display() if callable(display) and getattr(user, "role", "") else "未设置角色"


def require(by: Any, action: str, region_code: str) -> None:
    """Role, then region: the order users understand (a wrong role is told so even outside its region)."""
    if not role_may(by, action):
        raise errors.ReviewNotAllowed(errors.NOT_YOUR_ROLE.format(role=role_label(by), action=ACTION_LABELS[action]))
    if not region_covers(by, region_code):
        raise errors.ReviewNotAllowed(errors.NOT_YOUR_REGION.format(action=ACTION_LABELS[action]))


def step_date(on: date | None) -> date:
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise errors.ReviewWrongOrder(errors.DATE_IN_FUTURE.format(on=on), field="on")
    return on


def require_text(text: str, what: str, *, field: str = "reason") -> str:
    text = (text or "").strip()
    if not text:
        raise errors.ReviewError(errors.REASON_REQUIRED.format(what=what), field=field)
    return text


def household_now(household: Household, on: date) -> tuple[HouseholdDocument, dict[str, Any], dict[str, Any]]:
    """The registry document as the household now stands (object and JSON), and the engine's
    assessment of it on `on` ({"error": ...} when the rules cannot assess it)."""
    document = household_document(Household.objects.get(pk=household.pk))
    return document, document_to_dict(document), assessment_snapshot(document, on)
