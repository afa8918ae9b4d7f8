"""Reads of the registry that users see. Every one starts from `Household.objects.visible_to(user)`."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from safetynet.core.pinyin import name_pinyin
from safetynet.registry.models import Household, Member, Membership

NOT_FOUND = "未找到该户，或您无权查看。"
_ID_LIKE = re.compile(r"^[0-9]{4,17}[0-9Xx]?$")
_LATIN = re.compile(r"^[A-Za-z]+$")


def access_household(user: Any, household_id: object) -> Household:
    """The household if `user` may see it; 404 for "missing" and "not yours" alike."""
    try:
        return Household.objects.visible_to(user).select_related("region__parent__parent__parent").get(pk=household_id)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def search_q(text: str) -> Q:
    """Search by name (any member), pinyin initials or full pinyin, ID number (or its digits), or 户编号."""
    text = text.strip()
    if not text:
        return Q()
    if _ID_LIKE.match(text):
        number = text.upper()
        people = Q(id_number=number) if len(number) == 18 else Q(id_number__contains=number)
        return _households_of(people) | Q(code__startswith=number)
    if _LATIN.match(text):
        lowered = text.lower()
        return _households_of(prefix_q("name_initials", lowered) | prefix_q("name_pinyin", lowered))
    return _households_of(Q(name__contains=text))


def _households_of(people: Q) -> Q:
    """Households with an active member matching `people` (a filter on Member).

    Members are filtered first, so an indexed condition narrows the search before any join.
    """
    members = Member.objects.filter(people).values("pk")
    return Q(pk__in=Membership.objects.filter(ended_on__isnull=True, member__in=members).values("household_id"))


def prefix_q(field: str, prefix: str) -> Q:
    """`field` starts with `prefix` (digits or lower-case letters), as a range an index can serve.

    SQLite's LIKE 'x%' is case-insensitive and so never uses an index; a range works on both databases.
    """
    end = len(prefix.rstrip("9z"))
    if end == 0:
        return Q(**{f"{field}__gte": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix[:end - 1] + chr(ord(prefix[end - 1]) + 1)})


def households_for(user: Any, *, region: str = "", residence: str = "", monitoring: str = "",
                   query: str = "") -> QuerySet[Household]:
    """The household list: scoped, filtered and searched, in 户编号 order."""
    households = Household.objects.visible_to(user)
    if region:
        households = households.filter(region__code__startswith=region)
    if residence:
        households = households.filter(residence=residence)
    if monitoring in ("1", "0"):
        households = households.filter(monitoring_object=monitoring == "1")
    if query:
        households = households.filter(search_q(query))
    return households.select_related("region").order_by("code")


__all__ = ["access_household", "households_for", "search_q", "name_pinyin", "NOT_FOUND"]
