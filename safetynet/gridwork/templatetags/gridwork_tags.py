"""The household page's 网格走访 block: `{% load gridwork_tags %}{% household_gridwork household %}`."""

from __future__ import annotations

from typing import Any

from django import template

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.gridwork.selectors import household_visits
from safetynet.gridwork.views import may_view_gridwork

register = template.Library()


@register.inclusion_tag("gridwork/_household_visits.html", takes_context=True)
def household_gridwork(context: Any, household: Any) -> dict[str, Any]:
    """The last visits and the next due date; 走访登记 for those who record visits.

    The household page that includes it has already checked access and audited the view.
    """
    user = context["request"].user
    return {"household": household, "summary": household_visits(household),
            "can_record": has_capability(user, Capability.RECORD_VISITS)}


@register.filter
def views_gridwork(user: Any) -> bool:
    """Who sees 网格走访 in the navbar: those who record visits or handle alerts (the same check as the pages)."""
    return may_view_gridwork(user)
