"""The household page's 定期核查 block: `{% load reviews_tags %}{% household_review_box household %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.intake.services.status import status_in_force
from safetynet.reviews.selectors import household_due

register = template.Library()


@register.inclusion_tag("reviews/_household_box.html", takes_context=True)
def household_review_box(context: Any, household: Any) -> dict[str, Any]:
    """Next review, 渐退期至…, 风险已消除 (with its date), and the link to the review page."""
    user, today = context["request"].user, timezone.localdate()
    status = status_in_force(household.pk, today)
    due = household_due(household, status, on=today)
    return {"household": household, "status": status, "due": due, "today": today,
            "may_open": has_capability(user, Capability.RECORD_REVIEWS)}
