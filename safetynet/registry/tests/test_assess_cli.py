"""`safetynet assess FILE [--on DATE]`: the reference cases through the command, errors in Chinese, no database.

These tests take no `db` fixture: pytest-django refuses any database access in them, which is the
check that `assess` works on a machine where `migrate` has not run.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import household_data, member_data
from safetynet.registry.tests.assessment_cases import CASE_FILES, as_of, case_yaml, checked, load_case
from safetynet.registry.tests.document_cases import BAD_DOCUMENTS, bad_document

CONSOLE_SCRIPT = Path(sys.executable).parent / "safetynet"
DOCUMENT_ERRORS = {kind: spec for kind, spec in BAD_DOCUMENTS.items() if kind != "id_active_elsewhere"}


def assess(*args: str, stdin: str | None = None) -> dict[str, Any]:
    out = io.StringIO()
    extra: dict[str, Any] = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    call_command("assess", *args, stdout=out, stderr=io.StringIO(), **extra)
    return json.loads(out.getvalue())


def assess_failing(*args: str, stdin: str | None = None) -> tuple[str, str]:
    err = io.StringIO()
    extra: dict[str, Any] = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    with pytest.raises(CommandError) as failure:
        call_command("assess", *args, stdout=io.StringIO(), stderr=err, **extra)
    return str(failure.value), err.getvalue()


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    text = json.dumps(data, ensure_ascii=False) if name.endswith(".json") else yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_reference_cases_are_there() -> None:
    assert len(CASE_FILES) == 16


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_reference_case_assessed_from_a_yaml_file(tmp_path: Path, path: Path) -> None:
    # given
    case = load_case(path)
    file = write(tmp_path, "household.yaml", case["household"])
    # when
    result = assess(file, "--on", as_of(case))
    # then
    assert checked(result, case) == case["expect"], case["name"]
    assert result["as_of"] == as_of(case)


def test_a_json_file_and_stdin_give_the_same_assessment(tmp_path: Path) -> None:
    # given
    case = load_case(CASE_FILES[0])
    # when
    from_json = assess(write(tmp_path, "household.json", case["household"]), "--on", as_of(case))
    from_stdin = assess("-", "--on", as_of(case), stdin=case_yaml(CASE_FILES[0]))
    # then
    assert from_json == from_stdin
    assert checked(from_json, case) == case["expect"]


def test_the_output_is_indented_utf8_json_with_the_keys_of_an_assessment(tmp_path: Path) -> None:
    # given
    case = load_case(CASE_FILES[0])
    out = io.StringIO()
    # when
    call_command("assess", "-", "--on", as_of(case), stdin=io.StringIO(case_yaml(CASE_FILES[0])), stdout=out)
    # then
    text = out.getvalue()
    assert "\\u" not in text and "\n  \"" in text
    result = json.loads(text)
    assert {"as_of", "categories", "tags", "tekun_members", "monitoring_candidate", "risks", "figures", "benefits",
            "members", "rules", "explanation"} <= set(result)
    assert any("低保" in sentence for sentence in result["explanation"])


def test_the_date_defaults_to_today(tmp_path: Path) -> None:
    result = assess(write(tmp_path, "household.yaml", household_data("220821101200001")))
    assert result["as_of"] == date.today().isoformat()


@pytest.mark.parametrize("kind", DOCUMENT_ERRORS)
def test_an_invalid_document_fails_naming_the_field(tmp_path: Path, kind: str) -> None:
    # given
    file = write(tmp_path, "household.yaml", bad_document(kind, taken_id_number=""))
    # when
    message, printed = assess_failing(file, "--on", "2025-08-01")
    # then
    _, path, fragment = DOCUMENT_ERRORS[kind]
    assert "核算失败" in message
    assert any(line.startswith(f"{path}：") and fragment in line for line in printed.splitlines()), printed


def test_every_error_of_a_document_is_listed(tmp_path: Path) -> None:
    # given: two mistakes in two members
    data = household_data("220821101200001")
    data["members"][0]["income"] = {"wages": "6000"}
    data["members"][2]["schooling"] = "kindergarten"
    # when
    message, printed = assess_failing(write(tmp_path, "household.yaml", data), "--on", "2025-08-01")
    # then
    assert "2处错误" in message
    assert "members[0].income.wages：" in printed and "members[2].schooling：" in printed


def test_a_household_with_no_counted_member_is_refused_on_members(tmp_path: Path) -> None:
    # given: the only member lives elsewhere
    data = household_data("220821101200001", members=[
        member_data("赵大山", "self", date(1960, 1, 5), co_resident=False)])
    # when
    message, printed = assess_failing(write(tmp_path, "household.yaml", data), "--on", "2025-08-01")
    # then
    assert "核算失败" in message and any(line.startswith("members：无法核算") for line in printed.splitlines())


@pytest.mark.parametrize("bad", ["2025-13-01", "2025/08/01", "昨天"])
def test_a_bad_date_is_refused_in_chinese(tmp_path: Path, bad: str) -> None:
    file = write(tmp_path, "household.yaml", household_data("220821101200001"))
    message, _ = assess_failing(file, "--on", bad)
    assert message.startswith("--on 日期") and bad in message and "YYYY-MM-DD" in message


def test_not_a_single_document_is_refused(tmp_path: Path) -> None:
    data = [household_data("220821101200001"), household_data("220821101200001")]
    message, _ = assess_failing(write(tmp_path, "households.yaml", data))
    assert "一个户数据文档" in message


def test_unreadable_input_is_named(tmp_path: Path) -> None:
    missing, _ = assess_failing(str(tmp_path / "nope.yaml"))
    broken, _ = assess_failing("-", stdin="region: [220821\n")
    assert "文件不存在" in missing
    assert broken.startswith("标准输入：") and "YAML" in broken


def _console(args: list[str], stdin: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The installed `safetynet` script, on a database URL whose file must never be created."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'never.sqlite3'}",
           "SAFETYNET_VAR_DIR": str(tmp_path / "var"), "LANG": "C"}
    return subprocess.run([str(CONSOLE_SCRIPT), "assess", *args], check=False, input=stdin, capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=120)


def test_the_console_script_assesses_yaml_from_stdin_without_a_database(tmp_path: Path) -> None:
    # given
    case = load_case(CASE_FILES[0])
    # when
    done = _console(["-", "--on", as_of(case)], case_yaml(CASE_FILES[0]), tmp_path)
    # then
    assert done.returncode == 0, done.stderr
    assert checked(json.loads(done.stdout), case) == case["expect"]
    assert not (tmp_path / "never.sqlite3").exists()


def test_the_console_script_exits_non_zero_on_an_invalid_document(tmp_path: Path) -> None:
    # given
    data = bad_document("wrong_check_digit", taken_id_number="")
    # when
    done = _console(["-", "--on", "2025-08-01"], yaml.safe_dump(data, allow_unicode=True), tmp_path)
    # then
    assert done.returncode != 0 and done.stdout == ""
    assert "members[1].id_number：身份证号校验位不正确" in done.stderr and "核算失败" in done.stderr
