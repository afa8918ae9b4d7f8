"""Reads of the audit trail, scoped like every other read of personal data."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from safetynet.accounts.scoping import region_q
from safetynet.audit.models import AuditEvent

COUNTY_CODE_LENGTH = 6


def _county_level(user: Any) -> bool:
    return (
        getattr(user, "is_superuser", False)
        or len(getattr(user, "region_id", None) or "") == COUNTY_CODE_LENGTH
    )


def audit_events_for(
    user: Any,
    *,
    username: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
    target: str = "",
) -> QuerySet[AuditEvent]:
    """Events in `user`'s regions, newest first.

    Events without a region (failed sign-ins, county-wide searches) belong to no township: only
    county-level users see them.
    """
    events = AuditEvent.objects.all()
    scope = region_q(user, "region_code")
    if scope is not None:
        events = events.filter(scope | Q(region_code="") if _county_level(user) else scope)
    if username:
        events = events.filter(actor_username=username)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__gte=_start_of(since))
    if until:
        events = events.filter(at__lt=_start_of(until + timedelta(days=1)))
    if target:
        events = events.filter(Q(object_label__contains=target) | Q(object_id=target))
    return events.order_by("-at", "-pk")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
