"""An alert's owner, deadline and lifecycle: new → assigned → verifying → closed, and the steps refused."""

from __future__ import annotations

from datetime import date

import pytest

from safetynet.accounts.choices import Role
from safetynet.accounts.models import User
from safetynet.audit.models import AuditEvent
from safetynet.monitoring.alerts import (
    AlertError,
    AlertNotAllowed,
    StaleAlert,
    alert_assign,
    alert_close,
    alert_due_on,
    alert_owner_for,
    alert_raise,
    alert_verify_start,
)
from safetynet.monitoring.models import Alert

ON = date(2025, 9, 26)  # a Friday before the National Day holiday (10-01 … 10-08, 09-28 and 10-11 worked)
EVIDENCE = {"text": "走访发现家中有人重病", "rule": "visit"}


def raise_one(household, kind="visit_finding", code="illness", **extra):
    return alert_raise(household=household, kind=kind, code=code, evidence=EVIDENCE, on=ON, **extra)


def test_owner_is_the_grid_worker_else_a_township_clerk(cast):
    assert alert_owner_for("220821101200001") == cast["grid_a"]
    assert alert_owner_for("220821101200002") == cast["clerk_a"]  # a grid without worker
    assert alert_owner_for("220821102200") == cast["clerk_b"]  # a household registered in a village
    cast["grid_a"].is_active = False
    cast["grid_a"].save(update_fields=["is_active"])
    assert alert_owner_for("220821101200001") == cast["clerk_a"]


def test_due_date_counts_working_days_across_the_national_day_holiday(db):
    # 10 working days from Fri 2025-09-26: 09-28 (a worked Sunday), 09-29, 09-30, then 10-09, 10-10, 10-11
    # (a worked Saturday), 10-13 … 10-16
    assert alert_due_on("visit_finding", region="220821101200001", on=ON) == date(2025, 10, 16)
    assert alert_due_on("member_death", region="220821101200001", on=ON) == date(2025, 10, 10)


def test_raised_alert_has_owner_deadline_and_is_not_raised_twice(cast, household_a):
    # when
    alert = raise_one(household_a)
    # then
    assert alert.owner == cast["grid_a"] and alert.status == Alert.Status.ASSIGNED
    assert alert.due_on == date(2025, 10, 16) and alert.region_id == household_a.region_id
    assert raise_one(household_a) is None
    assert raise_one(household_a, code="housing") is not None
    assert AuditEvent.objects.filter(action="alert.raise", object_id=str(alert.pk)).exists()


def test_a_closed_alert_can_be_raised_again(cast, household_a):
    alert = raise_one(household_a)
    alert_verify_start(alert=alert, by=cast["grid_a"])
    alert_close(alert=alert, by=cast["grid_a"], outcome="no_action", reason="已康复", on=ON)
    assert raise_one(household_a) is not None


def test_the_race_for_one_open_alert_is_decided_by_the_database(cast, household_a, monkeypatch):
    # given: the check before the insert sees nothing (another raiser inserts between check and insert)
    raise_one(household_a)
    from django.db.models import QuerySet

    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    # when / then: the insert fails in its savepoint, the caller's transaction goes on
    assert raise_one(household_a) is None
    assert Alert.objects.filter(household=household_a).count() == 1


def test_without_owner_the_alert_waits_for_the_township_to_assign_it(cast, make_household):
    household = make_household("220821101200002")
    User.objects.filter(role=Role.TOWNSHIP_CLERK).update(is_active=False)
    alert = raise_one(household)
    assert alert.owner is None and alert.status == Alert.Status.NEW
    with pytest.raises(AlertError, match="不能开始核实"):
        alert_verify_start(alert=alert, by=cast["reviewer_a"])
    with pytest.raises(AlertError, match="被分派人"):
        alert_assign(alert=alert, to=cast["grid_a"], by=cast["county_civil"])  # grid 1's worker, not grid 2's
    alert_assign(alert=alert, to=cast["reviewer_a"], by=cast["county_civil"], version=alert.version)
    assert alert.status == Alert.Status.ASSIGNED and alert.owner == cast["reviewer_a"] and alert.version == 2


def test_lifecycle_to_closed_with_an_application(cast, household_a):
    from safetynet.intake import services

    alert = raise_one(household_a)
    alert_verify_start(alert=alert, by=cast["grid_a"], version=1)
    application = services.application_create(
        by=cast["clerk_a"], household=household_a, requested_categories=["dibao"],
        applicant_id_number=household_a.memberships.get(relation="self").member.id_number)
    with pytest.raises(AlertError, match="选择本户"):
        alert_close(alert=alert, by=cast["grid_a"], outcome="application_started", reason="", on=ON)
    alert_close(alert=alert, by=cast["grid_a"], outcome="application_started", reason="", on=ON,
                application=application, version=2)
    alert.refresh_from_db()
    assert (alert.status, alert.outcome, alert.application, alert.closed_by, alert.version) == (
        "closed", "application_started", application, cast["grid_a"], 3)
    assert AuditEvent.objects.filter(action="alert.close", object_id=str(alert.pk)).exists()


def test_steps_out_of_order_are_refused(cast, household_a):
    alert = raise_one(household_a)
    with pytest.raises(AlertError, match="不能办结"):
        alert_close(alert=alert, by=cast["clerk_a"], outcome="no_action", reason="无", on=ON)
    alert_verify_start(alert=alert, by=cast["clerk_a"])
    with pytest.raises(AlertError, match="不能分派"):
        alert_assign(alert=alert, to=cast["grid_a"], by=cast["clerk_a"])
    with pytest.raises(AlertError, match="结果说明"):
        alert_close(alert=alert, by=cast["clerk_a"], outcome="no_action", reason=" ", on=ON)
    alert_close(alert=alert, by=cast["clerk_a"], outcome="status_adjusted", reason="已停发", on=ON)
    with pytest.raises(AlertError, match="已办结"):
        alert_verify_start(alert=alert, by=cast["clerk_a"])


def test_wrong_role_or_region_or_owner_is_refused(cast, household_a, household_b):
    alert = raise_one(household_a)
    with pytest.raises(AlertNotAllowed):
        alert_verify_start(alert=alert, by=cast["clerk_b"])  # another township
    with pytest.raises(AlertNotAllowed):
        alert_verify_start(alert=alert, by=cast["task_force"])  # may not handle alerts
    with pytest.raises(AlertNotAllowed):
        alert_assign(alert=alert, to=cast["clerk_a"], by=cast["grid_a"])  # grid workers do not dispatch
    with pytest.raises(AlertError, match="被分派人"):
        alert_assign(alert=alert, to=cast["clerk_b"], by=cast["clerk_a"])  # not of the alert's region
    other = raise_one(household_b)
    with pytest.raises(AlertNotAllowed):
        alert_verify_start(alert=other, by=cast["grid_a"])
    alert_assign(alert=alert, to=cast["clerk_a"], by=cast["reviewer_a"])
    with pytest.raises(AlertNotAllowed, match="责任人"):
        alert_verify_start(alert=alert, by=cast["grid_a"])  # no longer the owner


def test_a_stale_page_is_refused(cast, household_a):
    alert = raise_one(household_a)
    seen = alert.version
    alert_assign(alert=alert, to=cast["clerk_a"], by=cast["reviewer_a"], version=seen)
    with pytest.raises(StaleAlert):
        alert_verify_start(alert=alert, by=cast["clerk_a"], version=seen)
    assert Alert.objects.get(pk=alert.pk).status == Alert.Status.ASSIGNED
