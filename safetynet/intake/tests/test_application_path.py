"""The whole path, step by step, as the township and the county walk it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from safetynet.audit.models import AuditEvent
from safetynet.intake import services
from safetynet.intake.events import (
    HouseholdConfirmed,
    household_confirmed_unsubscribe,
    on_household_confirmed,
)
from safetynet.intake.models import Application, HouseholdStatus
from safetynet.intake.selectors import household_status_on
from safetynet.intake.tests.conftest import DAY, new_application, walk

State = Application.State


@pytest.fixture
def received() -> Any:
    events: list[HouseholdConfirmed] = []
    on_household_confirmed(events.append)
    yield events
    household_confirmed_unsubscribe(events.append)


def test_every_step_is_in_the_history_and_the_audit_trail(cast: dict[str, Any], application: Application,
                                                          django_capture_on_commit_callbacks: Any) -> None:
    # given: the standard path up to 公示
    walk(application, cast, "publicity")
    # when: the county confirms the day after the notice's last day
    with django_capture_on_commit_callbacks(execute=True):
        services.application_confirm(application=application, by=cast["county_civil"], on=DAY["confirmable"])
    # then
    actions = list(application.events.values_list("action", "from_state", "to_state"))
    assert actions == [
        ("create", "", State.SUBMITTED), ("accept", State.SUBMITTED, State.ACCEPTED),
        ("investigation_start", State.ACCEPTED, State.INVESTIGATING),
        ("visit_record", State.INVESTIGATING, State.INVESTIGATING),
        ("investigation_complete", State.INVESTIGATING, State.REVIEWING),
        ("review_decide", State.REVIEWING, State.REVIEWING), ("publicity_start", State.REVIEWING, State.PUBLICITY),
        ("confirm_categories", State.PUBLICITY, State.PUBLICITY),
        ("close_confirmed", State.PUBLICITY, State.CONFIRMED), ("take_effect", State.CONFIRMED, State.EFFECTIVE),
    ]
    audited = AuditEvent.objects.filter(object_type="application", object_id=str(application.pk))
    assert audited.count() == len(actions)
    labels = " ".join(audited.values_list("object_label", flat=True)) + str(list(audited.values_list("detail")))
    assert application.applicant.id_number not in labels


def test_confirmation_makes_the_household_dibao_from_the_first_day_of_the_month(
        cast: dict[str, Any], application: Application, received: list[HouseholdConfirmed],
        django_capture_on_commit_callbacks: Any) -> None:
    # given
    walk(application, cast, "publicity")
    # when: confirmed on 2025-09-12
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.application_confirm(application=application, by=cast["county_civil"], on=date(2025, 9, 12))
    # then: in force from 2025-09-01, with the amount the engine computed: income 10000 yuan a year for 3
    # people is 277.78 a month each; (460 − 277.78) × 3 = 546.67, plus 分类施保 for the child under 16,
    # 0.1 × 460 = 46: 592.67, rounded to 593 yuan a month
    application.refresh_from_db()
    assert application.state == State.EFFECTIVE and application.closed_on == date(2025, 9, 12)
    status = household_status_on(application.household, date(2025, 9, 1))
    assert status is not None and status.categories == ["dibao"] and status.monitoring_object is False
    assert status.dibao_monthly == Decimal(593) and status.tekun_monthly == 0
    assert status.effective_from == date(2025, 9, 1) and status.effective_to is None
    assert household_status_on(application.household, date(2025, 8, 31)) is None
    # and the event went out once, after commit
    assert len(callbacks) == 1
    assert [(e.application_id, e.categories, e.effective_from) for e in received] == [
        (application.pk, ("dibao",), date(2025, 9, 1))]


def test_no_event_before_the_transaction_commits(cast: dict[str, Any], application: Application,
                                                 received: list[HouseholdConfirmed],
                                                 django_capture_on_commit_callbacks: Any) -> None:
    # given
    walk(application, cast, "publicity")
    # when: the transaction has not committed yet
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.application_confirm(application=application, by=cast["county_civil"], on=DAY["confirmable"])
    # then
    assert received == [] and len(callbacks) == 1


def test_a_second_confirmation_closes_the_previous_status_and_keeps_history(
        cast: dict[str, Any], application: Application, django_capture_on_commit_callbacks: Any) -> None:
    # given: the household became 低保 in September 2025 and the family applied again later
    walk(application, cast, "publicity")
    services.application_confirm(application=application, by=cast["county_civil"], on=DAY["confirmable"])
    again = services.application_create(
        by=cast["clerk_a"], household=application.household, applicant_id_number=application.applicant.id_number,
        requested_categories=["dibao"], requested_tag=True, authorization=_scan(), on=date(2025, 11, 3))
    walk_later(again, cast)
    # when: confirmed in December (categories by civil affairs, the tag by rural affairs)
    services.application_confirm(application=again, by=cast["county_civil"], on=date(2025, 12, 15))
    services.application_confirm(application=again, by=cast["county_rural"], on=date(2025, 12, 16))
    # then
    rows = list(HouseholdStatus.objects.filter(household=application.household).order_by("effective_from"))
    assert [(r.effective_from, r.effective_to, r.monitoring_object) for r in rows] == [
        (date(2025, 9, 1), date(2025, 11, 30), False), (date(2025, 12, 1), None, True)]
    again.refresh_from_db()
    assert again.state == State.EFFECTIVE


def _scan() -> Any:
    from safetynet.intake.tests.conftest import pdf_scan

    return pdf_scan()


def walk_later(application: Application, cast: dict[str, Any]) -> None:
    """The path again in November–December 2025; the township follows the engine (低保 and the tag)."""
    from safetynet.intake.tests.conftest import follow_engine, png_photo

    clerk, reviewer = cast["clerk_a"], cast["reviewer_a"]
    services.application_accept(application=application, by=clerk, on=date(2025, 11, 3))
    services.application_investigation_start(application=application, by=clerk, staff=[clerk, reviewer],
                                             on=date(2025, 11, 4))
    services.application_visit_record(application=application, by=clerk, visited_on=date(2025, 11, 5),
                                      staff_names=["张伟", "刘芳"], observations="复核", photos=[png_photo()])
    services.application_investigation_complete(application=application, by=clerk, on=date(2025, 11, 6))
    services.application_review_decide(application=application, by=reviewer, decisions=follow_engine(application),
                                       on=date(2025, 11, 7))
    services.application_publicity_start(application=application, by=reviewer, start_on=date(2025, 12, 1))


def test_new_application_saves_the_household_at_once(cast: dict[str, Any]) -> None:
    # when
    application = new_application(cast)
    # then: the household is in the registry, in township A, the applicant one of its members
    household = application.household
    assert household.pk and household.region_id == "220821101200001" == application.region_id
    assert application.applicant.memberships.get(ended_on=None).household == household
    assert application.number == f"SQ2025{application.pk:06d}"
    assert application.authorization.name.startswith("intake/authorizations/")
    assert "授权书" not in application.authorization.name  # a random name on disk
