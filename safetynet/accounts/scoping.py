"""The one scoping mechanism: which region prefixes a user may see.

Every read of personal data starts from a queryset's `visible_to(user)`, which calls
`region_prefixes_for`; pages, API, exports and search all go through it.
"""

from __future__ import annotations

from typing import Final

from django.db import models
from django.db.models import Q

from safetynet.accounts.choices import Role


class _AllRegions:
    def __repr__(self) -> str:
        return "ALL_REGIONS"


ALL_REGIONS: Final = _AllRegions()


def region_prefixes_for(user: object) -> list[str] | _AllRegions:
    """Region-code prefixes whose data `user` may see; [] for none."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    if getattr(user, "is_superuser", False):
        return ALL_REGIONS
    if getattr(user, "role", "") == Role.DEPARTMENT_CLERK:
        return []  # until households are pushed to their department
    region_id = getattr(user, "region_id", None)
    return [region_id] if region_id else []


def region_q(user: object, field: str) -> Q | None:
    """A filter on `field` (a region code) for `user`; None means no restriction."""
    prefixes = region_prefixes_for(user)
    if prefixes is ALL_REGIONS:
        return None
    assert isinstance(prefixes, list)
    if not prefixes:
        return Q(pk__in=[])
    q = Q()
    for prefix in prefixes:
        q |= Q(**{f"{field}__startswith": prefix})
    return q


class RegionScopedQuerySet(models.QuerySet):
    """Rows whose `region` (a household's grid or village) lies in the regions assigned to `user`,
    sub-regions included: the one `visible_to` of every model that carries a household's region."""

    def visible_to(self, user: object) -> RegionScopedQuerySet:
        q = region_q(user, "region__code")  # region_id__startswith is refused on a ForeignKey
        return self if q is None else self.filter(q)
