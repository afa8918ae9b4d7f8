"""Who is due for a periodic review, and when: per category, the 6-month case, across year ends."""

from __future__ import annotations

from datetime import date
from typing import Any

from safetynet.reviews.selectors import due_reviews_for
from safetynet.reviews.tests.conftest import unstable_members

TODAY = date(2026, 2, 1)


def _due(user: Any, household: Any, **kwargs: Any) -> Any:
    rows = {r.household.pk: r for r in due_reviews_for(user, today=kwargs.pop("today", TODAY), show_all=True,
                                                        **kwargs)}
    return rows.get(household.pk)


def test_dibao_with_stable_income_is_due_a_year_after_it_began(cast: Any, make_household: Any,
                                                              give_status: Any) -> None:
    # given: the default family farms and works for wages (no unstable income)
    household = make_household()
    give_status(household, "dibao", since=date(2025, 7, 1))
    # when
    row = _due(cast["clerk_a"], household)
    # then
    assert (row.due.due_on, row.due.interval.months, row.due.interval.unstable_income) == (date(2026, 7, 1), 12, False)
    assert not row.overdue


def test_dibao_with_unstable_income_and_members_able_to_work_is_due_every_six_months(cast: Any, make_household: Any,
                                                                                   give_status: Any) -> None:
    household = make_household(members=unstable_members())
    give_status(household, "dibao", since=date(2025, 7, 1))
    row = _due(cast["clerk_a"], household)
    assert (row.due.due_on, row.due.interval.months, row.due.interval.unstable_income) == (date(2026, 1, 1), 6, True)
    assert row.overdue  # 2026-01-01 passed by 2026-02-01


def test_tekun_is_due_yearly_even_with_unstable_income(cast: Any, make_household: Any, give_status: Any) -> None:
    household = make_household(members=unstable_members())
    give_status(household, "tekun", since=date(2025, 12, 1))
    assert _due(cast["clerk_a"], household).due.due_on == date(2026, 12, 1)


def test_other_categories_are_not_under_periodic_review(cast: Any, make_household: Any, give_status: Any) -> None:
    household = make_household()
    give_status(household, "dibao_edge", since=date(2025, 7, 1))
    assert _due(cast["clerk_a"], household) is None


def test_the_list_holds_due_and_overdue_households_and_those_due_within_the_notice_days(
        cast: Any, make_household: Any, give_status: Any) -> None:
    # given: due 2026-01-01 (overdue), 2026-02-20 (within review.due_ahead_days = 30), 2026-07-01 (not yet)
    overdue, soon, later = (make_household(members=unstable_members()), make_household(members=unstable_members()),
                            make_household())
    give_status(overdue, "dibao", since=date(2025, 7, 1))
    give_status(soon, "dibao", since=date(2025, 8, 20))
    give_status(later, "dibao", since=date(2025, 7, 1))
    # when
    listed = [r.household.pk for r in due_reviews_for(cast["clerk_a"], today=TODAY)]
    # then: overdue first
    assert listed == [overdue.pk, soon.pk]


def test_the_base_is_the_day_the_category_began_not_a_later_change_of_amount(
        cast: Any, make_household: Any, give_status: Any) -> None:
    household = make_household()
    first = give_status(household, "dibao", since=date(2024, 12, 1))
    first.effective_to = date(2025, 5, 31)
    first.save(update_fields=["effective_to"])
    give_status(household, "dibao", since=date(2025, 6, 1), dibao="700")
    assert _due(cast["clerk_a"], household, today=date(2025, 11, 1)).due.due_on == date(2025, 12, 1)


def test_a_review_sets_the_next_due_date(cast: Any, make_household: Any, give_status: Any) -> None:
    from safetynet.intake.services.status import status_version
    from safetynet.reviews.services import periodic_review_record

    household = make_household(members=unstable_members())
    give_status(household, "dibao", since=date(2025, 1, 1))
    periodic_review_record(household=household, by=cast["clerk_a"], outcome="continue", reason="收入无明显变化",
                           version=status_version(household.pk), reviewed_on=date(2025, 9, 15))
    row = _due(cast["clerk_a"], household, today=date(2026, 1, 1))
    assert (row.due.base_on, row.due.due_on) == (date(2025, 9, 15), date(2026, 3, 15))


def test_the_list_is_scoped_to_the_users_regions(cast: Any, household_a: Any, household_b: Any,
                                                give_status: Any) -> None:
    give_status(household_a, "dibao", since=date(2025, 1, 1))
    give_status(household_b, "dibao", since=date(2025, 1, 1))
    seen = {r.household.pk for r in due_reviews_for(cast["clerk_a"], today=TODAY, show_all=True)}
    county = {r.household.pk for r in due_reviews_for(cast["county_civil"], today=TODAY, show_all=True)}
    village = {r.household.pk for r in due_reviews_for(cast["county_civil"], today=TODAY, show_all=True,
                                                       region="220821102200")}
    assert (seen, county, village) == ({household_a.pk}, {household_a.pk, household_b.pk}, {household_b.pk})
