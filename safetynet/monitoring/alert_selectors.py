"""Reads of alerts that users see; every one starts from `alerts_visible_to(user)` (region scoping)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.accounts.scoping import region_q
from safetynet.monitoring.alerts import OPEN_STATUSES
from safetynet.monitoring.models import Alert, ScreeningRun
from safetynet.regions.models import Region

NOT_FOUND = "未找到该预警，或您无权查看。"


def alerts_visible_to(user: Any) -> QuerySet[Alert]:
    """Alerts of households in the user's regions (sub-regions included); none without VIEW_HOUSEHOLDS."""
    if not has_capability(user, Capability.VIEW_HOUSEHOLDS):
        return Alert.objects.none()
    q = region_q(user, "region__code")
    return Alert.objects.all() if q is None else Alert.objects.filter(q)


def access_alert(user: Any, alert_id: object) -> Alert:
    """The alert if `user` may see it; 404 for "missing" and "not yours" alike."""
    try:
        return (alerts_visible_to(user).select_related("household", "member", "region", "owner", "closed_by",
                                                       "application", "screening_run").get(pk=alert_id))
    except (Alert.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def overdue_q(today: date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_on__lt=today)


def alerts_for(user: Any, *, today: date, status: str = "", kind: str = "", region: str = "",
               overdue: bool = False, mine: bool = False, fraud: bool = False) -> QuerySet[Alert]:
    """The alert list: scoped, filtered, by due date (the most urgent first)."""
    alerts = alerts_visible_to(user)
    if status == "open":
        alerts = alerts.filter(status__in=OPEN_STATUSES)
    elif status:
        alerts = alerts.filter(status=status)
    if kind:
        alerts = alerts.filter(kind=kind)
    if region:
        alerts = alerts.filter(region__code__startswith=region)
    if overdue:
        alerts = alerts.filter(overdue_q(today))
    if mine:
        alerts = alerts.filter(owner=user)
    if fraud:
        alerts = alerts.filter(suspected_fraud=True)
    return alerts.select_related("household", "member", "region", "owner").order_by("due_on", "pk")


def my_open_alerts(user: Any) -> QuerySet[Alert]:
    """我的预警: the open alerts the user owns, in the user's region, the most urgent first."""
    return (alerts_visible_to(user).filter(owner=user, status__in=OPEN_STATUSES)
            .select_related("household", "member", "region").order_by("due_on", "pk"))


@dataclass
class HandledFigures:
    """预警办结率 of one township or village: closed / all, open, overdue."""

    code: str
    name: str
    total: int = 0
    closed: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def rate(self) -> float | None:
        return None if self.total == 0 else self.closed / self.total

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


def _add(figures: HandledFigures, row: dict[str, Any]) -> None:
    figures.total += row["total"]
    figures.closed += row["closed"]
    figures.open += row["total"] - row["closed"]
    figures.overdue += row["overdue"]


def handled_figures_for(user: Any, *, today: date) -> tuple[HandledFigures, list[HandledFigures], list[HandledFigures]]:
    """(all of the user's scope, per township, per village): one grouped query, rolled up by code prefix."""
    rows = (alerts_visible_to(user).values("region_id").order_by()
            .annotate(total=Count("pk"), closed=Count("pk", filter=Q(status=Alert.Status.CLOSED)),
                      overdue=Count("pk", filter=overdue_q(today))))
    whole = HandledFigures("", "合计")
    townships: dict[str, HandledFigures] = {}
    villages: dict[str, HandledFigures] = {}
    for row in rows:
        code = row["region_id"]
        _add(whole, row)
        _add(townships.setdefault(code[:9], HandledFigures(code[:9], "")), row)
        _add(villages.setdefault(code[:12], HandledFigures(code[:12], "")), row)
    names = dict(Region.objects.filter(code__in=[*townships, *villages]).values_list("code", "name"))
    for figures in (*townships.values(), *villages.values()):
        figures.name = names.get(figures.code, figures.code)
    return whole, sorted(townships.values(), key=lambda f: f.code), sorted(villages.values(), key=lambda f: f.code)


def latest_screening_run() -> ScreeningRun | None:
    return ScreeningRun.objects.filter(source=ScreeningRun.REGISTRY).order_by("-started_at", "-pk").first()


def screening_runs_recent(limit: int = 20) -> list[ScreeningRun]:
    return list(ScreeningRun.objects.select_related("started_by").order_by("-started_at", "-pk")[:limit])
