"""The household list's page: the rows of one page and the total, read cheaply at county scale.

The list is the most used page and the demo county has 20,000 households, so this module reads
no more than one page needs:
- rows are found by id first (an index on 户编号 + region covers it) and only the page's 20 rows
  are then read with their regions, so skipping to page 150 joins nothing for the 2,980 skipped;
- a search is evaluated once: its ids are fetched whole, counted, and kept while the user pages
  through them; a filter's total is kept likewise. Both are keyed by the latest change to any
  household (an index gives it in one step): every registry service saves the household, so a
  change starts a new key (a bulk `.update()` that skips `updated_at` would not);
- the unfiltered total is COUNT(*) when the user's scope holds every household, else counted on
  the region index as a range, which SQLite serves without reading rows (it cannot use an index
  for LIKE 'prefix%').

Kept results live in each process's cache for a minute. Rows are always read fresh and scoped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property

from safetynet.accounts.scoping import ALL_REGIONS, region_prefixes_for
from safetynet.regions.models import Region
from safetynet.registry.models import Household
from safetynet.registry.selectors import households_for, prefix_q

COUNTY_CODE_LENGTH = 6
KEEP_SECONDS = 60
COLUMNS = (
    "pk",
    "code",
    "head_name",
    "residence",
    "member_count",
    "monitoring_object",
    "monitoring_kind",
    "updated_at",
    "region__name",
    "region__level",
    "region__parent__name",
)


class _CountedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, *, count: int | None) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return super().count if self._known_count is None else self._known_count


def households_count_for(user: Any) -> int:
    """How many households `user` may see (the same scope as `Household.objects.visible_to`)."""
    prefixes = region_prefixes_for(user)
    if prefixes is ALL_REGIONS or _holds_every_household(prefixes):  # type: ignore[arg-type]
        return Household.objects.count()
    if not prefixes:
        return 0
    scope = Q()
    for prefix in prefixes:  # type: ignore[union-attr]
        scope |= prefix_q("region_id", prefix)
    return Household.objects.filter(scope).count()


def _holds_every_household(prefixes: list[str]) -> bool:
    """Whether every household lies under one of `prefixes`: then a plain COUNT(*) is the answer.

    Asked only for county-wide users. Codes sharing a prefix form one run in sorted order, so the
    lowest and highest region codes (two index lookups) settle it.
    """
    if not any(len(prefix) <= COUNTY_CODE_LENGTH for prefix in prefixes):
        return False
    codes = Household.objects.values_list("region_id", flat=True)
    lowest, highest = codes.order_by("region_id").first(), codes.order_by("-region_id").first()
    return lowest is None or any(lowest.startswith(p) and highest.startswith(p) for p in prefixes)  # type: ignore[union-attr]


def household_page_for(user: Any, *, filters: dict[str, str], number: str | None) -> Page:
    """Page `number` of the households `user` may see, filtered; rows as dicts for the table."""
    ids: Any = households_for(user, **filters).values_list("pk", flat=True)
    count = None
    if filters["query"]:
        ids = _kept(user, filters, "ids", lambda: list(ids))
    else:
        counted = ids.count if any(filters.values()) else lambda: households_count_for(user)
        count = _kept(user, filters, "count", counted)
    page = _CountedPaginator(ids, settings.SAFETYNET_PAGE_SIZE, count=count).get_page(number)
    page.object_list = _rows(user, list(page.object_list))
    return page


def _kept(user: Any, filters: dict[str, str], what: str, compute: Callable[[], Any]) -> Any:
    """A search's ids or a filter's total, computed once per question and registry state: paging
    through the results, or asking again, re-runs nothing. Any change to a household starts a new key."""
    latest = Household.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    prefixes = region_prefixes_for(user)
    scope = "*" if prefixes is ALL_REGIONS else ",".join(prefixes)  # type: ignore[arg-type]
    raw = json.dumps([what, scope, filters, str(latest)], ensure_ascii=False, sort_keys=True)
    key = "household-list:" + hashlib.sha256(raw.encode()).hexdigest()  # no search text in the key
    return cache.get_or_set(key, compute, KEEP_SECONDS)


def _rows(user: Any, ids: list[int]) -> list[dict[str, Any]]:
    # Scoped again: ids may come from a cached search.
    found = Household.objects.visible_to(user).filter(pk__in=ids).values(*COLUMNS)
    by_id = {row["pk"]: row for row in found}
    detail = reverse("registry:household_detail", args=[0])  # one reverse, not one per row
    rows = []
    for pk in ids:
        row = by_id.get(pk)
        if row is None:
            continue
        row["url"] = detail.replace("/0/", f"/{pk}/")
        row["place"] = _place(row["region__name"], row["region__level"], row["region__parent__name"])
        rows.append(row)
    return rows


def _place(name: str, level: str, parent: str | None) -> str:
    """A village's name, or a grid's with its village unless the grid's name already says it."""
    if level == Region.Level.GRID and parent and not name.startswith(parent):
        return f"{parent}{name}"
    return name
