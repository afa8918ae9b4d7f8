from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safetynet.regions.datafile import DEFAULT_FILE, RegionFileInvalid, read_region_file
from safetynet.regions.models import Region
from safetynet.regions.services import regions_load

SMALL = """\
code: "220821"
name: 镇赉县
children:
  - code: "220821101"
    name: 坦途镇
    children:
      - code: "220821101001"
        name: 民之福社区
        urban: true
        children:
          - {code: "220821101001001", name: 第一网格, demo: true}
      - code: "220821101200"
        name: 坦途村
        children:
          - {code: "220821101200001", name: 第一网格, demo: true}
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "regions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_shipped_file_loads_the_whole_county_tree():
    # when
    result = regions_load()
    # then
    counts = {level: Region.objects.filter(level=level).count() for level in ("county", "township", "village", "grid")}
    assert counts["county"] == 1 and counts["township"] >= 11 and counts["village"] >= 100
    assert counts["grid"] >= 2 * counts["village"]
    assert result.created == sum(counts.values())
    tantu = Region.objects.get(code="220821101")
    assert tantu.name == "坦途镇" and not tantu.is_demo and tantu.parent_id == "220821"
    assert Region.objects.get(code="220821101001").urban  # 民之福社区
    assert not Region.objects.get(code="220821101211").is_demo  # 永庆村, official
    assert not Region.objects.filter(level="grid", is_demo=False).exists()
    assert Region.objects.get(code="220821101200001").urban is False


def test_shipped_file_keeps_every_code_under_its_parent():
    # when
    rows = read_region_file(DEFAULT_FILE)
    # then
    codes = {r.code for r in rows}
    assert len(codes) == len(rows)
    assert all(r.parent is None or (r.code.startswith(r.parent) and r.parent in codes) for r in rows)
    assert all(r.urban == r.code[9:12].startswith(("0", "1")) for r in rows if r.level == "village")


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    # given
    regions_load()
    before = list(Region.objects.values_list("code", "name", "level", "parent_id", "urban", "is_demo"))
    # when
    again = regions_load()
    # then
    assert (again.created, again.updated) == (0, 0) and again.unchanged == len(before)
    assert list(Region.objects.values_list("code", "name", "level", "parent_id", "urban", "is_demo")) == before


@pytest.mark.django_db
def test_renamed_entry_is_updated_in_place(tmp_path):
    # given
    regions_load(_file(tmp_path, SMALL))
    # when
    result = regions_load(_file(tmp_path, SMALL.replace("坦途村", "坦途新村")))
    # then
    assert (result.created, result.updated) == (0, 1)
    assert Region.objects.get(code="220821101200").name == "坦途新村"


@pytest.mark.django_db
@pytest.mark.parametrize(("broken", "expected"), [
    (SMALL.replace('"220821101200"', '"22082110120"'), ["第12行", "22082110120 坦途村", "12位数字"]),
    (SMALL.replace('"220821101200001"', '"220821102200001"'), ["220821102200001", "不在上级 220821101200 坦途村 之下"]),
    (SMALL.replace('"220821101200"', '"220821101001"'), ["第12行", "220821101001", "与第7行重复"]),
    (SMALL.replace("name: 坦途村", "name: ''"), ["第12行", "名称（name）不能为空"]),
    (SMALL.replace("urban: true", "urban: 是"), ["民之福社区", "urban 应为 true 或 false"]),
    (SMALL.replace("name: 坦途镇", "name: 坦途镇\n    town: x"), ["未知字段 town"]),
])
def test_broken_file_is_refused_naming_the_entry_and_nothing_is_written(tmp_path, broken, expected):
    # when
    with pytest.raises(RegionFileInvalid) as refused:
        regions_load(_file(tmp_path, broken))
    # then
    message = str(refused.value)
    assert all(part in message for part in expected), message
    assert "未写入任何区划" in message
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_command_reports_errors_and_loads_good_files(tmp_path):
    # given
    bad = _file(tmp_path, SMALL.replace('"220821101"', '"2208211"'))
    # when / then
    with pytest.raises(CommandError, match="乡镇/街道的区划代码应为9位数字"):
        call_command("load_regions", "--file", str(bad))
    assert Region.objects.count() == 0
    call_command("load_regions", "--file", str(_file(tmp_path, SMALL)))
    assert Region.objects.count() == 6


def test_yaml_syntax_error_names_the_line(tmp_path):
    # when
    with pytest.raises(RegionFileInvalid, match="第4行：YAML 格式错误"):
        read_region_file(_file(tmp_path, 'code: "220821"\nname: 镇赉县\nchildren: [\n  - x: {\n'))
