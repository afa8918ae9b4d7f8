"""Status changes outside an application: a periodic review's outcome (调整、渐退、停止) and 风险消除.

A household's HouseholdStatus rows are its dated history: each row holds from `effective_from` to
`effective_to` (inclusive; null: until further notice). A change here never edits what was in force
before its date. Every change:

1. checks that the writer's regions cover the household, and that nobody changed the status since the
   writer read it (`version`: a stale page is refused, as in intake's optimistic lock);
2. cuts the rows from the change date: a row in force then ends the day before; a row that would only
   have started later (the exit already written at the end of a 渐退期) is kept with `effective_to` the
   day before its own start, so it is on record but never in force;
3. writes the new row(s), and an AuditEvent.

Callers (the reviews app) check the role and the order of their own procedure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Q

from safetynet.audit.services import audit_record
from safetynet.intake import errors
from safetynet.intake.models import CATEGORIES, HouseholdStatus
from safetynet.intake.permissions import region_covers
from safetynet.registry.models import Household

NOT_YOUR_REGION = "该户不在您负责的区划内，不能变更其救助状态"
STALE_STATUS = "该户的救助状态已被他人变更，请刷新页面查看最新状态后再操作"
BEFORE_CURRENT = "变更生效日期{on}早于现行状态的生效日期{current}：已经生效的状态不能倒签变更"
NO_STATUS = "该户尚无认定记录，没有可以变更的救助状态"
UNKNOWN_CATEGORY = "“{code}”不是救助类别；应为：{known}"
AMOUNT_INVALID = "{label}应为不小于0、最多两位小数的金额（元）"
AMOUNT_WITHOUT_CATEGORY = "未认定{category}，{label}应为0"
AMOUNT_MISSING = "认定{category}时{label}应大于0"
NO_DIBAO_TO_TAPER = "该户现行状态不含低保，不能进入渐退期"
ALREADY_TAPERING = "该户已在渐退期内（至{until}），不能重复设置渐退期"
TAPER_END_BEFORE_START = "渐退期截止日期{until}早于开始日期{on}"
NOT_TAGGED = "该户不是防止返贫监测对象，不能标注风险消除"
ALREADY_ELIMINATED = "该户已于{on}标注风险消除"

AMOUNT_LABELS = {"dibao_monthly": ("低保金", "dibao"), "tekun_monthly": ("特困供养金", "tekun")}
EDGE_EXCLUSIVE, RIGID_EXCLUSIVE = errors.EDGE_EXCLUSIVE, errors.RIGID_EXCLUSIVE
VALUE_FIELDS = ("categories", "monitoring_object", "dibao_monthly", "tekun_monthly", "risk_eliminated_on")


class StatusChangeRefused(errors.IntakeError):
    """The change cannot be made; str() is the Chinese reason, `field` the form field it concerns."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def status_in_force(household_id: int, on: date, *, lock: bool = False) -> HouseholdStatus | None:
    """The row in force on `on` (the latest-starting one, as `selectors.household_status_on` reads it)."""
    rows = HouseholdStatus.objects.select_for_update() if lock else HouseholdStatus.objects.all()
    return (rows.filter(household_id=household_id, effective_from__lte=on)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
            .order_by("-effective_from", "-pk").first())


def status_rows_cut(household_id: int, on: date) -> list[HouseholdStatus]:
    """End every row still in force on or after `on` the day before (step 2 above); returns them."""
    rows = list(HouseholdStatus.objects.select_for_update().filter(household_id=household_id)
                .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on)))
    for row in rows:
        row.effective_to = max(on, row.effective_from) - timedelta(days=1)
        row.save(update_fields=["effective_to"])
    return rows


def _check_categories(categories: list[str]) -> list[str]:
    for code in categories:
        if code not in CATEGORIES:
            raise StatusChangeRefused(UNKNOWN_CATEGORY.format(code=code, known="、".join(CATEGORIES)),
                                      field="categories")
    chosen = set(categories)
    if "dibao_edge" in chosen and chosen & {"dibao", "tekun"}:
        raise StatusChangeRefused(EDGE_EXCLUSIVE, field="categories")
    if "rigid_expense" in chosen and len(chosen) > 1:
        raise StatusChangeRefused(RIGID_EXCLUSIVE, field="categories")
    return [c for c in CATEGORIES if c in chosen]  # DOMAIN §1 order


def _check_amounts(values: dict[str, Any]) -> None:
    for name, (label, category) in AMOUNT_LABELS.items():
        amount = values[name]
        if not isinstance(amount, Decimal) or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise StatusChangeRefused(AMOUNT_INVALID.format(label=label), field=name)
        if category not in values["categories"] and amount:
            raise StatusChangeRefused(AMOUNT_WITHOUT_CATEGORY.format(category=CATEGORIES[category], label=label),
                                      field=name)
        if category in values["categories"] and not amount:
            raise StatusChangeRefused(AMOUNT_MISSING.format(category=CATEGORIES[category], label=label), field=name)


def status_version(household_id: int) -> int | None:
    """The household's status version: the id of its newest row. Every change writes newer rows, so a
    page that read version N and posts it back is stale as soon as anyone else changed the status."""
    return HouseholdStatus.objects.filter(household_id=household_id).aggregate(v=Max("pk"))["v"]


def _require(household: Household, *, by: Any, on: date, version: int | None) -> HouseholdStatus:
    """Steps 1 (region, stale page) and the date check; returns the locked row in force on `on`."""
    if not region_covers(by, household.region_id):
        raise errors.ActionNotAllowed(NOT_YOUR_REGION)
    current = status_in_force(household.pk, on, lock=True)
    if current is None:
        raise StatusChangeRefused(NO_STATUS)
    if version != status_version(household.pk):
        raise errors.StaleApplication(STALE_STATUS)
    if on < current.effective_from:
        raise StatusChangeRefused(BEFORE_CURRENT.format(on=on, current=current.effective_from), field="on")
    return current


def _write(household: Household, values: Mapping[str, Any], *, by: Any, start: date, end: date | None,
           note: str, step: str, taper_until: date | None = None) -> HouseholdStatus:
    row = HouseholdStatus.objects.create(
        household_id=household.pk, effective_from=start, effective_to=end, taper_until=taper_until,
        note=note[:200], created_by=by, **{name: values[name] for name in VALUE_FIELDS})
    audit_record(by=by, action="change", object_type="household_status", object_id=row.pk,
                 object_label=f"户{household.code}救助状态", region_code=household.region_id,
                 detail={"step": step, "categories": row.categories, "monitoring_object": row.monitoring_object,
                         "dibao_monthly": str(row.dibao_monthly), "tekun_monthly": str(row.tekun_monthly),
                         "effective_from": start.isoformat(), "effective_to": end.isoformat() if end else None,
                         "taper_until": taper_until.isoformat() if taper_until else None,
                         "risk_eliminated_on": (row.risk_eliminated_on.isoformat()
                                                if row.risk_eliminated_on else None),
                         "note": note[:200]})
    return row


def _values_of(row: HouseholdStatus) -> dict[str, Any]:
    return {name: getattr(row, name) for name in VALUE_FIELDS}


@transaction.atomic
def household_status_change(*, household: Household, by: Any, on: date, note: str,
                            version: int | None, changes: Mapping[str, Any],
                            step: str = "status_change") -> HouseholdStatus:
    """A new status from `on` (categories and amounts adjusted, or stopped: no category, no amount).

    `changes` holds any of categories, monitoring_object, dibao_monthly, tekun_monthly; what it does
    not name is kept from the row in force on `on`. A 渐退期 in progress ends with it.
    """
    current = _require(household, by=by, on=on, version=version)
    values = {**_values_of(current), **changes}
    values["categories"] = _check_categories(list(values["categories"]))
    _check_amounts(values)
    if not values["monitoring_object"]:
        values["risk_eliminated_on"] = None
    status_rows_cut(household.pk, on)
    return _write(household, values, by=by, start=on, end=None, note=note, step=step)


@transaction.atomic
def household_status_taper(*, household: Household, by: Any, on: date, until: date, note: str,
                           version: int | None) -> tuple[HouseholdStatus, HouseholdStatus]:
    """渐退期: 低保 and its amount continue from `on` to `until` (inclusive), then end by themselves.

    Two rows are written at once: the taper row (effective_to = `until`, taper_until = `until`) and the
    row from the day after, without 低保 (other categories, the tag and 特困 amounts kept). So the
    household drops out of 低保 on the right day with no job having to run; a later change (a review
    finding the income fell again) cuts both.
    """
    current = _require(household, by=by, on=on, version=version)
    if "dibao" not in current.categories:
        raise StatusChangeRefused(NO_DIBAO_TO_TAPER)
    if current.taper_until is not None:
        raise StatusChangeRefused(ALREADY_TAPERING.format(until=current.taper_until))
    if until < on:
        raise StatusChangeRefused(TAPER_END_BEFORE_START.format(until=until, on=on), field="until")
    values = _values_of(current)
    status_rows_cut(household.pk, on)
    taper = _write(household, values, by=by, start=on, end=until, note=note, step="taper", taper_until=until)
    after = {**values, "categories": [c for c in values["categories"] if c != "dibao"],
             "dibao_monthly": Decimal(0)}
    exit_row = _write(household, after, by=by, start=until + timedelta(days=1), end=None,
                      note=f"渐退期满，退出低保（{note}）", step="taper_end")
    return taper, exit_row


@transaction.atomic
def household_status_risk_eliminate(*, household: Household, by: Any, on: date, note: str,
                                    version: int | None) -> HouseholdStatus:
    """风险消除 from `on`: the tag stays (still a 监测对象, still watched), marked eliminated on `on`."""
    current = _require(household, by=by, on=on, version=version)
    if not current.monitoring_object:
        raise StatusChangeRefused(NOT_TAGGED)
    if current.risk_eliminated_on is not None:
        raise StatusChangeRefused(ALREADY_ELIMINATED.format(on=current.risk_eliminated_on))
    values = {**_values_of(current), "risk_eliminated_on": on}
    cut = [row for row in status_rows_cut(household.pk, on) if row.pk != current.pk]
    row = _write(household, values, by=by, start=on, end=current.effective_to if current.taper_until else None,
                 note=note, step="risk_eliminate", taper_until=current.taper_until)
    for later in cut:  # a scheduled row (the end of a 渐退期) carries the elimination too
        _write(household, {**_values_of(later), "risk_eliminated_on": on}, by=by,
               start=later.effective_from, end=None, note=later.note, step="risk_eliminate")
    return row
