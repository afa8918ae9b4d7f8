"""The two spreadsheets of a feed: the blank template per source, and the row-level problem report."""

from __future__ import annotations

import io
from typing import Any

import polars as pl
import xlsxwriter

from safetynet.feeds.spec import SourceSpec

REPORT_ROW_LIMIT = 200_000  # a report longer than this says so; fixing the first ones usually fixes the rest
TYPE_NAMES = {"id_number": "18位身份证号（文本格式）", "text": "文字", "date": "日期，如 2025-03-31",
              "amount": "数字，最多两位小数，不带单位", "code": "从可选值中选一个", "kind": "从可选值中选一个"}


def feed_template_xlsx(spec: SourceSpec) -> bytes:
    """Sheet 1: the header row and one example row (ID column formatted as text); sheet 2: instructions."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    example = book.add_format({"num_format": "@", "font_color": "#7F7F7F", "italic": True})
    sheet = book.add_worksheet("数据")
    for i, column in enumerate(spec.columns):
        width = max(12, len(column.header) * 2 + 2, 20 if column.type == "id_number" else 0)
        sheet.set_column(i, i, width, text)  # every column text: IDs and codes keep their characters
        sheet.write_string(0, i, column.header, bold)
        sheet.write_string(1, i, column.example, example)
        choices = list(column.codes) if column.type == "code" else list(spec.kind_codes()) if column.type == "kind" else []
        if choices:
            sheet.data_validation(1, i, 100_000, i, {"validate": "list", "source": choices})
    sheet.freeze_panes(1, 0)
    _instructions(book, spec, bold)
    book.close()
    return buffer.getvalue()


def _instructions(book: Any, spec: SourceSpec, bold: Any) -> None:
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("填写说明")
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 4, 40)
    sheet.write_string(0, 0, f"{spec.title}：填写说明", bold)
    lines = ["第1行为表头，请勿修改列名；第2行为示例（灰色），导入前请删除或覆盖。",
             "一行是一个人的一条数据；身份证号列已设为文本格式，请勿改为数字（会丢失末几位）。",
             "可以保存为 .xlsx 上传，也可以另存为 CSV（UTF-8、GBK 或 GB18030 编码均可）。",
             "整个文件全部正确才会导入；有错误时系统给出问题报告（行号、列名、如何修改），改正后重新上传即可。",
             "同一文件或同一行重复上传不会重复导入；不在低收入人口档案中的人员标为“未匹配”，不导入。"]
    for row, line in enumerate(lines, start=1):
        sheet.write_string(row, 0, line)
    top = len(lines) + 2
    for i, title in enumerate(["列名", "是否必填", "格式", "可填的值", "说明"]):
        sheet.write_string(top, i, title, bold)
    for row, column in enumerate(spec.columns, start=top + 1):
        needed = "必填" if column.required else _needed_for(spec, column)
        codes = "、".join(column.codes) if column.type == "code" else "、".join(spec.kind_codes()) if column.type == "kind" else ""
        for i, value in enumerate([column.header, needed, TYPE_NAMES[column.type], codes, column.note]):
            sheet.write_string(row, i, value, wrap)


def _needed_for(spec: SourceSpec, column: Any) -> str:
    kinds = [k.code or "" for k in spec.kinds if column.field in k.values]
    if not kinds or column.optional:
        return "选填"
    return f"{'、'.join(kinds)}必填" if spec.kind_column is not None else "必填"


def feed_report_xlsx(*, title: str, summary: list[tuple[str, Any]], problems: pl.DataFrame) -> bytes:
    """Row-level report: 行号, 列名, 填写的值, 问题, 如何修改 (and a summary sheet)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("问题清单")
    for i, (title_, width) in enumerate([("行号", 8), ("列名", 18), ("填写的值", 24), ("问题", 40), ("如何修改", 48)]):
        sheet.set_column(i, i, width, text)
        sheet.write_string(0, i, title_, bold)
    for r, (row, header, value, problem, fix) in enumerate(problems.head(REPORT_ROW_LIMIT).iter_rows(), start=1):
        if row > 1:
            sheet.write_number(r, 0, row)
        else:
            sheet.write_string(r, 0, "表头" if row == 1 else "整个文件")
        for c, cell in enumerate((header, value, problem, fix), start=1):
            sheet.write_string(r, c, cell or "")
    if len(problems) > REPORT_ROW_LIMIT:
        sheet.write_string(REPORT_ROW_LIMIT + 1, 0, f"……另有 {len(problems) - REPORT_ROW_LIMIT} 条问题未列出")
    info = book.add_worksheet("汇总")
    info.set_column(0, 0, 24)
    info.set_column(1, 1, 60)
    info.write_string(0, 0, title, bold)
    for r, (label, value) in enumerate(summary, start=1):
        info.write_string(r, 0, label)
        info.write_string(r, 1, str(value))
    book.close()
    return buffer.getvalue()
