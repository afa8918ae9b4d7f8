"""风险消除: candidates from the screening history, then verification, notice and county confirmation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safetynet.audit.models import AuditEvent
from safetynet.intake.selectors import household_status_on
from safetynet.reviews import errors
from safetynet.reviews.candidates import elimination_candidates_for, household_candidacy
from safetynet.reviews.models import RiskElimination
from safetynet.reviews.services import (
    elimination_confirm,
    elimination_objection_record,
    elimination_publicity_start,
    elimination_refuse,
    elimination_verify,
)
from safetynet.reviews.tests.conftest import well_off_members

ABOVE, BELOW = "1500", "600"  # yuan per person per month; the 2026 line is 8800 a year (733.33 a month)
MONTHS = [date(2026, m, 1) for m in range(1, 13)]


@pytest.fixture
def tagged(make_household: Any, give_status: Any) -> Any:
    household = make_household(members=well_off_members())
    give_status(household, tag=True, since=date(2025, 1, 1))
    return household


def runs(screening: Any, household: Any, incomes: list[str], *, risks: tuple[str, ...] = ()) -> None:
    for i, income in enumerate(incomes):
        screening(household, MONTHS[i], income, risks=risks if i == len(incomes) - 1 else ())


def test_five_months_above_the_line_is_not_yet_six_is(screening: Any, tagged: Any) -> None:
    runs(screening, tagged, [BELOW] + [ABOVE] * 5)
    five = household_candidacy(tagged, on=date(2026, 7, 1))
    screening(tagged, MONTHS[6], ABOVE)
    six = household_candidacy(tagged, on=date(2026, 7, 1))
    assert (five.eligible, five.months_above, five.reasons) == (False, 5, ["人均收入高于监测线5个月，未满6个月"])
    assert (six.eligible, six.months_above, six.since) == (True, 6, date(2026, 2, 1))


def test_a_risk_in_the_latest_run_rules_it_out(screening: Any, tagged: Any) -> None:
    runs(screening, tagged, [ABOVE] * 7, risks=("uninsured",))
    found = household_candidacy(tagged, on=date(2026, 8, 1))
    assert not found.eligible and found.months_above == 7
    assert found.reasons == ["最近一次筛查（2026-07-01）仍有风险：未参加基本医疗保险"]


def test_a_month_below_the_line_starts_the_count_again(screening: Any, tagged: Any) -> None:
    runs(screening, tagged, [ABOVE] * 4 + [BELOW] + [ABOVE] * 4)
    assert household_candidacy(tagged, on=date(2026, 10, 1)).months_above == 4


def test_the_list_holds_tagged_candidates_of_the_users_regions_only(
        cast: Any, screening: Any, tagged: Any, make_household: Any, give_status: Any) -> None:
    untagged = make_household(members=well_off_members())
    give_status(untagged, "dibao", since=date(2025, 1, 1))
    for household in (tagged, untagged):
        runs(screening, household, [ABOVE] * 6)
    on = date(2026, 7, 1)
    assert [r.household.pk for r in elimination_candidates_for(cast["clerk_a"], today=on)] == [tagged.pk]
    assert elimination_candidates_for(cast["clerk_b"], today=on) == []


def _verified(cast: Any, screening: Any, household: Any) -> RiskElimination:
    runs(screening, household, [ABOVE] * 6)
    return elimination_verify(household=household, by=cast["clerk_a"], staff_names=["张伟", "刘芳"],
                              findings="户主务工收入稳定，住房饮水安全，参保", verified_on=date(2026, 7, 1))


def test_verification_notice_and_county_rural_confirmation_mark_it_and_keep_the_tag(
        cast: Any, screening: Any, tagged: Any) -> None:
    # given: verified by two staff, notice from 07-02 for 7 days (to 07-08)
    case = _verified(cast, screening, tagged)
    elimination_publicity_start(case=case, by=cast["reviewer_a"], start_on=date(2026, 7, 2))
    assert (case.publicity_end, case.masked_name) == (date(2026, 7, 8), "赵*")
    assert "赵*户" in case.notice_text and tagged.memberships.first().member.id_number not in case.notice_text
    # when: county rural affairs confirms after the notice
    elimination_confirm(case=case, by=cast["county_rural"], on=date(2026, 7, 9))
    # then: the tag stays, marked eliminated; the household is on record and no longer a candidate
    status = household_status_on(tagged, date(2026, 7, 9))
    assert (case.state, status.monitoring_object, status.risk_eliminated_on) == (
        RiskElimination.State.CONFIRMED, True, date(2026, 7, 9))
    assert household_status_on(tagged, date(2026, 7, 8)).risk_eliminated_on is None
    assert elimination_candidates_for(cast["clerk_a"], today=date(2026, 7, 10), show_all=True) == []
    assert AuditEvent.objects.filter(object_type="risk_elimination", object_id=str(case.pk)).count() == 3


@pytest.mark.parametrize("user", ["county_civil", "clerk_a", "reviewer_a"])
def test_only_county_rural_affairs_confirms(cast: Any, screening: Any, tagged: Any, user: str) -> None:
    case = _verified(cast, screening, tagged)
    elimination_publicity_start(case=case, by=cast["reviewer_a"], start_on=date(2026, 7, 2))
    with pytest.raises(errors.ReviewNotAllowed, match="不能确认或不予确认风险消除"):
        elimination_confirm(case=case, by=cast[user], on=date(2026, 7, 9))
    assert household_status_on(tagged, date(2026, 7, 9)).risk_eliminated_on is None


def test_confirmation_waits_for_the_end_of_the_notice(cast: Any, screening: Any, tagged: Any) -> None:
    case = _verified(cast, screening, tagged)
    elimination_publicity_start(case=case, by=cast["reviewer_a"], start_on=date(2026, 7, 2))
    with pytest.raises(errors.ReviewWrongOrder, match="公示期至2026-07-08止"):
        elimination_confirm(case=case, by=cast["county_rural"], on=date(2026, 7, 8))


def test_confirmation_needs_the_notice(cast: Any, screening: Any, tagged: Any) -> None:
    case = _verified(cast, screening, tagged)
    with pytest.raises(errors.ReviewWrongOrder, match="不能确认风险消除"):
        elimination_confirm(case=case, by=cast["county_rural"], on=date(2026, 7, 9))


def test_an_objection_during_the_notice_ends_the_case(cast: Any, screening: Any, tagged: Any) -> None:
    case = _verified(cast, screening, tagged)
    elimination_publicity_start(case=case, by=cast["reviewer_a"], start_on=date(2026, 7, 2))
    elimination_objection_record(case=case, by=cast["reviewer_a"], content="该户务工已于6月中断",
                                 received_on=date(2026, 7, 5))
    assert case.state == RiskElimination.State.REFUSED and "异议" in case.decision_reason
    assert household_status_on(tagged, date(2026, 7, 9)).risk_eliminated_on is None


def test_county_refusal_needs_a_reason(cast: Any, screening: Any, tagged: Any) -> None:
    case = _verified(cast, screening, tagged)
    elimination_publicity_start(case=case, by=cast["reviewer_a"], start_on=date(2026, 7, 2))
    with pytest.raises(errors.ReviewError, match="请填写不予确认的理由"):
        elimination_refuse(case=case, by=cast["county_rural"], reason=" ", on=date(2026, 7, 9))
    elimination_refuse(case=case, by=cast["county_rural"], reason="收入稳定性不足", on=date(2026, 7, 9))
    assert case.state == RiskElimination.State.REFUSED


def test_verification_of_a_household_that_is_not_a_candidate_is_refused(cast: Any, screening: Any,
                                                                        tagged: Any) -> None:
    runs(screening, tagged, [ABOVE] * 5)
    with pytest.raises(errors.ReviewWrongOrder, match="暂不符合风险消除条件"):
        elimination_verify(household=tagged, by=cast["clerk_a"], staff_names=["张伟", "刘芳"], findings="核实",
                           verified_on=date(2026, 6, 1))


def test_a_second_open_case_is_refused(cast: Any, screening: Any, tagged: Any) -> None:
    _verified(cast, screening, tagged)
    with pytest.raises(errors.ReviewWrongOrder, match="已有办理中的风险消除"):
        elimination_verify(household=tagged, by=cast["clerk_a"], staff_names=["张伟", "刘芳"], findings="核实",
                           verified_on=date(2026, 7, 2))


def test_a_stale_step_is_refused(cast: Any, screening: Any, tagged: Any) -> None:
    case = _verified(cast, screening, tagged)
    stale = RiskElimination.objects.get(pk=case.pk)
    elimination_publicity_start(case=case, by=cast["reviewer_a"], start_on=date(2026, 7, 2))
    with pytest.raises(errors.ReviewStale):
        elimination_publicity_start(case=stale, by=cast["clerk_a"], start_on=date(2026, 7, 3))


def test_the_notice_prints_masked_for_the_village_board_and_the_print_is_recorded(
        client: Any, cast: Any, screening: Any, tagged: Any) -> None:
    from django.urls import reverse

    from safetynet.intake.tests.test_documents import text_of

    case = _verified(cast, screening, tagged)
    url = reverse("reviews:elimination_notice_pdf", args=[case.pk])
    client.force_login(cast["reviewer_a"])
    assert client.get(url).status_code == 409  # no notice yet: nothing to print
    elimination_publicity_start(case=case, by=cast["reviewer_a"], start_on=date(2026, 7, 2))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "风险消除公示" in text and "赵*" in text and "2026年7月2日至2026年7月8日" in text
    for member in case.document["members"]:
        assert member["name"] not in text and member["id_number"][-4:] not in text
    assert AuditEvent.objects.filter(action="export", object_type="risk_elimination", object_id=str(case.pk)).exists()
    client.force_login(cast["reviewer_b"] if "reviewer_b" in cast else cast["clerk_b"])
    assert client.get(url).status_code == 404
