"""Reads of grid work that users see; every one starts from a queryset scoped to the user's regions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safetynet.accounts.choices import Role
from safetynet.accounts.models import User
from safetynet.accounts.scoping import region_q
from safetynet.gridwork.models import GridVisit
from safetynet.gridwork.plans import (
    PLAN_CATEGORIES,
    Due,
    DueState,
    IntervalResolver,
    plan_categories,
    visit_due,
)
from safetynet.intake.models import HouseholdStatus
from safetynet.intake.selectors import household_status_on
from safetynet.monitoring.models import Alert
from safetynet.parameters.selectors import effective_parameters
from safetynet.regions.models import Region
from safetynet.registry.models import Household

NOT_FOUND = "未找到该走访记录，或您无权查看。"
LAST_VISITS_SHOWN = 3
STATE_ORDER = [DueState.OVERDUE, DueState.DUE, DueState.DUE_SOON, DueState.LATER]


def access_grid_visit(user: Any, grid_visit_id: object) -> GridVisit:
    """The visit if `user` may see it; 404 for "missing" and "not yours" alike."""
    try:
        return (GridVisit.objects.visible_to(user).select_related("household", "region", "by", "alert",
                                                                    "raised_alert")
                .get(pk=grid_visit_id))
    except (GridVisit.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


@dataclass(frozen=True)
class PlanRow:
    household: Household
    categories: list[str]  # plan categories (codes of PLAN_CATEGORIES)
    due: Due

    @property
    def category_labels(self) -> list[str]:
        return [PLAN_CATEGORIES[c] for c in self.categories]


def _current_statuses(households: QuerySet[Household], today: date) -> dict[int, HouseholdStatus]:
    statuses = (HouseholdStatus.objects.filter(household__in=households.values("pk"), effective_from__lte=today)
                .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
                .order_by("household_id", "effective_from", "pk"))
    return {s.household_id: s for s in statuses}  # the latest in force wins


def _last_visits(household_ids: list[int]) -> dict[int, date]:
    rows = (GridVisit.objects.filter(household_id__in=household_ids).values("household_id")
            .annotate(last=Max("visited_on")).values_list("household_id", "last"))
    return dict(rows)


def plan_for(user: Any, *, today: date | None = None, region: str = "") -> list[PlanRow]:
    """Households in `user`'s regions with a visit plan, most urgent first (逾期, 今日, 即将到期, 未到期).

    1. households in scope with a category or the monitoring tag in force today, or tagged in the registry;
    2. the shortest interval among their categories, for their region;
    3. the next due date from their last visit.
    """
    today = today or timezone.localdate()
    households = Household.objects.visible_to(user)
    if region:
        households = households.filter(region__code__startswith=region)
    statuses = _current_statuses(households, today)
    tagged = households.filter(Q(pk__in=list(statuses)) | Q(monitoring_object=True)).select_related("region")
    resolver = IntervalResolver(effective_parameters(), today)
    candidates = list(tagged)
    last = _last_visits([h.pk for h in candidates])
    rows = []
    for household in candidates:
        row = _plan_row(household, statuses.get(household.pk), last.get(household.pk), resolver, today)
        if row is not None:
            rows.append(row)
    return sorted(rows, key=lambda r: (STATE_ORDER.index(r.due.state), r.due.due_on, r.household.code))


def _plan_row(household: Household, status: HouseholdStatus | None, last_visit: date | None,
              resolver: IntervalResolver, today: date) -> PlanRow | None:
    categories = plan_categories(status.categories if status else [],
                                 monitoring_object=bool(status and status.monitoring_object)
                                 or household.monitoring_object)
    shortest = resolver.shortest(categories, household.region_id)
    if shortest is None:
        return None
    months, category = shortest
    due = visit_due(interval_months=months, by_category=category, last_visit=last_visit, today=today,
                    due_soon_days=resolver.due_soon_days(household.region_id))
    return PlanRow(household=household, categories=categories, due=due)


@dataclass
class PlanSummaryRow:
    code: str
    name: str
    level: str  # "grid" | "village" | "township"
    workers: list[str] = field(default_factory=list)
    households: int = 0
    overdue: int = 0
    due: int = 0
    due_soon: int = 0


def _summary_key(region_code: str, level: str) -> str:
    return region_code[:{"township": 9, "village": 12, "grid": 15}[level]]


def plan_summary(rows: list[PlanRow], *, level: str) -> list[PlanSummaryRow]:
    """Households in the plan and those overdue, due today or soon, per grid, village or township."""
    groups: dict[str, PlanSummaryRow] = {}
    for row in rows:
        code = _summary_key(row.household.region_id, level)
        group = groups.setdefault(code, PlanSummaryRow(code=code, name="", level=level))
        group.households += 1
        group.overdue += row.due.state == DueState.OVERDUE
        group.due += row.due.state == DueState.DUE
        group.due_soon += row.due.state == DueState.DUE_SOON
    regions = {r.code: r for r in Region.objects.filter(code__in=groups).select_related("parent")}
    workers: dict[str, list[str]] = defaultdict(list)
    if level == "grid":
        for user in User.objects.filter(role=Role.GRID_WORKER, region_id__in=groups, is_active=True):
            workers[user.region_id].append(str(user))
    for code, group in groups.items():
        region = regions.get(code)
        group.name = region.full_name if region else f"{code}（村直管，未分网格）"
        group.workers = sorted(workers.get(code, []))
    return sorted(groups.values(), key=lambda g: g.code)


def open_alerts_for(user: Any, *, household: Household | None = None) -> QuerySet[Alert]:
    """Open alerts `user` owns in their regions (a household's, when given), earliest deadline first."""
    alerts = Alert.objects.exclude(status=Alert.Status.CLOSED)
    q = region_q(user, "region__code")
    if q is not None:
        alerts = alerts.filter(q)
    alerts = alerts.filter(household=household) if household is not None else alerts.filter(owner=user)
    return alerts.select_related("household", "region", "owner").order_by("due_on", "pk")


def access_open_alert(user: Any, household: Household, alert_id: object) -> Alert:
    """An open alert of `household` in `user`'s regions (the one a visit goes to verify); 404 otherwise."""
    try:
        return open_alerts_for(user, household=household).get(pk=alert_id)
    except (Alert.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该预警，或已办结。") from None


@dataclass(frozen=True)
class HouseholdVisits:
    visits: list[GridVisit]
    due: Due | None  # None: the household has no visit plan
    categories: list[str]

    @property
    def category_labels(self) -> list[str]:
        return [PLAN_CATEGORIES[c] for c in self.categories]


def household_visits(household: Household, *, today: date | None = None) -> HouseholdVisits:
    """The household's last visits and its next due date (for the household page and the visit page)."""
    today = today or timezone.localdate()
    visits = list(household.grid_visits.select_related("by", "raised_alert").prefetch_related("photos")
                  .order_by("-visited_on", "-pk")[:LAST_VISITS_SHOWN])
    status = household_status_on(household, today)
    row = _plan_row(household, status, visits[0].visited_on if visits else None,
                    IntervalResolver(effective_parameters(), today), today)
    return HouseholdVisits(visits=visits, due=row.due if row else None, categories=row.categories if row else [])
