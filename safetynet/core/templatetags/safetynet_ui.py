"""Template helpers every page uses: capabilities in the navbar, pagination links."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page

from safetynet.accounts.permissions import Capability, has_capability

register = template.Library()


@register.filter
def can(user: Any, capability: str) -> bool:
    """`{% if user|can:"view_audit" %}`: the same check the views make."""
    return has_capability(user, Capability(capability))


@register.filter
def page_links(page: Page) -> list[int | str]:
    """Page numbers around the current one, with … where pages are left out."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.filter
def user_scope(user: Any) -> str:
    """Where a user works: the region's name, or the department for department clerks."""
    if getattr(user, "department", ""):
        return user.get_department_display()
    region = getattr(user, "region", None)
    return region.name if region is not None else ""
