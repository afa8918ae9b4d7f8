"""Bad input is refused with a Chinese message naming the field; nothing is written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safetynet.audit.models import AuditEvent
from safetynet.parameters.models import ParameterValue
from safetynet.parameters.services import parameter_value_add

CASES = {
    "unknown parameter": ({"name": "dibao.standard.lunar_monthly"}, "name", "参数：没有名为“dibao.standard.lunar_monthly”"),
    "region of another county": ({"region": "220822"}, "region", "区划："),
    "village not in the region tree": ({"region": "220821999999"}, "region", "区划："),
    "national default": ({"region": "national"}, "region", "区划："),
    "before the first value": ({"since": date(2024, 12, 31)}, "since", "生效日期：不能早于该参数最早的取值日期 2025-01-01"),
    "negative money": ({"value": Decimal(-1)}, "value", "参数值：金额不能为负数"),
    "money below the fen": ({"value": Decimal("800.005")}, "value", "参数值：金额最多保留两位小数"),
    "ratio above 1": ({"name": "medical.ratio.dibao", "value": Decimal("1.2")}, "value", "参数值：比例须在 0 到 1 之间"),
    "fractional age": ({"name": "tekun.age_elderly", "value": Decimal("60.5")}, "value", "参数值：单位为“岁”"),
    "zero multiplier": ({"name": "tekun.basic_multiplier", "value": Decimal(0)}, "value", "参数值：倍数须大于 0"),
    "not a number": ({"value": Decimal("NaN")}, "value", "参数值：请填写一个有限的数字"),
    "status other than K/P": ({"status": "X"}, "status", "状态："),
    "missing source": ({"source": "  "}, "source", "依据：请填写文件名称、文号及条款"),
    "missing reason": ({"reason": ""}, "reason", "调整理由：请说明"),
}


@pytest.mark.parametrize("change,field,message", CASES.values(), ids=CASES.keys())
def test_invalid_value_is_refused_naming_the_field(cast, new_value, change, field, message):
    # when
    with pytest.raises(ValidationError) as refused:
        parameter_value_add(**{**new_value, **change}, by=cast["county_civil"])
    # then
    assert message in refused.value.message_dict[field][0]
    assert not ParameterValue.objects.exists()
    assert not AuditEvent.objects.filter(object_type="parameter").exists()


def test_a_second_value_on_the_same_date_is_refused(cast, new_value):
    # given
    parameter_value_add(**new_value, by=cast["county_civil"])
    # when
    with pytest.raises(ValidationError) as refused:
        parameter_value_add(**{**new_value, "value": Decimal(810)}, by=cast["county_civil"])
    # then
    assert "生效日期：该区划在 2025-07-01 已有管理员添加的取值" in refused.value.message_dict["since"][0]
    assert ParameterValue.objects.get().value == 800
    assert AuditEvent.objects.filter(object_type="parameter").count() == 1


def test_every_problem_is_reported_at_once(cast, new_value):
    with pytest.raises(ValidationError) as refused:
        parameter_value_add(**{**new_value, "value": Decimal(-5), "source": "", "reason": ""},
                            by=cast["county_civil"])
    assert set(refused.value.message_dict) == {"value", "source", "reason"}


def post(client, name, data):
    return client.post(reverse("parameters:parameter_value_add", args=[name]), data)


def form_data(new_value, **change):
    data = {**new_value, **change}
    return {key: (v.isoformat() if isinstance(v, date) else str(v)) for key, v in data.items() if key != "name"}


@pytest.mark.parametrize("change,message", [
    ({"value": "-10"}, "参数值：金额不能为负数"),
    ({"value": "八百"}, "参数值：请填写一个有限的数字"),
    ({"since": "2024-06-01"}, "生效日期：不能早于该参数最早的取值日期 2025-01-01"),
    ({"since": "2025-13-01"}, "生效日期：格式应为 YYYY-MM-DD"),
    ({"source": ""}, "依据：请填写文件名称、文号及条款"),
    ({"reason": " "}, "调整理由：请说明添加这个取值的原因"),
    ({"region": "110101"}, "区划：“110101”不是本县"),
], ids=["negative", "not a number", "too early", "bad date", "no source", "no reason", "other county"])
def test_the_form_shows_the_message_and_saves_nothing(client, cast, new_value, change, message):
    # given
    client.force_login(cast["county_civil"])
    # when
    response = post(client, "dibao.standard.urban_monthly", form_data(new_value, **change))
    # then
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ParameterValue.objects.exists()


def test_the_form_reports_a_ratio_above_one(client, cast, new_value):
    client.force_login(cast["county_civil"])
    response = post(client, "medical.ratio.dibao", form_data(new_value, value="1.5"))
    assert response.status_code == 422
    assert "参数值：比例须在 0 到 1 之间" in response.content.decode()
    assert not ParameterValue.objects.exists()


def test_the_form_reports_a_duplicate_date(client, cast, new_value):
    # given
    client.force_login(cast["county_civil"])
    assert post(client, "dibao.standard.urban_monthly", form_data(new_value)).status_code == 302
    # when
    response = post(client, "dibao.standard.urban_monthly", form_data(new_value, value="900"))
    # then
    assert response.status_code == 422
    assert "已有管理员添加的取值" in response.content.decode()
    assert ParameterValue.objects.count() == 1


def test_unknown_parameter_page_is_not_found(client, cast, new_value):
    client.force_login(cast["county_civil"])
    assert post(client, "dibao.no_such", form_data(new_value)).status_code == 404
    assert client.get(reverse("parameters:parameter_detail", args=["dibao.no_such"])).status_code == 404
    assert not ParameterValue.objects.exists()
