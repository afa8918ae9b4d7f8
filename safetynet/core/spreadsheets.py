"""A list as an Excel workbook (xlsx): one sheet of rows under a bold header, a second sheet saying what it is.

For the lists county staff take away (预警清单 …): every cell written as text or a date, so that codes and
numbers keep their characters; written in constant memory (xlsxwriter), so a county's whole list fits.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

import xlsxwriter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # the content type
Column = tuple[str, int]  # header, width in characters


def table_xlsx(*, sheet: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]],
               about: Sequence[tuple[str, Any]]) -> bytes:
    """`rows` under `columns` on sheet `sheet`; `about` (label, value) pairs on a sheet 说明 (who, when, filters)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@", "valign": "top"})
    day = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
    page = book.add_worksheet(sheet)
    for i, (header, width) in enumerate(columns):
        page.set_column(i, i, width, text)
        page.write_string(0, i, header, bold)
    page.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for i, value in enumerate(row):
            if isinstance(value, dt.date):
                page.write_datetime(count, i, dt.datetime.combine(value, dt.time()), day)
            elif value not in (None, ""):
                page.write_string(count, i, str(value), text)
    page.autofilter(0, 0, max(count, 1), len(columns) - 1)
    info = book.add_worksheet("说明")
    info.set_column(0, 0, 16)
    info.set_column(1, 1, 60)
    for r, (label, value) in enumerate([*about, ("行数", count)]):
        info.write_string(r, 0, label, bold)
        info.write_string(r, 1, str(value))
    book.close()
    return buffer.getvalue()
