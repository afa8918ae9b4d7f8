"""The demo county's review history: each 低保/特困 household reviewed on schedule since its status began
(继续保障), the latest review recorded, so the due list shows what falls due this year — except one
household in OVERDUE_ONE_IN, whose last review the township has not yet done."""

from __future__ import annotations

from datetime import date

from safetynet.accounts.models import User
from safetynet.intake.models import HouseholdStatus
from safetynet.parameters.selectors import effective_parameters
from safetynet.reviews import cycle
from safetynet.reviews.models import PeriodicReview
from safetynet.reviews.selectors import member_facts_by_household

OVERDUE_ONE_IN = 25
REASON = "按期核查，家庭经济状况无明显变化，继续保障（演示数据）"


def demo_reviews_write(*, on: date, by: User) -> int:
    params = effective_parameters()
    statuses = list(HouseholdStatus.objects.filter(effective_to__isnull=True)
                    .select_related("household").order_by("household_id"))
    statuses = [s for s in statuses if set(s.categories) & set(cycle.REVIEWED_CATEGORIES)]
    facts = member_facts_by_household([s.household_id for s in statuses], on)
    reviews = []
    for status in statuses:
        region = status.household.region_id
        unstable = cycle.unstable_income(facts.get(status.household_id, []), region=region, on=on, params=params)
        interval = cycle.review_interval(status.categories, unstable=unstable, region=region, on=on, params=params)
        if interval is None:
            continue
        done = []  # every review that fell due up to `on`
        while (following := cycle.add_months(done[-1] if done else status.effective_from, interval.months)) <= on:
            done.append(following)
        if status.household_id % OVERDUE_ONE_IN == 0:
            done = done[:-1]  # the latest review not done yet: overdue by less than one interval
        if not done:
            continue  # not yet a full interval since the status began: no review was due
        reviewed_on = done[-1]
        reviews.append(PeriodicReview(
            household_id=status.household_id, region_id=region, reviewed_on=reviewed_on, by=by,
            status_before=status, outcome=PeriodicReview.Outcome.CONTINUE, reason=REASON,
            interval_months=interval.months, unstable_income=interval.unstable_income,
            next_due_on=cycle.add_months(reviewed_on, interval.months)))
    PeriodicReview.objects.bulk_create(reviews, batch_size=2000)
    return len(reviews)
