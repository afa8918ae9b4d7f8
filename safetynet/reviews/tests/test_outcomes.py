"""Each outcome of a periodic review applied to the status, with its history; 渐退 ends on the right month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from safetynet.audit.models import AuditEvent
from safetynet.intake.errors import IntakeError
from safetynet.intake.models import HouseholdStatus
from safetynet.intake.selectors import household_status_on
from safetynet.intake.services.status import status_version
from safetynet.reviews import errors
from safetynet.reviews.models import PeriodicReview
from safetynet.reviews.services import periodic_review_record
from safetynet.reviews.tests.conftest import well_off_members

REVIEWED = date(2025, 9, 15)


def review(household: Any, by: Any, outcome: str, *, on: date = REVIEWED, **kwargs: Any) -> PeriodicReview:
    return periodic_review_record(household=household, by=by, outcome=outcome, reason=kwargs.pop("reason", "入户核查"),
                                  version=kwargs.pop("version", status_version(household.pk)), reviewed_on=on,
                                  **kwargs)


def history(household: Any) -> list[tuple[Any, ...]]:
    return [(s.effective_from, s.effective_to, s.categories, s.dibao_monthly, s.taper_until)
            for s in HouseholdStatus.objects.filter(household=household).order_by("effective_from", "pk")]


def test_continue_changes_nothing_and_keeps_the_record(cast: Any, make_household: Any, give_status: Any) -> None:
    household = make_household()
    status = give_status(household, "dibao", since=date(2025, 1, 1))
    record = review(household, cast["clerk_a"], "continue")
    assert history(household) == [(date(2025, 1, 1), None, ["dibao"], Decimal("655.00"), None)]
    assert (record.status_before, record.status_after, record.next_due_on) == (status, None, date(2026, 9, 15))
    assert record.assessment["categories"] == ["dibao"] and record.document["members"]
    assert AuditEvent.objects.filter(object_type="periodic_review", object_id=str(record.pk)).exists()


def test_adjust_writes_a_new_status_from_the_next_month(cast: Any, make_household: Any, give_status: Any) -> None:
    household = make_household()
    give_status(household, "dibao", since=date(2025, 1, 1))
    review(household, cast["reviewer_a"], "adjust", change={"categories": ["dibao"], "dibao_monthly": "580"})
    assert history(household) == [(date(2025, 1, 1), date(2025, 9, 30), ["dibao"], Decimal("655.00"), None),
                                  (date(2025, 10, 1), None, ["dibao"], Decimal("580.00"), None)]
    assert household_status_on(household, date(2025, 9, 30)).dibao_monthly == Decimal("655.00")
    assert AuditEvent.objects.filter(object_type="household_status", detail__step="review_adjust").count() == 1


def test_adjust_to_the_same_status_is_refused(cast: Any, make_household: Any, give_status: Any) -> None:
    household = make_household()
    give_status(household, "dibao", since=date(2025, 1, 1))
    with pytest.raises(errors.ReviewError, match="与现行状态相同"):
        review(household, cast["clerk_a"], "adjust", change={"categories": ["dibao"], "dibao_monthly": "655"})


def test_stop_ends_the_categories_from_the_next_month_and_the_reviews(cast: Any, make_household: Any,
                                                                    give_status: Any) -> None:
    household = make_household()
    give_status(household, "dibao", since=date(2025, 1, 1), tag=True)
    record = review(household, cast["county_civil"], "stop", on=date(2025, 12, 10), reason="家庭成员死亡后收入超标")
    assert history(household)[-1] == (date(2026, 1, 1), None, [], Decimal("0.00"), None)
    assert household_status_on(household, date(2026, 1, 1)).monitoring_object  # the tag is not a review's
    assert record.next_due_on is None


def test_taper_keeps_dibao_to_the_end_of_its_last_month_then_the_household_leaves_it(
        cast: Any, make_household: Any, give_status: Any) -> None:
    # given: work lifted the family's income above the line (the engine no longer finds it 低保)
    household = make_household(members=well_off_members())
    give_status(household, "dibao", since=date(2025, 1, 1))
    # when: reviewed 2025-09-15 with dibao.taper_months = 6
    record = review(household, cast["clerk_a"], "taper", reason="户主外出务工，收入超过低保标准")
    # then: 低保 continues October … March and ends 2026-03-31, with no job having to run
    assert record.taper_until == date(2026, 3, 31) and record.next_due_on is None
    assert history(household) == [
        (date(2025, 1, 1), date(2025, 9, 30), ["dibao"], Decimal("655.00"), None),
        (date(2025, 10, 1), date(2026, 3, 31), ["dibao"], Decimal("655.00"), date(2026, 3, 31)),
        (date(2026, 4, 1), None, [], Decimal("0.00"), None)]
    assert household_status_on(household, date(2026, 3, 31)).categories == ["dibao"]
    assert household_status_on(household, date(2026, 4, 1)).categories == []


def test_taper_is_refused_while_the_engine_still_finds_the_family_dibao(cast: Any, make_household: Any,
                                                                       give_status: Any) -> None:
    household = make_household()  # the default family is below the line
    give_status(household, "dibao", since=date(2025, 1, 1))
    with pytest.raises(errors.ReviewWrongOrder, match="仍符合低保条件"):
        review(household, cast["clerk_a"], "taper")
    assert HouseholdStatus.objects.filter(household=household).count() == 1


def test_a_change_during_the_taper_cuts_it_and_its_scheduled_exit(cast: Any, make_household: Any,
                                                                  give_status: Any) -> None:
    household = make_household(members=well_off_members())
    give_status(household, "dibao", since=date(2025, 1, 1))
    review(household, cast["clerk_a"], "taper")
    # when: the job was lost; the next review restores 低保 with a new amount from February
    review(household, cast["clerk_a"], "adjust", on=date(2026, 1, 20),
           change={"categories": ["dibao"], "dibao_monthly": "700"})
    rows = history(household)
    # then: the taper ends in January, the exit row is kept on record but never in force
    assert rows[1] == (date(2025, 10, 1), date(2026, 1, 31), ["dibao"], Decimal("655.00"), date(2026, 3, 31))
    assert rows[2] == (date(2026, 2, 1), None, ["dibao"], Decimal("700.00"), None)
    assert rows[3] == (date(2026, 4, 1), date(2026, 3, 31), [], Decimal("0.00"), None)
    assert household_status_on(household, date(2026, 5, 1)).dibao_monthly == Decimal("700.00")


def test_a_stale_page_is_refused(cast: Any, make_household: Any, give_status: Any) -> None:
    household = make_household()
    give_status(household, "dibao", since=date(2025, 1, 1))
    seen = status_version(household.pk)
    review(household, cast["clerk_a"], "adjust", change={"categories": ["dibao"], "dibao_monthly": "600"})
    with pytest.raises(errors.ReviewStale):
        review(household, cast["reviewer_a"], "stop", version=seen, on=date(2025, 9, 16))


@pytest.mark.parametrize(("user", "message"), [("grid_a", "不能登记定期核查"), ("county_rural", "不能登记定期核查"),
                                               ("clerk_b", "不在您负责的区划内")])
def test_wrong_role_or_region_is_refused(cast: Any, make_household: Any, give_status: Any, user: str,
                                         message: str) -> None:
    household = make_household()
    give_status(household, "dibao", since=date(2025, 1, 1))
    with pytest.raises(errors.ReviewNotAllowed, match=message):
        review(household, cast[user], "continue")


def test_amounts_must_match_the_categories(cast: Any, make_household: Any, give_status: Any) -> None:
    household = make_household()
    give_status(household, "dibao", since=date(2025, 1, 1))
    with pytest.raises(IntakeError, match="未认定特困人员，特困供养金应为0"):
        review(household, cast["clerk_a"], "adjust",
               change={"categories": ["dibao"], "dibao_monthly": "655", "tekun_monthly": "100"})


def test_a_household_without_dibao_or_tekun_is_not_reviewed(cast: Any, make_household: Any,
                                                           give_status: Any) -> None:
    household = make_household()
    give_status(household, "dibao_edge", since=date(2025, 1, 1))
    with pytest.raises(errors.ReviewWrongOrder, match="不在定期核查范围内"):
        review(household, cast["clerk_a"], "continue")
