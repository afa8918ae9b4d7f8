"""Reading an uploaded feed file (xlsx or CSV) into a table of text cells, with the file's row numbers.

Every cell is read as text: an ID number must keep all 18 characters, and the validation step decides
what a date or an amount is. Problems of the file as a whole (not a spreadsheet, an unknown encoding,
cut short) are `FileProblem`s with a Chinese message saying how to fix the file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time

import polars as pl

ROW = "__row"  # the row number as the file shows it (header = row 1)

NOT_A_SPREADSHEET = "文件不是 Excel（.xlsx）或 CSV 文件，请使用下载的模板填写后上传"
BAD_XLSX = "Excel 文件无法打开（文件可能不完整或已损坏），请在 Excel 中重新保存为 .xlsx 后上传"
OLD_XLS = "这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 后上传"
BAD_ENCODING = ("文件编码无法识别：CSV 文件应为 UTF-8、GBK 或 GB18030 编码的文本。"
                "请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”或直接上传 .xlsx")
BINARY = "文件不是文本格式的 CSV（含有二进制内容），请上传 .xlsx 或 CSV 文本文件"
EMPTY = "文件中没有数据：第1行应为表头，第2行起为数据"
RAGGED = "有的行的列数多于表头（可能多了逗号或引号不配对），请按模板检查后重新导出"
TRUNCATED = "该行不完整（列数少于表头），文件可能在传输中被截断，请重新导出完整文件"
ID_AS_NUMBER = ("身份证号以数字格式保存，Excel 已把第16位以后的数字改为0，号码已丢失",
                "把该列设置为“文本”格式，重新输入或粘贴完整的18位号码（模板中该列已是文本格式）")


class FileProblem(ValueError):
    """The whole file cannot be read; the message says how to fix it."""


@dataclass
class CellProblem:
    row: int
    header: str
    value: str
    problem: str
    fix: str


@dataclass
class Table:
    frame: pl.DataFrame  # one Utf8 column per header, plus ROW
    encoding: str
    problems: list[CellProblem] = field(default_factory=list)


def read_feed_file(data: bytes, *, file_name: str, text_headers: set[str] = frozenset()) -> Table:
    """The file's table. `text_headers` are columns a spreadsheet must store as text (ID numbers)."""
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
        return _read_xlsx(data, text_headers=text_headers)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileProblem(OLD_XLS)
    return _read_csv(data)


def detect_encoding(data: bytes) -> tuple[str, str]:
    """(python codec, name to show): UTF-8 with or without BOM, GBK, GB18030; FileProblem otherwise."""
    codec, name, _text = _decode(data)
    return codec, name


def _decode(data: bytes) -> tuple[str, str, str]:
    """(codec, name to show, the text): decoding is the check, so the text is kept rather than decoded twice."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise FileProblem(BAD_ENCODING)  # UTF-16 ("Unicode text" in Excel's save dialog)
    if b"\x00" in data[:65536]:
        raise FileProblem(BINARY)
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", "UTF-8（BOM）")]
    else:
        candidates = [("utf-8", "UTF-8"), ("gbk", "GBK"), ("gb18030", "GB18030")]
    for codec, name in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise FileProblem(BINARY)
        return codec, name, text
    raise FileProblem(BAD_ENCODING)


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    return controls > 0


def _read_csv(data: bytes) -> Table:
    codec, name, text = _decode(data)
    utf8 = data if codec == "utf-8" else text.encode("utf-8")
    try:
        frame = pl.read_csv(io.BytesIO(utf8), infer_schema=False)
    except pl.exceptions.NoDataError:
        raise FileProblem(EMPTY) from None
    except pl.exceptions.ComputeError:
        raise FileProblem(RAGGED) from None
    frame = frame.rename({c: c.strip() for c in frame.columns})
    table = Table(frame=_numbered(frame), encoding=name)
    _check_last_line(text, table)
    return table


def _check_last_line(text: str, table: Table) -> None:
    """A file cut mid-row ends without a newline on a row with fewer fields than the header."""
    if text.endswith(("\n", "\r")) or table.frame.is_empty():
        return
    last = text.rsplit("\n", 1)[-1]
    header_fields = len(table.frame.columns) - 1
    if last.count(",") < header_fields - 1:
        row = int(table.frame[ROW].max())
        table.problems.append(CellProblem(row, "", last[:50], TRUNCATED, "重新导出完整文件后上传"))


def _numbered(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    cells = [c for c in frame.columns if c != ROW]
    stripped = [pl.col(c).str.strip_chars().replace("", None).alias(c) for c in cells]
    frame = frame.with_columns(stripped)
    return frame.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in cells)) if cells else frame


def _read_xlsx(data: bytes, *, text_headers: set[str]) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 — a cut or corrupt zip fails in zip, XML or calamine code alike
        raise FileProblem(BAD_XLSX) from None
    if not rows:
        raise FileProblem(EMPTY)
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    problems: list[CellProblem] = []
    columns: list[list[str | None]] = [[] for _ in headers]
    for number, row in enumerate(rows[1:], start=2):
        for i, header in enumerate(headers):
            value = row[i] if i < len(row) else None
            if header in text_headers and isinstance(value, (int, float)) and not isinstance(value, bool):
                problems.append(CellProblem(number, header, _cell_text(value) or "", *ID_AS_NUMBER))
            columns[i].append(_cell_text(value))
    names = _unique_names(headers)
    frame = pl.DataFrame({n: pl.Series(n, col, dtype=pl.Utf8) for n, col in zip(names, columns)})
    return Table(frame=_numbered(frame), encoding="xlsx", problems=problems)


def _unique_names(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        names.append(header if seen[header] == 1 else f"{header}__{seen[header]}")
    return names


def _cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
