"""Template helpers of the one-window pages, and the household page's 认定状态 block."""

from __future__ import annotations

from typing import Any

from django import template

from safetynet.intake.models import CATEGORIES, Review
from safetynet.intake.permissions import role_may
from safetynet.intake.selectors import applications_for, household_status_on
from safetynet.intake.services import item_explanation
from safetynet.intake.views import QUEUE_ROLES

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def acts_on_applications(user: Any) -> bool:
    """Staff who take steps of the one-window path see "我的待办" in the navbar."""
    return bool(getattr(user, "is_superuser", False)) or getattr(user, "role", "") in QUEUE_ROLES


@register.filter
def subtract(a: int, b: int) -> int:
    return max(int(a) - int(b), 0)


@register.filter
def explanation(review: Review, item: str) -> list[dict[str, Any]]:
    """The engine's rules behind its proposal for `item`, shown beside the reviewer's choice."""
    return item_explanation(review.assessment, item)


@register.inclusion_tag("intake/_household_status.html", takes_context=True)
def household_intake(context: Any, household: Any) -> dict[str, Any]:
    """The household's current 认定状态, its applications, and 提出申请 for township clerks."""
    user = context["request"].user
    status = household_status_on(household)
    return {
        "household": household, "status": status,
        "categories": [CATEGORIES.get(c, c) for c in (status.categories if status else [])],
        "applications": list(applications_for(user, household=household)[:5]),
        "can_apply": role_may(user, "create"),
    }
