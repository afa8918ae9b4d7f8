"""A malformed parameter file fails loudly, naming the file, the parameter and the entry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

from safetynet.parameters.selectors import TOPICS
from safetynet.policy.params import ParameterFileInvalid, ParameterSet, default_parameters

ROOT = Path(__file__).resolve().parents[3]
GOOD = """
dibao.standard.urban_monthly:
  description: 城市最低生活保障标准
  unit: 元/人·月
  values:
    "220821":
      - {value: 720, since: 2025-01-01, status: P, source: "镇赉县低保标准通知（未取得）"}
"""
BROKEN = {
    "status not K/P": ("status: P", "status: Q", "status“Q”无效"),
    "empty source": ('source: "镇赉县低保标准通知（未取得）"', 'source: ""', "source 不能为空"),
    "bad date": ("since: 2025-01-01", "since: 2025-02-30", "since“2025-02-30”不是有效日期"),
    "not a number": ("value: 720", "value: 七百二", "不是数字"),
    "unknown key": ("status: P,", "status: P, note: x,", "未知字段“note”"),
}


@pytest.mark.parametrize("good,bad,message", BROKEN.values(), ids=BROKEN.keys())
def test_malformed_file_names_file_parameter_and_entry(tmp_path, good, bad, message):
    # given
    (tmp_path / "dibao.yaml").write_text(GOOD.replace(good, bad), encoding="utf-8")
    # when
    with pytest.raises(ParameterFileInvalid) as refused:
        ParameterSet.load(tmp_path)
    # then
    text = str(refused.value)
    assert "dibao.yaml 参数 dibao.standard.urban_monthly 区划 220821 第1行" in text
    assert message in text


def test_the_well_formed_file_loads(tmp_path):
    (tmp_path / "dibao.yaml").write_text(GOOD, encoding="utf-8")
    assert ParameterSet.load(tmp_path).names() == ["dibao.standard.urban_monthly"]


def test_every_shipped_parameter_has_a_topic_of_the_parameters_page():
    names = default_parameters().names()
    assert names
    assert {name.split(".", 1)[0] for name in names} <= set(TOPICS)


@pytest.fixture
def broken_directory(tmp_path):
    (tmp_path / "dibao.yaml").write_text(GOOD.replace("status: P", "status: Q"), encoding="utf-8")
    return tmp_path


def test_start_up_check_refuses_a_broken_parameters_directory(settings, broken_directory):
    # given
    settings.SAFETYNET_PARAMETERS_DIR = str(broken_directory)
    shipped = default_parameters()
    # when
    with pytest.raises(ParameterFileInvalid) as refused:
        apps.get_app_config("policy").ready()
    # then: the file and entry are named, and the shipped files stay in force
    assert "dibao.yaml 参数 dibao.standard.urban_monthly 区划 220821 第1行" in str(refused.value)
    assert default_parameters().version() == shipped.version()


def test_the_server_does_not_start_with_a_broken_parameters_directory(broken_directory, tmp_path_factory):
    # given
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "SAFETYNET_PARAMETERS_DIR": str(broken_directory), "SAFETYNET_VAR_DIR": str(var),
           "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}"}
    # when
    done = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, check=False,
                          text=True, timeout=120)
    # then
    assert done.returncode != 0
    assert "dibao.yaml 参数 dibao.standard.urban_monthly 区划 220821 第1行" in done.stderr
