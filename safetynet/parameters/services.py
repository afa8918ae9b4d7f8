"""Adding a dated parameter value (县民政局 replaces a placeholder, or a new notice takes effect).

A value is never edited: the new figure is appended with the date it takes effect, its source and the
reason, and audited. Assessments before that date keep the value that was in force then.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.audit.models import AuditEvent
from safetynet.audit.services import audit_record
from safetynet.parameters.models import ParameterValue
from safetynet.parameters.selectors import (
    above_county_labels,
    county_code,
    effective_parameters,
    effective_parameters_invalidate,
    plain_decimal,
)
from safetynet.policy.params import COUNT_UNITS, MONEY_UNITS
from safetynet.regions.models import Region

NOT_ALLOWED = "只有县民政局可以添加政策参数取值。"
UNKNOWN_PARAMETER = "参数：没有名为“{name}”的政策参数"
BAD_REGION = "区划：“{region}”不是本县、本县的乡镇/村或所属市、省的代码"
SINCE_TOO_EARLY = "生效日期：不能早于该参数最早的取值日期 {first:%Y-%m-%d}"
DUPLICATE = "生效日期：该区划在 {since:%Y-%m-%d} 已有管理员添加的取值，历史不可改写；请另选生效日期"
BAD_STATUS = "状态：请选择 K（文件规定）或 P（待确认）"
SOURCE_REQUIRED = "依据：请填写文件名称、文号及条款"
REASON_REQUIRED = "调整理由：请说明添加这个取值的原因"
NOT_A_NUMBER = "参数值：请填写一个有限的数字"
TOO_PRECISE = "参数值：最多保留四位小数，整数部分不超过十二位"
RATIO_RANGE = "参数值：比例须在 0 到 1 之间（例如 0.65 表示 65%）"
MULTIPLIER_RANGE = "参数值：倍数须大于 0 且不超过 10"
MONEY_NEGATIVE = "参数值：金额不能为负数"
MONEY_CENTS = "参数值：金额最多保留两位小数（到分）"
WHOLE_NUMBER = "参数值：单位为“{unit}”，须为不小于 0 的整数"
AGE_RANGE = "参数值：年龄须在 0 到 120 岁之间"
NEGATIVE = "参数值：不能为负数"

MAX_DIGITS, MAX_PLACES = 16, 4


@transaction.atomic
def parameter_value_add(*, name: str, region: str, value: Decimal, since: date, status: str, source: str,
                        reason: str, by: Any) -> ParameterValue:
    """Append a dated value of parameter `name` for `region`, audited; it applies from `since` on.

    Raises ValidationError whose message_dict is keyed by field (name, region, value, since, status,
    source, reason), each message in Chinese and naming its field; nothing is written then.
    """
    if not has_capability(by, Capability.MANAGE_PARAMETERS):
        raise PermissionDenied(NOT_ALLOWED)
    source, reason, region = source.strip(), reason.strip(), region.strip()
    parameter_value_validate(name=name, region=region, value=value, since=since, status=status, source=source,
                             reason=reason)
    row = _insert(name=name, region=region, value=value, since=since, status=status, source=source,
                  reason=reason, created_by=by)
    audit_record(by=by, action=AuditEvent.Action.CHANGE, object_type="parameter", object_id=row.pk,
                 object_label=f"政策参数 {name} {region} 自{since:%Y-%m-%d}起",
                 region_code=region if region.startswith(county_code()) else "",
                 detail={"name": name, "region": region, "value": str(plain_decimal(row.value)),
                         "since": since.isoformat(), "status": status, "source": source, "reason": reason})
    effective_parameters_invalidate()
    return row


def _insert(**fields: Any) -> ParameterValue:
    try:
        with transaction.atomic():
            return ParameterValue.objects.create(**fields)
    except IntegrityError:  # another administrator added the same date a moment earlier
        raise ValidationError({"since": DUPLICATE.format(since=fields["since"])}) from None


def parameter_value_validate(*, name: str, region: str, value: Decimal, since: date, status: str, source: str,
                             reason: str) -> None:
    """Every check of `parameter_value_add`, all errors at once, keyed by field."""
    errors: dict[str, str] = {}
    params = effective_parameters()
    if name not in params.names():
        raise ValidationError({"name": UNKNOWN_PARAMETER.format(name=name)})
    if not region_accepts_values(region):
        errors["region"] = BAD_REGION.format(region=region)
    value_error = value_problem(value, unit=params.describe(name)[1])
    if value_error:
        errors["value"] = value_error
    errors.update(_since_problem(name=name, region=region, since=since, params=params))
    if status not in ParameterValue.Status.values:
        errors["status"] = BAD_STATUS
    if not source:
        errors["source"] = SOURCE_REQUIRED
    if not reason:
        errors["reason"] = REASON_REQUIRED
    if errors:
        raise ValidationError(errors)


def _since_problem(*, name: str, region: str, since: date, params: Any) -> dict[str, str]:
    first = min((v.since for values in params.history(name).values() for v in values), default=since)
    if since < first:
        return {"since": SINCE_TOO_EARLY.format(first=first)}
    if ParameterValue.objects.filter(name=name, region=region, since=since).exists():
        return {"since": DUPLICATE.format(since=since)}
    return {}


def region_accepts_values(region: str) -> bool:
    """The county, one of its townships/villages/grids, or its prefecture or province."""
    county = county_code()
    if region == county or region in above_county_labels() and region != "national":
        return True
    return region.startswith(county) and Region.objects.filter(code=region).exists()


def value_problem(value: Decimal, *, unit: str) -> str:
    """What is wrong with `value` for a parameter measured in `unit`; "" when it is sensible."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return NOT_A_NUMBER
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if -exponent > MAX_PLACES or len(digits) + exponent > MAX_DIGITS - MAX_PLACES:
        return TOO_PRECISE
    if unit == "比例":
        return "" if 0 <= value <= 1 else RATIO_RANGE
    if unit == "倍":
        return "" if 0 < value <= 10 else MULTIPLIER_RANGE
    if unit in MONEY_UNITS:
        return MONEY_NEGATIVE if value < 0 else MONEY_CENTS if value != value.quantize(Decimal("0.01")) else ""
    if unit in COUNT_UNITS:
        if value < 0 or value != value.to_integral_value():
            return WHOLE_NUMBER.format(unit=unit)
        return AGE_RANGE if unit == "岁" and value > 120 else ""
    return NEGATIVE if value < 0 else ""
