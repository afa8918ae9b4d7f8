"""Reads of the one-window path that users see; every one starts from `Application.objects.visible_to(user)`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safetynet.accounts.choices import Role
from safetynet.intake.deadlines import Clock, application_clock
from safetynet.intake.models import (
    CLOSED_STATES,
    TAG,
    Application,
    ApplicationEvent,
    Confirmation,
    HomeVisit,
    HouseholdStatus,
    Review,
)
from safetynet.intake.workdays import workdays_between
from safetynet.parameters.selectors import effective_parameters
from safetynet.policy.params import ParameterSet
from safetynet.regions.models import Region
from safetynet.registry.display import Change, labelled_changes
from safetynet.registry.models import Household

NOT_FOUND = "未找到该申请，或您无权查看。"
DUE_SOON_WORKDAYS = 2
State = Application.State

# (state, what the role does there) per role; county roles are handled by `_county_task`.
CLERK_TASKS = {State.SUBMITTED: "受理或一次性告知补正", State.RESUBMITTED: "受理",
               State.ACCEPTED: "开始调查核实", State.INVESTIGATING: "入户调查，完成调查核实"}
REVIEWER_TASKS = {State.REVIEWING: "作出分类审核意见"}
PUBLICITY_TASK = "开始公示"
COUNTY_TASK = {Role.COUNTY_CIVIL: ("categories", "确认或不予确认救助类别"),
               Role.COUNTY_RURAL: ("tag", "确认或不予确认防止返贫监测标识")}


def access_application(user: Any, application_id: object) -> Application:
    """The application if `user` may see it; 404 for "missing" and "not yours" alike."""
    try:
        return (Application.objects.visible_to(user)
                .select_related("household", "region", "applicant", "correction").get(pk=application_id))
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def applications_for(user: Any, *, state: str = "", region: str = "", household: Household | None = None,
                     open_only: bool = False) -> QuerySet[Application]:
    """The application list: scoped and filtered, newest first."""
    applications = Application.objects.visible_to(user)
    if state:
        applications = applications.filter(state=state)
    if region:
        applications = applications.filter(region__code__startswith=region)
    if household is not None:
        applications = applications.filter(household=household)
    if open_only:
        applications = applications.exclude(state__in=CLOSED_STATES)
    return applications.select_related("household", "region", "applicant")


def application_history(application: Application) -> list[ApplicationEvent]:
    """The case's history, oldest first, with who did each step."""
    return list(application.events.select_related("by").order_by("pk"))


@dataclass(frozen=True)
class Task:
    application: Application
    action: str  # what the user does next, in Chinese
    due_on: date | None
    overdue: bool
    due_soon: bool
    clock: Clock


def _step_due(application: Application, clock: Clock) -> date | None:
    if application.state == State.ACCEPTED and clock.investigation_due_on:
        return min(d for d in (clock.investigation_due_on, clock.due_on) if d)
    return clock.due_on


def _task(application: Application, action: str, today: date, params: ParameterSet) -> Task:
    clock = application_clock(application, today=today, params=params)
    due = _step_due(application, clock)
    overdue = due is not None and today > due
    soon = (due is not None and not overdue
            and workdays_between(today, due, assume_weekdays=True) <= DUE_SOON_WORKDAYS)
    return Task(application=application, action=action, due_on=due, overdue=overdue, due_soon=soon, clock=clock)


def _latest_review(application: Application) -> Review | None:
    reviews = list(application.reviews.all())  # prefetched, with decisions
    return max(reviews, key=lambda r: r.round) if reviews else None


def _township_action(user: Any, application: Application) -> str | None:
    role = getattr(user, "role", "")
    if role == Role.TOWNSHIP_CLERK:
        return CLERK_TASKS.get(application.state)
    if role != Role.TOWNSHIP_REVIEWER or application.state != State.REVIEWING:
        return None
    review = _latest_review(application)
    if review is None or review.decided_on is None:
        return REVIEWER_TASKS[State.REVIEWING]
    return PUBLICITY_TASK if any(d.decided for d in review.decisions.all()) else None


def _county_action(user: Any, application: Application, today: date) -> str | None:
    """Waiting for this county role: its part is needed, undecided, and the township is done with it."""
    part, label = COUNTY_TASK.get(getattr(user, "role", ""), (None, ""))
    review = _latest_review(application)
    if part is None or review is None or review.decided_on is None:
        return None
    approved = [d.item for d in review.decisions.all() if d.decided]
    mine = [i for i in approved if (i == TAG) == (part == "tag")]
    asked = application.requested_categories if part == "categories" else application.requested_tag
    if not (mine or asked) or any(c.part == part for c in application.confirmations.all()):
        return None
    if application.state == State.REVIEWING:
        return label if not mine else None  # nothing approved: a refusal needs no 公示
    publicities = list(application.publicities.all())
    ended = publicities and max(publicities, key=lambda p: p.pk).confirmable_from <= today
    return label if application.state == State.PUBLICITY and ended else None


def _open_applications(user: Any) -> QuerySet[Application]:
    return (applications_for(user, open_only=True).select_related("correction")
            .prefetch_related(Prefetch("reviews", queryset=Review.objects.prefetch_related("decisions")),
                              Prefetch("confirmations", queryset=Confirmation.objects.all()), "publicities"))


def tasks_for(user: Any, *, today: date | None = None) -> list[Task]:
    """Applications waiting for `user`'s role in their regions, overdue first, then by due date."""
    today, params = today or timezone.localdate(), effective_parameters()
    role = getattr(user, "role", "")
    tasks = []
    for application in _open_applications(user):
        action = (_county_action(user, application, today) if role in COUNTY_TASK
                  else _township_action(user, application))
        if action:
            tasks.append(_task(application, action, today, params))
    return sorted(tasks, key=lambda t: (not t.overdue, t.due_on or date.max, t.application.pk))


@dataclass
class QueueRow:
    region_code: str  # the township
    region_name: str
    open: int = 0
    overdue: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


def queue_summary_for(user: Any, *, today: date | None = None) -> list[QueueRow]:
    """Open applications and overdue ones per township in `user`'s regions (the county sees every township)."""
    today, params = today or timezone.localdate(), effective_parameters()
    rows: dict[str, QueueRow] = {}
    states: dict[str, Counter[str]] = {}
    for application in applications_for(user, open_only=True).select_related("correction"):
        code = application.region_id[:9]
        row = rows.setdefault(code, QueueRow(region_code=code, region_name=""))
        row.open += 1
        row.overdue += _task(application, "", today, params).overdue
        states.setdefault(code, Counter())[application.state] += 1
    names = dict(Region.objects.filter(code__in=rows).values_list("code", "name"))
    for code, row in rows.items():
        row.region_name, row.by_state = names.get(code, code), dict(states[code])
    return sorted(rows.values(), key=lambda r: r.region_code)


def household_status_on(household: Household, on: date | None = None) -> HouseholdStatus | None:
    """The status in force on `on` (default today): categories, tag and monthly amounts."""
    on = on or timezone.localdate()
    return (HouseholdStatus.objects.filter(household=household, effective_from__lte=on)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
            .order_by("-effective_from", "-pk").first())


def household_statuses(household: Household) -> QuerySet[HouseholdStatus]:
    """The household's status history, newest first."""
    return HouseholdStatus.objects.filter(household=household).select_related("application", "created_by")


def visit_corrections(visit: HomeVisit) -> list[Change]:
    """A home visit's corrections in Chinese, members named masked (王*（220821********2034）)."""
    documents = [(visit.snapshot or {}).get("document") or {}, visit.application.declared_document or {}]
    names = {m["id_number"]: m.get("name", "") for d in documents for m in d.get("members", [])}
    return labelled_changes(list(visit.corrections or []), names)
