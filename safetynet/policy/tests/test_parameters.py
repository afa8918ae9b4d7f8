"""Parameters: region fallback, dates, overlays, missing values and malformed files fail loudly."""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from safetynet.policy.engine import check_parameters
from safetynet.policy.params import (
    ParameterFileInvalid,
    ParameterMissing,
    ParameterSet,
    Value,
    default_parameters,
    region_chain,
    use_parameters_directory,
)

GRID = "220821101200001"
LEVELS = textwrap.dedent("""\
    dibao.test_amount:
      description: 测试参数
      unit: 元/人·月
      values:
        national:
          - {value: 100, since: 2020-01-01, status: K, source: "国家文件"}
        "220821":
          - {value: 600, since: 2025-01-01, status: P, source: "县级通知"}
          - {value: 650, since: 2026-01-01, status: P, source: "县级通知"}
        "220821101":
          - {value: 700, since: 2025-01-01, status: P, source: "乡镇"}
        "220821101200":
          - {value: 800, since: 2025-01-01, status: P, source: "村"}
        "220821101200001":
          - {value: 900, since: 2025-01-01, status: P, source: "网格"}
          - {value: null, since: 2025-06-01, status: P, source: "网格取值停止"}
    """)


def write_parameters(directory: Path, text: str, topic: str = "dibao") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{topic}.yaml").write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def levels(tmp_path: Path) -> ParameterSet:
    return ParameterSet.load(write_parameters(tmp_path, LEVELS))


def test_region_chain_walks_from_grid_up_to_the_national_default() -> None:
    assert region_chain(GRID) == [GRID, "220821101200", "220821101", "220821", "220800", "220000", "national"]
    assert region_chain("220821") == ["220821", "220800", "220000", "national"]
    with pytest.raises(ValueError, match="区划代码"):
        region_chain("22082")


@pytest.mark.parametrize(("region", "expected", "level"), [
    ("220821101200001", 900, "220821101200001"),  # the grid's own value
    ("220821101200002", 800, "220821101200"),  # another grid of the same village
    ("220821101201", 700, "220821101"),  # another village of the township
    ("220821102", 600, "220821"),  # another township of the county
    ("220822", 100, "national"),  # another county: the national default
])
def test_resolve_takes_the_nearest_level_and_says_which(levels: ParameterSet, region: str, expected: int,
                                                        level: str) -> None:
    # when
    value = levels.resolve("dibao.test_amount", region, dt.date(2025, 3, 1))
    # then
    assert (value.value, value.region) == (Decimal(expected), level)


def test_a_later_dated_value_takes_over_on_its_date_and_not_before(levels: ParameterSet) -> None:
    county = "220821102"
    assert levels.resolve("dibao.test_amount", county, dt.date(2025, 12, 31)).value == 600
    assert levels.resolve("dibao.test_amount", county, dt.date(2026, 1, 1)).value == 650


def test_a_null_value_ends_the_level_and_resolution_falls_back_upwards(levels: ParameterSet) -> None:
    # when: the grid's own value ended on 2025-06-01
    value = levels.resolve("dibao.test_amount", GRID, dt.date(2025, 7, 1))
    # then: the village's value applies, and history still shows the ended row
    assert (value.value, value.region) == (Decimal(800), "220821101200")
    assert [v.value for v in levels.history("dibao.test_amount")[GRID]] == [Decimal(900), None]


def test_reference_parameters_change_on_new_year_2026() -> None:
    params = default_parameters()
    before = params.resolve("dibao.standard.rural_annual", "220821103201", dt.date(2025, 12, 31))
    after = params.resolve("dibao.standard.rural_annual", "220821103201", dt.date(2026, 1, 1))
    assert (before.value, after.value) == (Decimal(5520), Decimal(5760))
    assert (after.status, after.source, after.since) == ("P", "镇赉县低保标准通知（未取得）", dt.date(2026, 1, 1))


def test_missing_parameter_names_it_the_region_and_the_date() -> None:
    # when: a date before any value is in force
    with pytest.raises(ParameterMissing) as raised:
        default_parameters().resolve("dibao.standard.rural_annual", "220821103201", dt.date(2024, 12, 31))
    # then
    message = str(raised.value)
    assert "dibao.standard.rural_annual" in message and "220821103201" in message and "2024-12-31" in message


def test_unknown_parameter_is_missing_with_its_name() -> None:
    with pytest.raises(ParameterMissing, match="dibao.no_such_thing"):
        default_parameters().resolve("dibao.no_such_thing", "220821", dt.date(2025, 8, 1))


def overlay(value: str, since: dt.date, region: str = "220821") -> Value:
    return Value(name="dibao.standard.rural_annual", value=Decimal(value), since=since, region=region, status="K",
                 source="镇赉县民政局通知〔2025〕8号", origin="overlay", reason="县里公布正式标准")


def test_an_administrators_value_is_appended_and_wins_from_its_date() -> None:
    # given
    files = default_parameters()
    # when
    params = files.with_overlay([overlay("5700", dt.date(2025, 8, 1))])
    # then
    assert params.resolve("dibao.standard.rural_annual", "220821103201", dt.date(2025, 7, 31)).value == 5520
    in_force = params.resolve("dibao.standard.rural_annual", "220821103201", dt.date(2025, 8, 1))
    assert (in_force.value, in_force.origin, in_force.reason) == (Decimal(5700), "overlay", "县里公布正式标准")
    assert params.version() != files.version()
    assert files.resolve("dibao.standard.rural_annual", "220821", dt.date(2025, 8, 1)).value == 5520  # untouched


def test_an_overlay_row_on_the_same_date_as_a_file_row_wins_and_history_keeps_both() -> None:
    params = default_parameters().with_overlay([overlay("5600", dt.date(2025, 1, 1))])
    assert params.resolve("dibao.standard.rural_annual", "220821", dt.date(2025, 3, 1)).value == 5600
    history = params.history("dibao.standard.rural_annual")["220821"]
    assert [(v.value, v.origin) for v in history] == [(5520, "file"), (5600, "overlay"), (5760, "file")]


def test_an_overlay_row_for_an_unknown_parameter_is_refused() -> None:
    row = Value(name="dibao.unknown", value=Decimal(1), since=dt.date(2025, 1, 1), region="220821", status="K",
                source="文件")
    with pytest.raises(ParameterFileInvalid, match="dibao.unknown"):
        default_parameters().with_overlay([row])


def test_the_project_files_hold_every_parameter_the_rules_read_each_sourced() -> None:
    params = default_parameters()
    check_parameters(params)
    for name in params.names():
        description, unit = params.describe(name)
        assert description and unit
        for rows in params.history(name).values():
            assert all(v.status in ("K", "P") and v.source for v in rows)


GOOD_ENTRY = '{value: 5520, since: 2025-01-01, status: P, source: "通知"}'
MALFORMED = {
    "unknown key": ('{value: 5520, since: 2025-01-01, status: P, source: "通知", note: x}', "未知字段“note”"),
    "bad date": ('{value: 5520, since: 2025-13-01, status: P, source: "通知"}', "since"),
    "bad status": ('{value: 5520, since: 2025-01-01, status: X, source: "通知"}', "status“X”"),
    "empty source": ('{value: 5520, since: 2025-01-01, status: P, source: ""}', "source 不能为空"),
    "text value": ('{value: "很多", since: 2025-01-01, status: P, source: "通知"}', "不是数字"),
    "fraction of a fen": ('{value: 5520.001, since: 2025-01-01, status: P, source: "通知"}', "两位小数"),
    "duplicate date": (f'{GOOD_ENTRY}\n          - {GOOD_ENTRY}', "重复"),
    "unsorted dates": (f'{{value: 1, since: 2026-01-01, status: P, source: "通知"}}\n          - {GOOD_ENTRY}',
                       "早于上一行"),
}


@pytest.mark.parametrize("problem", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_entry_fails_loudly_naming_file_parameter_region_and_row(tmp_path: Path, problem: str) -> None:
    # given
    entry, expected = MALFORMED[problem]
    text = ("dibao.standard.rural_annual:\n  description: 农村低保标准\n  unit: 元/人·年\n  values:\n"
            f'    "220821":\n          - {entry}\n')
    # when
    with pytest.raises(ParameterFileInvalid) as raised:
        ParameterSet.load(write_parameters(tmp_path, text))
    # then
    message = str(raised.value)
    assert expected in message
    assert "dibao.yaml" in message and "dibao.standard.rural_annual" in message and "区划 220821" in message
    assert "第1行" in message or "第2行" in message


@pytest.mark.parametrize(("text", "expected"), [
    ("dibao.x:\n  description: 说明\n  unit: 元/斤\n  values:\n    national:\n      - " + GOOD_ENTRY, "单位“元/斤”无效"),
    ("tekun.x:\n  description: 说明\n  unit: 元\n  values:\n    national:\n      - " + GOOD_ENTRY, "应为以“dibao.”开头"),
    ("dibao.x:\n  description: 说明\n  unit: 元\n  values:\n    \"2208\":\n      - " + GOOD_ENTRY, "区划“2208”"),
    ("dibao.x:\n  description: 说明\n  unit: 元\n  value: 1\n  values:\n    national:\n      - " + GOOD_ENTRY,
     "未知字段“value”"),
    ("dibao.x: [unclosed", "不是有效的 YAML"),
])
def test_a_malformed_parameter_fails_loudly_naming_file_and_parameter(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ParameterFileInvalid) as raised:
        ParameterSet.load(write_parameters(tmp_path, text))
    assert expected in str(raised.value) and "dibao.yaml" in str(raised.value)


def test_start_up_refuses_a_malformed_parameter_directory(tmp_path: Path, settings: Any) -> None:
    # given: a parameter directory whose file has a bad status
    bad = write_parameters(tmp_path / "bad", "dibao.x:\n  description: 说明\n  unit: 元\n  values:\n"
                                             "    national:\n      - {value: 1, since: 2025-01-01, status: Q, "
                                             "source: 文件}\n")
    settings.SAFETYNET_PARAMETERS_DIR = str(bad)
    # when / then: the app's start-up hook raises, and the good files stay in use
    with pytest.raises(ParameterFileInvalid, match="status“Q”"):
        apps.get_app_config("policy").ready()
    del settings.SAFETYNET_PARAMETERS_DIR
    apps.get_app_config("policy").ready()
    assert "dibao.standard.rural_annual" in default_parameters().names()
    use_parameters_directory(None)
