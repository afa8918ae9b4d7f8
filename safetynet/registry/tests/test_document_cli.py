from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import household_data
from safetynet.audit.models import AuditEvent
from safetynet.core.document import document_to_dict
from safetynet.registry.documents import household_document
from safetynet.registry.models import Household, HouseholdChange, Member
from safetynet.registry.tests.document_cases import (
    BAD_DOCUMENTS,
    CASE_FILES,
    bad_document,
    load_case,
    make_case_regions,
    normalised,
)


def run(command: str, *args: str, stdin: str | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    extra: dict[str, Any] = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    call_command(command, *args, stdout=out, stderr=err, **extra)
    return out.getvalue(), err.getvalue()


def run_failing(command: str, *args: str, stdin: str | None = None) -> tuple[str, str]:
    """Run a command that must fail; return its message and what it printed on stderr."""
    err = io.StringIO()
    extra: dict[str, Any] = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    with pytest.raises(CommandError) as failure:
        call_command(command, *args, stdout=io.StringIO(), stderr=err, **extra)
    return str(failure.value), err.getvalue()


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def counts() -> tuple[int, int, int]:
    return Household.objects.count(), Member.objects.count(), HouseholdChange.objects.count()


# --- export ----------------------------------------------------------------------------------------


def test_export_prints_the_document_and_records_the_export(cast, household_a):
    # when
    out, _ = run("household_export", household_a.code, "--as", "clerk_a")
    # then: the stored household, Chinese as it is, and an audit record naming the clerk
    assert json.loads(out) == document_to_dict(household_document(household_a))
    assert "王建国" in out and "\\u" not in out
    event = AuditEvent.objects.get(action="export", object_id=str(household_a.pk))
    assert event.actor == cast["clerk_a"] and event.detail["via"] == "cli"


def test_export_as_yaml_keeps_chinese_and_the_reference_field_order(cast, household_a):
    # when
    out, _ = run("household_export", str(household_a.pk), "--format", "yaml", "--as", "clerk_a")
    # then
    data = yaml.safe_load(out)
    assert "王建国" in out and "\\u" not in out
    assert list(data)[:4] == ["region", "residence", "members", "obligors"]
    assert list(data["members"][0])[:4] == ["name", "id_number", "relation", "co_resident"]
    assert data["code"] == household_a.code


def test_export_of_a_household_in_another_township_reads_as_not_found(cast, household_b):
    # when
    message, _ = run_failing("household_export", household_b.code, "--as", "clerk_a")
    # then
    assert "未找到该户，或您无权查看" in message
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("args, expected", [
    ((), "请用 --as 用户名 指明操作人"),
    (("--as", "nobody"), "没有名为 nobody 的在用账号"),
    (("--as", "grid_a"), "没有“导出个人信息”权限"),
])
def test_export_refuses_to_run_without_an_entitled_acting_user(cast, household_a, args, expected):
    message, _ = run_failing("household_export", household_a.code, *args)
    assert expected in message


# --- import ----------------------------------------------------------------------------------------


def test_import_creates_households_and_reports_their_codes(cast, tmp_path):
    # given
    path = write(tmp_path, "two.json", [household_data("220821101200001"), household_data("220821101200002")])
    # when
    out, _ = run("household_import", path, "--as", "clerk_a")
    # then
    assert Household.objects.count() == 2
    assert "[0] 户编号 2208211012000001：新建（第1版）" in out
    assert "共2户，新建2户" in out
    assert set(HouseholdChange.objects.values_list("action", flat=True)) == {"import"}


def test_round_trip_export_then_import_with_update_makes_no_new_version(cast, household_a, tmp_path):
    # given
    exported, _ = run("household_export", household_a.code, "--format", "yaml", "--as", "clerk_a")
    path = tmp_path / "a.yaml"
    path.write_text(exported, encoding="utf-8")
    before, events = counts(), AuditEvent.objects.count()
    # when: imported twice
    first, _ = run("household_import", str(path), "--update", "--as", "clerk_a")
    second, _ = run("household_import", str(path), "--update", "--as", "clerk_a")
    # then
    assert "无变化（第1版）" in first and "无变化（第1版）" in second
    assert counts() == before and AuditEvent.objects.count() == events


def test_import_with_update_applies_a_changed_document(cast, household_a, tmp_path):
    # given
    data = document_to_dict(household_document(household_a))
    data["members"][0]["income"]["wages"] = 1500
    path = write(tmp_path, "a.json", data)
    # when
    out, _ = run("household_import", path, "--update", "--as", "clerk_a")
    # then
    household_a.refresh_from_db()
    assert household_a.version == 2 and "已更新（第2版）" in out
    assert any(c["path"].endswith("income.wages") for c in household_a.changes.first().changes)


def test_second_import_without_update_names_existing_codes_and_saves_nothing(cast, household_a, tmp_path):
    # given: a file of exported documents (with 户编号)
    data = document_to_dict(household_document(household_a))
    path = write(tmp_path, "list.json", [data])
    before = counts()
    # when
    message, err = run_failing("household_import", path, "--as", "clerk_a")
    # then
    assert f"[0].code：户编号{household_a.code}已存在" in err and "--update" in err
    assert "未保存任何数据" in message and counts() == before


@pytest.mark.parametrize("update", [False, True])
def test_second_import_of_documents_without_code_names_the_registered_members(cast, tmp_path, update):
    # given
    make_case_regions()
    path = str(CASE_FILES[0])
    run("household_import", path, "--as", "county_civil")
    before = counts()
    # when
    _, err = run_failing("household_import", path, "--as", "county_civil", *(["--update"] if update else []))
    # then
    assert "members[0].id_number：此人已在户2208211032010001中" in err
    assert counts() == before


@pytest.mark.parametrize("case_file", CASE_FILES, ids=lambda p: p.stem)
def test_reference_case_imports_and_exports_back_equal(cast, case_file):
    # given
    make_case_regions()
    # when
    out, _ = run("household_import", str(case_file), "--as", "county_civil")
    code = out.split("户编号 ")[1].split("：")[0]
    exported, _ = run("household_export", code, "--format", "yaml", "--as", "county_civil")
    # then
    data = yaml.safe_load(exported)
    assert data["code"] == code
    assert normalised(data) == normalised(load_case(case_file))


def test_all_reference_cases_in_one_list_file_import_together(cast, tmp_path):
    # given
    make_case_regions()
    path = write(tmp_path, "cases.yml", [load_case(p) for p in CASE_FILES])
    # when
    out, _ = run("household_import", path, "--as", "county_civil")
    # then
    assert Household.objects.count() == len(CASE_FILES) == 16
    assert "共16户，新建16户" in out


@pytest.mark.parametrize("kind", BAD_DOCUMENTS)
def test_bad_document_fails_with_its_field_path_and_saves_nothing(cast, household_a, tmp_path, kind):
    # given
    taken = household_a.memberships.first().member.id_number
    path = write(tmp_path, "bad.json", bad_document(kind, taken_id_number=taken))
    before = counts()
    # when
    message, err = run_failing("household_import", path, "--as", "clerk_a")
    # then
    _, field_path, fragment = BAD_DOCUMENTS[kind]
    assert any(line.startswith(f"{field_path}：") and fragment in line for line in err.splitlines()), err
    assert "未保存任何数据" in message and counts() == before


def test_a_list_with_one_bad_document_saves_none_of_them(cast, tmp_path):
    # given: three documents, the second with a wrong check digit
    documents = [household_data("220821101200001") for _ in range(3)]
    number = documents[1]["members"][1]["id_number"]
    documents[1]["members"][1]["id_number"] = number[:17] + ("0" if number[17] != "0" else "1")
    path = write(tmp_path, "three.yaml", documents)
    # when
    message, err = run_failing("household_import", path, "--as", "clerk_a")
    # then
    assert err.splitlines() == ["[1].members[1].id_number：身份证号校验位不正确，请核对证件后重新填写"]
    assert "发现1处错误" in message and counts() == (0, 0, 0)


def test_a_person_in_two_documents_of_one_file_is_reported(cast, tmp_path):
    # given
    first, second = household_data("220821101200001"), household_data("220821101200002")
    second["members"][2]["id_number"] = first["members"][2]["id_number"]
    path = write(tmp_path, "pair.json", [first, second])
    # when
    _, err = run_failing("household_import", path, "--as", "clerk_a")
    # then
    assert "[1].members[2].id_number：此人已在户2208211012000001中" in err
    assert counts() == (0, 0, 0)


def test_import_into_another_township_is_refused(cast, tmp_path):
    path = write(tmp_path, "b.json", household_data("220821102200001"))
    _, err = run_failing("household_import", path, "--as", "clerk_a")
    assert "region：您无权修改该区划的家庭信息" in err and counts() == (0, 0, 0)


def test_import_reads_yaml_from_stdin(cast):
    text = yaml.safe_dump(household_data("220821101200001"), allow_unicode=True)
    out, _ = run("household_import", "-", "--as", "clerk_a", stdin=text)
    assert "新建" in out and Household.objects.count() == 1


def test_unreadable_file_names_the_line(cast, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"region": "220821101200001",\n "residence": rural}', encoding="utf-8")
    message, _ = run_failing("household_import", str(path), "--as", "clerk_a")
    assert "不是有效的 JSON：第2行" in message


@pytest.mark.parametrize("args, expected", [
    ((), "请用 --as 用户名 指明操作人"),
    (("--as", "grid_a"), "没有“修改家庭信息”权限"),
    (("--as", "auditor"), "没有“修改家庭信息”权限"),
])
def test_import_refuses_to_run_without_an_entitled_acting_user(cast, tmp_path, args, expected):
    path = write(tmp_path, "a.json", household_data("220821101200001"))
    message, _ = run_failing("household_import", path, *args)
    assert expected in message and counts() == (0, 0, 0)


# --- the real console script -----------------------------------------------------------------------


def test_console_script_imports_from_stdin_and_exports(tmp_path):
    # given: a fresh SQLite database with one county civil-affairs user
    script = Path(sys.prefix) / "bin" / "safetynet"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "SAFETYNET_VAR_DIR": str(tmp_path / "var"), "LANG": "C", "LC_ALL": "C"}

    def safetynet(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([str(script), *args], input=stdin, env=env, capture_output=True,
                              timeout=120, check=False)

    assert safetynet("migrate", "--noinput", "-v", "0").returncode == 0
    setup = ("from safetynet.regions.models import Region as R; from safetynet.accounts.models import User; "
             "c = R.objects.create(code='220821', name='镇赉县', level='county'); "
             "t = R.objects.create(code='220821103', name='镇', level='township', parent=c); "
             "R.objects.create(code='220821103201', name='村', level='village', parent=t); "
             "User.objects.create_user(username='importer', role='county_civil', region=c)")
    assert safetynet("shell", "-c", setup).returncode == 0
    case = CASE_FILES[0].read_bytes()
    # when
    first = safetynet("household_import", "-", "--as", "importer", stdin=case)
    second = safetynet("household_import", "-", "--as", "importer", stdin=case)
    exported = safetynet("household_export", "2208211032010001", "--format", "yaml", "--as", "importer")
    # then
    assert first.returncode == 0, first.stderr.decode()
    assert "新建（第1版）" in first.stdout.decode("utf-8")
    assert second.returncode != 0 and "此人已在户2208211032010001中" in second.stderr.decode("utf-8")
    assert "Traceback" not in second.stderr.decode("utf-8")
    assert normalised(yaml.safe_load(exported.stdout.decode("utf-8"))) == normalised(load_case(CASE_FILES[0]))
