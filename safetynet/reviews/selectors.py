"""Reads of the reviews pages; every one starts from the user's regions (accounts.scoping)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from safetynet.accounts.scoping import region_q
from safetynet.intake.models import HouseholdStatus
from safetynet.parameters.selectors import effective_parameters
from safetynet.policy.params import ParameterSet
from safetynet.regions.models import Region
from safetynet.registry.models import Household, Membership
from safetynet.reviews import cycle
from safetynet.reviews.models import PeriodicReview, RiskElimination

NOT_FOUND = "未找到该记录，或您无权查看。"


def access_elimination(user: Any, elimination_id: object) -> RiskElimination:
    """The 风险消除 case if `user` may see it; 404 for "missing" and "not yours" alike."""
    try:
        return (RiskElimination.objects.visible_to(user)
                .select_related("household", "region", "verified_by", "decided_by").get(pk=elimination_id))
    except (RiskElimination.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def _scoped_statuses(user: Any, on: date, region: str) -> QuerySet[HouseholdStatus]:
    rows = (HouseholdStatus.objects.filter(effective_from__lte=on)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on)))
    q = region_q(user, "household__region__code")
    if q is not None:
        rows = rows.filter(q)
    if region:
        rows = rows.filter(household__region__code__startswith=region)
    return rows


def statuses_in_force(user: Any, *, on: date, region: str = "") -> dict[int, HouseholdStatus]:
    """The status in force on `on` per household in `user`'s regions (the latest-starting row)."""
    current: dict[int, HouseholdStatus] = {}
    for row in _scoped_statuses(user, on, region).order_by("household_id", "effective_from", "pk"):
        current[row.household_id] = row
    return current


def category_since(household_ids: list[int], on: date) -> dict[int, date]:
    """Since when each household has held a reviewed category without a break (rows never in force
    are skipped): the base of its first review."""
    since: dict[int, date] = {}
    rows = (HouseholdStatus.objects.filter(household_id__in=household_ids, effective_from__lte=on)
            .order_by("household_id", "effective_from", "pk")
            .values_list("household_id", "categories", "effective_from", "effective_to"))
    for household_id, categories, start, end in rows:
        if end is not None and end < start:
            continue
        if set(categories) & set(cycle.REVIEWED_CATEGORIES):
            since.setdefault(household_id, start)
        else:
            since.pop(household_id, None)
    return since


def _latest_reviews(household_ids: list[int]) -> dict[int, PeriodicReview]:
    latest: dict[int, PeriodicReview] = {}
    for review in (PeriodicReview.objects.filter(household_id__in=household_ids)
                   .order_by("household_id", "reviewed_on", "pk")):
        latest[review.household_id] = review
    return latest


def member_facts_by_household(household_ids: list[int], on: date) -> dict[int, list[cycle.MemberFacts]]:
    """Members' facts read straight from registry rows (one query), for many households at once."""
    facts: dict[int, list[cycle.MemberFacts]] = defaultdict(list)
    rows = (Membership.objects.filter(household_id__in=household_ids, ended_on__isnull=True)
            .values_list("household_id", "relation", "co_resident", "excluded", "member__birth_date",
                         "member__schooling", "member__labor", "member__disability_kind",
                         "member__disability_grade", "member__employment"))
    for household_id, relation, co_resident, excluded, born, schooling, labor, kind, grade, employment in rows:
        facts[household_id].append(cycle.MemberFacts(
            age=cycle.age_on(born, on), labor=labor, employment=employment, disability_kind=kind or "",
            disability_grade=grade,
            counted=cycle.counted(co_resident=co_resident, relation=relation, schooling=schooling,
                                  excluded=excluded)))
    return facts


@dataclass(frozen=True)
class Due:
    """When a household's next review falls, and why."""

    due_on: date | None
    interval: cycle.Interval | None
    base_on: date | None  # the last review, or the day the category began
    last_review: PeriodicReview | None


def review_due(status: HouseholdStatus, *, since: date | None, last: PeriodicReview | None,
               facts: list[cycle.MemberFacts], region: str, on: date, params: ParameterSet) -> Due:
    """The next due date of a household in force `status`.

    A review recorded since the category began set it (its interval was fixed by what it found); a
    household never reviewed since is due `interval` months after `since`, the interval read from the
    registry as it stands now.
    """
    if last is not None and (since is None or last.reviewed_on >= since):
        interval = (cycle.Interval(last.interval_months, last.unstable_income) if last.interval_months else None)
        return Due(due_on=last.next_due_on, interval=interval, base_on=last.reviewed_on, last_review=last)
    unstable = cycle.unstable_income(facts, region=region, on=on, params=params)
    interval = cycle.review_interval(status.categories, unstable=unstable, region=region, on=on, params=params)
    if interval is None or since is None:
        return Due(due_on=None, interval=interval, base_on=since, last_review=last)
    return Due(due_on=cycle.add_months(since, interval.months), interval=interval, base_on=since, last_review=last)


def household_due(household: Household, status: HouseholdStatus | None, *, on: date) -> Due | None:
    """The next review of one household (None when its status holds neither 低保 nor 特困)."""
    if status is None or not set(status.categories) & set(cycle.REVIEWED_CATEGORIES):
        return None
    return review_due(status, since=category_since([household.pk], on).get(household.pk),
                      last=_latest_reviews([household.pk]).get(household.pk),
                      facts=member_facts_by_household([household.pk], on).get(household.pk, []),
                      region=household.region_id, on=on, params=effective_parameters())


@dataclass(frozen=True)
class DueRow:
    household: Household
    status: HouseholdStatus
    due: Due
    overdue: bool
    township: str


def due_reviews_for(user: Any, *, today: date, region: str = "", category: str = "",
                    show_all: bool = False) -> list[DueRow]:
    """Households holding 低保 or 特困 whose review is due within `review.due_ahead_days` or overdue
    (all of them with `show_all`), and those in a 渐退期; overdue first, then by due date."""
    params = effective_parameters()
    statuses = {pk: s for pk, s in statuses_in_force(user, on=today, region=region).items()
                if set(s.categories) & set(cycle.REVIEWED_CATEGORIES) and (not category or category in s.categories)}
    ids = list(statuses)
    regions = dict(Household.objects.filter(pk__in=ids).values_list("pk", "region_id"))
    since, latest, facts = category_since(ids, today), _latest_reviews(ids), member_facts_by_household(ids, today)
    listed: list[tuple[HouseholdStatus, Due]] = []
    for pk, status in statuses.items():
        due = review_due(status, since=since.get(pk), last=latest.get(pk), facts=facts.get(pk, []),
                         region=regions[pk], on=today, params=params)
        ahead = int(params.resolve("review.due_ahead_days", regions[pk], today).value or 0)
        if show_all or (due.due_on is not None and due.due_on <= today + timedelta(days=ahead)) or status.taper_until:
            listed.append((status, due))
    # the households (with their village and grid) of the listed rows only: most of a county is not due
    households = Household.objects.select_related("region__parent").in_bulk([s.household_id for s, _ in listed])
    townships = dict(Region.objects.filter(code__in={regions[s.household_id][:9] for s, _ in listed})
                     .values_list("code", "name"))
    rows = [DueRow(household=households[status.household_id], status=status, due=due,
                   overdue=due.due_on is not None and due.due_on < today,
                   township=townships.get(regions[status.household_id][:9], "")) for status, due in listed]
    return sorted(rows, key=lambda r: (not r.overdue, r.due.due_on or date.max, r.household.code))


def household_reviews(household: Household) -> list[PeriodicReview]:
    return list(PeriodicReview.objects.filter(household=household).select_related("by", "status_after"))


def region_filter_choices(user: Any) -> list[tuple[str, str]]:
    """Townships and villages inside `user`'s regions, for the lists' filter."""
    regions = Region.objects.filter(level__in=[Region.Level.TOWNSHIP, Region.Level.VILLAGE])
    q = region_q(user, "code")
    if q is not None:
        regions = regions.filter(q)
    return [(r.code, r.name if r.level == Region.Level.TOWNSHIP else f"　{r.name}") for r in regions.order_by("code")]
