"""确认 / 不予确认 by the county, and 生效: the household's status from the confirmation month.

County civil affairs decides the four categories, county rural affairs the 防返贫 tag. Each part is
decided once; when every part the case needs is decided, the case closes: confirmed (and effective at
once) if any part was confirmed, refused otherwise.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from safetynet.accounts.choices import Role
from safetynet.intake import errors
from safetynet.intake.events import HouseholdConfirmed, household_confirmed
from safetynet.intake.models import CATEGORIES, TAG, Application, Confirmation, HouseholdStatus, Review
from safetynet.intake.services._base import (
    State,
    claim,
    require_fresh,
    require_region,
    require_role,
    require_text,
    step_date,
)
from safetynet.intake.services.review import approved_items, current_publicity, current_review
from safetynet.intake.services.status import status_in_force, status_rows_cut

Part = Confirmation.Part
PART_ACTION = {Part.CATEGORIES: "confirm_categories", Part.TAG: "confirm_tag"}
ROLE_PART = {Role.COUNTY_CIVIL: Part.CATEGORIES, Role.COUNTY_RURAL: Part.TAG}


def _part(by: Any, part: str | None) -> str:
    # Without a part, a user of another role is refused as if asking for the categories (NOT_YOUR_ROLE).
    part = part or ROLE_PART.get(getattr(by, "role", ""), Part.CATEGORIES)
    if part not in PART_ACTION:
        raise errors.IntakeInvalid(errors.PART_FOR_ROLE, field="part")
    return part


def _part_items(review: Review, part: str) -> list[str]:
    approved = approved_items(review)
    return [i for i in approved if i in CATEGORIES] if part == Part.CATEGORIES else [i for i in approved if i == TAG]


def required_parts(application: Application, review: Review | None) -> list[str]:
    """The parts the county must decide: those the family asked for or the township approved."""
    approved = approved_items(review) if review and review.decided_on else []
    parts = []
    if application.requested_categories or any(i in CATEGORIES for i in approved):
        parts.append(Part.CATEGORIES)
    if application.requested_tag or TAG in approved:
        parts.append(Part.TAG)
    return parts


def _check_order(application: Application, review: Review | None, part: str, *, confirming: bool,
                 on: date, verb: str) -> None:
    """A higher level never acts before the lower one: review decided, then 公示 ended (a refusal of a
    part the township approved nothing in needs no 公示)."""
    if application.state not in (State.REVIEWING, State.PUBLICITY) and not application.is_open:
        raise errors.WrongOrder(errors.WRONG_STATE.format(state=application.get_state_display(), action=verb))
    if application.state not in (State.REVIEWING, State.PUBLICITY) or review is None or review.decided_on is None:
        raise errors.WrongOrder(errors.BEFORE_REVIEW.format(action=verb))
    if part not in required_parts(application, review):
        raise errors.WrongOrder(errors.PART_NOT_REQUIRED.format(part=Part(part).label))
    items = _part_items(review, part)
    if application.state == State.REVIEWING:
        if items:
            raise errors.WrongOrder(errors.BEFORE_PUBLICITY if confirming else
                                    errors.REFUSE_ONLY_IN_REVIEW.format(part=Part(part).label))
        if confirming:
            raise errors.WrongOrder(errors.NOTHING_APPROVED.format(part=Part(part).label))
        return
    publicity = current_publicity(application)
    assert publicity is not None
    if on < publicity.confirmable_from:
        raise errors.WrongOrder(errors.PUBLICITY_RUNNING.format(end=publicity.end_on,
                                                                first=publicity.confirmable_from, action=verb))
    if confirming and not items:
        raise errors.WrongOrder(errors.NOTHING_APPROVED.format(part=Part(part).label))


def _decide(*, application: Application, by: Any, part: str | None, confirmed: bool, reason: str,
            on: date | None) -> Confirmation:
    part = _part(by, part)
    action, verb = PART_ACTION[part], "确认" if confirmed else "不予确认"
    require_role(by, action)
    require_region(by, application.region_id, action)
    require_fresh(application)
    on = step_date(application, on)
    review = current_review(application)
    _check_order(application, review, part, confirming=confirmed, on=on, verb=verb)
    assert review is not None
    done = application.confirmations.filter(part=part).first()
    if done is not None:
        raise errors.WrongOrder(errors.PART_DECIDED.format(part=Part(part).label, on=done.on))
    reason = reason.strip() if confirmed else require_text(reason, "不予确认")
    items = _part_items(review, part) if confirmed else []
    claim(application, by=by, action=action, to=application.state, on=on, note=reason,
          detail={"part": part, "confirmed": confirmed, "items": items})
    confirmation = Confirmation.objects.create(application=application, part=part, confirmed=confirmed,
                                               items=items, reason=reason, on=on, by=by)
    _close_when_decided(application, review, by=by, on=on)
    return confirmation


@transaction.atomic
def application_confirm(*, application: Application, by: Any, reason: str = "", part: str | None = None,
                        on: date | None = None) -> Confirmation:
    """确认 the township's approved categories (county civil affairs) or tag (county rural affairs)."""
    return _decide(application=application, by=by, part=part, confirmed=True, reason=reason, on=on)


@transaction.atomic
def application_refuse(*, application: Application, by: Any, reason: str, part: str | None = None,
                       on: date | None = None) -> Confirmation:
    """不予确认, with the reasons written down (they go into the decision letter)."""
    return _decide(application=application, by=by, part=part, confirmed=False, reason=reason, on=on)


def _close_when_decided(application: Application, review: Review, *, by: Any, on: date) -> None:
    decided = {c.part: c for c in application.confirmations.all()}
    if any(part not in decided for part in required_parts(application, review)):
        return
    confirmed = [c for c in decided.values() if c.confirmed]
    if not confirmed:
        claim(application, by=by, action="close_refused", to=State.REFUSED, on=on, closed_on=on)
        return
    claim(application, by=by, action="close_confirmed", to=State.CONFIRMED, on=on, closed_on=on)
    status = _status_write(application, review, confirmed, by=by, on=on)
    claim(application, by=by, action="take_effect", to=State.EFFECTIVE, on=on,
          detail={"effective_from": status.effective_from.isoformat(), "categories": status.categories,
                  "tag": status.monitoring_object})
    event = HouseholdConfirmed(
        application_id=application.pk, household_id=application.household_id, region_code=application.region_id,
        categories=tuple(status.categories), monitoring_object=status.monitoring_object,
        dibao_monthly=str(status.dibao_monthly), tekun_monthly=str(status.tekun_monthly),
        effective_from=status.effective_from, status_id=status.pk)
    transaction.on_commit(lambda: household_confirmed(event))


def _status_write(application: Application, review: Review, confirmed: list[Confirmation], *, by: Any,
                  on: date) -> HouseholdStatus:
    """生效: a new status row from the first day of the confirmation month; the previous row is closed.

    A part confirmed here replaces that part of the previous status; a refused part changes nothing
    (taking a benefit away is a procedure of its own, not the side effect of a refused application).
    """
    previous = status_in_force(application.household_id, on, lock=True)
    parts = {c.part: c.items for c in confirmed}
    benefits = review.assessment.get("benefits") or {}
    categories = parts.get(Part.CATEGORIES, previous.categories if previous else [])
    money = {f"{c}_monthly": Decimal(str(benefits.get(f"{c}_monthly") or 0)) if c in categories else Decimal(0)
             for c in ("dibao", "tekun")}
    if Part.CATEGORIES not in parts and previous is not None:
        money = {"dibao_monthly": previous.dibao_monthly, "tekun_monthly": previous.tekun_monthly}
    tag = TAG in parts[Part.TAG] if Part.TAG in parts else bool(previous and previous.monitoring_object)
    effective_from = on.replace(day=1)
    # A tag carried over keeps its 风险消除 mark; a 渐退期 or its scheduled exit ends here (services.status).
    eliminated = previous.risk_eliminated_on if previous and tag and Part.TAG not in parts else None
    status_rows_cut(application.household_id, effective_from)
    return HouseholdStatus.objects.create(household_id=application.household_id, application=application,
                                          categories=categories, monitoring_object=tag,
                                          risk_eliminated_on=eliminated, effective_from=effective_from,
                                          created_by=by, **money)
