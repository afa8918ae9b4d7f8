"""定期核查: record a review of a 低保 / 特困 household and apply its outcome to the status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from safetynet.audit.services import audit_record
from safetynet.intake.models import CATEGORIES, HouseholdStatus
from safetynet.intake.services.status import (
    household_status_change,
    household_status_taper,
    status_in_force,
    status_version,
)
from safetynet.parameters.selectors import effective_parameters
from safetynet.registry.models import Household
from safetynet.reviews import cycle, errors
from safetynet.reviews.models import PeriodicReview
from safetynet.reviews.services._base import household_now, require, require_text, step_date

Outcome = PeriodicReview.Outcome


def _status_for_review(household: Household, on: date, version: int | None) -> HouseholdStatus:
    status = status_in_force(household.pk, on)
    if status is None or not set(status.categories) & set(cycle.REVIEWED_CATEGORIES):
        raise errors.ReviewWrongOrder(errors.NOT_UNDER_REVIEW.format(on=on))
    if version != status_version(household.pk):
        raise errors.ReviewStale(errors.STALE)
    last = PeriodicReview.objects.filter(household=household).order_by("-reviewed_on").first()
    if last is not None and on < last.reviewed_on:
        raise errors.ReviewWrongOrder(errors.REVIEW_BEFORE_LAST.format(on=on, last=last.reviewed_on), field="on")
    return status


def _adjusted(status: HouseholdStatus, change: dict[str, Any]) -> dict[str, Any]:
    categories = [c for c in CATEGORIES if c in set(change.get("categories") or [])]
    values = {"categories": categories,
              "dibao_monthly": Decimal(change.get("dibao_monthly") or 0),
              "tekun_monthly": Decimal(change.get("tekun_monthly") or 0)}
    if (values["categories"] == status.categories and values["dibao_monthly"] == status.dibao_monthly
            and values["tekun_monthly"] == status.tekun_monthly):
        raise errors.ReviewError(errors.ADJUST_SAME, field="categories")
    return values


def _check_taper(assessment: dict[str, Any]) -> None:
    """渐退 is for a family lifted above the 低保 line: the engine must no longer find it 低保."""
    if "error" in assessment:
        raise errors.ReviewWrongOrder(errors.TAPER_ENGINE_ERROR.format(error=assessment["error"]))
    if "dibao" in (assessment.get("categories") or []):
        raise errors.ReviewWrongOrder(errors.TAPER_ENGINE_DIBAO)


def _apply(outcome: str, *, household: Household, status: HouseholdStatus, by: Any, on: date, reason: str,
           version: int | None, change: dict[str, Any], assessment: dict[str, Any]
           ) -> tuple[HouseholdStatus | None, date | None, date | None, list[str]]:
    """The outcome on the status, from the month after the review: (new row, from, taper end, categories after)."""
    start = cycle.first_day_of_next_month(on)
    note = f"定期核查（{on}）：{Outcome(outcome).label}。{reason}"
    if outcome == Outcome.CONTINUE:
        return None, None, None, list(status.categories)
    if outcome == Outcome.TAPER:
        _check_taper(assessment)
        months = int(effective_parameters().resolve("dibao.taper_months", household.region_id, on).value or 0)
        until = cycle.taper_end(on, months=months)
        taper, after = household_status_taper(household=household, by=by, on=start, until=until, note=note,
                                              version=version)
        return taper, start, until, list(after.categories)
    values = _adjusted(status, change) if outcome == Outcome.ADJUST else {
        "categories": [], "dibao_monthly": Decimal(0), "tekun_monthly": Decimal(0)}
    row = household_status_change(household=household, by=by, on=start, note=note, version=version,
                                  changes=values, step=f"review_{outcome}")
    return row, start, None, list(row.categories)


@transaction.atomic
def periodic_review_record(*, household: Household, by: Any, outcome: str, reason: str, version: int | None,
                           reviewed_on: date | None = None, change: dict[str, Any] | None = None) -> PeriodicReview:
    """Record a periodic review (定期核查) and apply its outcome.

    1. role, region, date; the household holds 低保 or 特困 on the review date and nobody changed its
       status since the page was read (`version`, intake.services.status.status_version);
    2. the registry document as it now stands and the engine's assessment of it are kept;
    3. the outcome: 继续保障 changes nothing; 调整 (new categories/amounts in `change`) and 停止 write a
       new status from the next month; 渐退 keeps 低保 for `dibao.taper_months` months, then the
       household leaves 低保 by itself (intake.services.status.household_status_taper);
    4. the next due date from the categories left, at 6 months when the family has unstable income and
       members able to work (reviews.cycle), else yearly; none when nothing is left to review.
    """
    require(by, "review_record", household.region_id)
    on = step_date(reviewed_on)
    if outcome not in Outcome.values:
        raise errors.ReviewError(errors.UNKNOWN_OUTCOME.format(outcome=outcome), field="outcome")
    reason = require_text(reason, "核查结果的理由")
    status = _status_for_review(household, on, version)
    document, document_data, assessment = household_now(household, on)
    row, start, until, after = _apply(outcome, household=household, status=status, by=by, on=on, reason=reason,
                                      version=version, change=change or {}, assessment=assessment)
    params = effective_parameters()
    unstable = cycle.unstable_income(cycle.document_member_facts(document, on), region=household.region_id,
                                     on=on, params=params)
    interval = cycle.review_interval(after, unstable=unstable, region=household.region_id, on=on, params=params)
    review = PeriodicReview.objects.create(
        household=household, region_id=household.region_id, reviewed_on=on, by=by, status_before=status,
        document=document_data, assessment=assessment, outcome=outcome, reason=reason, effective_from=start,
        taper_until=until, status_after=row, interval_months=interval.months if interval else None,
        unstable_income=bool(interval and interval.unstable_income),
        next_due_on=cycle.add_months(on, interval.months) if interval else None)
    audit_record(by=by, action="create", object_type="periodic_review", object_id=review.pk,
                 object_label=f"户{household.code}定期核查", region_code=household.region_id,
                 detail={"outcome": outcome, "reviewed_on": on.isoformat(), "status_before": status.pk,
                         "status_after": row.pk if row else None,
                         "taper_until": until.isoformat() if until else None,
                         "next_due_on": review.next_due_on.isoformat() if review.next_due_on else None})
    return review
