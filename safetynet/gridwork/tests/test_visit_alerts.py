"""From a visit: raise an alert (主动发现, never twice while open), and close the alert the visit verified."""

from __future__ import annotations

from datetime import date

import pytest

from safetynet.gridwork import services
from safetynet.gridwork.tests.conftest import all_secure
from safetynet.monitoring.alerts import alert_raise
from safetynet.monitoring.models import Alert

ON = date(2025, 9, 3)


def visit(household, by, **kwargs):
    return services.grid_visit_submit(household=household, by=by, checks=kwargs.pop("checks", all_secure()),
                                      visited_on=ON, **kwargs)


def screening_alert(household):
    return alert_raise(household=household, kind=Alert.Kind.RISK, code="housing", on=date(2025, 9, 1),
                       evidence={"text": "住建部门鉴定为C级危房", "rule": "risk.housing"})


def test_a_visit_raises_an_alert_once_while_it_is_open(cast, household_a):
    # when
    first = visit(household_a, cast["grid_a"], checks=all_secure(medical="户主脑梗住院，自付费用高"),
                  finding="户主脑梗住院，自付约3万元，家庭无其他收入")
    # then
    alert = first.raised
    assert alert.kind == Alert.Kind.VISIT_FINDING and alert.household == household_a
    assert alert.owner == cast["grid_a"] and alert.raised_on == ON and alert.status == Alert.Status.ASSIGNED
    assert alert.evidence == {"text": "户主脑梗住院，自付约3万元，家庭无其他收入", "visit": first.visit.pk,
                              "risks": ["基本医疗"]}
    first.visit.refresh_from_db()
    assert first.visit.raised_alert == alert
    # and a second finding while it is open is not raised again: the open alert is named instead
    second = visit(household_a, cast["grid_a"], finding="又发现孩子辍学")
    assert second.raised is None and second.already_open == alert
    assert Alert.objects.filter(household=household_a, kind=Alert.Kind.VISIT_FINDING).count() == 1


def test_a_finding_needs_words(cast, household_a):
    result = visit(household_a, cast["grid_a"])
    with pytest.raises(services.VisitInvalid, match="须写明发现的情况") as refused:
        services.grid_visit_raise_alert(visit=result.visit, by=cast["grid_a"], finding="  ")
    assert refused.value.field == "finding"


def test_a_visit_verifies_and_closes_the_alert_it_was_made_for(cast, household_a):
    # given: a screening alert owned by the grid's worker
    alert = screening_alert(household_a)
    assert alert.owner == cast["grid_a"] and alert.status == Alert.Status.ASSIGNED
    # when
    result = visit(household_a, cast["grid_a"], checks=all_secure(housing="房屋已于8月修缮完毕"),
                   alert=alert, alert_version=alert.version, close_outcome="no_action",
                   close_reason="房屋已修缮，经现场查看住房安全")
    # then
    alert.refresh_from_db()
    assert result.closed == alert and result.visit.alert == alert
    assert (alert.status, alert.outcome, alert.closed_on, alert.closed_by) == (
        Alert.Status.CLOSED, "no_action", ON, cast["grid_a"])
    assert alert.outcome_reason == "房屋已修缮，经现场查看住房安全"


def test_a_visit_without_closing_moves_the_alert_to_verifying(cast, household_a):
    alert = screening_alert(household_a)
    visit(household_a, cast["grid_a"], alert=alert, alert_version=alert.version)
    alert.refresh_from_db()
    assert alert.status == Alert.Status.VERIFYING


def test_a_refused_close_keeps_no_visit(cast, household_a):
    # given: the alert changed since the page was loaded (someone else started verifying it)
    alert = screening_alert(household_a)
    stale = alert.version
    Alert.objects.filter(pk=alert.pk).update(version=stale + 1)
    # when / then
    with pytest.raises(services.VisitInvalid, match="请刷新页面") as refused:
        visit(household_a, cast["grid_a"], alert=alert, alert_version=stale, close_outcome="no_action",
              close_reason="无")
    assert refused.value.field == "alert"
    assert household_a.grid_visits.count() == 0


def test_the_application_started_outcome_names_the_application(cast, household_a):
    from safetynet.intake import services as intake

    alert = screening_alert(household_a)
    head = household_a.memberships.get(relation="self").member
    application = intake.application_create(by=cast["grid_a"], household=household_a,
                                            requested_categories=["dibao"], applicant_id_number=head.id_number)
    result = visit(household_a, cast["grid_a"], alert=alert, close_outcome="application_started",
                   close_application=application)
    alert.refresh_from_db()
    assert result.closed == alert and alert.application == application
    assert alert.outcome == "application_started"


def test_an_alert_of_another_household_is_refused(cast, household_a, make_household):
    other = screening_alert(make_household())
    with pytest.raises(services.VisitInvalid, match="不属于该户或已经办结"):
        visit(household_a, cast["grid_a"], alert=other)
