"""Importing a feed: all-or-nothing, idempotent, a row-level report naming row, column and fix."""

from __future__ import annotations

import pytest

from safetynet.feeds.models import FeedImport, FeedRecord
from safetynet.feeds.tests.conftest import csv_bytes, report_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_a_correct_file_becomes_one_fact_per_row(members, run_import):
    # given
    data = csv_bytes([[members[0], "王建国", "医疗自付", "2025-03-31", "12345.6", ""],
                      [members[1], "", "参保状态", "2025/04/01", "", "未参保"]])
    # when
    feed_import = run_import(data)
    # then
    assert feed_import.status == FeedImport.Status.DONE, feed_import.error
    assert (feed_import.rows_total, feed_import.rows_added, feed_import.rows_duplicate) == (2, 2, 0)
    facts = {f.kind: f for f in FeedRecord.objects.all()}
    assert facts["self_paid"].values == {"amount": "12345.60"} and facts["self_paid"].member.id_number == members[0]
    assert facts["medical_enrolment"].values == {"insured": False}
    assert str(facts["medical_enrolment"].occurred_on) == "2025-04-01" and feed_import.encoding == "UTF-8"
    assert feed_import.job.status == "done" and feed_import.report_file == ""


def _problems(feed_import):
    return {(row, header): (problem, fix) for row, header, _value, problem, fix in report_rows(feed_import)}


def test_wrong_and_missing_columns_are_named_and_nothing_is_stored(members, run_import):
    header = ["身份号码", "姓名", "数据类型", "结算日期", "个人自付金额（元）", "参保状态", "备注"]
    feed_import = run_import(csv_bytes([[members[0], "", "医疗自付", "2025-03-31", "1", "", ""]], header=header))
    assert feed_import.status == FeedImport.Status.REJECTED and "表头" in feed_import.error
    problems = _problems(feed_import)
    assert problems[("表头", "身份号码")][0] == "列名“身份号码”不是本数据来源的列"
    assert problems[("表头", "备注")][0] == "列名“备注”不是本数据来源的列"
    assert "身份证号" in problems[("表头", "身份证号")][1] and problems[("表头", "身份证号")][0] == "缺少列“身份证号”"
    assert FeedRecord.objects.count() == 0


def test_every_bad_cell_is_reported_with_its_row_and_fix_and_the_file_is_not_imported(members, run_import):
    bad_check = members[0][:17] + ("0" if members[0][17] != "0" else "1")
    data = csv_bytes([
        [members[0], "", "医疗自付", "2025-03-31", "100", ""],        # row 2: fine
        [bad_check, "", "医疗自付", "2025-03-31", "100", ""],         # row 3: check digit
        [members[1], "", "医疗", "2025-13-01", "-5", ""],            # row 4: kind, date, amount
        [members[2], "", "参保状态", "2025-03-31", "", "也许"],        # row 5: code
        [members[2], "", "医疗自付", "", "", ""],                      # row 6: date required, amount for kind
        ["22082119850315", "", "医疗自付", "2025-03-31", "1.234", ""],  # row 7: length, amount decimals
    ])
    feed_import = run_import(data)
    assert feed_import.status == FeedImport.Status.REJECTED and feed_import.rows_invalid == 5
    assert "5 行" in feed_import.error and FeedRecord.objects.count() == 0
    problems = _problems(feed_import)
    assert problems[(3, "身份证号")][0] == "身份证号校验位不正确，请核对证件后重新填写"
    assert problems[(4, "数据类型")] == ("不是可选的值", "填写以下之一：医疗自付、参保状态")
    assert problems[(4, "结算日期")][0] == "不是有效日期"
    assert problems[(4, "个人自付金额（元）")][0] == "金额不能为负数"
    assert problems[(5, "参保状态")][1] == "填写以下之一：已参保、未参保"
    assert problems[(6, "结算日期")] == ("必填项为空", "填写“结算日期”")
    assert problems[(6, "个人自付金额（元）")][0] == "数据类型为“医疗自付”时必须填写"
    assert problems[(7, "身份证号")][0] == "身份证号应为18位，当前为14位"
    assert problems[(7, "个人自付金额（元）")][0] == "不是有效金额"
    assert not any(row == 2 for row, _ in problems)


def test_unknown_id_numbers_are_reported_as_unmatched_and_not_stored(members, run_import):
    from datetime import date

    from safetynet.core.idnumber import make_id_number

    stranger = make_id_number("220821", date(1970, 1, 1), 999)
    feed_import = run_import(csv_bytes([[members[0], "", "医疗自付", "2025-03-31", "100", ""],
                                        [stranger, "", "医疗自付", "2025-03-31", "100", ""]]))
    assert feed_import.status == FeedImport.Status.DONE
    assert (feed_import.rows_added, feed_import.rows_unmatched) == (1, 1)
    assert _problems(feed_import)[(3, "身份证号")][0] == "未匹配：低收入人口档案中没有此身份证号"
    assert not FeedRecord.objects.filter(id_number=stranger).exists()


def test_a_large_file_matches_through_the_whole_member_table_alike(members, run_import, monkeypatch):
    # given: the lookup used for files with many ID numbers (the whole id→member table in one query)
    from datetime import date

    from safetynet.core.idnumber import make_id_number
    from safetynet.feeds import services

    monkeypatch.setattr(services, "IN_QUERY_LIMIT", 0)
    stranger = make_id_number("220821", date(1970, 1, 1), 999)
    # when
    feed_import = run_import(csv_bytes([[members[0], "", "医疗自付", "2025-03-31", "100", ""],
                                        [stranger, "", "医疗自付", "2025-03-31", "100", ""],
                                        [members[1], "", "参保状态", "2025-03-31", "", "已参保"]]))
    # then
    assert feed_import.status == FeedImport.Status.DONE
    assert (feed_import.rows_added, feed_import.rows_unmatched) == (2, 1)
    assert {(f.id_number, f.member.id_number) for f in FeedRecord.objects.select_related("member")} == {
        (members[0], members[0]), (members[1], members[1])}


def test_duplicate_rows_and_the_same_file_twice_add_nothing(members, run_import):
    row = [members[0], "", "医疗自付", "2025-03-31", "100", ""]
    data = csv_bytes([row, row, [members[1], "", "医疗自付", "2025-03-31", "100.00", ""]])
    first = run_import(data)
    assert (first.rows_added, first.rows_duplicate) == (2, 1)
    assert FeedRecord.objects.get(id_number=members[0]).row_number == 2  # the first of the repeats is kept
    second = run_import(data, name="again.csv")
    assert second.status == FeedImport.Status.DONE and (second.rows_added, second.rows_duplicate) == (0, 3)
    # the same fact written differently (100 vs 100.00, 2025/03/31) is the same row
    third = run_import(csv_bytes([[members[1], "", "医疗自付", "2025/03/31", "100", ""]]))
    assert (third.rows_added, third.rows_duplicate) == (0, 1)
    assert FeedRecord.objects.count() == 2


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_gbk_gb18030_and_utf8_bom_files_import_the_same_rows(members, run_import, encoding):
    rows = [[members[0], "王建国", "医疗自付", "2025-03-31", "100", ""],
            [members[1], "李秀兰", "参保状态", "2025-03-31", "", "已参保"]]
    if encoding == "gb18030":
        rows[0][1] = "刘䶮"  # a CJK Ext-A name: not in GBK, so only GB18030 encodes it
    reference = run_import(csv_bytes(rows), name="utf8.csv")
    keys = set(FeedRecord.objects.values_list("row_key", flat=True))
    other = run_import(csv_bytes(rows, encoding=encoding), name=f"{encoding}.csv")
    assert reference.rows_added == 2 and (other.rows_added, other.rows_duplicate) == (0, 2)
    assert other.encoding == {"gbk": "GBK", "gb18030": "GB18030", "utf-8-sig": "UTF-8（BOM）"}[encoding]
    assert set(FeedRecord.objects.values_list("row_key", flat=True)) == keys


@pytest.mark.parametrize(("data", "message"), [
    ("身份证号,姓名\n".encode("utf-16"), "文件编码无法识别"),
    (bytes(range(256)) * 8, "二进制"),
])
def test_a_file_in_another_encoding_or_binary_is_refused_in_chinese(run_import, data, message):
    feed_import = run_import(data)
    assert feed_import.status == FeedImport.Status.REJECTED and message in feed_import.error
    assert message in report_rows(feed_import)[0][3]


def test_a_csv_cut_mid_row_is_reported_and_nothing_is_stored(members, run_import):
    data = csv_bytes([[members[0], "", "医疗自付", "2025-03-31", "100", ""],
                      [members[1], "", "医疗自付", "2025-03-31", "100", ""]])
    cut = data[: data.rindex(members[1].encode()) + 8]  # the file ends inside row 3's ID number
    feed_import = run_import(cut)
    assert feed_import.status == FeedImport.Status.REJECTED and FeedRecord.objects.count() == 0
    problems = report_rows(feed_import)
    assert any(row == 3 and "截断" in problem for row, _h, _v, problem, _f in problems)


def test_an_xlsx_cut_in_half_is_refused(members, run_import):
    data = xlsx_bytes([[members[0], "", "医疗自付", "2025-03-31", "100", ""]])
    feed_import = run_import(data[: len(data) // 2], name="half.xlsx")
    assert feed_import.status == FeedImport.Status.REJECTED and "Excel 文件无法打开" in feed_import.error


def test_xlsx_imports_and_an_id_stored_as_a_number_is_refused(members, run_import):
    from datetime import date

    good = run_import(xlsx_bytes([[members[0], "王建国", "医疗自付", date(2025, 3, 31), 100.5, ""]]), name="a.xlsx")
    assert good.status == FeedImport.Status.DONE and good.rows_added == 1 and good.encoding == "xlsx"
    assert FeedRecord.objects.get().values == {"amount": "100.50"}
    bad = run_import(xlsx_bytes([[int(members[1][:17] + "0") if members[1][17] != "X" else 1, "", "医疗自付",
                                  "2025-03-31", "1", ""]]), name="b.xlsx")
    assert bad.status == FeedImport.Status.REJECTED
    assert "数字格式" in report_rows(bad)[0][3] and "文本" in report_rows(bad)[0][4]


def test_a_department_clerk_imports_only_their_own_departments_sources(members, run_import):
    from safetynet.jobs.services import JobError

    ok = run_import(csv_bytes([[members[0], "", "医疗自付", "2025-03-31", "1", ""]]), by="dept_medical")
    assert ok.status == FeedImport.Status.DONE
    with pytest.raises(JobError, match="部门经办只能导入本部门的数据"):
        run_import(csv_bytes([[members[0], "", "2025-01-01", "肢体", "二级", "有效"]],
                             header=["身份证号", "姓名", "发证（变更）日期", "残疾类别", "残疾等级", "证件状态"]),
                   source="disability", by="dept_medical")
    with pytest.raises(JobError):
        run_import(b"x", by="clerk_a")


def test_every_source_template_imports_once_its_example_is_a_member(members, run_import):
    """Each source's own example row (with a registry member's ID) is a valid row of its spec."""
    from safetynet.feeds.spec import source_specs

    for spec in source_specs().values():
        row = [members[0] if c.type == "id_number" else c.example for c in spec.columns]
        feed_import = run_import(csv_bytes([row], header=[c.header for c in spec.columns]), source=spec.source)
        assert feed_import.status == FeedImport.Status.DONE, (spec.source, report_rows(feed_import))
        assert feed_import.rows_added == 1
