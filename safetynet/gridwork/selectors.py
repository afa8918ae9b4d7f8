"""Reads of grid work that users see; every one starts from a queryset scoped to the user's regions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
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
HOUSEHOLD_FIELDS = ("pk", "code", "head_name", "address", "region_id", "monitoring_object")
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
    region_name: str = ""  # 坦途镇坦途村第一网格

    @property
    def category_labels(self) -> list[str]:
        return [PLAN_CATEGORIES[c] for c in self.categories]


@dataclass(frozen=True)
class _Status:
    categories: list[str]
    monitoring_object: bool


def _current_statuses(households: QuerySet[Household], today: date) -> QuerySet[HouseholdStatus]:
    return (HouseholdStatus.objects.filter(household__in=households.values("pk"), effective_from__lte=today)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today)))


def _statuses_by_household(statuses: QuerySet[HouseholdStatus]) -> dict[int, _Status]:
    rows = (statuses.order_by("household_id", "effective_from", "pk")
            .values_list("household_id", "categories", "monitoring_object"))
    return {pk: _Status(categories, tag) for pk, categories, tag in rows}  # the latest in force wins


def _last_visits(households: QuerySet[Household]) -> dict[int, date]:
    # A subquery, not a list of ids: a county's thousands of ids would pass SQLite's variable limit.
    rows = (GridVisit.objects.filter(household__in=households.values("pk")).values("household_id")
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
    # Rows for a county's thousands of households: only the fields the pages show, no model per status.
    in_plan = households.filter(Q(pk__in=statuses.values("household_id")) | Q(monitoring_object=True))
    planned = list(in_plan.only(*HOUSEHOLD_FIELDS))
    by_household = _statuses_by_household(statuses)
    resolver = IntervalResolver(effective_parameters(), today)
    last = _last_visits(in_plan)
    names = _full_names({h.region_id for h in planned})
    rows = []
    for household in planned:
        row = _plan_row(household, by_household.get(household.pk), last.get(household.pk), resolver, today)
        if row is not None:
            rows.append(PlanRow(household=household, categories=row.categories, due=row.due,
                                region_name=names.get(household.region_id, household.region_id)))
    return sorted(rows, key=lambda r: (STATE_ORDER.index(r.due.state), r.due.due_on, r.household.code))


def _plan_row(household: Household, status: HouseholdStatus | _Status | None, last_visit: date | None,
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


def _full_names(codes: Iterable[str]) -> dict[str, str]:
    """Region.full_name (township down) for many codes in one query: 坦途镇坦途村第一网格."""
    levels = (9, 12, 15)
    prefixes = {c[:n] for c in codes for n in levels if len(c) >= n}
    names = dict(Region.objects.filter(code__in=prefixes).values_list("code", "name"))
    return {c: "".join(names.get(c[:n], "") for n in levels if len(c) >= n) for c in codes if c in names}


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
    names = _full_names(groups)
    workers: dict[str, list[str]] = defaultdict(list)
    if level == "grid":
        for user in User.objects.filter(role=Role.GRID_WORKER, region_id__in=groups, is_active=True):
            workers[user.region_id].append(str(user))
    for code, group in groups.items():
        group.name = names.get(code) or f"{code}（村直管，未分网格）"
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
