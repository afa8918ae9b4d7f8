"""What every step of the path shares: the checks (role, region, order, date) and the claim.

The claim is a conditional `UPDATE … WHERE version = N` made before anything else is written, so of
two people acting on the same application at once exactly one wins; the other is told plainly.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import F
from django.utils import timezone

from safetynet.audit.services import audit_record
from safetynet.intake import errors
from safetynet.intake.models import Application, ApplicationEvent
from safetynet.intake.permissions import ACTION_LABELS, region_covers, role_may

State = Application.State


def role_label(user: Any) -> str:
    display = getattr(user, "get_role_display", None)
    return display() if callable(display) and getattr(user, "role", "") else "未设置角色"


def require_role(by: Any, action: str) -> None:
    if not role_may(by, action):
        raise errors.ActionNotAllowed(errors.NOT_YOUR_ROLE.format(role=role_label(by), action=ACTION_LABELS[action]))


def require_region(by: Any, region_code: str, action: str) -> None:
    if not region_covers(by, region_code):
        raise errors.ActionNotAllowed(errors.NOT_YOUR_REGION.format(action=ACTION_LABELS[action]))


def require_state(application: Application, states: Iterable[str], action: str) -> None:
    if application.state not in set(states):
        raise errors.WrongOrder(errors.WRONG_STATE.format(state=application.get_state_display(),
                                                          action=ACTION_LABELS[action]))


def require_fresh(application: Application) -> None:
    """Refuse a stale page before checks that read the database's newer rows (the claim still decides)."""
    if not Application.objects.filter(pk=application.pk, version=application.version).exists():
        raise errors.StaleApplication(errors.ALREADY_HANDLED.format(expected=application.version))


def require(application: Application, *, by: Any, action: str, states: Iterable[str]) -> None:
    """Role, region, a fresh page, then order: the checks of every step, in the order users understand."""
    require_role(by, action)
    require_region(by, application.region_id, action)
    require_fresh(application)
    require_state(application, states, action)


def step_date(application: Application | None, on: date | None) -> date:
    """The date of a step: today by default; never in the future, never before the previous step."""
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise errors.WrongOrder(errors.DATE_IN_FUTURE.format(on=on))
    if application is not None:
        previous = application.events.order_by("-on").values_list("on", flat=True).first()
        if previous is not None and on < previous:
            raise errors.WrongOrder(errors.DATE_BEFORE_PREVIOUS.format(on=on, previous=previous))
    return on


def require_text(text: str, what: str, *, field: str = "reason") -> str:
    text = (text or "").strip()
    if not text:
        raise errors.IntakeInvalid(errors.REASON_REQUIRED.format(what=what), field=field)
    return text


def claim(application: Application, *, by: Any, action: str, to: str, on: date, note: str = "",
          detail: dict[str, Any] | None = None, **fields: Any) -> ApplicationEvent:
    """Move `application` to `to` (or stay) if nobody changed it since it was read; record the step.

    1. the conditional UPDATE bumps `version` and sets `state` and `fields`; 0 rows → StaleApplication;
    2. the in-memory object is brought up to date;
    3. an ApplicationEvent (the case's history) and an AuditEvent record who did what.
    """
    expected, from_state = application.version, application.state
    updated = Application.objects.filter(pk=application.pk, version=expected).update(
        state=to, version=F("version") + 1, updated_at=timezone.now(), **fields)
    if updated != 1:
        raise errors.StaleApplication(errors.ALREADY_HANDLED.format(expected=expected))
    application.state, application.version = to, expected + 1
    for name, value in fields.items():
        setattr(application, name, value)
    return record(application, by=by, action=action, from_state=from_state, on=on, note=note, detail=detail)


def record(application: Application, *, by: Any, action: str, from_state: str, on: date, note: str = "",
           detail: dict[str, Any] | None = None) -> ApplicationEvent:
    detail = {"version": application.version, **(detail or {})}
    event = ApplicationEvent.objects.create(
        application=application, action=action, from_state=from_state, to_state=application.state, on=on,
        by=by, by_role=getattr(by, "role", "") or "", note=note, detail=detail)
    # The audit trail's actions are a fixed vocabulary (create/change/...); the step goes in `detail`.
    audit_record(by=by, action="create" if action == "create" else "change", object_type="application",
                 object_id=application.pk, object_label=f"申请{application.number}（户{application.household.code}）",
                 region_code=application.region_id,
                 detail={"step": action, "from": from_state, "to": application.state, "on": on.isoformat(), **detail})
    return event
