"""Feed fixtures: files built from rows, and members of the registry to match."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from typing import Any

import pytest

from safetynet.jobs.services import jobs_run_pending

MEDICAL = ["身份证号", "姓名", "数据类型", "结算日期", "个人自付金额（元）", "参保状态"]


def csv_bytes(rows: list[list[str]], *, header: list[str] = MEDICAL, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]], *, header: list[str] = MEDICAL) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("数据")
    as_date = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(r, c, datetime.combine(value, time()), as_date)
            else:
                sheet.write(r, c, value)
    book.close()
    return out.getvalue()


@pytest.fixture
def members(household_a: Any) -> list[str]:
    """ID numbers of household A's three members (head first)."""
    return [m.member.id_number for m in household_a.memberships.order_by("pk").select_related("member")]


@pytest.fixture
def run_import(cast: dict[str, Any], settings: Any, tmp_path: Any):
    """Upload as county civil affairs (or `by`) and run the job, as the worker would."""
    from safetynet.feeds.services import feed_import_start

    settings.MEDIA_ROOT = tmp_path / "media"

    def run(data: bytes, *, source: str = "medical", name: str = "feed.csv", by: str = "county_civil") -> Any:
        feed_import = feed_import_start(source=source, file_name=name, data=data, by=cast[by])
        jobs_run_pending()
        feed_import.refresh_from_db()
        return feed_import

    return run


def report_rows(feed_import: Any) -> list[tuple[Any, ...]]:
    """The problem report's rows (行号, 列名, 填写的值, 问题, 如何修改), read back from the xlsx."""
    from pathlib import Path

    from django.conf import settings
    from python_calamine import CalamineWorkbook

    data = Path(settings.MEDIA_ROOT, feed_import.report_file).read_bytes()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("问题清单").to_python()
    return [tuple(row) for row in rows[1:]]
