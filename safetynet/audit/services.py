"""Writing audit records. Every service that touches personal data calls `audit_record`."""

from __future__ import annotations

from typing import Any

from safetynet.audit.middleware import current_ip
from safetynet.audit.models import AuditEvent


def audit_record(
    *,
    by: Any,
    action: str,
    object_type: str = "",
    object_id: object = "",
    object_label: str = "",
    region_code: str = "",
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one audit record. `object_label` and `detail` must not hold full ID numbers."""
    user = by if getattr(by, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_username=getattr(by, "username", "") or "（系统）",
        actor_role=getattr(by, "role", "") or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_label=object_label[:200],
        region_code=region_code,
        detail=detail or {},
        ip_address=ip_address or current_ip.get(),
    )
