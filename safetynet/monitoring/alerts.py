"""Alerts (预警): raised, assigned, verified, closed — new → assigned → verifying → closed.

An alert is raised by screening (a risk, a proposed change of category, a monitoring candidate, a
conflict with the declaration) or by a grid worker's visit (主动发现). Its owner is found by region
(the grid's worker, else a clerk of the township) and its deadline counts working days per kind
(`alert.due_workdays.<kind>`). An alert raised with an owner starts as 已分派 (assigned by region);
one without owner waits as 新预警 for the township to assign it. Every step checks the role, the
region and the status, takes the version the page was loaded with (a stale page is refused), and
is audited. An open alert is never raised twice: (household, kind, code) is unique among open alerts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from safetynet.accounts.choices import Role
from safetynet.accounts.models import User
from safetynet.accounts.permissions import Capability, has_capability
from safetynet.accounts.scoping import ALL_REGIONS, region_prefixes_for
from safetynet.audit.services import audit_record
from safetynet.intake.models import Application
from safetynet.intake.workdays import add_workdays
from safetynet.monitoring.models import Alert
from safetynet.parameters.selectors import effective_parameters
from safetynet.policy.params import ParameterSet
from safetynet.registry.models import Household

Status = Alert.Status
Outcome = Alert.Outcome
OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.VERIFYING)
DISPATCHERS = {Role.TOWNSHIP_CLERK, Role.TOWNSHIP_REVIEWER, Role.COUNTY_CIVIL, Role.COUNTY_RURAL}

CANNOT_HANDLE = "您的角色不能办理预警"
NOT_IN_REGION = "该预警不在您的辖区内"
ONLY_DISPATCHERS = "只有乡镇经办、乡镇审核和县级部门可以分派预警"
ONLY_OWNER = "该预警的责任人是{owner}，网格员只能办理本人负责的预警"
WRONG_STATUS = "预警当前为“{status}”，不能{step}（顺序：新预警 → 已分派 → 核实中 → 已办结）"
STALE = "该预警已有新的办理记录（页面打开后他人已操作），请刷新页面后再办理"
ASSIGNEE_INVALID = "被分派人应为辖区内可以办理预警的在岗人员（网格员、乡镇经办或乡镇审核）"
REASON_REQUIRED = "请填写结果说明：核实了什么、为什么这样处理"
APPLICATION_REQUIRED = "办理结果为“已启动救助申请”时，请选择本户已登记的救助申请"
APPLICATION_OTHER_HOUSEHOLD = "所选申请不是本户的申请，请选择本户的救助申请"
OUTCOME_INVALID = "办理结果应为：已启动救助申请、已调整救助状态或经核实无需处理"
KIND_INVALID = "未知的预警类型“{kind}”"

STEP_ASSIGN, STEP_VERIFY, STEP_CLOSE = "分派", "开始核实", "办结"


class AlertError(Exception):
    """A step refused for a reason the user can fix (status, missing reason…); str() is Chinese."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class AlertNotAllowed(AlertError):
    """The user may not take this step on this alert (role, region, not the owner): 403."""


class StaleAlert(AlertError):
    """The alert changed since the page showed it (optimistic `version`)."""


# ---- owner and deadline -------------------------------------------------------------------------------


def alert_owners_for(region_codes: Iterable[str]) -> dict[str, int | None]:
    """Owner (user id) per region code, in two queries: the active grid worker of a grid (15 digits),
    else the first active clerk of its township (9 digits); None where neither exists."""
    codes = set(region_codes)
    active = User.objects.filter(is_active=True)
    workers: dict[str, int] = {}
    for pk, region in (active.filter(role=Role.GRID_WORKER, region_id__in={c[:15] for c in codes if len(c) >= 15})
                       .order_by("-pk").values_list("pk", "region_id")):
        workers[region] = pk  # descending: the earliest account of the grid wins
    clerks: dict[str, int] = {}
    for pk, region in (active.filter(role=Role.TOWNSHIP_CLERK, region_id__in={c[:9] for c in codes})
                       .order_by("-pk").values_list("pk", "region_id")):
        clerks[region] = pk
    return {c: workers.get(c[:15]) if c[:15] in workers else clerks.get(c[:9]) for c in codes}


def alert_owner_for(region_code: str) -> User | None:
    """The grid's worker, else a township clerk (二网合一: the grid that watches is the grid that helps)."""
    pk = alert_owners_for([region_code])[region_code]
    return None if pk is None else User.objects.get(pk=pk)


def alert_due_on(kind: str, *, region: str, on: date, params: ParameterSet | None = None) -> date:
    """`on` plus `alert.due_workdays.<kind>` working days on the official calendar (调休 included)."""
    days = (params or effective_parameters()).resolve(f"alert.due_workdays.{kind}", region, on).value
    return add_workdays(on, int(days or 0))


class DueDates:
    """Due dates for many alerts: one parameter resolution per (kind, region) and one calendar walk per
    (raised on, days), so a screening's thousands of alerts cost a few lookups."""

    def __init__(self, params: ParameterSet | None = None) -> None:
        self.params = params or effective_parameters()
        self._days: dict[tuple[str, str, date], int] = {}
        self._dates: dict[tuple[date, int], date] = {}

    def __call__(self, kind: str, region: str, on: date) -> date:
        key = (kind, region, on)
        if key not in self._days:
            self._days[key] = int(self.params.resolve(f"alert.due_workdays.{kind}", region, on).value or 0)
        days = self._days[key]
        if (on, days) not in self._dates:
            self._dates[(on, days)] = add_workdays(on, days)
        return self._dates[(on, days)]


# ---- raising ------------------------------------------------------------------------------------------


@dataclass
class AlertDraft:
    """An alert to raise: what, about whom, why. Owner and due date are set when raised."""

    household_id: int
    region_id: str
    kind: str
    code: str
    evidence: dict[str, Any]
    member_id: int | None = None
    suspected_fraud: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _new_alert(draft: AlertDraft, *, on: date, owner_id: int | None, due_on: date, screening_run: Any) -> Alert:
    return Alert(kind=draft.kind, code=draft.code, household_id=draft.household_id, member_id=draft.member_id,
                 region_id=draft.region_id, suspected_fraud=draft.suspected_fraud, evidence=draft.evidence,
                 screening_run=screening_run, raised_on=on, due_on=due_on, owner_id=owner_id,
                 status=Status.ASSIGNED if owner_id else Status.NEW)


def alert_raise(*, household: Household, kind: str, code: str, evidence: dict[str, Any], on: date,
                member: Any = None, suspected_fraud: bool = False, screening_run: Any = None,
                by: Any = None) -> Alert | None:
    """Raise one alert; None when an open alert of (household, kind, code) exists (never raised twice).

    The unique constraint decides a race between two raisers: the loser's insert fails inside its
    savepoint, and it answers None like the check before it.
    """
    if kind not in Alert.Kind.values:
        raise ValueError(KIND_INVALID.format(kind=kind))
    if Alert.objects.filter(household=household, kind=kind, code=code).exclude(status=Status.CLOSED).exists():
        return None
    draft = AlertDraft(household_id=household.pk, region_id=household.region_id, kind=kind, code=code,
                       evidence=evidence, member_id=getattr(member, "pk", None), suspected_fraud=suspected_fraud)
    owner = alert_owners_for([household.region_id])[household.region_id]
    alert = _new_alert(draft, on=on, owner_id=owner, screening_run=screening_run,
                       due_on=alert_due_on(kind, region=household.region_id, on=on))
    try:
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        return None  # raised meanwhile by someone else
    _audit(by, "alert.raise", alert, {"kind": kind, "code": code, "owner": owner})
    return alert


def alerts_raise_bulk(drafts: list[AlertDraft], *, on: date, screening_run: Any = None, by: Any = None,
                      params: ParameterSet | None = None, batch_size: int = 2_000) -> int:
    """Raise many alerts at once (a screening run); those already open are skipped by the database.

    Owners come in two queries, due dates from a cache; rows go in with `ignore_conflicts`, so a
    concurrent raise of the same open alert is skipped, not an error. One audit record for the batch.
    """
    if not drafts:
        return 0
    owners = alert_owners_for({d.region_id for d in drafts})
    due = DueDates(params)
    before = Alert.objects.count()
    Alert.objects.bulk_create((_new_alert(d, on=on, owner_id=owners[d.region_id], screening_run=screening_run,
                                          due_on=due(d.kind, d.region_id, on)) for d in drafts),
                              batch_size=batch_size, ignore_conflicts=True)
    raised = Alert.objects.count() - before
    audit_record(by=by, action="alert.raise_bulk", object_type="screening_run",
                 object_id=getattr(screening_run, "pk", ""), object_label=f"筛查预警 {raised} 条",
                 detail={"raised": raised, "drafts": len(drafts)})
    return raised


# ---- the steps ----------------------------------------------------------------------------------------


def user_may_handle(user: Any, alert: Alert) -> bool:
    """HANDLE_ALERTS and the alert's region within the user's."""
    if not has_capability(user, Capability.HANDLE_ALERTS):
        return False
    prefixes = region_prefixes_for(user)
    return prefixes is ALL_REGIONS or any(alert.region_id.startswith(p) for p in prefixes)  # type: ignore[union-attr]


def alert_may(user: Any, alert: Alert, step: str) -> bool:
    """Whether the page offers `step` to `user` (the services check the same, and the status)."""
    try:
        _require(user, alert, step)
    except AlertNotAllowed:
        return False
    return True


def _require(user: Any, alert: Alert, step: str) -> None:
    if not has_capability(user, Capability.HANDLE_ALERTS):
        raise AlertNotAllowed(CANNOT_HANDLE)
    if not user_may_handle(user, alert):
        raise AlertNotAllowed(NOT_IN_REGION)
    role = getattr(user, "role", "")
    if step == STEP_ASSIGN and role not in DISPATCHERS and not user.is_superuser:
        raise AlertNotAllowed(ONLY_DISPATCHERS)
    if role == Role.GRID_WORKER and alert.owner_id != user.pk:
        raise AlertNotAllowed(ONLY_OWNER.format(owner=alert.owner or "未指定"))


def _locked(alert: Alert, *, version: int | None, allowed: tuple[str, ...], step: str) -> Alert:
    """The alert's row, locked (PostgreSQL) and checked: the page's version, then the status."""
    current = Alert.objects.select_for_update().get(pk=alert.pk)
    if version is not None and current.version != version:
        raise StaleAlert(STALE)
    if current.status not in allowed:
        raise AlertError(WRONG_STATUS.format(status=current.get_status_display(), step=step))
    return current


def _save(current: Alert, alert: Alert, fields: list[str]) -> None:
    current.version += 1
    current.save(update_fields=[*fields, "version"])
    alert.refresh_from_db()


def _audit(by: Any, action: str, alert: Alert, detail: dict[str, Any]) -> None:
    audit_record(by=by, action=action, object_type="alert", object_id=alert.pk,
                 object_label=f"{alert.get_kind_display()} 户{alert.household_id}", region_code=alert.region_id,
                 detail=detail)


def _assignee_ok(to: Any, alert: Alert) -> bool:
    region = getattr(to, "region_id", None) or ""
    return (getattr(to, "is_active", False) and has_capability(to, Capability.HANDLE_ALERTS)
            and getattr(to, "role", "") in (Role.GRID_WORKER, Role.TOWNSHIP_CLERK, Role.TOWNSHIP_REVIEWER)
            and bool(region) and alert.region_id.startswith(region))


@transaction.atomic
def alert_assign(*, alert: Alert, to: Any, by: Any, on: date | None = None, version: int | None = None) -> Alert:
    """分派: give the alert to a worker of its region (a new alert, or one already assigned: reassign)."""
    _require(by, alert, STEP_ASSIGN)
    current = _locked(alert, version=version, allowed=(Status.NEW, Status.ASSIGNED), step=STEP_ASSIGN)
    if not _assignee_ok(to, current):
        raise AlertError(ASSIGNEE_INVALID, field="to")
    before = current.owner_id
    current.owner_id, current.status = to.pk, Status.ASSIGNED
    _save(current, alert, ["owner", "status"])
    _audit(by, "alert.assign", alert, {"from": before, "to": to.pk, "on": (on or timezone.localdate()).isoformat()})
    return alert


@transaction.atomic
def alert_verify_start(*, alert: Alert, by: Any, on: date | None = None, version: int | None = None) -> Alert:
    """开始核实: the owner (or the township) goes to check. A visit recording its finding calls this first."""
    _require(by, alert, STEP_VERIFY)
    current = _locked(alert, version=version, allowed=(Status.ASSIGNED,), step=STEP_VERIFY)
    current.status = Status.VERIFYING
    _save(current, alert, ["status"])
    _audit(by, "alert.verify", alert, {"on": (on or timezone.localdate()).isoformat()})
    return alert


def _check_outcome(alert: Alert, outcome: str, reason: str, application: Application | None) -> None:
    if outcome not in Outcome.values:
        raise AlertError(OUTCOME_INVALID, field="outcome")
    if outcome == Outcome.APPLICATION_STARTED:
        if application is None:
            raise AlertError(APPLICATION_REQUIRED, field="application")
        if application.household_id != alert.household_id:
            raise AlertError(APPLICATION_OTHER_HOUSEHOLD, field="application")
    elif not reason.strip():
        raise AlertError(REASON_REQUIRED, field="reason")


@transaction.atomic
def alert_close(*, alert: Alert, by: Any, outcome: str, reason: str, on: date, version: int | None = None,
                application: Application | None = None) -> Alert:
    """办结 with an outcome: an application started (linked), the status adjusted, or no action (with reason).

    Only an alert being verified can be closed: call `alert_verify_start` first (a visit does both).
    """
    _require(by, alert, STEP_CLOSE)
    current = _locked(alert, version=version, allowed=(Status.VERIFYING,), step=STEP_CLOSE)
    _check_outcome(current, outcome, reason, application)
    current.status, current.outcome, current.outcome_reason = Status.CLOSED, outcome, reason.strip()
    current.application, current.closed_on, current.closed_by = application, on, by
    _save(current, alert, ["status", "outcome", "outcome_reason", "application", "closed_on", "closed_by"])
    _audit(by, "alert.close", alert, {"outcome": outcome, "on": on.isoformat(),
                                      "application": getattr(application, "pk", None)})
    return alert
