"""Who may import which source, and whose imports a user sees.

County civil affairs and county rural affairs import any source; a department clerk imports only the
sources of the department their account belongs to, and sees only those imports. Imports belong to
no region: access is by department, not by region code.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from safetynet.accounts.choices import Role
from safetynet.accounts.permissions import Capability, has_capability
from safetynet.feeds.models import FeedImport
from safetynet.feeds.spec import SourceSpec, source_specs

COUNTY_ROLES = {Role.COUNTY_CIVIL, Role.COUNTY_RURAL}
NOT_YOURS = "未找到该导入记录，或您无权查看。"


def sources_for(user: Any) -> list[SourceSpec]:
    """The sources `user` may import (and whose imports they see)."""
    if not has_capability(user, Capability.IMPORT_FEEDS):
        return []
    specs = list(source_specs().values())
    if getattr(user, "is_superuser", False) or getattr(user, "role", "") in COUNTY_ROLES:
        return specs
    department = getattr(user, "department", "")
    return [spec for spec in specs if department and spec.department == department]


def may_import(user: Any, source: str) -> bool:
    return any(spec.source == source for spec in sources_for(user))


def feed_imports_visible_to(user: Any) -> QuerySet[FeedImport]:
    return FeedImport.objects.filter(source__in=[spec.source for spec in sources_for(user)])


def access_feed_import(user: Any, import_pk: int) -> FeedImport:
    """The import, if `user` sees its source; 404 for both "missing" and "not yours"."""
    try:
        return feed_imports_visible_to(user).select_related("uploaded_by", "job").get(pk=import_pk)
    except FeedImport.DoesNotExist:
        raise Http404(NOT_YOURS) from None
